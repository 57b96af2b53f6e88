"""Parallel-write partitioning (kg.store.partition) and the load plan built on it: no two lanes of a round
share a node, every row is written once, and rows keep their order within a lane."""

from __future__ import annotations

import itertools
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st
from synthetic import hub_corpus, sample_like_corpus

from kg.model import CorpusGraph
from kg.store import neo4j as store
from kg.store.partition import MAX_ROUNDS, disjoint_rounds

Edge = tuple[int, int, int]  # (row number, head, tail)


def ends(edge: Edge) -> tuple[int, int]:
    return edge[1], edge[2]


def check_rounds(edges: list[Edge], lanes: int) -> list[list[list[Edge]]]:
    rounds = disjoint_rounds(edges, ends, lanes)
    placed = [e for lanes_ in rounds for lane in lanes_ for e in lane]
    assert Counter(placed) == Counter(edges), "every row is placed exactly once"
    for lanes_ in rounds:
        assert 1 <= len(lanes_) <= lanes
        owners = [{n for e in lane for n in ends(e)} for lane in lanes_]
        for a, b in itertools.combinations(owners, 2):
            assert not a & b, "two lanes of one round share a node"
        for lane in lanes_:
            assert lane == sorted(lane), "a lane keeps the rows' order"
    assert len(rounds) <= MAX_ROUNDS
    return rounds


@given(
    st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30)), max_size=200),
    st.integers(1, 5),
)
def test_lanes_of_a_round_touch_disjoint_nodes(pairs: list[tuple[int, int]], lanes: int) -> None:
    check_rounds([(i, h, t) for i, (h, t) in enumerate(pairs)], lanes)


def test_independent_rows_are_spread_evenly() -> None:
    edges = [(i, 2 * i, 2 * i + 1) for i in range(1000)]
    rounds = check_rounds(edges, 4)
    assert len(rounds) == 1
    assert [len(lane) for lane in rounds[0]] == [250, 250, 250, 250]


def test_rows_on_one_hub_share_a_lane() -> None:
    edges = [(i, 0, i + 1) for i in range(100)]
    assert check_rounds(edges, 3) == [[edges]]


def test_one_lane_is_the_rows_as_given() -> None:
    edges = [(i, i % 7, i % 5) for i in range(50)]
    assert disjoint_rounds(edges, ends, 1) == [[edges]]


def test_rows_linking_lanes_wait_for_a_later_round() -> None:
    # 0-1 and 2-3 go to different lanes; 1-2 touches both, so it is written after them.
    edges = [(0, 0, 1), (1, 2, 3), (2, 1, 2)]
    assert check_rounds(edges, 2) == [[[(0, 0, 1)], [(1, 2, 3)]], [[(2, 1, 2)]]]


def test_a_long_chain_ends_in_one_serial_round() -> None:
    # Each round places only part of a path laid out adversarially; the last round takes what is left.
    edges = [(i, i, i + 1) for i in range(0, 400, 2)] + [(i, i, i + 1) for i in range(1, 400, 2)]
    check_rounds(sorted(edges), 4)


def test_lanes_must_be_positive() -> None:
    with pytest.raises(ValueError):
        disjoint_rounds([], ends, 0)


@pytest.mark.parametrize("graph", [sample_like_corpus(), hub_corpus(20, 4)], ids=["sample_like", "hubs"])
@pytest.mark.parametrize("writers", [1, 2, 5])
def test_plan_writes_every_row_once_in_batches(graph: CorpusGraph, writers: int) -> None:
    rows = store.graph_rows(graph)
    plan = store.write_plan(rows, batch_size=7, writers=writers)
    written = Counter(
        (batch.query, tuple(sorted(row.items(), key=str)).__repr__())
        for lanes in plan.rounds
        for lane in lanes
        for batch in lane
        for row in batch.rows
    )
    assert sum(written.values()) == len(rows.articles) + sum(map(len, rows.entities.values())) + len(
        rows.mentions
    ) + sum(map(len, rows.relations.values()))
    assert max(written.values()) == 1
    assert all(len(batch.rows) <= 7 for lanes in plan.rounds for lane in lanes for batch in lane)
    assert all(len(lanes) <= writers for lanes in plan.rounds)


def test_a_small_remainder_goes_in_one_serial_lane() -> None:
    # A hub row linking two lanes is deferred; below `serial_below` rows a round is not worth its writers.
    edges = [(0, 0, 1), (1, 2, 3), (2, 1, 2)]
    assert disjoint_rounds(edges, ends, 2, serial_below=4) == [[edges]]
    assert disjoint_rounds(edges, ends, 2, serial_below=2) == [[[(0, 0, 1)], [(1, 2, 3)]], [[(2, 1, 2)]]]
