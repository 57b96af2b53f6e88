"""Names by their suffix (有限公司, 经济技术开发区, 工业园, 管委会): rules of kind `suffix`.

Each row lists suffix words of one label with the longest body a name may have (`max_body`) and whether
the suffix is strong (any specific body makes a name) or weak (the body needs a proper part). For every
suffix written in the text, one candidate per plausible left boundary is proposed; the rule prefers the
start `Boundaries.preferred_start` finds, when its body passes the genericity test.
"""

from __future__ import annotations

import re

from kg.nlp.boundary import nearest
from kg.nlp.candidates.base import Candidate, Context
from kg.nlp.generic import is_generic
from kg.nlp.rules import Rule, words_automaton

# A one- or two-character suffix followed by these is inside a longer word (园 of 园长, 局 of 局长).
_SUFFIX_GOES_ON = frozenset("长员区内外里方")
_NEVER_INSIDE = re.compile("[了着也把被]")
_NEVER_FIRST = frozenset("与及和在从为对将由把被是了的等就已")


def _opens_with_function_char(ctx: Context, start: int) -> bool:
    """与澄江公司, 为岚峰集团: a conjunction or preposition opens no name, unless a place opens the name
    with it (和田, 和县)."""
    text = ctx.text
    if text[start] not in _NEVER_FIRST:
        return False
    return not any(text[start : start + n] in ctx.lex.regions for n in (2, 3, 4))


def suffix_matches(ctx: Context) -> list[tuple[int, int, Rule]]:
    """(start, end, rule) of the longest suffix ending at each position, minus lookalikes (布局, 公园);
    computed once per item (names and projects both read them)."""
    cached = ctx.memo.get("suffix_matches")
    if not isinstance(cached, list):
        cached = ctx.memo["suffix_matches"] = _suffix_matches(ctx)
    return cached


def _suffix_matches(ctx: Context) -> list[tuple[int, int, Rule]]:
    best: dict[int, tuple[int, Rule]] = {}
    for end_incl, (word, rule) in words_automaton(ctx.rules, "suffix").iter(ctx.text):
        end = end_incl + 1
        start = end - len(word)
        if end not in best or best[end][0] > start:
            best[end] = (start, rule)
    text = ctx.text
    out = []
    for end in sorted(best):
        start, rule = best[end]
        if any(text[max(0, start - k) : end] in ctx.lex.suffix_lookalikes for k in (1, 2, 3)):
            continue
        if end - start <= 2 and end < len(text) and text[end] in _SUFFIX_GOES_ON:
            continue
        # A shorter suffix inside a longer one of a later end (公司 of 公司化) is left to the longer match.
        out.append((start, end, rule))
    # Drop a match contained in a longer match (开发区 inside 经济技术开发区 ending later is impossible, but
    # 园区 inside 工业园区 ending at the same place is already resolved by `best`).
    return out


def _after_city(ctx: Context, start: int, body_end: int) -> int:
    """永州市长丰工业园: a city or province written before a zone's or park's name is a region of its own;
    a county stays part of the name (兴县经济技术开发区)."""
    text = ctx.text
    for n in range(min(body_end - start - 2, 7), 2, -1):
        head = text[start : start + n]
        if head.endswith(("市", "省")) and head in ctx.lex.regions:
            return start + n
    return start


# Lines of business that make a firm of the name before them (a zone's platform company).
_BUSINESS_ONLY = re.compile(r"(?:发展|投资|开发|建设|管理|运营|实业|控股|服务|产业)+")
_GROUP_WORDS = frozenset({"集团", "控股", "控股集团"})
_BRANCH = re.compile(r"（([\u4e00-\u9fff]{2,6})）")


def _with_branch(ctx: Context, end: int) -> int:
    """某某汽车有限公司（杭州）: the place in brackets right after a firm's legal form names its branch and
    belongs to the name."""
    m = _BRANCH.match(ctx.text, end)
    if m and (m.group(1) in ctx.lex.regions or m.group(1) in ctx.lex.place_words):
        return m.end()
    return end


def suffix_names(ctx: Context) -> list[Candidate]:
    text = ctx.text
    found: list[Candidate] = []
    matches = suffix_matches(ctx)
    # Where a name ends, the next one starts (青禾开发区岚峰公司); a bare 园 ends none (临汾开园智能科技有限公司).
    name_ends = [e for s, e, r in matches if r.label != "Organization" and e - s > 1]
    group_ends = {e for s, e, r in matches if r.label == "Company" and text[s:e] in _GROUP_WORDS}
    for s, e, rule in matches:
        max_body = int(rule.options.get("max_body", 16))
        strong = bool(rule.options.get("strong", False))
        floor = 0
        if rule.label != "Organization":
            floor = max((x for x in name_ends if x <= s), default=0)
            if rule.label == "Company" and (_BUSINESS_ONLY.fullmatch(text[floor:s]) or floor in group_ends):
                # 某某科技园发展有限公司, 某某新区投资集团: a zone's or park's own firm; 某某集团醋业有限公司:
                # a group's subsidiary, named with the group
                floor = 0
        preferred = ctx.bounds.preferred_start(text, s, ctx.index, max_body, floor)
        if rule.label in ("DevelopmentZone", "Park"):
            preferred = _after_city(ctx, preferred, s)
        if preferred >= s and rule.label != "Company":
            # 代表市委, 围绕省委: the word before the suffix ends the text before it, so no name has a body
            # here. Firms keep such groups: the scorer learns from them what a generic X公司 looks like.
            continue
        # 提高了公司的效益, 这也让公司: no name holds an aspect particle or 也/把/被
        for m in _NEVER_INSIDE.finditer(text, preferred, s):
            preferred = m.end()
        if preferred < s and _opens_with_function_char(ctx, preferred):
            preferred += 1  # 和澄江公司 → 澄江公司
        starts = nearest(ctx.bounds.alternatives(text, s, ctx.index, max_body, floor), preferred)
        starts = [
            b
            for b in starts
            if _NEVER_INSIDE.search(text, b, s) is None and (b == preferred or not _opens_with_function_char(ctx, b))
        ]
        anchor = ctx.new_anchor()
        if rule.label == "Company":
            e = _with_branch(ctx, e)
        for b in starts:
            body = text[b:s]
            if not body.strip():
                continue
            generic = is_generic(body, ctx.lex, strong)
            found.append(Candidate(b, e, rule.label, rule.id, b == preferred and not generic, anchor))
    return found


def source_lines(ctx: Context) -> list[Candidate]:
    """Rules of kind `source_line`: the newspaper of a dateline (某某日报讯) or a source line (来源:某某网)."""
    found: list[Candidate] = []
    for rule in ctx.rules.of_kind("source_line"):
        for m in rule.regex.finditer(ctx.text):
            found.append(Candidate(m.start("name"), m.end("name"), rule.label, rule.id, True, ctx.new_anchor()))
    return found
