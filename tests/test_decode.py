"""Decoding scored candidates into one consistent set of mentions: best first, a whole name replacing a
place inside it, but never two names of one label merged into a longer one."""

from __future__ import annotations

from kg.learn.linear import LinearModel
from kg.mentions import Scored, decode

MODEL = LinearModel(kind="entity", weights={}, bias={}, thresholds={"Company": 0.3, "Region": 0.3, "Project": 0.3})


def scored(start: int, end: int, label: str, score: float) -> Scored:
    return Scored(start, end, label, "test", score, 0, (), True)


def spans(found: list[Scored]) -> set[tuple[int, int, str]]:
    return {(x.start, x.end, x.label) for x in found}


def test_a_whole_name_replaces_a_place_inside_it() -> None:
    region, project = scored(0, 2, "Region", 0.9), scored(0, 9, "Project", 0.6)
    assert spans(decode([region, project], MODEL)) == {(0, 9, "Project")}


def test_two_firms_are_not_replaced_by_one_longer_firm() -> None:
    first, second, joined = scored(1, 3, "Company", 0.9), scored(6, 14, "Company", 0.5), scored(1, 14, "Company", 0.35)
    assert spans(decode([first, second, joined], MODEL)) == {(1, 3, "Company"), (6, 14, "Company")}


def test_a_crossing_candidate_is_dropped_and_a_low_one_ignored() -> None:
    kept, crossing, low = scored(0, 4, "Company", 0.8), scored(2, 8, "Project", 0.7), scored(10, 12, "Region", 0.1)
    assert spans(decode([kept, crossing, low], MODEL)) == {(0, 4, "Company")}
