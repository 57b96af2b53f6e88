"""Whom 我们, 公司 and 该公司 mean: the firm of whoever speaks in a quote or an interview answer, else the
firm the narrative is on. Also resolves references (该校, 该项目, 园区) to the entity they stand for."""

from __future__ import annotations

import bisect
import re

from kg.nlp.lexicon import load_lexicon
from kg.nlp.shapes import Candidate
from kg.relations.sentence import Placed
from kg.resolve import Draft


def inside_quote(text: str, pos: int) -> bool:
    return text.rfind("“", 0, pos) > text.rfind("”", 0, pos)


def topic_company(placed: list[Placed], pos: int, item: tuple[int, int], text: str = "") -> Draft | None:
    """The firm the narrative is on at `pos`: the latest company named outside quotes earlier in the item
    (a quote can name customers: 华为的折叠屏手机…), else the first one named later in the item."""
    i = bisect.bisect_left(placed, pos, key=lambda m: m.start)
    famous = None
    for m in reversed(placed[:i]):
        if m.start < item[0]:
            break
        if m.label == "Company" and not (text and inside_quote(text, m.start)):
            if m.draft.name in load_lexicon().known_companies:
                famous = famous or m.draft  # 比亚迪, 大众: usually a customer or partner, not the subject
                continue
            return m.draft
    if famous is not None:
        return famous
    for m in placed[i:]:
        if m.start >= item[1]:
            break
        if m.label == "Company":
            return m.draft
    return None


def speaking(m: Placed, employers: dict[int, Draft]) -> Draft | None:
    if m.label == "Company":
        return m.draft
    if m.label == "Person":
        return employers.get(id(m.draft))
    return None


def quote_speaker(
    placed: list[Placed], text: str, s: int, e: int, employers: dict[int, Draft] | None = None
) -> Draft | None:
    """Inside a quote, 我们 is the firm of whoever says it: “…”某公司总经理某某说, “…”某某说 (a person whose
    firm is known), or 某公司某某说：“…”."""
    employers = employers or {}
    open_q = text.rfind("“", 0, s + 1)
    close_before = text.rfind("”", 0, s + 1)
    if open_q == -1 or close_before > open_q:
        return None
    close_q = text.find("”", s)
    if close_q == -1:
        return None
    tail_end = min(x for x in (text.find("。", close_q), text.find("\n", close_q), len(text)) if x != -1)
    for m in placed:
        if close_q < m.start < tail_end and (firm := speaking(m, employers)) is not None:
            return firm
    head_start = max(text.rfind("。", 0, open_q), text.rfind("\n", 0, open_q)) + 1
    for m in reversed(placed):
        if head_start <= m.start < open_q and (firm := speaking(m, employers)) is not None:
            return firm
    return None


def interviewee(placed: list[Placed], text: str, s: int, employers: dict[int, Draft]) -> Draft | None:
    """刘国栋：我们厂…: in an interview, the answer's 我们 is the firm of the person answering."""
    para_start = text.rfind("\n", 0, s) + 1
    colon = re.match(r"[\u4e00-\u9fff]{2,4}[：:]", text[para_start : para_start + 6])
    if not colon:
        return None
    for m in placed:
        if m.start == para_start and m.label == "Person":
            return employers.get(id(m.draft))
    return None


def speaker_company(
    placed: list[Placed], s: int, e: int, item: tuple[int, int], text: str, employers: dict[int, Draft]
) -> Draft | None:
    return (
        quote_speaker(placed, text, s, e, employers)
        or interviewee(placed, text, s, employers)
        or topic_company(placed, s, item, text)
    )


def reference_target(ref: Candidate, named: list[Placed], item: tuple[int, int], text: str) -> Draft | None:
    if ref.label == "Company":
        if inside_quote(text, ref.start):
            end = text.find("。", ref.start)
            speaker = quote_speaker(named, text, ref.start, end if end != -1 else len(text))
            if speaker is not None:
                return speaker
        return topic_company(named, ref.start, item, text)
    earlier = [m.draft for m in named if item[0] <= m.start < ref.start and m.label == ref.label]
    if ref.label == "Park" and not earlier:  # 园区 in an item that names only its zone
        earlier = [m.draft for m in named if item[0] <= m.start < ref.start and m.label == "DevelopmentZone"]
    if "phase" in ref.extra:
        phased = [d for d in earlier if ref.extra["phase"] in d.name]
        earlier = phased or earlier
    if ref.label == "Organization" and ref.text not in ("该校",):
        earlier = [d for d in earlier if d.name.endswith(ref.text)]
        if not earlier and ref.text in ("管委会", "党工委"):  # a zone's body named only generically: the zone
            earlier = [m.draft for m in named if item[0] <= m.start < item[1] and m.label == "DevelopmentZone"]
    if ref.text == "该校":
        earlier = [d for d in earlier if re.search(r"(学校|学院|大学)$", d.name)]
    if ref.text == "该县":
        earlier = [d for d in earlier if d.name.endswith("县")]
    return earlier[-1] if earlier else None
