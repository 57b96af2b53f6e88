"""Features of a candidate relation, for the relation scorer (one binary scorer per relation type).

They describe the two endpoints (labels, which is written first, references), the words between them
(the gap itself when short, every cue word of the relation rule tables found in it, punctuation), what
stands just before the first and after the second, the other mentions between them, whether either is the
nearest of its label to the other, the rule ids that fired on the pair, and for pairs read through an
item's topic, where in the item the firm or project stands and whether its own sentence names a place.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from functools import lru_cache

import ahocorasick

from kg.nlp.rules import RuleBook
from kg.relations.pairs import Pair
from kg.relations.references import Slot
from kg.relations.rules import relation_rules


@lru_cache(maxsize=4)
def cue_words(book: RuleBook) -> tuple[str, ...]:
    words: set[str] = set()
    for rule in relation_rules(book):
        words.update(rule.words)
        words.update(rule.options.get("after_words", ()))
    return tuple(sorted(words, key=lambda w: (-len(w), w)))


@lru_cache(maxsize=4)
def cue_automaton(book: RuleBook) -> ahocorasick.Automaton:
    auto = ahocorasick.Automaton()
    for w in cue_words(book):
        auto.add_word(w, w)
    auto.make_automaton()
    return auto


def _sure(score: float) -> str:
    """How sure the entity scorer was of a mention, in steps (a relation between doubtful mentions is doubtful)."""
    for cut in (0.9, 0.7, 0.5, 0.3):
        if score >= cut:
            return str(cut)
    return "low"


def _bucket(n: int) -> int:
    for c in (0, 1, 2, 3, 5, 8, 12, 20, 30, 50, 80):
        if n <= c:
            return c
    return 999


class RelationFeaturizer:
    """Features of the pairs of one article; mention lookups indexed once."""

    def __init__(self, text: str, slots: Sequence[Slot], book: RuleBook, topic_entities: set[int]) -> None:
        self.text = text
        self.slots = sorted(slots, key=lambda s: (s.start, s.end))
        self.starts = [s.start for s in self.slots]
        self.topic_entities = topic_entities
        # Every cue word of the article, found once (Aho-Corasick); a segment's cues are a range of these.
        found = sorted((end - len(w) + 1, end + 1, w) for end, w in cue_automaton(book).iter(text))
        self.cue_at = found
        self.cue_starts = [c[0] for c in found]

    def _between(self, a: int, b: int) -> list[Slot]:
        lo = bisect.bisect_left(self.starts, a)
        hi = bisect.bisect_left(self.starts, b)
        return [s for s in self.slots[lo:hi] if s.end <= b]

    def _cues_in(self, a: int, b: int, tag: str) -> list[str]:
        """The cue words written inside [a, b), each once."""
        lo = bisect.bisect_left(self.cue_starts, a)
        hi = bisect.bisect_left(self.cue_starts, b)
        words = sorted({w for s, e, w in self.cue_at[lo:hi] if e <= b})
        return [f"{tag}|{w}" for w in words]

    def features(self, pair: Pair, fired: Sequence[str], title: str = "") -> list[str]:
        text = self.text
        head, tail = pair.head, pair.tail
        f = [
            f"lab|{head.label}|{tail.label}",
            f"topic|{int(pair.topic)}",
            f"hr|{head.rule}",
            f"tr|{tail.rule}",
            f"hs|{_sure(head.score)}",
            f"ts|{_sure(tail.score)}",
        ]
        # 南宁双汇肉制品项目 → 南宁市: a place named inside the head's own name is implied, not stated.
        place = text[tail.start : tail.end].rstrip("省市县区")
        if len(place) >= 2 and place in text[head.start : head.end]:
            f.append("tail_in_head_name")
        f.extend(f"rule|{r}" for r in fired)
        f.extend(f"rulel|{r}|{head.label}|{tail.label}" for r in fired)
        if not fired:
            f.append("norule")
        if head.is_ref:
            f.append(f"href|{head.rule}")
        if tail.is_ref:
            f.append(f"tref|{tail.rule}")
        if pair.topic:
            f.append(f"trank|{min(pair.rank, 3)}|{tail.label}")
            f.append(f"tlab|{head.label}|{tail.label}")
            s0, s1 = pair.sentence
            in_sentence = self._between(s0, s1)
            others = [x for x in in_sentence if x.entity != tail.entity]
            for lab in sorted({x.label for x in others}):
                f.append(f"tsent_has|{lab}")
            places = sum(1 for x in others if x.label in ("DevelopmentZone", "Park", "Region"))
            f.append(f"topicsent_places|{places}")
            f.extend(self._cues_in(s0, s1, "tsc"))
            f.append(f"tail_in_sent|{int(len(others) < len(in_sentence))}")
            return f
        head_first = head.start <= tail.start
        first, second = (head, tail) if head_first else (tail, head)
        f.append(f"dir|{int(head_first)}")
        f.append(f"dirlab|{head.label}|{tail.label}|{int(head_first)}")
        nested = second.start < first.end
        if nested:
            f.append("nested")
            return f
        gap = text[first.end : second.start]
        g = gap.strip()
        ga, gb = first.end, second.start
        f.append(f"dist|{_bucket(len(g))}")
        d = int(head_first)
        if len(g) <= 4:
            f.append(f"gap|{g}")
            f.append(f"gapd|{g}|{d}|{head.label}|{tail.label}")
        for ch in "，、的与和及；：“”（）":
            if ch in g:
                f.append(f"gp|{ch}")
        inside = self._cues_in(ga, gb, "cw")
        f.extend(inside)
        f.extend(f"cw{d}{x[2:]}" for x in inside)
        f.extend(f"cwl{x[2:]}|{head.label}|{tail.label}" for x in inside)
        before = text[max(0, first.start - 8) : first.start]
        after = text[second.end : second.end + 10]
        f.extend(self._cues_in(max(0, first.start - 8), first.start, f"cb{d}"))
        f.extend(self._cues_in(second.end, second.end + 10, f"ca{d}"))
        f.append(f"pre|{before[-1:]}")
        f.append(f"post|{after[:1]}")
        between = self._between(first.end, second.start)
        f.append(f"nb|{_bucket(len(between))}")
        for lab in sorted({x.label for x in between}):
            f.append(f"bl|{lab}")
        if any(x.label == tail.label for x in between):
            f.append("tail_label_between")
        if any(x.label == head.label for x in between):
            f.append("head_label_between")
        s0, s1 = pair.sentence
        in_sent = self._between(s0, s1 + 1)
        same_tail = [x for x in in_sent if x.label == tail.label and x.entity != tail.entity]
        same_head = [x for x in in_sent if x.label == head.label and x.entity != head.entity]
        d = abs(tail.start - head.start)
        if all(abs(x.start - head.start) > d for x in same_tail):
            f.append("tail_nearest")
        if all(abs(x.start - tail.start) > d for x in same_head):
            f.append("head_nearest")
        if in_sent and in_sent[0].entity == head.entity:
            f.append("head_opens")
        if tail.entity in self.topic_entities:
            f.append("tail_is_topic")
        if head.entity in self.topic_entities:
            f.append("head_is_topic")
        if text.rfind("“", 0, first.start) > text.rfind("”", 0, first.start):
            f.append("quote")
        if title:
            f.append(f"title|{title[-2:]}")
        return f
