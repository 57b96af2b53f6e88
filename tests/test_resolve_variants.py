"""Variants of one name are one entity: 宜宾 is 宜宾市 (the city, not a former county of that name), a zone
written with its city short is the zone, a park with or without 区 is one park, one capacity and one ending
name one project; different things stay apart."""

from __future__ import annotations

import pytest

from kg.mentions import Mention
from kg.nlp.lexicon import load_lexicon
from kg.resolve import Resolver, region_key


@pytest.mark.parametrize(
    "short, full",
    [("宜宾", "宜宾市"), ("山西", "山西省"), ("吉林", "吉林省"), ("邯郸", "邯郸市")],
)
def test_a_short_form_is_the_higher_division_of_that_name(short: str, full: str) -> None:
    lex = load_lexicon()
    assert region_key(short, lex) == region_key(full, lex)


@pytest.mark.parametrize("a, b", [("吉林市", "吉林省"), ("宜宾市", "宜宾县"), ("朝阳区", "朝阳市")])
def test_divisions_of_different_levels_stay_apart(a: str, b: str) -> None:
    lex = load_lexicon()
    assert region_key(a, lex) != region_key(b, lex)


def _resolved(label: str, text: str, names: list[str]) -> list[list[str]]:
    """The entities the resolver makes of mentions of `label` at the first place each name is written."""
    found = [Mention(text.index(n), text.index(n) + len(n), label, "t", 1.0, 0) for n in names]
    return [sorted(d.names) for d in Resolver(text, load_lexicon()).resolve(sorted(found)).entities]


def test_a_zone_named_with_its_city_written_short_is_the_same_zone() -> None:
    text = "宜宾市经济技术开发区举行签约仪式。宜宾经开区将加快建设。"
    names = ["宜宾市经济技术开发区", "宜宾经开区"]
    assert _resolved("DevelopmentZone", text, names) == [names]


def test_zones_of_two_places_stay_two_zones() -> None:
    text = "宜宾市经济技术开发区与泸州经开区签约。"
    assert len(_resolved("DevelopmentZone", text, ["宜宾市经济技术开发区", "泸州经开区"])) == 2


def test_a_park_written_with_and_without_its_last_character_is_one_park() -> None:
    text = "岚峰新材料产业园区开工。岚峰新材料产业园内企业投产。"
    names = ["岚峰新材料产业园区", "岚峰新材料产业园"]
    assert _resolved("Park", text, names) == [sorted(names)]


def test_two_parks_of_one_zone_stay_two_parks() -> None:
    text = "岚峰新材料产业园区和岚峰食品产业园区签约。"
    assert len(_resolved("Park", text, ["岚峰新材料产业园区", "岚峰食品产业园区"])) == 2


def test_one_capacity_and_one_ending_name_one_project() -> None:
    text = "岚峰年产20万套高端汽车座椅及零部件项目开工。年产20万套高端座椅及零部件项目总投资5亿元。"
    long, short = "年产20万套高端汽车座椅及零部件项目", "年产20万套高端座椅及零部件项目"
    assert _resolved("Project", text, [long, short]) == [sorted([long, short])]


def test_projects_of_other_capacities_or_endings_stay_apart() -> None:
    text = "年产20万套汽车座椅项目和年产30万套汽车座椅项目，年产20万套电机控制器项目。"
    names = ["年产20万套汽车座椅项目", "年产30万套汽车座椅项目", "年产20万套电机控制器项目"]
    assert len(_resolved("Project", text, names)) == 3


def test_one_capacity_with_words_left_out_is_one_project_but_another_product_is_not() -> None:
    text = "6万吨锂电池正极材料前驱体项目开工，年产6万吨锂电正极材料前驱体项目；年产6万吨负极材料前驱体项目。"
    a, b, c = "6万吨锂电池正极材料前驱体项目", "年产6万吨锂电正极材料前驱体项目", "年产6万吨负极材料前驱体项目"
    assert sorted(map(len, _resolved("Project", text, [a, b, c]))) == [1, 2]


def test_a_project_named_by_a_few_words_of_one_other_projects_name_is_that_project() -> None:
    text = "投资5亿元的速冻水饺项目落户青禾\n岚峰食品有限公司年产3万吨速冻水饺生产加工项目开工。"
    names = ["速冻水饺项目", "年产3万吨速冻水饺生产加工项目"]
    assert _resolved("Project", text, names) == [sorted(names)]


def test_a_short_project_name_two_projects_hold_names_neither() -> None:
    text = "光伏项目签约。年产1GW光伏组件项目和光伏储能电站项目开工。"
    names = ["光伏项目", "年产1GW光伏组件项目", "光伏储能电站项目"]
    assert len(_resolved("Project", text, names)) == 3


def test_a_project_named_by_its_place_alone_is_no_short_form() -> None:
    text = "永嘉项目进展顺利。永嘉电机配件产业园项目开工。"
    assert len(_resolved("Project", text, ["永嘉项目", "永嘉电机配件产业园项目"])) == 2


def test_a_short_project_name_may_open_with_its_place() -> None:
    text = "永嘉县净菜加工中心项目开工。年产8万吨蔬菜净菜加工中心项目总投资5亿元。"
    names = ["永嘉县净菜加工中心项目", "年产8万吨蔬菜净菜加工中心项目"]
    assert _resolved("Project", text, names) == [sorted(names)]
