"""Split write rows into lanes that touch disjoint nodes, so parallel transactions never wait on each other's locks.

Creating a relationship locks both of its end nodes. Two writers whose batches share a node would queue behind
each other or deadlock (and retry), which costs more than the parallelism brings. So rows are dealt out in
rounds: within a round, every node belongs to one lane; a row whose nodes already belong to different lanes is
deferred to a later round, where ownership starts afresh. Rounds run one after the other, lanes within a round
run at the same time. This is the "mix and batch" approach of bulk graph loaders.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import TypeVar

Row = TypeVar("Row")

NO_LANE, CONFLICT = -1, -2
MAX_ROUNDS = 8  # after this many rounds what is left (rows tied to hubs in several lanes) goes in one lane


def disjoint_rounds(
    rows: Sequence[Row], nodes_of: Callable[[Row], Sequence[Hashable]], lanes: int, serial_below: int = 0
) -> list[list[list[Row]]]:
    """Rounds of lanes of rows: within a round no node is touched by two lanes; row order is kept in a lane.

    A row whose nodes have no lane yet goes to the emptiest lane, which keeps lanes even; one that touches
    a lane's node joins that lane. Every round places at least one row, so this ends; empty lanes are dropped.
    Fewer than `serial_below` rows left go in one last lane: rows deferred by hubs dwindle round after round
    (a real corpus: 23k, 9.5k, 2.7k, 640, 110, 8 rows), and a round of a few rows per lane costs its writers'
    transactions and a wait for the slowest lane, more than one writer takes to write them all.
    """
    if lanes < 1:
        raise ValueError("lanes must be at least 1")
    rounds: list[list[list[Row]]] = []
    remaining = list(rows)
    while remaining:
        if lanes == 1 or len(rounds) == MAX_ROUNDS - 1 or len(remaining) < serial_below:
            rounds.append([remaining])
            break
        owner: dict[Hashable, int] = {}
        placed: list[list[Row]] = [[] for _ in range(lanes)]
        deferred: list[Row] = []
        for row in remaining:
            lane = NO_LANE
            for node in nodes_of(row):
                held = owner.get(node, NO_LANE)
                if held in (NO_LANE, lane):
                    continue
                if lane != NO_LANE:  # a second lane holds one of its nodes
                    lane = CONFLICT
                    break
                lane = held
            if lane == CONFLICT:
                deferred.append(row)
                continue
            if lane == NO_LANE:
                lane = min(range(lanes), key=lambda i: len(placed[i]))
            for node in nodes_of(row):
                owner[node] = lane
            placed[lane].append(row)
        rounds.append([lane_rows for lane_rows in placed if lane_rows])
        remaining = deferred
    return rounds


def even_lanes(rows: Sequence[Row], lanes: int) -> list[list[list[Row]]]:
    """One round of up to `lanes` contiguous, even slices: for rows that each write their own node (entities
    and articles have unique ids), where no two rows can contend."""
    if lanes < 1:
        raise ValueError("lanes must be at least 1")
    if not rows:
        return []
    size = -(-len(rows) // lanes)
    return [[list(rows[i : i + size]) for i in range(0, len(rows), size)]]
