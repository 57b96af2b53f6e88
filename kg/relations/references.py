"""What a reference stands for, inside its item: 该公司 the firm the narrative is on (the latest named
before, outside quotes; inside a quote, the firm of whoever speaks), 该项目 the latest project, 园区 / 该区
/ 全区 the park or zone the item is about, 该县 / 全市 the latest county or city.

Also the item's topic: the zone, park or place an item is about (named in its headline or first sentence,
else the one it names most), which the topic-containment relations need.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from kg.mentions import Mention
from kg.resolve import Resolution

PLACE_LABELS = ("DevelopmentZone", "Park")
REACH = 200  # mentions looked at before and after a reference: its antecedent is near


@dataclass(frozen=True)
class Slot:
    """A mention of an entity, a reference resolved to one included."""

    start: int
    end: int
    label: str
    entity: int
    item: int
    is_ref: bool = False
    rule: str = ""
    score: float = 1.0  # how sure the entity scorer was of the mention


def _inside_quote(text: str, pos: int) -> bool:
    return text.rfind("“", 0, pos) > text.rfind("”", 0, pos)


def named_slots(found: Sequence[Mention], resolution: Resolution) -> list[Slot]:
    out = []
    for i, m in enumerate(found):
        if m.is_ref or i not in resolution.owner:
            continue
        out.append(Slot(m.start, m.end, m.label, resolution.owner[i], m.item, False, m.rule, m.score))
    return sorted(out, key=lambda s: (s.start, s.end))


TOPIC_LABELS = ("DevelopmentZone", "Park", "Region")


def topics(text: str, slots: Sequence[Slot], items: Sequence[tuple[int, int]]) -> dict[int, list[int]]:
    """Item → the places it is about, most likely first: zones, parks and regions named in its first 120
    characters (headline, dateline, first sentence), then the zone or park it names most often."""
    out: dict[int, list[int]] = {}
    by_item: dict[int, list[Slot]] = {}
    for x in slots:
        if x.label in TOPIC_LABELS:
            by_item.setdefault(x.item, []).append(x)
    for k, (s, e) in enumerate(items):
        inside = by_item.get(k, [])
        if not inside:
            continue
        head_end = min(e, s + 120)
        counts = Counter(x.entity for x in inside)
        early = [x.entity for x in inside if x.start < head_end]
        rank = {TOPIC_LABELS[0]: 0, TOPIC_LABELS[1]: 1, TOPIC_LABELS[2]: 2}
        label = {x.entity: x.label for x in inside}
        chosen = sorted(dict.fromkeys(early), key=lambda ent: (rank[label[ent]], -counts[ent]))
        zones = [x for x in inside if x.label in PLACE_LABELS]
        if zones:
            best = max(counts[x.entity] for x in zones)
            top = next(x.entity for x in zones if counts[x.entity] == best)
            if top not in chosen:
                chosen.append(top)
        out[k] = chosen[:4]
    return out


def topic_companies(text: str, named: Sequence[Slot], items: Sequence[tuple[int, int]]) -> dict[int, int]:
    """Item → the firm it is on: the firm it names most outside quotes, ties going to the first named; a
    famous brand from the gazetteer (usually a customer or partner) only when no other firm is named."""
    out: dict[int, int] = {}
    by_item: dict[int, list[Slot]] = {}
    for x in named:
        if x.label == "Company" and not _inside_quote(text, x.start):
            by_item.setdefault(x.item, []).append(x)
    for k in range(len(items)):
        firms = by_item.get(k, [])
        if not firms:
            continue
        local = [x for x in firms if x.rule != "company.gazetteer"] or firms
        counts = Counter(x.entity for x in local)
        best = max(counts.values())
        out[k] = next(x.entity for x in local if counts[x.entity] == best)
    return out


def quote_speaker(text: str, pos: int, named: Sequence[Slot]) -> Slot | None:
    """Who says the quote around `pos`: a person right after its closing quote (“…”厂长某某说) or right
    before its opening (某某说：“…”), in the same paragraph."""
    open_q = text.rfind("“", 0, pos)
    if open_q == -1 or text.rfind("”", 0, pos) > open_q:
        return None
    close_q = text.find("”", pos)
    para_end = text.find("\n", pos)
    para_end = len(text) if para_end == -1 else para_end
    if close_q != -1 and close_q < para_end:
        after = [x for x in named if x.label == "Person" and close_q < x.start <= close_q + 16]
        if after:
            return after[0]
    para_start = text.rfind("\n", 0, open_q) + 1
    before = [x for x in named if x.label == "Person" and para_start <= x.start < open_q and open_q - x.end <= 16]
    return before[-1] if before else None


_SENTENCE_STOPS = "。！？；\n"


def _sentence_start(text: str, pos: int) -> int:
    return max(text.rfind(ch, 0, pos) for ch in _SENTENCE_STOPS) + 1


def _paragraph_start(text: str, pos: int) -> int:
    return text.rfind("\n", 0, pos) + 1


def _subject_of_last_sentence(text: str, named: Sequence[Slot]) -> Slot:
    """该公司 after 甲公司也是乙集团的供应商。, 该项目 after 甲项目与乙项目配套。: what the last sentence naming
    one is about, its first firm or project (its subject), not the last one it names (乙集团, a client); a
    brand from the gazetteer only when that sentence names nothing else."""
    start = _sentence_start(text, named[-1].start)
    in_sentence = [x for x in named if x.start >= start]
    local = [x for x in in_sentence if x.rule != "company.gazetteer"] or in_sentence
    return local[0]


def paragraph_firm(text: str, named: Sequence[Slot]) -> Callable[[int], Slot | None]:
    """For a position, the firm its paragraph named before it is about (see `_subject_of_last_sentence`),
    outside quotes; None when the paragraph names no firm before it."""
    firms = [x for x in named if x.label == "Company" and not _inside_quote(text, x.start)]
    starts = [x.start for x in firms]

    def at(pos: int) -> Slot | None:
        lo, cut = bisect.bisect_left(starts, _paragraph_start(text, pos)), bisect.bisect_left(starts, pos)
        before = [x for x in firms[lo:cut] if x.end <= pos]
        return _subject_of_last_sentence(text, before) if before else None

    return at


def resolve_references(
    text: str,
    found: Sequence[Mention],
    named: Sequence[Slot],
    topic: dict[int, list[int]],
    labels: dict[int, str],
    firms: dict[int, int] | None = None,
    employers: dict[int, int] | None = None,
) -> list[Slot]:
    """Slots for the references of `found`, each tied to the entity it stands for (none when unclear).
    `firms` are the items' topic firms, `employers` the firm of each person (WORKS_FOR read first)."""
    firms = firms or {}
    employers = employers or {}
    by_item: dict[int, list[Slot]] = {}
    for x in named:
        by_item.setdefault(x.item, []).append(x)
    starts = {k: [x.start for x in v] for k, v in by_item.items()}
    out = []
    for m in found:
        if not m.is_ref:
            continue
        local = by_item.get(m.item, [])
        cut = bisect.bisect_left(starts.get(m.item, []), m.start)
        # What the item names before and after the reference (slots are sorted by start).
        before = [x for x in local[max(0, cut - REACH) : cut] if x.end <= m.start]
        after = local[cut : cut + REACH]
        target: int | None = None
        if m.rule == "ref.we":
            speaker = quote_speaker(text, m.start, local)
            if speaker is not None:
                target = employers.get(speaker.entity)
            if target is None and speaker is None:
                # 甲公司总经理某某说，我们…: the firm the sentence named before 我们, else the item's firm
                start = _sentence_start(text, m.start)
                own = [x for x in before if x.label == "Company" and x.start >= start]
                target = _subject_of_last_sentence(text, own).entity if own else firms.get(m.item)
        elif m.label == "Company":
            near = [x for x in before if x.label == "Company" and not _inside_quote(text, x.start)]
            if not near:
                near = [x for x in before if x.label == "Company"]
            if m.rule == "ref.company" and not m.end - m.start > 2:
                # 公司 alone: the firm its paragraph is about, else the firm the item is on
                para = _paragraph_start(text, m.start)
                in_para = [x for x in near if x.start >= para]
                target = _subject_of_last_sentence(text, in_para).entity if in_para else firms.get(m.item)
            elif near:
                target = _subject_of_last_sentence(text, near).entity
            else:
                nxt = [x for x in after if x.label == "Company"]
                target = nxt[0].entity if nxt else firms.get(m.item)
        elif m.label == "Project":
            projects = [x for x in before if x.label == "Project"]
            target = _subject_of_last_sentence(text, projects).entity if projects else None
        elif m.label in PLACE_LABELS:
            wanted = [t for t in topic.get(m.item, []) if labels.get(t) == m.label]
            places = [x for x in before if x.label == m.label]
            if wanted:
                target = wanted[0]
            elif places:
                target = places[-1].entity
            elif m.label == "Park":
                zones = [t for t in topic.get(m.item, []) if labels.get(t) == "DevelopmentZone"]
                target = zones[0] if zones else None
        elif m.label == "Region":
            regions = [x for x in before if x.label == "Region"]
            target = regions[-1].entity if regions else None
        elif m.label == "Organization":
            schools = [x for x in before if x.label == "Organization" and text[x.end - 1] in "校院学"]
            target = schools[-1].entity if schools else None
        if target is not None:
            out.append(Slot(m.start, m.end, m.label, target, m.item, True, m.rule))
    return out
