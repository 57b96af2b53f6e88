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
from dataclasses import dataclass
from functools import lru_cache

import ahocorasick

from kg.nlp.lexicon import load_lexicon, names_open_alike
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


# The gap's punctuation and joining words, each with its feature made once: every sentence pair asks.
_GAP_PUNCT = tuple((ch, f"gp|{ch}") for ch in "，、的与和及；：“”（）")


def _bucket(n: int) -> int:
    for c in (0, 1, 2, 3, 5, 8, 12, 20, 30, 50, 80):
        if n <= c:
            return c
    return 999


class RelationFeaturizer:
    """Features of the pairs of one article; mention lookups indexed once.

    A slot pair is asked about once per relation type it may hold, and a sentence once per pair in it, so
    what does not depend on the type (the pair's context) or on the pair (the sentence's mentions, the cue
    words of a window) is read once and reused; the feature lists are the same as reading them afresh.
    """

    def __init__(self, text: str, slots: Sequence[Slot], book: RuleBook, topic_entities: set[int]) -> None:
        self.text = text
        self.slots = sorted(slots, key=lambda s: (s.start, s.end))
        self.starts = [s.start for s in self.slots]
        self.topic_entities = topic_entities
        self.regions = load_lexicon().regions
        # Every cue word of the article, found once (Aho-Corasick); a segment's cues are a range of these.
        found = sorted((end - len(w) + 1, end + 1, w) for end, w in cue_automaton(book).iter(text))
        self.cue_at = found
        self.cue_starts = [c[0] for c in found]
        self._between_of: dict[tuple[int, int], list[Slot]] = {}
        self._cues_of: dict[tuple[int, int, str], list[str]] = {}
        self._topic_sentence_of: dict[tuple[int, int, int], list[str]] = {}
        self._in_quote: dict[int, bool] = {}
        # By the slots' ids, holding the slots (so the ids cannot be reused): the type-free parts of a pair.
        self._contexts: dict[tuple[int, int, bool, int, tuple[int, int]], _Context] = {}

    def _between(self, a: int, b: int) -> list[Slot]:
        cached = self._between_of.get((a, b))
        if cached is None:
            lo = bisect.bisect_left(self.starts, a)
            hi = bisect.bisect_left(self.starts, b)
            cached = self._between_of[(a, b)] = [s for s in self.slots[lo:hi] if s.end <= b]
        return cached

    def _cues_in(self, a: int, b: int, tag: str) -> list[str]:
        """The cue words written inside [a, b), each once."""
        cached = self._cues_of.get((a, b, tag))
        if cached is None:
            lo = bisect.bisect_left(self.cue_starts, a)
            hi = bisect.bisect_left(self.cue_starts, b)
            words = sorted({w for s, e, w in self.cue_at[lo:hi] if e <= b})
            cached = self._cues_of[(a, b, tag)] = [f"{tag}|{w}" for w in words]
        return cached

    def features(self, pair: Pair, fired: Sequence[str], title: str = "") -> list[str]:
        head, tail = pair.head, pair.tail
        key = (id(head), id(tail), pair.topic, pair.rank, pair.sentence)
        ctx = self._contexts.get(key)
        if ctx is None or ctx.head is not head or ctx.tail is not tail:
            ctx = self._contexts[key] = self._context(pair)
        f = [*ctx.opening]
        f.extend(f"rule|{r}" for r in fired)
        f.extend(f"rulel|{r}|{head.label}|{tail.label}" for r in fired)
        if not fired:
            f.append("norule")
        f.extend(ctx.rest)
        if title and ctx.titled:
            f.append(f"title|{title[-2:]}")
        return f

    def _context(self, pair: Pair) -> _Context:
        """What a pair's features say before and after its fired rules (all but its relation type)."""
        head, tail = pair.head, pair.tail
        opening = (
            f"lab|{head.label}|{tail.label}",
            f"topic|{int(pair.topic)}",
            f"hr|{head.rule}",
            f"tr|{tail.rule}",
            f"hs|{_sure(head.score)}",
            f"ts|{_sure(tail.score)}",
            *self._named_inside(head, tail),
        )
        f: list[str] = []
        if head.is_ref:
            f.append(f"href|{head.rule}")
        if tail.is_ref:
            f.append(f"tref|{tail.rule}")
        if pair.topic:
            f.append(f"trank|{min(pair.rank, 3)}|{tail.label}")
            f.append(f"tlab|{head.label}|{tail.label}")
            f.extend(self._topic_sentence(pair.sentence, tail.entity))
            if pair.rank >= 0:
                f.extend(self._local_context(pair))
            return _Context(head, tail, opening, tuple(f), False)
        titled = self._sentence_context(pair, f)
        return _Context(head, tail, opening, tuple(f), titled)

    def _named_inside(self, head: Slot, tail: Slot) -> tuple[str, ...]:
        """青禾岚峰铝杆项目 → 青禾县: a place named inside the head's own name is implied, not stated; and
        青禾岚峰铝业有限公司 → 青禾岚峰铝杆项目: a project named after a firm (their names open alike, past
        any place) is most likely the firm's."""
        text = self.text
        if head.label == "Company" and tail.label == "Project":
            alike = names_open_alike(text[head.start : head.end], text[tail.start : tail.end], self.regions)
            return ("firm_names_project",) if alike else ()
        place = text[tail.start : tail.end].rstrip("省市县区")
        return ("tail_in_head_name",) if len(place) >= 2 and place in text[head.start : head.end] else ()

    def _topic_sentence(self, sentence: tuple[int, int], entity: int) -> list[str]:
        """For a pair read through the topic: what else the tail's sentence names, and its cue words."""
        s0, s1 = sentence
        cached = self._topic_sentence_of.get((s0, s1, entity))
        if cached is not None:
            return cached
        in_sentence = self._between(s0, s1)
        others = [x for x in in_sentence if x.entity != entity]
        f = [f"tsent_has|{lab}" for lab in sorted({x.label for x in others})]
        places = sum(1 for x in others if x.label in ("DevelopmentZone", "Park", "Region"))
        f.append(f"topicsent_places|{places}")
        f.extend(self._cues_in(s0, s1, "tsc"))
        f.append(f"tail_in_sent|{int(len(others) < len(in_sentence))}")
        self._topic_sentence_of[(s0, s1, entity)] = f
        return f

    def _local_context(self, pair: Pair) -> list[str]:
        """For a pair read through the topic: what stands around the mention written in the pair's sentence,
        taken past the list it is in (为甲、乙等企业供货, 与甲、乙签约: a firm listed as a client or a
        signing party is not thereby placed in the item's zone)."""
        s0, s1 = pair.sentence
        local = pair.head if s0 <= pair.head.start < s1 else pair.tail
        span = self._list_span(local, pair.sentence)
        if span is None:
            return []
        a, b, n = span
        text = self.text
        f = [f"lpre|{text[max(s0, a - 1) : a]}", f"lpost|{text[b : min(s1, b + 1)]}", f"llist|{min(n, 3)}"]
        f.extend(self._cues_in(max(s0, a - 8), a, "lcb"))
        f.extend(self._cues_in(b, min(s1, b + 10), "lca"))
        return f

    def _list_span(self, slot: Slot, sentence: tuple[int, int]) -> tuple[int, int, int] | None:
        """Start and end of the list `slot` is written in (itself when in none) and how many others it holds."""
        in_sentence = self._between(*sentence)
        i = next((k for k, x in enumerate(in_sentence) if x is slot), -1)
        if i < 0:
            return None
        lo = hi = i
        while lo > 0 and self._joined(in_sentence[lo - 1], in_sentence[lo]):
            lo -= 1
        while hi + 1 < len(in_sentence) and self._joined(in_sentence[hi], in_sentence[hi + 1]):
            hi += 1
        return in_sentence[lo].start, in_sentence[hi].end, hi - lo

    def _joined(self, left: Slot, right: Slot) -> bool:
        """Two mentions written as neighbours of one list (甲、乙, 甲和乙)."""
        gap = self.text[left.end : right.start].strip()
        return gap in ("、", ",", "，", "和", "及", "与", "以及")

    def _quoted(self, pos: int) -> bool:
        cached = self._in_quote.get(pos)
        if cached is None:
            text = self.text
            cached = self._in_quote[pos] = text.rfind("“", 0, pos) > text.rfind("”", 0, pos)
        return cached

    def _sentence_context(self, pair: Pair, f: list[str]) -> bool:
        """Appends the features of a pair read in its sentence; True when a post's title may follow."""
        text = self.text
        head, tail = pair.head, pair.tail
        head_first = head.start <= tail.start
        first, second = (head, tail) if head_first else (tail, head)
        f.append(f"dir|{int(head_first)}")
        f.append(f"dirlab|{head.label}|{tail.label}|{int(head_first)}")
        nested = second.start < first.end
        if nested:
            f.append("nested")
            return False
        gap = text[first.end : second.start]
        g = gap.strip()
        ga, gb = first.end, second.start
        f.append(f"dist|{_bucket(len(g))}")
        d = int(head_first)
        if len(g) <= 4:
            f.append(f"gap|{g}")
            f.append(f"gapd|{g}|{d}|{head.label}|{tail.label}")
        f.extend(feat for ch, feat in _GAP_PUNCT if ch in g)
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
        if self._quoted(first.start):
            f.append("quote")
        return True


@dataclass(frozen=True)
class _Context:
    """A pair's features other than its fired rules and its post's title, read once per slot pair."""

    head: Slot
    tail: Slot
    opening: tuple[str, ...]  # before the fired rules
    rest: tuple[str, ...]  # after them
    titled: bool  # a WORKS_FOR pair's title is the last feature
