"""Decoding relations: a park read as located in a development zone is stated once, as PART_OF."""

from __future__ import annotations

from typing import Any

from kg.relations import _parks_part_of_zones
from kg.resolve import EntityDraft, Resolution

PAIR: Any = object()  # the pair a relation was read from; decoding only carries it along


def _resolution(*labels: str) -> Resolution:
    return Resolution(tuple(EntityDraft(label, f"e{i}") for i, label in enumerate(labels)), {})


def test_a_park_located_in_a_zone_becomes_part_of_it() -> None:
    res = _resolution("Park", "DevelopmentZone", "Company")
    best = {("LOCATED_IN", 0, 1): (0.8, PAIR, ("scorer",)), ("LOCATED_IN", 2, 0): (0.9, PAIR, ("scorer",))}
    out = _parks_part_of_zones(best, res)
    assert set(out) == {("PART_OF", 0, 1), ("LOCATED_IN", 2, 0)}
    assert out[("PART_OF", 0, 1)][0] == 0.8


def test_the_two_readings_of_one_park_keep_the_better_score_and_every_rule() -> None:
    res = _resolution("Park", "DevelopmentZone")
    best = {("PART_OF", 0, 1): (0.6, PAIR, ("part_of.group",)), ("LOCATED_IN", 0, 1): (0.7, PAIR, ("located.verb",))}
    out = _parks_part_of_zones(best, res)
    assert list(out) == [("PART_OF", 0, 1)]
    assert out[("PART_OF", 0, 1)][0] == 0.7
    assert out[("PART_OF", 0, 1)][2] == ("located.verb", "part_of.group")


def test_a_park_in_a_region_or_another_park_stays_located_in() -> None:
    res = _resolution("Park", "Region", "Park")
    best = {("LOCATED_IN", 0, 1): (0.8, PAIR, ()), ("LOCATED_IN", 2, 0): (0.8, PAIR, ())}
    assert _parks_part_of_zones(best, res) == best


def _cooperations(text: str, required: list[str]) -> set[tuple[str, str]]:
    """COOPERATES_WITH read by a scorer that says yes to every pair, with `required` types rule-bound."""
    from kg.learn.linear import LinearModel
    from kg.mentions import mentions
    from kg.model import Article
    from kg.models import default_models
    from kg.nlp.lexicon import load_lexicon
    from kg.reading import read
    from kg.relations import read_relations
    from kg.resolve import Resolver

    doc = read(Article.make("t.txt", text))
    found = mentions(doc, default_models().entity)
    resolution = Resolver(doc.text, load_lexicon()).resolve(found)
    yes = LinearModel("relation", {"COOPERATES_WITH": {}}, {"COOPERATES_WITH": 5.0}, {}, {"rule_required": required})
    names = [e.name for e in resolution.entities]
    read = read_relations(doc, found, resolution, yes)
    return {(names[r.head], names[r.tail]) for r in read if r.type == "COOPERATES_WITH"}


def test_a_rule_bound_type_is_read_only_where_a_rule_fired() -> None:
    signed = "岚峰铝业有限公司与澄江精密机械有限公司签约。"
    compared = "岚峰铝业有限公司的产品比澄江精密机械有限公司的好。"
    assert _cooperations(signed, ["COOPERATES_WITH"]) == {("岚峰铝业有限公司", "澄江精密机械有限公司")}
    assert _cooperations(compared, ["COOPERATES_WITH"]) == set()
    assert _cooperations(compared, []) != set()  # without the bound the scorer's yes stands
