"""Organisations known by name alone (rules of kind `org_gazetteer`): national ministries, academies and
federations, and the common short forms of well-known universities (商务部, 中国工程院, 西南交大). No
suffix rule can find them: 部 and 院 end too many ordinary words. A listed name counts only as a whole
jieba word, so 商务部 is not read inside 商务部门."""

from __future__ import annotations

from kg.nlp.candidates.base import Candidate, Context
from kg.nlp.rules import longest_at, words_automaton


def known_organizations(ctx: Context) -> list[Candidate]:
    text, index = ctx.text, ctx.index
    found = []
    for start, (word, rule) in sorted(longest_at(words_automaton(ctx.rules, "org_gazetteer"), text).items()):
        end = start + len(word)
        if not (index.is_start(start) or text[start - 1 : start] in ("", "、", "，", "和", "与", "及")):
            continue
        if end < len(text) and not index.is_end(end):
            continue  # 商务部门: the name is part of a longer word
        found.append(Candidate(start, end, "Organization", rule.id, True, ctx.new_anchor()))
    return found
