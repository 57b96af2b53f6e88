"""Extraction rules as tables: an article in the style of the corpus (names made up) → expected facts."""

from __future__ import annotations

import pytest

from kg.extract import extract
from kg.model import Article, DocGraph


def graph_of(text: str) -> DocGraph:
    return extract(Article.make("t.txt", text))


def names(graph: DocGraph, label: str) -> set[str]:
    return {n for e in graph.entities if e.label == label for n in e.names()}


def facts(graph: DocGraph) -> set[tuple[str, str, str]]:
    by_id = {e.id: e.name for e in graph.entities}
    return {(r.type, by_id[r.head], by_id[r.tail]) for r in graph.relations}


@pytest.mark.parametrize(
    ("text", "label", "name"),
    [
        (
            "以星岚精密材料（山西）有限公司为代表的一批企业加大研发投入。",
            "Company",
            "星岚精密材料（山西）有限公司",
        ),
        (
            "记者走进了山西蓝河铝业新材料科技有限公司，看到车间忙碌。",
            "Company",
            "山西蓝河铝业新材料科技有限公司",
        ),
        ("同时与杭州墨链科技有限公司共同打造七大数智系统。", "Company", "杭州墨链科技有限公司"),
        ("今年，金河经济技术开发区全年完成产值 12 亿元。", "DevelopmentZone", "金河经济技术开发区"),
        ("今年 3 月，该公司入驻安平高新技术产业开发区。", "DevelopmentZone", "安平高新技术产业开发区"),
        ("总体布局为一区两园：东坪新材料产业园和柳湾物流园区。", "Park", "柳湾物流园区"),
        ("金河经济技术开发区党工委书记邓慧明告诉记者。", "Organization", "金河经济技术开发区党工委"),
        ("在长平职业技术学院的合作实训基地，学生们进行测绘。", "Organization", "长平职业技术学院"),
        ("厂长韩立军说，产品供不应求。", "Person", "韩立军"),
        ("被问到为何从广东东莞搬迁到山西时，他笑了。", "Region", "东莞"),
        (
            "星岚精密材料（山西）有限公司 2 万吨锂电铜箔项目，总投资 6.5 亿元。",
            "Project",
            "2 万吨锂电铜箔项目",
        ),
        ("比亚迪上用的电池，原材料就是我们生产的。", "Company", "比亚迪"),
    ],
)
def test_entities_by_shape(text: str, label: str, name: str) -> None:
    assert name in names(graph_of(text), label)


@pytest.mark.parametrize(
    ("text", "label", "name"),
    [
        ("该公司第一条生产线正式建成。", "Company", "该公司"),
        ("重点推进包联项目和重大项目建设。", "Project", "包联项目"),
        ("园区内现代厂房林立。", "Park", "园区"),
        ("白云岩等多种矿产资源储量丰富。", "Region", "白云"),
    ],
)
def test_generic_words_are_not_entities(text: str, label: str, name: str) -> None:
    assert name not in names(graph_of(text), label)


def test_short_name_and_declared_abbreviation_resolve_to_one_entity() -> None:
    graph = graph_of(
        "科学导报讯 云岭经济技术开发区（以下简称“云岭经开区”）与华澄环保科技有限公司"
        "（以下简称“华澄环保公司”）进行座谈。双方认为，云岭经开区与华澄环保公司将深化合作。"
    )
    zones = [e for e in graph.entities if e.label == "DevelopmentZone"]
    companies = [e for e in graph.entities if e.label == "Company"]
    assert len(zones) == 1 and "云岭经开区" in zones[0].aliases
    assert len(companies) == 1 and "华澄环保公司" in companies[0].aliases
    assert ("COOPERATES_WITH", "云岭经济技术开发区", "华澄环保科技有限公司") in facts(graph) or (
        "COOPERATES_WITH",
        "华澄环保科技有限公司",
        "云岭经济技术开发区",
    ) in facts(graph)


def test_article_relations() -> None:
    text = (
        "八月中旬，记者走进东坪新材料产业园内的星岚精密材料（山西）有限公司，车间里设备高速运转。\n"
        "“比亚迪上用的电池，原材料就是我们生产的。”厂长韩立军说。\n"
        "被问到为何把工厂从广东东莞搬迁到山西沁阳县时，韩立军说：“因为这里的电价有优势。”\n"
        "据了解，星岚精密材料（山西）有限公司 2 万吨锂电铜箔项目，总投资 6.5 亿元，项目于 2021 年投产。\n"
        "今年 5 月 8 日，国投集团批复星岚精密材料（山西）有限公司 2 万吨锂电铜箔项目开工。"
    )
    graph = graph_of(text)
    found = facts(graph)
    firm = "星岚精密材料（山西）有限公司"
    project = "2 万吨锂电铜箔项目"
    expected = {
        ("LOCATED_IN", firm, "东坪新材料产业园"),
        ("SUPPLIES_TO", firm, "比亚迪"),
        ("WORKS_FOR", "韩立军", firm),
        ("RELOCATED_FROM", firm, "东莞"),
        ("OPERATES", firm, project),
        ("INVESTS_IN", firm, project),
        ("APPROVED", "国投集团", project),
    }
    assert expected <= found, expected - found
    projects = [e for e in graph.entities if e.name == project]
    assert projects[0].props["investment_cny"] == 650_000_000
    assert projects[0].props["capacity_t"] == 20_000
    invest = next(r for r in graph.relations if r.type == "INVESTS_IN")
    assert invest.props["amount"] == 650_000_000
    assert invest.evidence[0].sentence in text


def test_mentions_and_evidence_point_into_the_text() -> None:
    text = "据悉，金河经济技术开发区党工委书记邓慧明告诉记者，企业实现达标排放。"
    graph = graph_of(text)
    for entity in graph.entities:
        for m in entity.mentions:
            assert text[m.start : m.end] == m.text
    for rel in graph.relations:
        ev = rel.evidence[0]
        assert text[ev.start : ev.end] == ev.sentence and 0 < ev.confidence <= 1


def test_byline_people_have_a_role_and_no_relations() -> None:
    graph = graph_of("科学导报讯 金河经济技术开发区召开推进会。\n宋雨晴 程晓东\n")
    people = {e.name: e for e in graph.entities if e.label == "Person"}
    assert people["宋雨晴"].props["role"] == "作者" and people["程晓东"].props["role"] == "作者"
    ids = {people["宋雨晴"].id, people["程晓东"].id}
    assert not [r for r in graph.relations if r.head in ids or r.tail in ids]


def test_output_is_deterministic() -> None:
    text = "科学导报讯 近日，在长平翼航智能科技有限公司，培训正在进行。该公司入驻安平高新技术产业开发区。"
    assert graph_of(text).to_dict() == graph_of(text).to_dict()
