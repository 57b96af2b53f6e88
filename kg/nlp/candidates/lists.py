"""Items of a list under a collective head (rules of kind `collective_list`): A、B、C等一批项目, 包括A、B在内的
N 个项目, 甲、乙、丙等一批锂电企业, and with `direction: after` a list that follows its head (这3个项目分别是
A、B、C). The head names what the items are; the row's `label` says which label that is, `max_item` how long an
item may be, `skip_ending` which items another rule already finds (…项目)."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

from kg.nlp.candidates.base import Candidate, Context
from kg.nlp.candidates.names import suffix_matches
from kg.nlp.candidates.projects import CAPACITY, outside_words, with_phase
from kg.nlp.generic import generic_project, has_proper_part
from kg.nlp.rules import Rule
from kg.nlp.tokens import CLAUSE_TAGS

_YEARLY = re.compile(r"(?:新建|建设|形成)?(?:年产|年处理|年加工|年生产|年产能|日产)")
_SENTENCE_END = "。；\n"
_LIST_END = ("等", "，")


def collective_lists(ctx: Context) -> list[Candidate]:
    found: list[Candidate] = []
    for rule in ctx.rules.of_kind("collective_list"):
        max_item = int(rule.options.get("max_item", 24))
        skip = tuple(rule.options.get("skip_ending", ()))
        items = _items_after if rule.options.get("direction") == "after" else _items_before
        owner_ends = _owner_ends(ctx) if rule.label == "Project" else []
        for s, e in items(ctx, rule, max_item):
            if owner_ends:
                s = _past_owner(ctx, s, e, owner_ends)
            if rule.label == "Project":
                s = _past_outside_words(ctx, s, e)
                if s < e and ctx.text[s] in outside_words(ctx.rules)[1]:
                    continue  # 涵盖了…: no project's name starts so
            part = ctx.text[s:e]
            if skip and part.endswith(skip):
                continue
            if not 2 <= e - s <= max_item:
                continue
            if rule.label == "Project" and (e - s < 3 or generic_project(part, ctx.rules)):
                continue
            # 电子仪表、空调等企业: items that are common words name lines of business, not firms
            if rule.label == "Company" and not has_proper_part(part, ctx.lex):
                continue
            found.append(Candidate(s, e, rule.label, rule.id, True, ctx.new_anchor()))
    return found


def _owner_ends(ctx: Context) -> list[int]:
    return sorted({end for _s, end, rule in suffix_matches(ctx) if rule.label != "Organization"})


def _past_owner(ctx: Context, s: int, e: int, owner_ends: list[int]) -> int:
    """德令哈工业园某某镁业年产2万吨镁基材料: a project item starts after the park, zone or firm written before
    it, and at its capacity figure when it has one."""
    i = bisect.bisect_right(owner_ends, s)
    while i < len(owner_ends) and owner_ends[i] <= e - 3:
        s = owner_ends[i]
        i += 1
    lead = CAPACITY.search(ctx.text, s, e)
    if lead and lead.start() <= e - 3 and _YEARLY.match(lead.group(0)):
        s = with_phase(ctx.text, lead.start(), s)
    return s


def _past_outside_words(ctx: Context, s: int, e: int) -> int:
    """总投资100亿元的某某产业园: a listed project starts after the words that stand before a project's name and
    never inside it (rules of kind `project_outside`)."""
    words = outside_words(ctx.rules)[0]
    last = None
    for m in words.finditer(ctx.text, s, e):
        last = m
    return last.end() if last is not None and last.end() <= e - 3 else s


def _items_before(ctx: Context, rule: Rule, max_item: int) -> Iterator[tuple[int, int]]:
    """A、B、C等一批项目: the list ends at the head and begins after the last clause break before it."""
    text = ctx.text
    common_items = bool(rule.options.get("common_items"))
    for m in rule.regex.finditer(text):
        start = ctx.bounds.list_start(text, m.start(), int(rule.options.get("reach", 120)))
        parts = text[start : m.start()].split("、")
        if len(parts) < 2:
            continue
        pos = start
        for k, part in enumerate(parts):
            s, e = pos, pos + len(part)
            pos = e + 1
            while s < e and text[s] in "\n ":
                s += 1
            if k == 0:  # the first item starts where a name would, not at the clause
                s = ctx.bounds.preferred_start(text, e, ctx.index, max_item, start)
                if common_items:  # 建有片剂、胶囊剂: an item of common nouns starts after the verb before it
                    s = _after_last_verb(ctx, s, e)
            yield s, e


def _after_last_verb(ctx: Context, s: int, e: int) -> int:
    index = ctx.index
    for i in index.tokens_in(s, e):
        tok_start, tok_end = index.span(i)
        if tok_end < e and tok_start >= s and (index.tag(i) in CLAUSE_TAGS or index.tag(i).startswith("v")):
            s = tok_end
    return s


def _items_after(ctx: Context, rule: Rule, _max_item: int) -> Iterator[tuple[int, int]]:
    """这3个项目分别是A、B、C: the list follows the head to the end of the sentence, or to 等 / a comma."""
    text = ctx.text
    for m in rule.regex.finditer(text):
        start = m.end()
        stops = [i for i in (text.find(ch, start) for ch in _SENTENCE_END) if i != -1]
        segment = text[start : min(stops, default=len(text))]
        for end_word in _LIST_END:  # the list ends at its first 等 or comma
            if end_word in segment:
                segment = segment[: segment.index(end_word)]
        # 项目涵盖电子、新材料等领域: a list closed by a word for lines of business names no project
        if text.startswith(tuple(rule.options.get("field_heads", ())), start + len(segment) + 1):
            continue
        parts = segment.split("、")
        if len(parts) < 2:
            continue
        pos = start
        for part in parts:
            yield pos, pos + len(part)
            pos += len(part) + 1
