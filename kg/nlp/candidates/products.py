"""Products: what follows a production cue (rules of kind `product_cue`: 主要产品有, 生产, 研发生产, 销往),
split at list words (、 和 及 与), and the product named after a capacity figure (年产 10 万吨铝合金杆项目;
rule `product.capacity`).

The rule prefers each list item as written, trimmed of quantity and generic heads (各类, 系列, 等产品);
shorter right-anchored forms (铝合金铸锭 of 高强铝合金铸锭) are alternatives for the scorer.
"""

from __future__ import annotations

import re

from kg.nlp.candidates.base import Candidate, Context
from kg.nlp.generic import product_like

_STOP = re.compile(
    r"[，。；：、“”（）！？\n]|及其|以及|及|和|与|等|是|为|的|在|将|已|并|了|下线|投产|出厂|问世|面世|亮相|上市"
    r"|进行|深受|畅销|远销|销往|广受|驶下|走下|驶出|走出|出炉|装车"
)
_LIST_WORDS = ("、", "和", "及", "与", "以及")
_LIST_WORD_AT = re.compile("|".join(sorted(_LIST_WORDS, key=len, reverse=True)))
_LEAD = re.compile(
    r"^(?:普通|各类|各种|多种|一系列|系列|优质|高品质|新型号|新一代|[一两多]条|[\d.]+\s*(?:万|千|亿)?\s*(?:吨|套|台|件|辆|只|片|条|颗|组|支|张|块|GWh|GWH|MWh|MW))\s*"
)  # a quantity (2000 套) is no part of a product's name; a specification (6 微米) is
_TRAIL = re.compile(r"(?:等)?(?:系列)?(?:产品|业务|板块|三大板块|两大板块|领域|行业|产业|项目|生产线|基地)$")
_CAPACITY_PRODUCT = re.compile(
    r"(?:年产|年产能|年处理|年加工|新增|形成)?\s*[\d.]+\s*(?:万|千|亿)?\s*"
    r"(?:kta|kt|吨|t|套|台|辆|件|片|条|颗|只|组|支|张|块|根|卷|GWh|GWH|MWh|MWH|吉瓦时|兆瓦时|平方米|立方米)(?:/年|/日|/d)?"
    r"\s*(?:的\s*)?([\u4e00-\u9fffA-Za-z][\u4e00-\u9fffA-Za-z0-9.\-（） ]{1,24}?)"
    r"(?=(?:生产线|建设项目|项目|工程|生产基地|基地|智能化|数字化|自动化|绿色化|信息化|及配套|扩建|改造|技改|一期|二期|等|的|，|。|、|；|\n|$|(?:及|和|与|以及)\s*[\d.]+))"
)


def _trimmed(text: str, s: int, e: int) -> tuple[int, int]:
    phrase = text[s:e]
    lead = _LEAD.match(phrase)
    if lead:
        s += lead.end()
    trail = _TRAIL.search(text[s:e])
    if trail and trail.start() >= 2:
        e = s + trail.start()
    while s < e and text[s] == " ":
        s += 1
    while e > s and text[e - 1] == " ":
        e -= 1
    return s, e


def _with_alternatives(ctx: Context, s: int, e: int, rule: str, preferred: bool) -> list[Candidate]:
    anchor = ctx.new_anchor()
    out = [Candidate(s, e, "Product", rule, preferred, anchor)]
    for b in ctx.index.starts_between(s + 1, e - 1):
        if e - b >= 2:
            out.append(Candidate(b, e, "Product", rule, False, anchor))
    return out


def _phrase_list(ctx: Context, pos: int, limit: int, listed: bool, rule: str) -> list[Candidate]:
    text = ctx.text
    found: list[Candidate] = []
    while pos < limit:
        quoted = text[pos] in "“‘"  # 生产的“某某一号”、“某某二号”: names in quotes, one item each
        if quoted:
            pos += 1
        stop = _STOP.search(text, pos, limit)
        end = stop.start() if stop else limit
        s, e = _trimmed(text, pos, end)
        ok = e > s and product_like(text[s:e], ctx.lex, ctx.rules)
        if e - s >= 2:
            found.extend(_with_alternatives(ctx, s, e, rule, ok))
        if not ok and found:
            break
        after = stop.end() if stop else limit
        if quoted and stop and stop.group(0) in "”’":
            stop = _LIST_WORD_AT.match(text, after, limit) or stop  # the list goes on after the quote
            after = stop.end()
        if not (listed and stop and stop.group(0) in _LIST_WORDS):
            break
        pos = after
    return found


def products(ctx: Context) -> list[Candidate]:
    text = ctx.text
    found: list[Candidate] = []
    for rule in ctx.rules.of_kind("product_cue"):
        needs = rule.options.get("needs")
        if needs and not any(w in text for w in needs):
            continue
        take = str(rule.options.get("take", "after"))
        listed = bool(rule.options.get("listed", True))
        for m in rule.regex.finditer(text):
            clause_end = _clause_end(text, m.end())
            if take == "after":
                pos = m.end()
                if rule.options.get("after_de"):
                    de = text.rfind("的", pos, clause_end)
                    if de != -1:
                        pos = de + 1
                found.extend(_phrase_list(ctx, pos, clause_end, listed, rule.id))
            elif take == "before":
                found.extend(_phrase_before(ctx, m.start(), rule.id))
            elif take == "quantities":
                found.extend(_quantity_list(ctx, m.end(), clause_end, rule.id))
            elif take == "group":
                found.extend(_phrase_list(ctx, m.start(1), m.end(1), listed, rule.id))
            else:  # "exact"
                found.extend(_with_alternatives(ctx, m.start(1), m.end(1), rule.id, True))
    for m in _CAPACITY_PRODUCT.finditer(text):
        s, e = _trimmed(text, m.start(1), m.end(1))
        phrase = text[s:e]
        if "制" in phrase:  # 甲醇制烯烃: the product is what is made
            s += phrase.rindex("制") + 1
        if e - s >= 2:
            found.extend(_with_alternatives(ctx, s, e, "product.capacity", product_like(text[s:e], ctx.lex, ctx.rules)))
    return found


_BEFORE_STOP = re.compile(
    r"[，。；：、“”！？\n]|的|了|和|及|与|等|在|将|为|是|并|新增|新建|建设|建成|拥有|引进|上马|投产|设立"
)
_BEFORE_OWNER = re.compile(
    r"公司|集团|工厂|厂|[）)]|(?:年产|年加工)?[\d.]+\s*(?:万|千|亿)?\s*(?:吨|套|台|件|辆|只|片|条|颗|GWh|MWh|MW)|"
    r"年产|[县市区镇]"
)
_BEFORE_REACH = 14


def _phrase_before(ctx: Context, end: int, rule: str) -> list[Candidate]:
    """四氧化三钴生产线 / 一条锂电池隔膜生产线: the product is the phrase before the cue, back to a stop word
    or a clause break and trimmed of its quantity (8条, 一条). jieba's words inside it are alternatives."""
    text = ctx.text
    lo = max(0, end - _BEFORE_REACH)
    start = lo
    for m in _BEFORE_STOP.finditer(text, lo, end):
        start = m.end()
    for m in _BEFORE_OWNER.finditer(text, start, end):  # 某某公司年产3万吨干混砂浆: the product follows
        start = m.end()
    s, e = _trimmed(text, start, end)
    if e - s < 2:
        return []
    return _with_alternatives(ctx, s, e, rule, product_like(text[s:e], ctx.lex, ctx.rules))


_QUANTITY = re.compile(
    r"\s*[\d.]+\s*(?:万|千|亿)?(?:余|多)?\s*"
    r"(?:吨|t|套|台|辆|件|片|条|颗|只|组|支|张|块|根|卷|袋|箱|瓶|GWh|GWH|MWh|平方米|立方米)(?:/套|/台)?"
)
_QUANTITY_ITEM = re.compile(
    r"([\u4e00-\u9fffA-Za-z][\u4e00-\u9fffA-Za-z0-9.\-]{1,15}?)"
    r"(?=\s*[\d.]+\s*(?:万|千|亿)?(?:余|多)?\s*[\u4e00-\u9fffA-Za-z/]{1,3})"
)

_QUANTITY_SEPARATOR = re.compile(r"[、，]|和|及|以及")


def _quantity_list(ctx: Context, pos: int, limit: int, rule: str) -> list[Candidate]:
    """年产A 2000台、B 30套和C 1000台: every item is a name followed by its quantity; the list ends at the
    first item that has none."""
    text = ctx.text
    found: list[Candidate] = []
    while pos < limit:
        item = _QUANTITY_ITEM.match(text, pos, limit)
        qty = _QUANTITY.match(text, item.end(), limit) if item else None
        if item is None or qty is None:
            break
        s, e = _trimmed(text, item.start(1), item.end(1))
        if e - s >= 2:
            found.extend(_with_alternatives(ctx, s, e, rule, product_like(text[s:e], ctx.lex, ctx.rules)))
        sep = _QUANTITY_SEPARATOR.match(text, qty.end(), limit)
        if sep is None:
            break
        pos = sep.end()
    return found


def _clause_end(text: str, pos: int) -> int:
    for i in range(pos, min(len(text), pos + 80)):
        if text[i] in "。；！？\n":
            return i
    return min(len(text), pos + 80)


_LIST_ITEM = re.compile(r"[“‘]?[\u4e00-\u9fffA-Za-z0-9][\u4e00-\u9fffA-Za-z0-9·\-]{1,15}[”’]?")


def list_items(ctx: Context, found: list[Candidate]) -> list[Candidate]:
    """汤圆、粽子、面点等: the other items of a 、-list in which a product is named are products too."""
    text = ctx.text
    products = {(c.start, c.end) for c in found if c.label == "Product" and c.preferred}
    if not products:
        return []
    out: list[Candidate] = []
    for m in re.finditer(
        r"(?:[“‘]?[\u4e00-\u9fffA-Za-z0-9·\-]{2,16}[”’]?、)+[“‘]?[\u4e00-\u9fffA-Za-z0-9·\-]{2,16}[”’]?", text
    ):
        items: list[tuple[int, int]] = []
        pos = m.start()
        for part in m.group(0).split("、"):
            s, e = pos, pos + len(part)
            pos = e + 1
            while s < e and text[s] in "“‘":
                s += 1
            while e > s and text[e - 1] in "”’":
                e -= 1
            items.append((s, e))
        last_s, last_e = items[-1]
        tail = _STOP.search(text, last_s + 2, last_e)
        if tail:
            items[-1] = (last_s, tail.start())
        if not any(
            any(ps <= s and e <= pe for ps, pe in products) or any(s <= ps and pe <= e for ps, pe in products)
            for s, e in items
        ):
            continue
        for s, e in items:
            if e - s < 2 or (s, e) in products:
                continue
            ok = product_like(text[s:e], ctx.lex, ctx.rules)
            out.append(Candidate(s, e, "Product", "product.list_item", ok, ctx.new_anchor()))
    return out
