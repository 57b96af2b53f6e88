"""Relations by patterns over sentences whose mentions are already resolved to entities.

Each rule reads one sentence (and, for quotes, the item around it) and proposes typed edges with a
confidence; `Sentence.propose` checks every edge against `kg.schema`, so a rule can never produce an edge the
schema forbids. Rules are grouped by what they read: places, trade (supply, cooperation, approval,
investment), people (posts) and makers (products, operators).
"""

from __future__ import annotations

import bisect

from kg.relations import makers, people, places, trade
from kg.relations.sentence import Placed, Proposal, Sentence
from kg.relations.speakers import reference_target, speaker_company
from kg.resolve import Draft

__all__ = ["Placed", "Proposal", "Sentence", "read_relations", "reference_target", "sentence_mentions"]


def sentence_mentions(placed: list[Placed], s: int, e: int) -> list[Placed]:
    """Mentions starting in [s, e); `placed` is sorted by start."""
    lo = bisect.bisect_left(placed, s, key=lambda m: m.start)
    hi = bisect.bisect_left(placed, e, key=lambda m: m.start)
    return placed[lo:hi]


def read_relations(
    placed: list[Placed], sentences: list[tuple[int, int]], items: list[tuple[int, int]], text: str
) -> list[Proposal]:
    """Two passes: posts first (who works for which firm), then everything else, so that 我们 in a quote
    or an interview answer can be the firm of the person speaking."""
    frames = []
    employers: dict[int, Draft] = {}
    proposals: list[Proposal] = []
    for s, e in sentences:
        item = next((it for it in items if it[0] <= s < it[1]), (0, len(text)))
        sent = Sentence(s, e, text[s:e], sentence_mentions(placed, s, e), None)
        posts = people.works_for(sent, placed, item, text)
        proposals.extend(posts)
        for p in sorted(posts, key=lambda p: -p.confidence):
            if p.tail.label == "Company":
                employers.setdefault(id(p.head), p.tail)
        frames.append((sent, item))
    for sent, item in frames:
        sent.speaker_company = speaker_company(placed, sent.start, sent.end, item, text, employers)
        proposals.extend(places.read(sent))
        proposals.extend(trade.read(sent))
        proposals.extend(makers.produces(sent, text))
        proposals.extend(makers.operates(sent))
    return proposals
