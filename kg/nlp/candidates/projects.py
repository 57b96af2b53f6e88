"""Projects: names ending in a project word (rules of kind `project_suffix`: 项目, 工程, 建设项目). Items of a
list under a collective head (A、B、C等一批项目) are read by `kg.nlp.candidates.lists`.

The owner written before a project (某公司智慧仓储项目, 某开发区标准厂房项目) is not part of the name: the
rule prefers the start right after a firm's or zone's name, else the capacity figure (年产 10 万吨…), else
where `Boundaries.preferred_start` stops. Every other word start of the clause is an alternative.
"""

from __future__ import annotations

import re
from functools import lru_cache

from kg.nlp.boundary import nearest
from kg.nlp.candidates.base import Candidate, Context
from kg.nlp.candidates.names import suffix_matches
from kg.nlp.generic import generic_project
from kg.nlp.rules import Rule, RuleBook, words_automaton

CAPACITY = re.compile(
    r"(?:新建|建设|形成)?(?:年产|年处理|年加工|年生产|年产能|日产|新增)\s*[\d.]+|"
    r"(?<![\d.])[\d.]+\s*(?:万|千|亿)?\s*(?:吨|t|kt|kta|套|台|辆|件|片|条|GWh|MWh|MW|GW|兆瓦|千瓦|万千瓦|吉瓦|平方米|立方米|头|只)"
)
_REACH = 40
_PHASE = re.compile(r"[一二三四五六]期$")


def with_phase(text: str, lead: int, floor: int) -> int:
    """二期年产2.4万吨奶粉项目: the phase written right before a capacity figure belongs to the name."""
    m = _PHASE.search(text, max(floor, lead - 2), lead)
    return m.start() if m else lead


@lru_cache(maxsize=4)
def outside_words(book: RuleBook) -> tuple[re.Pattern[str], frozenset[str]]:
    """Words never inside a project's name (as one pattern: every start of every project is tested against
    all of them) and characters it never starts with (rules of kind `project_outside`)."""
    words: list[str] = []
    firsts: set[str] = set()
    for rule in book.of_kind("project_outside"):
        words.extend(rule.words)
        firsts.update(rule.options.get("never_first", ()))
    return re.compile("|".join(re.escape(w) for w in words) or "(?!)"), frozenset(firsts)


def _runs_over(text: str, b: int, s: int, outside: tuple[re.Pattern[str], frozenset[str]]) -> bool:
    """总投资2600万元的3万吨…项目, 科学导报讯 某某工程, 及技术改造项目: a start that takes in what stands before
    a project's name (one of the outside words written in text[b:s])."""
    words, firsts = outside
    return text[b] in firsts or words.search(text, b, s) is not None


def _owner_ends(ctx: Context, lo: int, hi: int) -> list[int]:
    """Ends of firm, zone, park and region names in [lo, hi): an owner or place written before a project."""
    ends = [e for s, e, r in suffix_matches(ctx) if lo < e <= hi and r.label != "Organization"]
    return ends


_VERB_TAGS = frozenset({"v", "vd", "vi", "d", "ad"})


def _after_leading_verbs(ctx: Context, start: int, end: int) -> int:
    """召开产业链招商项目, 持续大抓项目: verbs and adverbs before a project's words are no part of its name."""
    index = ctx.index
    while start < end and index.is_start(start):
        i = index.index_at(start)
        tok_start, tok_end = index.span(i)
        if tok_end >= end or index.tag(i) not in _VERB_TAGS or ctx.lex.freq(ctx.text[tok_start:tok_end]) < 100:
            break
        start = tok_end
    return start


def _with_capacity_list(text: str, lead: int, list_start: int, floor: int) -> int:
    """年产1.2万吨聚酯涂料、0.72万吨彩铝板项目: a project of several capacities lists them all in its name,
    so its start goes back over each capacity item before the last one."""
    while lead > list_start + 1 and text[lead - 1] == "、":
        item = text.rfind("、", list_start, lead - 1) + 1 or list_start
        item = max(item, list_start, floor)
        figure = item + 2 if text[item + 1 : item + 2] == "期" else item  # 二期年产…
        if item >= lead or CAPACITY.match(text, figure) is None:
            break
        lead = item
    return lead


_PROJECT_ENDS = ("项目", "工程", "基地", "园", "园区", "中心")


def _over_inner_conjunction(ctx: Context, start: int, end: int, floor: int) -> int:
    """检测及中试基地建设项目, 电池材料研发与中试项目: a 及 / 与 / 和 joining two works of one project is
    inside its name; one after another project's name (甲项目及乙项目) or after a firm's is not."""
    text = ctx.text
    j = start - 1
    if j <= floor or text[j] not in "及与和" or text[j - 1] in "、，,":
        return start
    if text.endswith(_PROJECT_ENDS, floor, j) or any(e == j for _s, e, _r in suffix_matches(ctx)):
        return start
    earlier = _after_leading_verbs(ctx, ctx.bounds.preferred_start(text, j, ctx.index, 24 - (end - start), floor), j)
    return earlier if earlier < j else start


def projects(ctx: Context) -> list[Candidate]:
    text, index = ctx.text, ctx.index
    found: list[Candidate] = []
    best: dict[int, tuple[str, Rule]] = {}
    for end_incl, (word, rule) in words_automaton(ctx.rules, "project_suffix").iter(text):
        end = end_incl + 1
        if end not in best or len(word) > len(best[end][0]):
            best[end] = (word, rule)
    owner_ends_all = sorted({e for s, e, r in suffix_matches(ctx) if r.label != "Organization"})
    for end, (word, rule) in sorted(best.items()):
        s = end - len(word)
        if end < len(text) and text[end] in "师院学部":
            continue  # 工程师, 工程学院: the word goes on
        clause = ctx.bounds.clause_start(text, s, _REACH)
        starts = set(ctx.bounds.alternatives(text, s, index, _REACH))
        owners = [e for e in owner_ends_all if clause < e <= s]
        starts.update(owners)
        outside = outside_words(ctx.rules)
        # The first capacity figure that does not take in a word from outside a name (年产…项目是…项目).
        lead = next(
            (m.start() for m in CAPACITY.finditer(text, clause, s) if not _runs_over(text, m.start(), s, outside)), None
        )
        if lead is not None:
            lead = with_phase(text, lead, clause)
            starts.add(lead)
        floor = max([clause, *owners])
        if lead is not None and lead >= floor:
            listed = ctx.bounds.list_start(text, lead, _REACH)
            owned = max([listed, *(e for e in owner_ends_all if listed < e <= lead)])
            lead = _with_capacity_list(text, lead, listed, owned)
            starts.add(lead)
            preferred = lead
        else:
            preferred = _after_leading_verbs(ctx, ctx.bounds.preferred_start(text, s, index, 24, floor), s)
            preferred = _over_inner_conjunction(ctx, preferred, s, floor)
        anchor = ctx.new_anchor()
        for b in nearest({x for x in starts if not _runs_over(text, x, s, outside)} | {preferred}, preferred, 9):
            if b >= s:
                continue
            while b < s and text[b] == " ":
                b += 1
            body = text[b:s]
            ok = not generic_project(body, ctx.rules) and bool(rule.options.get("preferred", True))
            found.append(Candidate(b, end, "Project", rule.id, ok and b == preferred, anchor))
    return found
