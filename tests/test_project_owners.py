"""A firm written short before its project (四川某某年产…项目) is that firm, and a project named after a firm
is read as most likely the firm's."""

from __future__ import annotations

from kg.mentions import Mention, project_owners
from kg.nlp.rules import load_rules
from kg.relations import RelationFeaturizer  # through kg.relations: it and the featurizer import each other
from kg.relations.references import Slot


def _mention(text: str, name: str, label: str, nth: int = 0) -> Mention:
    start = -1
    for _ in range(nth + 1):
        start = text.index(name, start + 1)
    return Mention(start, start + len(name), label, "t", 0.9, 0)


def test_the_words_before_a_project_that_open_a_firms_name_are_that_firm() -> None:
    text = "四川岚峰新材料科技有限公司落户园区。四川岚峰年产5万吨铝箔项目开工。"
    found = [_mention(text, "四川岚峰新材料科技有限公司", "Company"), _mention(text, "年产5万吨铝箔项目", "Project")]
    owners = project_owners(text, found)
    assert [(text[m.start : m.end], m.label) for m in owners] == [("四川岚峰", "Company")]


def test_words_before_a_project_that_open_no_firms_name_are_left_alone() -> None:
    text = "四川岚峰新材料科技有限公司落户园区。园区启动年产5万吨铝箔项目。"
    found = [_mention(text, "四川岚峰新材料科技有限公司", "Company"), _mention(text, "年产5万吨铝箔项目", "Project")]
    assert project_owners(text, found) == []
    alone = "启动年产5万吨铝箔项目。"
    assert project_owners(alone, [_mention(alone, "年产5万吨铝箔项目", "Project")]) == []


def _slot(text: str, name: str, label: str, entity: int) -> Slot:
    start = text.index(name)
    return Slot(start, start + len(name), label, entity, 0)


def _inside(text: str, firm: str, project: str) -> tuple[str, ...]:
    head, tail = _slot(text, firm, "Company", 0), _slot(text, project, "Project", 1)
    return RelationFeaturizer(text, [head, tail], load_rules(), set())._named_inside(head, tail)


def test_a_project_named_after_a_firm_past_its_place_is_marked() -> None:
    text = "南屿岚峰食品有限公司表示，岚峰肉制品加工项目进展顺利。"
    assert _inside(text, "南屿岚峰食品有限公司", "岚峰肉制品加工项目") == ()  # 南屿 is no place: the names differ
    text = "四川岚峰食品有限公司表示，岚峰肉制品加工项目进展顺利。"
    assert _inside(text, "四川岚峰食品有限公司", "岚峰肉制品加工项目") == ("firm_names_project",)
    text = "四川岚峰食品有限公司表示，华泰肉制品加工项目进展顺利。"
    assert _inside(text, "四川岚峰食品有限公司", "华泰肉制品加工项目") == ()
