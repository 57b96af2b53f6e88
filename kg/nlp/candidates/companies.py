"""Firms named without a legal suffix: well-known firms and brands from a general gazetteer
(`known_companies.txt`: 华为, 特斯拉), and trade names ending in an industry word (rules of kind
`trade_name`: 某某木业, 某某科技, 某某新材料, 某某股份).

A gazetteer brand that is also an ordinary word (美的, 大众, 苹果, 长城: jieba knows it as a common noun or
verb) is preferred only in a company context: a company word right after it (集团, 汽车, 手机) or another
firm in the same list.
"""

from __future__ import annotations

import bisect
import itertools
import re
from functools import lru_cache

import ahocorasick

from kg.nlp.candidates.base import Candidate, Context
from kg.nlp.generic import RARE, has_proper_part
from kg.nlp.lexicon import Lexicon
from kg.nlp.rules import Rule, longest_at, words_automaton
from kg.nlp.tokens import PROPER_TAGS

_COMPANY_CONTEXT_AFTER = re.compile(r"(?:集团|公司|汽车|手机|品牌|股份|科技|电器|工厂|旗下|等(?:企业|车企|公司|品牌))")


@lru_cache(maxsize=4)
def _gazetteer(lex: Lexicon) -> ahocorasick.Automaton:
    auto = ahocorasick.Automaton()
    for name in lex.known_companies:
        auto.add_word(name, name)
    auto.make_automaton()
    return auto


def is_ordinary_word(name: str, lex: Lexicon) -> bool:
    """美的, 大众, 长城: the gazetteer marks the brand as an ordinary word too (a trailing " *"), or jieba's
    dictionary knows it as a common word (not a proper noun)."""
    if name in lex.ordinary_brands:
        return True
    entry = lex.word_tags.get(name)
    return entry is not None and entry[1] not in PROPER_TAGS and entry[1] != "nt"


def known_companies(ctx: Context) -> list[Candidate]:
    text, lex = ctx.text, ctx.lex
    longest: dict[int, str] = longest_at(_gazetteer(lex), text)
    found = []
    for start, name in sorted(longest.items()):
        end = start + len(name)
        in_word = not ctx.index.is_start(start) or not ctx.index.is_end(end)
        if is_ordinary_word(name, lex) and not (
            _COMPANY_CONTEXT_AFTER.match(text, end) or text[end : end + 1] == "、" or text[start - 1 : start] == "、"
        ):
            continue  # 风景很美的地方: an ordinary word, not the brand, without a company context
        found.append(Candidate(start, end, "Company", "company.gazetteer", not in_word, ctx.new_anchor()))
    return found


_FUNCTION_TAGS = frozenset({"p", "c", "u", "uj", "ul", "r", "d", "m", "q", "x"})
_NOT_IN_TRADE_NAME = frozenset(
    {"v", "vn", "vd", "d", "ad", "a", "p", "c", "r", "m", "q", "t", "f", "u", "uj", "ul", "x"}
)


def _coined(body: str, b: int, s: int, ctx: Context) -> bool:
    """A trade name's body: not a common word as a whole, no verb, adverb, number or function word in it
    (发展科技 is not a firm; 澜翕科技, 澄江新能源 are)."""
    index, lex = ctx.index, ctx.lex
    if body[0] in lex.stop_chars or not index.is_start(b):
        return False
    entry = lex.word_tags.get(body)
    if entry is not None and entry[1] not in PROPER_TAGS and entry[0] >= RARE:
        return False
    if not has_proper_part(body, lex):
        return False  # 钠离子电池, 电工高端电力: common words, no coined name
    for i in index.tokens_in(b, s):
        tag = index.tag(i)
        single = index.span(i)[1] - index.span(i)[0] == 1
        if tag in _NOT_IN_TRADE_NAME and not (single and tag not in _FUNCTION_TAGS):
            return False
    return True


def trade_names(ctx: Context) -> list[Candidate]:
    """某某木业: a coined body of 2–4 characters and an industry word; preferred when the body is a word
    jieba does not know (a coined trade name) and the name is not part of a longer name."""
    text, index, _lex = ctx.text, ctx.index, ctx.lex
    found: list[Candidate] = []
    best: dict[int, tuple[str, Rule]] = {}
    for end_incl, (word, rule) in words_automaton(ctx.rules, "trade_name").iter(text):
        end = end_incl + 1
        if end not in best or len(word) > len(best[end][0]):
            best[end] = (word, rule)
    for end, (word, rule) in sorted(best.items()):
        s = end - len(word)
        if end < len(text) and not index.is_start(end) and index.tag(index.index_at(end)) != "?":
            continue  # 科技园, 股份制: the industry word is inside a longer word
        anchor = ctx.new_anchor()
        group = []
        for b in ctx.bounds.alternatives(text, s, index, 4):
            body = text[b:s]
            if len(body) >= 2:
                group.append(Candidate(b, end, "Company", rule.id, _coined(body, b, s, ctx) and len(body) <= 4, anchor))
        if any(c.preferred for c in group):
            found.extend(group)  # an industry word after no coined name (发展科技) proposes nothing
    return found


_LEGAL_SUFFIX = re.compile(
    r"(?:集团股份有限公司|股份有限公司|有限责任公司|集团有限公司|有限公司|集团公司|股份公司|公司)$"
)
_GENERIC_TRADE_WORDS = ("科技", "实业", "发展", "有限", "控股", "投资", "国际", "集团", "股份")


def short_forms_of(name: str, lex: Lexicon) -> set[str]:
    """How news shortens a firm's name: 潍坊金岳精密铸造有限公司 → 金岳精密铸造, 金岳精密, 金岳铸造;
    辽宁北辰汽车零部件股份有限公司 → 北辰股份; 博睿储能科技（江苏）有限公司 → 博睿储能; a region
    prefix stays possible (山西正大 of 山西正大有限公司)."""
    forms: set[str] = set()
    legal = _LEGAL_SUFFIX.search(name)
    core = re.sub(r"[（(][^）)]*[）)]", "", _LEGAL_SUFFIX.sub("", name))
    if core != name and len(core) >= 2:
        forms.add(core)
    rest = core
    for k in range(min(len(core) - 2, 6), 1, -1):
        if core[:k] in lex.regions:
            rest = core[k:]
            break
    while rest.endswith(_GENERIC_TRADE_WORDS) and len(rest) > 4:
        rest = rest[:-2]
    if len(rest) >= 2 and rest != core:
        forms.add(rest)
        if rest != core and core.startswith(core[: len(core) - len(_strip_right(core, rest))]):
            pass
    if len(rest) > 4:
        from kg.nlp.generic import segment

        trade = rest[:2]
        tokens = segment(rest[2:])
        if tokens:
            forms.add(trade + tokens[0])
        forms.update(trade + tok for tok in tokens[1:] if len(tok) >= 2)
    if legal and "股份" in legal.group(0) and len(rest) >= 2:
        forms.add(rest[:2] + "股份")
    return {f for f in forms if len(f) >= 3 or f == core or (len(f) == 2 and f == rest and f != name)}


def _strip_right(core: str, rest: str) -> str:
    return core[core.find(rest) :] if rest in core else core


def short_names(ctx: Context, found: list[Candidate]) -> list[Candidate]:
    """Short forms of the firms named in full in the item (元泰 of 元泰高导材料（山西）有限公司), wherever
    they are written; a form that is a region or a common word needs to be three characters or more."""
    text, lex = ctx.text, ctx.lex
    forms: set[str] = set()
    for c in found:
        if c.label == "Company" and c.preferred and c.rule == "name.company.legal":
            forms.update(short_forms_of(text[c.start : c.end], lex))
    out: list[Candidate] = []
    for form in sorted(forms):
        if form in lex.regions or form in lex.place_words:
            continue
        entry = lex.word_tags.get(form)
        if entry is not None and entry[1] not in PROPER_TAGS and len(form) < 4:
            continue
        at = text.find(form)
        while at >= 0:  # str.find, not a regex per form: the forms are many and each pattern would be compiled
            out.append(Candidate(at, at + len(form), "Company", "company.short_form", True, ctx.new_anchor()))
            at = text.find(form, at + len(form))
    return out


def list_items(ctx: Context, found: list[Candidate]) -> list[Candidate]:
    """比亚迪、吉利、创维、富士康等: the other items of a 、-list in which a firm is named are firms too."""
    text = ctx.text
    firm_spans = {(c.start, c.end) for c in found if c.label == "Company" and c.preferred}
    if not firm_spans:
        return []
    # An item is (part of) a firm when a firm's span starts at or before it and reaches its last character
    # but one (such a span is then at least as long as the item less one character): the furthest end among
    # the spans starting at or before each point answers that with one bisection instead of a scan.
    by_start = sorted(firm_spans)
    firm_starts = [fs for fs, _ in by_start]
    furthest = list(itertools.accumulate((fe for _, fe in by_start), max))

    def is_firm(s: int, e: int) -> bool:
        k = bisect.bisect_right(firm_starts, s)
        return k > 0 and furthest[k - 1] >= e - 1

    out: list[Candidate] = []
    for m in re.finditer(r"(?:[\u4e00-\u9fffA-Za-z0-9（）·]{2,14}、)+[\u4e00-\u9fffA-Za-z0-9（）·]{2,14}", text):
        items: list[tuple[int, int]] = []
        pos = m.start()
        for part in m.group(0).split("、"):
            items.append((pos, pos + len(part)))
            pos += len(part) + 1
        # The last item ends before 等 / 和 / 及 and what follows.
        last_s, last_e = items[-1]
        tail = re.match(
            r"[\u4e00-\u9fffA-Za-z0-9（）·]{2,14}?(?=等|和|及|与|共同|纷纷|先后|均|都|相继|$)", text[last_s:last_e]
        )
        if tail:
            items[-1] = (last_s, last_s + tail.end())
        first_s, first_e = items[0]  # 则有上汽、宇通: the first item starts where a name would
        items[0] = (ctx.bounds.preferred_start(text, first_e, ctx.index, 14, first_s), first_e)
        firms = sum(1 for s, e in items if is_firm(s, e))
        if firms == 0:
            continue
        for s, e in items:
            if (s, e) in firm_spans or e - s < 2 or e - s > 8:
                continue
            out.append(Candidate(s, e, "Company", "company.list_item", firms * 2 >= len(items), ctx.new_anchor()))
    return out
