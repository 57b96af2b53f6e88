"""People: a name after a post (厂长蒋斌), before a post (武凤岐副总经理), before a speech verb (张华说),
in a list sharing one post (副市长张华、李明), and the names of bylines and credits (one byline reader).

A Chinese name is a surname (`surnames.txt`) and one or two characters; which length is right is the
scorer's choice, so both are proposed. The rule prefers the length after which a follower word stands
(rules of kind `person_follower`: 说, 表示, punctuation, a verb jieba knows).
"""

from __future__ import annotations

import re
from functools import lru_cache

from kg.nlp.bylines import bylines as read_bylines
from kg.nlp.candidates.base import Candidate, Context
from kg.nlp.lexicon import Lexicon
from kg.nlp.rules import RuleBook

HAN_RUN = re.compile(r"[\u4e00-\u9fff]")
_BODY_ENDS = ("公司", "集团", "管委会", "党工委", "政府", "局", "委", "厂", "院", "校")
_PERSON_RULES = ("person.title_before", "person.title_after", "person.follower", "person.list")


@lru_cache(maxsize=4)
def _followers(book: RuleBook) -> tuple[str, ...]:
    words: list[str] = []
    for rule in book.of_kind("person_follower"):
        words.extend(rule.words)
    return tuple(sorted(set(words), key=len, reverse=True))


@lru_cache(maxsize=4)
def _title_re(lex: Lexicon) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(t) for t in lex.titles))


def _surname_len(text: str, pos: int, lex: Lexicon) -> int:
    if text[pos : pos + 2] in lex.compound_surnames:
        return 2
    return 1 if pos < len(text) and text[pos] in lex.surnames else 0


def _followed(ctx: Context, end: int) -> bool:
    """A follower stands at `end`: a speech verb, a particle, punctuation, a post, or a verb jieba knows."""
    text = ctx.text
    if end >= len(text):
        return True
    if text.startswith(_followers(ctx.rules), end):
        return True
    if _title_re(ctx.lex).match(text, end):
        return True
    for n in (2, 3):
        word = text[end : end + n]
        if len(word) == n and ctx.lex.tag(word) in ("v", "vd", "vi") and ctx.lex.freq(word) >= 200:
            return True
    return False


def name_lengths(ctx: Context, pos: int) -> list[int]:
    """Lengths of the names that may start at `pos` (surname + 1 or 2 characters), all Han."""
    sl = _surname_len(ctx.text, pos, ctx.lex)
    if not sl:
        return []
    out = []
    for given in (1, 2):
        end = pos + sl + given
        if end <= len(ctx.text) and all(HAN_RUN.match(ch) for ch in ctx.text[pos:end]):
            out.append(sl + given)
    return out


def _names_at(ctx: Context, pos: int, rule: str, props: tuple[tuple[str, str], ...] = ()) -> list[Candidate]:
    lengths = name_lengths(ctx, pos)
    if not lengths:
        return []
    anchor = ctx.new_anchor()
    preferred = next((n for n in lengths if _followed(ctx, pos + n)), 0)
    return [Candidate(pos, pos + n, "Person", rule, n == preferred, anchor, props) for n in lengths]


def _title_start(ctx: Context, pos: int) -> int:
    """Extend a post leftward over its department (调度监控室主任), never over a firm or body name."""
    text = ctx.text
    start = pos
    while start > 0 and HAN_RUN.match(text[start - 1]) and pos - start < 14:
        if text[start - 1] in "的了在是和与为从到说":
            break
        if text[max(0, start - 4) : start].endswith(("公司", "集团", "管委会", "党工委", "开发区", "经开区", "高新区")):
            break
        start -= 1
    return start


def people(ctx: Context) -> list[Candidate]:
    text = ctx.text
    found: list[Candidate] = []
    for m in _title_re(ctx.lex).finditer(text):
        title = text[_title_start(ctx, m.start()) : m.end()]
        props = (("title", title),)
        # 厂长蒋斌 / 副市长张华、李明: a name after the post, and further names of a 、-list.
        pos = m.end()
        first = _names_at(ctx, pos, "person.title_before", props)
        if not first and pos < len(text) and ctx.index.is_start(pos):
            # 总经理畅磊: a word jieba does not know, right after the post, is a name with a rare surname.
            k = ctx.index.index_at(pos)
            word = ctx.index.word(k)
            if 2 <= len(word) <= 3 and ctx.index.tag(k) == "?" and all(HAN_RUN.match(ch) for ch in word):
                first = [
                    Candidate(pos, pos + len(word), "Person", "person.title_before", True, ctx.new_anchor(), props)
                ]
        found.extend(first)
        chosen = next((c for c in first if c.preferred), None)
        while chosen is not None and chosen.end < len(text) and text[chosen.end] == "、":
            nxt = _names_at(ctx, chosen.end + 1, "person.list", props)
            found.extend(nxt)
            chosen = next((c for c in nxt if c.preferred), None)
        # 武凤岐副总经理主持: a name right before the post, after punctuation or a body's name.
        anchor = ctx.new_anchor()
        for n in (2, 3):
            s = m.start() - n
            if s < 0 or not all(HAN_RUN.match(ch) for ch in text[s : m.start()]):
                continue
            if not _surname_len(text, s, ctx.lex):
                continue
            before = text[s - 1] if s > 0 else "\n"
            after_body = text[max(0, s - 4) : s].endswith(_BODY_ENDS)  # 某某有限公司武凤岐副总经理
            preferred = (not HAN_RUN.match(before) or after_body) and _followed(ctx, m.end())
            found.append(Candidate(s, m.start(), "Person", "person.title_after", preferred, anchor, props))
    for rule in ctx.rules.of_kind("person_follower"):
        for word in rule.words:
            if not HAN_RUN.match(word[0]):
                continue  # punctuation follows too many non-names to anchor on
            at = text.find(word)
            while at >= 0:  # str.find, not a regex per word: each occurrence, left to right, none overlapping
                anchor = ctx.new_anchor()
                for n in (2, 3):
                    s = at - n
                    if s < 0 or not _surname_len(text, s, ctx.lex):
                        continue
                    if not all(HAN_RUN.match(ch) for ch in text[s:at]):
                        continue
                    before = text[s - 1] if s > 0 else "\n"
                    preferred = not HAN_RUN.match(before) or ctx.index.is_start(s)
                    found.append(Candidate(s, at, "Person", "person.follower", preferred, anchor))
                at = text.find(word, at + len(word))
    return found


def name_tags(ctx: Context) -> list[Candidate]:
    """Words jieba's dictionary or its unknown-word model tags as a person's name (nr), alone (雪峰) or
    after a surname (陈 + 雪峰): two to four characters, a surname first."""
    index, text, lex = ctx.index, ctx.text, ctx.lex
    found: list[Candidate] = []
    n = len(index)
    for i in range(n):
        if index.tag(i) not in ("nr", "nrfg"):
            continue
        s, e = index.span(i)
        word = text[s:e]
        if len(word) == 1 and word in lex.surnames and i + 1 < n and index.tag(i + 1) in ("nr", "nrfg", "?"):
            e = index.span(i + 1)[1]  # 陈 + 雪峰
        if not 2 <= e - s <= 4 or not _surname_len(text, s, lex) or not all(HAN_RUN.match(ch) for ch in text[s:e]):
            continue
        entry = lex.word_tags.get(text[s:e])
        if entry is not None and entry[0] >= 1000:
            continue  # 宝马, 陈列: a common word jieba also tags nr
        preferred = _followed(ctx, e) or entry is None  # a dictionary word tagged nr needs a follower
        found.append(Candidate(s, e, "Person", "person.name_tag", preferred, ctx.new_anchor()))
    return found


# -- bylines ------------------------------------------------------------------------------------------


def bylines(ctx: Context) -> list[Candidate]:
    """Names of bylines and credits, read by `kg.nlp.bylines` (the one byline reader), with their role."""
    return [
        Candidate(b.start, b.end, "Person", b.rule, True, ctx.new_anchor(), (("role", b.role),))
        for b in read_bylines(ctx.text, ctx.lex, ctx.rules)
    ]
