"""The sentence a relation rule reads: its text, its resolved mentions, whom 我们 means, and the geometry
rules share (adjacent names, chains of places). Plain types only; no spaCy."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from kg.resolve import Draft
from kg.schema import RELATION_TYPES


@dataclass(frozen=True)
class Placed:
    """A resolved mention: where it is and which entity it names."""

    start: int
    end: int
    draft: Draft
    is_ref: bool = False

    @property
    def label(self) -> str:
        return self.draft.label


@dataclass(frozen=True)
class Proposal:
    """A relation a rule read, with the sentence it came from and how sure the rule is."""

    type: str
    head: Draft
    tail: Draft
    sentence: tuple[int, int]
    confidence: float
    props: tuple[tuple[str, object], ...] = ()


@dataclass
class Sentence:
    start: int
    end: int
    text: str
    mentions: list[Placed]
    speaker_company: Draft | None  # whom 我们 means in this sentence

    def of(self, *labels: str) -> list[Placed]:
        return [m for m in self.mentions if m.label in labels]

    def between(self, a: Placed, b: Placed) -> str:
        return self.text[a.end - self.start : b.start - self.start]

    def after(self, m: Placed, n: int = 12) -> str:
        return self.text[m.end - self.start : m.end - self.start + n]

    def before(self, m: Placed, n: int = 12) -> str:
        return self.text[max(0, m.start - self.start - n) : m.start - self.start]

    def companies(self) -> list[Placed]:
        return [m for m in self.mentions if m.label == "Company"]

    def propose(self, rtype: str, head: Draft, tail: Draft, confidence: float, **props: object) -> Iterator[Proposal]:
        """A relation read from this sentence, if the schema allows its endpoints (a rule cannot break it)."""
        if head is not tail and RELATION_TYPES[rtype].allows(head.label, tail.label):
            yield Proposal(rtype, head, tail, (self.start, self.end), confidence, tuple(sorted(props.items())))


PLACES = ("DevelopmentZone", "Park", "Region")
_BESIDE = re.compile(r"(?:东|西|南|北|东南|东北|西南|西北)(?:侧|边|面|部|郊)?的|旁(?:边)?的|附近的|对面的")


def place_chain(sent: Sentence, pos: int, reach: int = 4) -> list[Placed]:
    """Places written one after another from `pos` (盐城滨淮经济开发区的绿港新能源产业园, 绵阳市涪城区)."""
    chain: list[Placed] = []
    for m in sent.mentions:
        if m.start < pos:
            continue
        if not chain:
            if m.label not in PLACES or m.start - pos > reach:
                if m.start - pos > reach:
                    break
                continue
            chain.append(m)
            continue
        gap = sent.text[chain[-1].end - sent.start : m.start - sent.start]
        if m.label in PLACES and gap.strip() in ("", "的"):
            chain.append(m)
        elif m.label in PLACES and _BESIDE.fullmatch(gap):
            chain = [m]  # 综保区东侧的绵州电子信息产业园: beside the first place, not in it
        else:
            break
    return chain


def de_split(sent: Sentence, chain: list[Placed]) -> tuple[list[Placed], Placed] | None:
    """Split 四川绵阳的绵州综合保税区 into the places (四川, 绵阳) and the thing located (the zone)."""
    for i in range(len(chain) - 1, 0, -1):
        if sent.between(chain[i - 1], chain[i]) == "的":
            return chain[:i], chain[i]
    return None


def chain_links(sent: Sentence, chain: list[Placed]) -> Iterator[Proposal]:
    """Each place of a chain lies in the one before it (the park in its zone, the district in its city)."""
    for outer, inner in itertools.pairwise(chain):
        yield from sent.propose("LOCATED_IN", inner.draft, outer.draft, 0.7)


def adjacent(sent: Sentence, a: Placed, b: Placed) -> bool:
    """Nothing but spaces between two mentions (山西一禾…有限公司 10 万吨…项目)."""
    return 0 <= b.start - a.end <= 2 and not sent.text[a.end - sent.start : b.start - sent.start].strip()


def zone_of_body(m: Placed, ms: list[Placed]) -> Draft:
    """A zone's 党工委 or 管委会 acting for the zone (巩志岗 of 上党经开区党工委 meets a firm): the zone."""
    if m.label == "Organization":
        for z in ms:
            if z.label == "DevelopmentZone" and z.start == m.start and z.end < m.end:
                return z.draft
    return m.draft
