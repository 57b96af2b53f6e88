"""Business between parties: SUPPLIES_TO, COOPERATES_WITH, APPROVED and INVESTS_IN, from cue words
(原材料就是我们生产的, 为…配套, 签订合同, 批复, 总投资, 由…投资建设)."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

from kg.relations.sentence import Placed, Proposal, Sentence, adjacent, zone_of_body
from kg.resolve import Draft

_COOPERATE = re.compile(r"(签订合同|签订|签约|座谈|合作|共同打造|共同开发|携手|战略合作|对接)")
_SUPPLY_OURS = re.compile(
    r"原材料就是我们|用的也是我们|由我们(?:配套|供应|供货|提供)|是我们的(?:老|长期|主要|重要|核心)?客户"
)
_SUPPLY_FOR = re.compile(r"(?:为|向)([^，。；]{1,16}?)(?:配套|供货|供应|提供)")
_SUPPLY_TO = re.compile(r"(?:主要)?(?:供应给?|供货给|销往|配套|客户(?:包括|有|涵盖|遍及))")
_APPROVE = re.compile(r"(批复|批准|核准|审批通过)")


def read(sent: Sentence) -> Iterator[Proposal]:
    yield from supplies(sent)
    yield from cooperation(sent)
    yield from approvals(sent)
    yield from investments(sent)


def supplies(sent: Sentence) -> Iterator[Proposal]:
    """Who supplies whom: the firm that speaks (我们) or the subject of the clause, to the firms named.

    宝马、特斯拉上用的防撞梁，原材料就是我们生产的; 为 X 配套; 主要供应 X、Y; 是我们的老客户; 的上游是 Y.
    """
    companies = sent.companies()
    speaker = sent.speaker_company

    def supplier_before(at: int) -> Draft | None:
        if "我们" in sent.text[: at - sent.start]:
            return speaker
        subjects = [c for c in companies if c.end <= at]
        return subjects[0].draft if subjects else speaker

    if _SUPPLY_OURS.search(sent.text):
        for c in companies:
            if c.draft is not speaker and speaker is not None:
                yield from sent.propose("SUPPLIES_TO", speaker, c.draft, 0.8)
    for m in _SUPPLY_FOR.finditer(sent.text):
        supplier = supplier_before(sent.start + m.start())
        for c in companies:
            if sent.start + m.start(1) <= c.start < sent.start + m.end(1) and supplier is not None:
                yield from sent.propose("SUPPLIES_TO", supplier, c.draft, 0.8)
    # 金岳铸造的上游，是…山东华澄特钢有限公司: the upstream firm supplies the one named first.
    for m in re.finditer(r"的上游(?:企业)?[，,]?(?:是|为|有)", sent.text):
        buyers = [c for c in companies if c.end <= sent.start + m.start()]
        sellers = [c for c in companies if c.start >= sent.start + m.end()]
        if buyers and sellers:
            yield from sent.propose("SUPPLIES_TO", sellers[0].draft, buyers[-1].draft, 0.75)
    # 我们的瓶片原料大部分由…湖州青禾再生资源有限公司供应: the named firm supplies the speaker.
    for m in re.finditer(r"由([^，。；]{2,40}?)(?:供应|供货|提供|配套)", sent.text):
        sellers = [c for c in companies if sent.start + m.start(1) <= c.start < sent.start + m.end(1)]
        buyer = speaker if "我们" in sent.text[: m.start()] else None
        if sellers and buyer is not None:
            yield from sent.propose("SUPPLIES_TO", sellers[-1].draft, buyer, 0.75)
    # 产品已进入比亚迪、蔚来和一汽-大众等整车企业的供应链.
    for m in re.finditer(r"进入([^。；]{2,60}?)(?:的)?(?:供应链|供应体系|配套体系|采购体系)", sent.text):
        supplier = supplier_before(sent.start + m.start())
        for c in companies:
            if sent.start + m.start(1) <= c.start < sent.start + m.end(1) and supplier is not None:
                yield from sent.propose("SUPPLIES_TO", supplier, c.draft, 0.75)
    for m in _SUPPLY_TO.finditer(sent.text):
        clause_end = re.search(r"[，。；]", sent.text[m.end() :])
        limit = sent.start + m.end() + (clause_end.start() if clause_end else len(sent.text))
        customers = [c for c in companies if sent.start + m.end() <= c.start < limit]
        supplier = supplier_before(sent.start + m.start())
        if supplier is None:
            continue
        for c in customers:
            yield from sent.propose("SUPPLIES_TO", supplier, c.draft, 0.75)


def cooperation(sent: Sentence) -> Iterator[Proposal]:
    ms = sent.mentions
    [m for m in ms if m.label == "Company"]
    speaker = sent.speaker_company
    # Cooperation: X 与 Y 座谈 / 签订合同 / 合作.
    if _COOPERATE.search(sent.text):
        parties = [
            m
            for m in ms
            if m.label in ("Company", "Organization", "DevelopmentZone")
            and not m.draft.name.endswith(("报", "报社", "电视台"))
        ]
        if "我们" in sent.text and speaker is not None and all(p.draft is not speaker for p in parties):
            parties = [Placed(sent.start, sent.start, speaker, True), *parties]
        linked = False
        for i, a in enumerate(parties):
            for b in parties[i + 1 :]:
                link = sent.between(a, b)
                if re.search(r"(与|和|同|跟)", link) and len(link) <= 40 and a.draft is not b.draft:
                    yield from sent.propose("COOPERATES_WITH", zone_of_body(a, ms), zone_of_body(b, ms), 0.8)
                    linked = True
                    break
        if not linked and speaker is not None:
            m3 = re.search(r"(?:与|和|同)(.{0,20}?)(?:共同|签订|建立|合作)", sent.text)
            if m3:
                for p in parties:
                    if sent.start + m3.start() < p.start < sent.start + m3.end() and p.draft is not speaker:
                        yield from sent.propose("COOPERATES_WITH", speaker, p.draft, 0.7)

    # 双方已连续合作五年: the two firms of the sentence work together.
    if re.search(r"双方[^，。；]{0,8}(?:合作|签订|签约|共建|联合)", sent.text):
        pair = list({id(c.draft): c.draft for c in ms if c.label in ("Company", "Organization")}.values())
        if len(pair) == 2:
            yield from sent.propose("COOPERATES_WITH", pair[0], pair[1], 0.7)


def approvals(sent: Sentence) -> Iterator[Proposal]:
    ms = sent.mentions
    # Approval: X 批复 Y 项目.
    for m in _APPROVE.finditer(sent.text):
        pos = sent.start + m.start()
        heads = [h for h in ms if h.end <= pos and h.label in ("Organization", "Company")]
        projects = [p for p in ms if p.start >= pos and p.label == "Project"]
        gap = sent.text[heads[-1].end - sent.start : m.start()] if heads else ""
        if heads and projects and re.fullmatch(r"[）)”\s]*(?:正式|已|已经|近日|日前|依法|同意)?", gap):
            yield from sent.propose("APPROVED", heads[-1].draft, projects[0].draft, 0.85)


def investments(sent: Sentence) -> Iterator[Proposal]:
    ms = sent.mentions
    companies = [m for m in ms if m.label == "Company"]
    # Investment: X 项目，总投资 N 元 (the operator invests).
    for a, b in itertools.pairwise(ms):
        # 某公司年产…项目, with its total investment stated here or in a later sentence (该项目总投资…).
        if a.label == "Company" and b.label == "Project" and adjacent(sent, a, b) and not a.is_ref:
            amount = b.draft.props.get("investment_cny")
            if amount or re.search(r"总投资", sent.text[b.end - sent.start :]):
                props = {"amount": amount} if amount else {}
                yield from sent.propose("INVESTS_IN", a.draft, b.draft, 0.8, **props)
    if "投资" in sent.text:
        build = re.search(r"(?:投资建设|投资兴建|出资建设|投资新建)", sent.text)
        if build and not re.search(r"由[^，。；]{2,30}?投资", sent.text):
            firms = [c for c in companies if c.end <= sent.start + build.start()]
            for p in sent.of("Project"):
                if firms and p.start >= sent.start + build.start():
                    amount = p.draft.props.get("investment_cny")
                    props = {"amount": amount} if amount else {}
                    yield from sent.propose("INVESTS_IN", firms[0].draft, p.draft, 0.75, **props)
        for c in companies:
            verb = re.match(r"\s*(?:计划|拟|将|已)?(?:投资|出资|投入)", sent.text[c.end - sent.start :])
            if verb and not c.is_ref:
                for p in sent.of("Project"):
                    if p.start > c.end:
                        yield from sent.propose("INVESTS_IN", c.draft, p.draft, 0.75)
        m4 = re.search(r"由(.{2,30}?)投资", sent.text)
        if m4:
            for c in companies:
                if sent.start + m4.start() < c.start < sent.start + m4.end():
                    for p in sent.of("Project"):
                        amount = p.draft.props.get("investment_cny")
                        props = {"amount": amount} if amount else {}
                        yield from sent.propose("INVESTS_IN", c.draft, p.draft, 0.8, **props)
                        yield from sent.propose("OPERATES", c.draft, p.draft, 0.5)
