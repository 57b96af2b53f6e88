"""Relation rules as data: which rows of `relation_rules.jsonl` a candidate pair satisfies.

A row names the relation type, the labels of head and tail, which of the two is written first (`first`:
head, tail, or either for an undirected type), and how the pair must be written (`kind`): `adjacent` (only
the listed gap between them: nothing, 的, or a post), `between` (a cue word between them, within `reach`
characters, optionally with one of `after_words` after the second, or in the gap unless `after_outside_gap`,
or a `tail_marker` before the first), `nested` (the tail written inside the head, or the head's name starting
with the tail's), `topic` (the pair comes from the item's topic). In rules-only mode a pair some rule fires
on is a relation; with the relation scorer, the ids that fired are features.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache

from kg.nlp.lexicon import load_lexicon, names_open_alike, strip_leading_region
from kg.nlp.rules import Rule, RuleBook
from kg.relations.pairs import Pair
from kg.relations.references import Slot

_CLAUSE_PUNCT = re.compile(r"[，。；：！？]")


@lru_cache(maxsize=4)
def relation_rules(book: RuleBook) -> tuple[Rule, ...]:
    return tuple(r for r in book.rules if r.type)


@lru_cache(maxsize=4)
def _by_type(book: RuleBook) -> dict[str, tuple[Rule, ...]]:
    out: dict[str, list[Rule]] = {}
    for r in relation_rules(book):
        out.setdefault(r.type, []).append(r)
    return {k: tuple(v) for k, v in out.items()}


@lru_cache(maxsize=4)
def _pair_tables(book: RuleBook) -> dict[tuple[str, str, str, bool], tuple[Rule, ...]]:
    """Filled by `_rules_for`: the rules of each (type, head label, tail label, topic or not)."""
    return {}


# Kinds that read pairs of a sentence and pairs through an item's topic or firm alike.
_ANY_PAIR_KINDS = ("named_after",)


def _named_after(text: str, head: Slot, tail: Slot, names_of: Callable[[int], tuple[str, ...]]) -> bool:
    """青禾岚峰铝业有限公司 → 岚峰铝杆项目: the project's name (four characters or more past any place) opens
    as one of the firm's names does (`names_open_alike`)."""
    regions = load_lexicon().regions
    project = text[tail.start : tail.end]
    if len(strip_leading_region(project, regions)) < 4:
        return False
    return any(names_open_alike(name, project, regions) for name in names_of(head.entity))


def _rules_for(book: RuleBook, rtype: str, head: str, tail: str, topic: bool) -> tuple[Rule, ...]:
    """The rules of `rtype`, in table order, that can fire on a pair of these labels read in a sentence
    (`topic` False) or through an item's topic (True): a topic rule reads only topic pairs and the others
    only sentence pairs. Chosen once per kind of pair, not tested rule by rule for each of thousands."""
    table = _pair_tables(book)
    key = (rtype, head, tail, topic)
    rules = table.get(key)
    if rules is None:
        rules = table[key] = tuple(
            r
            for r in _by_type(book).get(rtype, ())
            if head in r.options.get("heads", ())
            and tail in r.options.get("tails", ())
            and (r.kind in _ANY_PAIR_KINDS or (r.kind == "topic") == topic)
        )
    return rules


def _title_gap(gap: str, titles: tuple[str, ...]) -> bool:
    """厂长 / 党工委书记、管委会主任 / 总经理、某某公司总经理: the gap is a post, or posts of a list each
    ending in a title (the person holds every one); 党工委、管委会主任: the employer is the first of the
    bodies one shared title follows."""
    if not gap or len(gap) > 40 or _CLAUSE_PUNCT.search(gap):
        return False
    parts = gap.split("、")
    if parts[0] == "" and len(parts) > 1:
        parts = parts[1:]
    return all(p.endswith(titles) for p in parts) and len(parts[0]) <= 18


# 、乙公司和 between the first and last of 甲、乙公司和丙签署…: only list separators and the other items.
_LIST_GAP = re.compile(r"^(?:、|和|与|及|以及|&)(?:[^，。；：“”、和与及&]{2,20}(?:、|和|与|及|以及|&))*$")


# The items of a list written between a cue and the head (培育了|甲、乙、|丙): items, each closed by a separator.
_LIST_ITEMS = re.compile(r"(?:[^，。；：“”、和与及&]{2,20}(?:、|和|与|及|以及|&))+")


def _title_list_gap(text: str, start: int, end: int, titles: tuple[str, ...], inside: Sequence[Slot]) -> bool:
    """甲公司党总支书记、董事长某甲，总经理某乙: between the employer and the person, posts and the names of
    the officials listed before, each name closing its posts and followed by a comma; every mention in
    between is such a person (甲公司总经理某甲，乙公司总经理某乙 names another employer: not a list)."""
    if not inside or len(inside) > 4 or any(x.label != "Person" for x in inside):
        return False
    pos = start
    for person in inside:
        if person.start < pos or not _title_gap(text[pos : person.start].strip(), titles):
            return False
        if text[person.end : person.end + 1] not in ("，", "；"):
            return False
        pos = person.end + 1
    return _title_gap(text[pos:end].strip(), titles)


def _opens_list(gap: str, words: tuple[str, ...], reach: int) -> bool:
    """培育了甲、乙、丙: the head is a later item of a list that a cue within reach opens."""
    for w in words:
        at = gap.find(w)
        if 0 <= at <= reach - len(w):
            end = at + len(w)
            if _LIST_ITEMS.fullmatch(gap, end + (gap[end : end + 1] == "了")):
                return True
    return False


def _heads_its_line(text: str, start: int, gap: str) -> bool:
    """新绛县：某某公司年产…项目: a mention that opens its line and is followed by a colon heads the line."""
    return (start == 0 or text[start - 1] == "\n") and gap.startswith("：") and "。" not in gap


def _comes_after(text: str, start: int, words: tuple[str, ...], floor: int, reach: int = 8) -> bool:
    """Whether the mention at `start` follows one of `words` closely (从广东东莞: 东莞 after 从), with no
    movement word between that would make it the destination (从A搬到B: B is not after 从)."""
    window = text[max(floor, start - reach) : start]
    cut = max(window.rfind(p) for p in "，。；！？、\n")
    window = window[cut + 1 :]
    at = max(window.rfind(w) for w in words)
    return at >= 0 and not window.startswith("从事", at) and not any(c in window[at:] for c in "到至往迁搬移")


def fired(
    pair: Pair,
    text: str,
    book: RuleBook,
    titles: tuple[str, ...],
    names_of: Callable[[int], tuple[str, ...]],
    placed_elsewhere: Callable[[Pair], bool] = lambda pair: False,
    title_of: Callable[[int], str] = lambda entity: "",
    slots_between: Callable[[int, int], Sequence[Slot]] = lambda start, end: (),
) -> list[str]:
    """Ids of the rules `pair` satisfies. `placed_elsewhere` says whether the pair's sentence names another
    zone or park for its head (a topic rule then does not apply); `slots_between` gives the mentions
    written wholly between two offsets."""
    out: list[str] = []
    head, tail = pair.head, pair.tail
    for rule in _rules_for(book, pair.type, head.label, tail.label, bool(pair.topic)):
        opts = rule.options
        if rule.kind == "topic":
            if opts.get("unless_placed") and placed_elsewhere(pair):
                continue
            words = opts.get("title_words")
            if words and not title_of(head.entity).endswith(tuple(words)):
                continue
            cues = opts.get("sentence_words")
            if cues and not any(w in text[pair.sentence[0] : pair.sentence[1]] for w in cues):
                continue
            origin = opts.get("tail_after")
            if origin and not _comes_after(text, tail.start, tuple(origin), pair.sentence[0]):
                continue
            out.append(rule.id)
            continue
        if rule.kind == "named_after":
            if _named_after(text, head, tail, names_of):
                out.append(rule.id)
            continue
        if rule.kind == "nested":
            inside = (
                head.start <= tail.start and tail.end <= head.end and (head.start, head.end) != (tail.start, tail.end)
            )
            prefix = any(
                text.startswith(n, head.start) and len(n) < head.end - head.start for n in names_of(tail.entity)
            )
            if inside or prefix:
                out.append(rule.id)
            continue
        head_first = head.start <= tail.start
        if (opts.get("first", "head") == "head" and not head_first) or (opts.get("first") == "tail" and head_first):
            continue
        first, second = (head, tail) if head_first else (tail, head)
        if second.start < first.end:
            continue
        gap = text[first.end : second.start].strip()
        before_words = opts.get("before_words")
        if before_words:
            clause = text[max(0, first.start - 30) : first.start]
            cut = max(clause.rfind(p) for p in "。；！？\n")
            if not any(w in clause[cut + 1 :] for w in before_words):
                continue
        if opts.get("heading") and not _heads_its_line(text, first.start, gap):
            continue
        if rule.kind == "adjacent":
            allowed = opts.get("gap", [""])
            if "title" in allowed:
                if _title_gap(gap, titles):
                    out.append(rule.id)
            elif "title_list" in allowed:
                if _title_list_gap(text, first.end, second.start, titles, slots_between(first.end, second.start)):
                    out.append(rule.id)
            elif gap in allowed:
                if opts.get("person_title_after") and not text.startswith(titles, second.end):
                    continue
                out.append(rule.id)
        elif rule.kind == "between":
            if "。" in gap:
                continue
            reach = int(opts.get("reach", 20))
            if len(gap) > reach and not (
                (len(gap) <= int(opts.get("list_reach", 0)) and _LIST_GAP.match(gap))
                or _opens_list(gap, rule.words, reach)
            ):
                continue
            if not any(w in gap for w in rule.words):
                continue
            after = opts.get("after_words")
            if after:
                window = text[second.end : second.end + 12]
                stop = _CLAUSE_PUNCT.search(window)
                window = window[: stop.start()] if stop else window
                if not any(w in window or (w in gap and not opts.get("after_outside_gap")) for w in after):
                    continue
            marker = opts.get("tail_marker")
            if marker and text[max(0, first.start - len(marker)):first.start] != marker:
                continue
            out.append(rule.id)
    return out
