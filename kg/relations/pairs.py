"""Candidate relations: pairs of mentions the schema allows, in one sentence or through an item's topic.

In a sentence, every two mentions of different entities within `MAX_GAP` mentions of each other make a
pair for each relation type whose endpoints the schema allows, in either direction; at most `MAX_PAIRS`
pairs per sentence, nearest first, so an unpunctuated run of names costs linear time. Above the sentence,
each firm and project of an item is paired with the places the item is about (LOCATED_IN), and each park
with the item's zone (PART_OF).
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from kg.relations.references import Slot
from kg.schema import RELATION_TYPES

MAX_GAP = 8
MAX_PAIRS = 400


@dataclass(frozen=True)
class Pair:
    """A candidate relation: `head` → `tail` of `type`, read in `sentence` (or through the item topic)."""

    type: str
    head: Slot
    tail: Slot
    sentence: tuple[int, int]
    topic: bool = False
    rank: int = 0  # for a topic pair: the place's rank among the item's topics

    @property
    def first(self) -> Slot:
        return self.head if self.head.start <= self.tail.start else self.tail

    @property
    def second(self) -> Slot:
        return self.tail if self.head.start <= self.tail.start else self.head


_TYPES_BY_LABELS: dict[tuple[str, str], tuple[str, ...]] = {}


def types_for(head_label: str, tail_label: str) -> tuple[str, ...]:
    key = (head_label, tail_label)
    if key not in _TYPES_BY_LABELS:
        _TYPES_BY_LABELS[key] = tuple(
            t.name for t in RELATION_TYPES.values() if head_label in t.heads and tail_label in t.tails
        )
    return _TYPES_BY_LABELS[key]


def sentence_of(sentences: Sequence[tuple[int, int]], starts: Sequence[int], pos: int) -> tuple[int, int]:
    i = bisect.bisect_right(starts, pos) - 1
    if i >= 0 and sentences[i][0] <= pos < sentences[i][1]:
        return sentences[i]
    return (pos, pos)


def by_sentence(slots: Sequence[Slot], sentences: Sequence[tuple[int, int]]) -> dict[tuple[int, int], list[Slot]]:
    """The slots of each sentence, in order."""
    starts = [s for s, _ in sentences]
    grouped: dict[tuple[int, int], list[Slot]] = {}
    for x in slots:
        grouped.setdefault(sentence_of(sentences, starts, x.start), []).append(x)
    return grouped


def first_mentions(slots: Sequence[Slot]) -> dict[int, Slot]:
    first: dict[int, Slot] = {}
    for x in slots:
        first.setdefault(x.entity, x)
    return first


def sentence_pairs(slots: Sequence[Slot], sentences: Sequence[tuple[int, int]]) -> list[Pair]:
    out: list[Pair] = []
    for sent, ms in by_sentence(slots, sentences).items():
        if sent[0] == sent[1]:
            continue
        ms = sorted(ms, key=lambda x: (x.start, x.end))
        found: list[tuple[int, Pair]] = []
        for i, a in enumerate(ms):
            for j in range(i + 1, min(len(ms), i + 1 + MAX_GAP)):
                b = ms[j]
                if a.entity == b.entity:
                    continue
                for t in types_for(a.label, b.label):
                    found.append((j - i, Pair(t, a, b, sent)))
                for t in types_for(b.label, a.label):
                    found.append((j - i, Pair(t, b, a, sent)))
        found.sort(key=lambda x: x[0])
        out.extend(p for _, p in found[:MAX_PAIRS])
    return out


def topic_pairs(
    slots: Sequence[Slot],
    topic: dict[int, list[int]],
    labels: dict[int, str],
    sentences: Sequence[tuple[int, int]],
) -> list[Pair]:
    """Each firm and project of an item with each place the item is about (the first mention of each)."""
    first_mention = first_mentions(slots)
    starts = [s for s, _ in sentences]
    out: list[Pair] = []
    seen: set[tuple[int, int, int]] = set()
    for x in slots:
        places = topic.get(x.item, [])
        for rank, place in enumerate(places):
            if place == x.entity or place not in first_mention:
                continue
            rtype = "LOCATED_IN" if x.label in ("Company", "Project") else "PART_OF" if x.label == "Park" else ""
            if not rtype or (rtype == "PART_OF" and labels.get(place) != "DevelopmentZone"):
                continue
            if x.label == "Park" and labels.get(place) == "Park":
                continue
            key = (x.entity, place, x.item)
            if key in seen:
                continue
            seen.add(key)
            if labels.get(place) == "Region" and x.label == "Park":
                continue
            out.append(Pair(rtype, x, first_mention[place], sentence_of(sentences, starts, x.start), True, rank))
    return out


# Types read between an item's firm and a mention of a sentence that names no firm (the subject is left
# out or is a pronoun: “原材料就是我们生产的”), head and tail as the schema has them.
FIRM_TYPES: dict[str, tuple[str, ...]] = {
    "Person": ("WORKS_FOR",),
    "Product": ("PRODUCES",),
    "Region": ("RELOCATED_FROM",),
    "Project": ("OPERATES",),
    "Company": ("SUPPLIES_TO", "COOPERATES_WITH"),
    "Organization": ("COOPERATES_WITH",),
}


# Whose people a sentence naming no firm speaks of: its paragraph's firm (厂长某某说 after a paragraph on one
# firm); products (often a project's), partners and places stay with the item's firm.
_PARAGRAPH_FIRM_LABELS = ("Person",)


def firm_pairs(
    slots: Sequence[Slot],
    firms: dict[int, int],
    sentences: Sequence[tuple[int, int]],
    firm_of_paragraph: Callable[[int], Slot | None] = lambda start: None,
) -> list[Pair]:
    """Each person, product, place, project and partner with the firm a sentence that names none is about
    (the subject is left out, or stands in another sentence: 厂长某某说; 与某大学联合): for people the firm
    its paragraph named before it (`firm_of_paragraph`), else the item's firm."""
    first_mention = first_mentions(slots)
    out: list[Pair] = []
    for sent, ms in by_sentence(slots, sentences).items():
        named_here = {x.entity for x in ms}
        own = firm_of_paragraph(sent[0])
        for x in ms:
            local = own if own is not None and x.label in _PARAGRAPH_FIRM_LABELS else None
            firm = local.entity if local is not None else firms.get(x.item)
            if firm is None or firm not in first_mention or x.is_ref or firm in named_here:
                continue
            f = local if local is not None else first_mention[firm]
            for rtype in FIRM_TYPES.get(x.label, ()):
                head, tail = (x, f) if rtype == "WORKS_FOR" else (f, x)
                out.append(Pair(rtype, head, tail, sent, True, -1))
    return out
