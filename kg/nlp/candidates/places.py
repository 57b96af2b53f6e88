"""Regions: administrative divisions (cpca's table: 山西省, 山西, 兴县), macro-regions and countries
(`geo_names.txt`), towns and townships by their suffix (瓦塘镇), and areas (华北地区, 吕梁山区).

A division must not start or end inside a word jieba knows (新兴县 is not 新 + 兴县; 白云 of 白云岩).
"""

from __future__ import annotations

import re
from functools import lru_cache

import ahocorasick

from kg.nlp.candidates.base import Candidate, Context
from kg.nlp.generic import is_generic
from kg.nlp.lexicon import Lexicon
from kg.nlp.rules import longest_at
from kg.nlp.tokens import TokenIndex

_TOWN = re.compile(r"([\u4e00-\u9fff]{2,3})(镇|乡|街道|县)(?!(?:政府|党委|委|城|域|级|区|长))")
_AREA = re.compile(r"(?:地区|山区|片区|一带|平原|盆地|高原|山脉)")


@lru_cache(maxsize=4)
def _automaton(lex: Lexicon) -> ahocorasick.Automaton:
    auto = ahocorasick.Automaton()
    for word in [*lex.regions, *lex.geo_names]:
        auto.add_word(word, word)
    auto.make_automaton()
    return auto


def _common(index: TokenIndex, pos: int, lex: Lexicon) -> bool:
    """The word holding `pos` is a common dictionary word of another kind than a place."""
    word = index.word_at(pos)
    entry = lex.word_tags.get(word)
    return entry is not None and len(word) >= 2 and entry[1] not in ("ns", "nz", "nt", "j") and entry[0] >= 100


def regions(ctx: Context) -> list[Candidate]:
    text, index, lex = ctx.text, ctx.index, ctx.lex
    found: list[Candidate] = []
    n = len(text)
    i = 0
    for start, hit in sorted(longest_at(_automaton(lex), text).items()):
        if start < i or hit in lex.boundary_words:
            continue
        end = start + len(hit)
        inside_word = not index.is_start(start) and index.tag(index.index_at(start)) not in ("?", "x")
        runs_on = end < n and not index.is_start(end) and index.tag(index.index_at(end - 1)) not in ("?", "x")
        if (inside_word and _common(index, start, lex)) or (runs_on and _common(index, end - 1, lex)):
            continue  # 新兴城市, 大化工: the place's characters belong to a common word here
        rule = "region.geo" if hit in lex.geo_names and hit not in lex.regions else "region.division"
        anchor = ctx.new_anchor()
        if end < n and text[end] in "县市" and hit in lex.regions and not hit.endswith(("县", "市", "区")):
            end += 1  # 沁阳县 written for 沁阳市's short form: keep the written suffix
        area = _AREA.match(text, end)
        if area:
            # 华北地区, 吕梁山区: the area of a macro-region or province reads as one place.
            wide = hit in lex.geo_names or lex.regions.get(hit, "").endswith("0000")
            found.append(Candidate(start, area.end(), "Region", "region.area", wide, anchor))
        found.append(Candidate(start, end, "Region", rule, not (inside_word or runs_on), anchor))
        i = end
    division_ends = {c.end for c in found}
    inside_division = {p for c in found for p in range(c.start + 1, c.end)}
    for m in _TOWN.finditer(text):
        if m.end() in division_ends:
            continue  # 兴县 is already a division
        suffix_at = m.start(2)
        tok_start, _ = index.span(index.index_at(suffix_at))
        if tok_start > m.start(1) and tok_start < suffix_at and lex.freq(index.word_at(suffix_at)) >= 20:
            continue  # 返乡, 城镇: the suffix belongs to another word that starts inside the name
        s_body = m.start(1)
        anchor = ctx.new_anchor()
        preferred = ctx.bounds.preferred_start(text, m.end(1), index, 3)
        for b in sorted({s_body, preferred, *ctx.bounds.alternatives(text, m.end(1), index, 3)}):
            if b >= m.end(1) or m.end(1) - b < 2:
                continue
            if b != preferred and (text[b] in lex.stop_chars or b in inside_division):
                continue  # 为赵城镇, 太谷区水秀镇: a start on a function word or inside the district before
            body = text[b : m.end(1)]
            ok = not is_generic(body, lex, strong_suffix=m.group(2) != "县") and body not in (
                "乡镇",
                "城镇",
                "村镇",
                "区县",
                "市县",
            )
            found.append(Candidate(b, m.end(), "Region", "region.town", ok and b == preferred, anchor))
    return found
