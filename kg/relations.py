"""Relations by patterns over sentences whose mentions are already resolved to entities.

Each rule reads one sentence (and, for quotes, the item around it) and proposes typed edges with a
confidence; `kg.schema` decides which endpoint labels are allowed, so a rule can never produce an edge the
schema forbids.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from kg.resolve import Draft
from kg.schema import RELATION_TYPES


@dataclass(frozen=True)
class Placed:
    """A resolved mention: where it is and which entity it names."""

    start: int
    end: int
    draft: Draft
    is_ref: bool = False

    @property
    def label(self) -> str:
        return self.draft.label


@dataclass(frozen=True)
class Proposal:
    type: str
    head: Draft
    tail: Draft
    sentence: tuple[int, int]
    confidence: float
    props: tuple[tuple[str, object], ...] = ()


@dataclass
class Sentence:
    start: int
    end: int
    text: str
    mentions: list[Placed]
    speaker_company: Draft | None  # whom 我们 means in this sentence

    def of(self, *labels: str) -> list[Placed]:
        return [m for m in self.mentions if m.label in labels]

    def between(self, a: Placed, b: Placed) -> str:
        return self.text[a.end - self.start : b.start - self.start]

    def after(self, m: Placed, n: int = 12) -> str:
        return self.text[m.end - self.start : m.end - self.start + n]

    def before(self, m: Placed, n: int = 12) -> str:
        return self.text[max(0, m.start - self.start - n) : m.start - self.start]


_LOCATE_VERBS = re.compile(
    r"(落户|入驻|落地|扎根|搬迁到|迁至|位于|坐落于|选址|选择|搬进|迁入|进驻|安家|地处)"
)
_LOCATED_HEADS = ("Company", "Project", "Park", "DevelopmentZone", "Organization")
_FORMER = re.compile(r"(原本|原来|原先|此前|过去|曾经|曾)$")
_GATHER = re.compile(r"(集聚了|聚集了|引进了?|吸引了|入驻了|集聚|聚集)")
_PARTS = re.compile(r"(一区两园|一区多园|一区三园|组成|下设|包括|辖)")
_COOPERATE = re.compile(r"(签订合同|签订|签约|座谈|合作|共同打造|共同开发|携手|战略合作|对接)")
_SUPPLY_OURS = re.compile(
    r"原材料就是我们|用的也是我们|由我们(?:配套|供应|供货|提供)|是我们的(?:老|长期|主要|重要|核心)?客户"
)
_SUPPLY_FOR = re.compile(r"(?:为|向)([^，。；]{1,16}?)(?:配套|供货|供应|提供)")
_SUPPLY_TO = re.compile(r"(?:主要)?(?:供应给?|供货给|销往|配套|客户(?:包括|有|涵盖|遍及))")
_APPROVE = re.compile(r"(批复|批准|核准|审批通过)")
_RELOCATE = re.compile(r"从(.{1,10}?)(?:搬迁|迁移|转移)(?:到|至)(.{1,10})")


def _ok(rtype: str, head: Draft, tail: Draft) -> bool:
    return head is not tail and RELATION_TYPES[rtype].allows(head.label, tail.label)


def propose(sent: Sentence) -> Iterator[Proposal]:
    """Every rule over one sentence."""
    span = (sent.start, sent.end)
    ms = sent.mentions
    companies = [m for m in ms if m.label == "Company"]
    speaker = sent.speaker_company

    def rel(rtype: str, head: Draft, tail: Draft, conf: float, **props: object) -> Iterator[Proposal]:
        if _ok(rtype, head, tail):
            yield Proposal(rtype, head, tail, span, conf, tuple(sorted(props.items())))

    # Adjacent names: 洪洞经济技术开发区华翔（洪洞）智能科技产业园, 兴县瓦塘镇山西中润.
    for a, b in itertools.pairwise(ms):
        if not _adjacent(sent, a, b) or a.is_ref or b.is_ref:
            continue
        if a.label in ("DevelopmentZone", "Park", "Region") and b.label in (
            "Park",
            "Company",
            "Project",
            "DevelopmentZone",
        ):
            yield from rel("LOCATED_IN", b.draft, a.draft, 0.8)
            if a.label == "Region":
                for c in ms:
                    if c.end == a.start and c.label == "Region":
                        yield from rel("LOCATED_IN", b.draft, c.draft, 0.7)
        if a.label == "Company" and b.label == "Project":
            yield from rel("OPERATES", a.draft, b.draft, 0.9)

    # Located: X 落户 / 入驻 / 位于 / 选址 / 搬进 Y; 位于 R1 R2 的 X; 原本扎根 Y is where X came from.
    for m in _LOCATE_VERBS.finditer(sent.text):
        pos = sent.start + m.end()
        chain = _place_chain(sent, pos)
        if not chain:
            continue
        before_verb = sent.text[: m.start()]
        heads = _LOCATED_HEADS
        subjects = [c for c in ms if c.end <= sent.start + m.start() and c.label in heads]
        if m.group(1) == "位于":
            # 科学导报讯 记者某某 走进位于…: a dateline's newspaper is not what is located.
            subjects = [c for c in subjects if c.label != "Organization" or c.end >= sent.start + m.start() - 1]
        after = [c for c in ms if c.start >= chain[-1].end and c.label in heads]
        if m.group(1) == "位于" and after and sent.between(chain[-1], after[0]) == "的":
            subject: Draft | None = after[0].draft
        elif m.group(1) == "位于" and len(chain) > 1 and not subjects and _de_split(sent, chain):
            # 位于四川绵阳的绵州综合保税区: what follows the last 的 of the chain is what is located.
            places, located = _de_split(sent, chain)
            for place in places:
                yield from rel("LOCATED_IN", located.draft, place.draft, 0.85)
            continue
        elif m.group(1) == "位于":
            subject = subjects[0].draft if subjects else None
        else:
            subject = subjects[-1].draft if subjects else speaker
        if subject is None:
            continue
        former = _FORMER.search(before_verb)
        for place in chain:
            if former and place.label == "Region":
                yield from rel("RELOCATED_FROM", subject, place.draft, 0.7)
            elif not former:
                yield from rel("LOCATED_IN", subject, place.draft, 0.85 if place is chain[-1] else 0.7)
        yield from _chain_links(chain, rel)
    # 在桐湾高新区的安徽恒禾…公司 / 襄北经济技术开发区的襄阳汉泰…公司 / 园区内的 X: a firm in a place.
    for place in sent.of("DevelopmentZone", "Park"):
        tail = sent.after(place, 3)
        nxt = [c for c in ms if c.start >= place.end and c.label in ("Company", "Project")]
        if nxt and sent.between(place, nxt[0]) in ("的", "内的", "里的", "内"):
            yield from rel("LOCATED_IN", nxt[0].draft, place.draft, 0.8)
        elif tail.startswith("内") and sent.before(place, 2).endswith("在"):
            target = companies[0].draft if companies else speaker
            if target is not None:
                yield from rel("LOCATED_IN", target, place.draft, 0.7)
        if sent.before(place, 2).endswith("在") and "走进" in sent.text:
            later = [c for c in ms if c.start > place.end and c.label == "Company"]
            if later and "走进" in sent.between(place, later[-1]):
                yield from rel("LOCATED_IN", later[-1].draft, place.draft, 0.75)
    # 在综保区东侧的绵州电子信息产业园，四川锐芯微电子有限公司的…: the clause opening with a place sets it.
    for opening in re.finditer(r"(?:^|(?<=[，）)\s]))在", sent.text):
        chain = _place_chain(sent, sent.start + opening.end(), reach=12)
        if not chain:
            continue
        nxt = [c for c in ms if c.start >= chain[-1].end and c.label in ("Company", "Project")]
        if nxt and re.fullmatch(r"[，,]?|的", sent.between(chain[-1], nxt[0])):
            located = [nxt[0]]
            if len(nxt) > 1 and nxt[1].label == "Project" and _adjacent(sent, nxt[0], nxt[1]):
                located.append(nxt[1])  # 在东湾新材料产业园，山东华澄特钢有限公司年产 30 万吨…项目
            for thing in located:
                for place in chain:
                    yield from rel("LOCATED_IN", thing.draft, place.draft, 0.75)
    # 在襄阳建厂 / 在园区投资建设…项目: where a firm builds is where it (and the project) is.
    for m in re.finditer(r"在", sent.text):
        chain = _place_chain(sent, sent.start + m.end(), reach=1)
        if not chain:
            continue
        rest = sent.text[chain[-1].end - sent.start :]
        build = re.match(r"(?:内)?(?:建厂|设厂|投资建设|投资兴建|建设|投产|落地|扎根|成立|注册)", rest)
        if not build:
            continue
        subjects = [c for c in ms if c.end <= sent.start + m.start() and c.label == "Company"]
        subject = subjects[-1].draft if subjects else speaker
        if subject is not None:
            for place in chain:
                yield from rel("LOCATED_IN", subject, place.draft, 0.75)
        for p in ms:
            if p.label == "Project" and p.start >= chain[-1].end:
                for place in chain:
                    yield from rel("LOCATED_IN", p.draft, place.draft, 0.75)
                break
    for project in sent.of("Project"):
        m2 = re.match(r"在(.{1,8}?)(?:投产|开工|建成|落地)", sent.text[project.end - sent.start :])
        if m2:
            for place in sent.of("Region", "DevelopmentZone", "Park"):
                if project.end < place.start <= project.end + 2:
                    yield from rel("LOCATED_IN", project.draft, place.draft, 0.8)
    # 园区…集聚了 A、B 等企业 / 开发区先后引进 A、B: the place is home to the firms it drew.
    for m in _GATHER.finditer(sent.text):
        verb_at = sent.start + m.start()
        places = [p for p in ms if p.end <= verb_at and p.label in ("DevelopmentZone", "Park")]
        if not places:
            continue
        for c in ms:
            if c.start > verb_at and c.label == "Company" and not c.is_ref:
                yield from rel("LOCATED_IN", c.draft, places[-1].draft, 0.7)

    # Part of: 一区两园：A 和 B; X 由 A 和 B 组成; 下设 A 和 B 两个园区.
    zones = sent.of("DevelopmentZone")
    parks = sent.of("Park")
    if zones and parks and _PARTS.search(sent.text):
        for park in parks:
            if park.start > zones[0].start:
                yield from rel("PART_OF", park.draft, zones[0].draft, 0.9)
    for org in sent.of("Organization"):
        for zone in zones:
            if zone.start == org.start and zone.end < org.end:
                yield from rel("PART_OF", org.draft, zone.draft, 0.6)
    # 襄垣经济技术开发区潞北三路道路工程: a project (or park) named with its zone is in it.
    for project in sent.of("Project", "Park"):
        for zone in zones:
            if zone.start == project.start and zone.end < project.end:
                yield from rel("LOCATED_IN", project.draft, zone.draft, 0.85)

    # Supplies: 宝马、特斯拉上用的防撞梁，原材料就是我们生产的; 为 X 配套; 主要供应 X、Y; 是我们的老客户.
    yield from _supplies(sent, companies, speaker, rel)

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
                    yield from rel("COOPERATES_WITH", _zone_of_body(a, ms), _zone_of_body(b, ms), 0.8)
                    linked = True
                    break
        if not linked and speaker is not None:
            m3 = re.search(r"(?:与|和|同)(.{0,20}?)(?:共同|签订|建立|合作)", sent.text)
            if m3:
                for p in parties:
                    if sent.start + m3.start() < p.start < sent.start + m3.end() and p.draft is not speaker:
                        yield from rel("COOPERATES_WITH", speaker, p.draft, 0.7)

    # 双方已连续合作五年: the two firms of the sentence work together.
    if re.search(r"双方[^，。；]{0,8}(?:合作|签订|签约|共建|联合)", sent.text):
        pair = list({id(c.draft): c.draft for c in ms if c.label in ("Company", "Organization")}.values())
        if len(pair) == 2:
            yield from rel("COOPERATES_WITH", pair[0], pair[1], 0.7)

    # Approval: X 批复 Y 项目.
    for m in _APPROVE.finditer(sent.text):
        pos = sent.start + m.start()
        heads = [h for h in ms if h.end <= pos and h.label in ("Organization", "Company")]
        projects = [p for p in ms if p.start >= pos and p.label == "Project"]
        gap = sent.text[heads[-1].end - sent.start : m.start()] if heads else ""
        if heads and projects and re.fullmatch(r"[）)”\s]*(?:正式|已|已经|近日|日前|依法|同意)?", gap):
            yield from rel("APPROVED", heads[-1].draft, projects[0].draft, 0.85)

    # Relocation: 从浙江苏州搬迁到山西兴县.
    for m in _RELOCATE.finditer(sent.text):
        movers = [c for c in companies if c.start < sent.start + m.start()]
        mover = movers[-1].draft if movers else speaker
        if mover is None:
            continue
        origin = [
            r
            for r in ms
            if r.label == "Region" and sent.start + m.start(1) <= r.start < sent.start + m.end(1)
        ]
        dest = [
            r
            for r in ms
            if r.label == "Region" and sent.start + m.start(2) <= r.start < sent.start + m.end(2)
        ]
        for i, r in enumerate(origin):
            yield from rel("RELOCATED_FROM", mover, r.draft, 0.85 if i == len(origin) - 1 else 0.6)
        for i, r in enumerate(dest):
            yield from rel("LOCATED_IN", mover, r.draft, 0.8 if i == len(dest) - 1 else 0.6)

    # Investment: X 项目，总投资 N 元 (the operator invests).
    for a, b in itertools.pairwise(ms):
        # 某公司年产…项目, with its total investment stated here or in a later sentence (该项目总投资…).
        if a.label == "Company" and b.label == "Project" and _adjacent(sent, a, b) and not a.is_ref:
            amount = b.draft.props.get("investment_cny")
            if amount or re.search(r"总投资", sent.text[b.end - sent.start :]):
                props = {"amount": amount} if amount else {}
                yield from rel("INVESTS_IN", a.draft, b.draft, 0.8, **props)
    if "投资" in sent.text:
        build = re.search(r"(?:投资建设|投资兴建|出资建设|投资新建)", sent.text)
        if build and not re.search(r"由[^，。；]{2,30}?投资", sent.text):
            firms = [c for c in companies if c.end <= sent.start + build.start()]
            for p in sent.of("Project"):
                if firms and p.start >= sent.start + build.start():
                    amount = p.draft.props.get("investment_cny")
                    props = {"amount": amount} if amount else {}
                    yield from rel("INVESTS_IN", firms[0].draft, p.draft, 0.75, **props)
        for c in companies:
            verb = re.match(r"\s*(?:计划|拟|将|已)?(?:投资|出资|投入)", sent.text[c.end - sent.start :])
            if verb and not c.is_ref:
                for p in sent.of("Project"):
                    if p.start > c.end:
                        yield from rel("INVESTS_IN", c.draft, p.draft, 0.75)
        m4 = re.search(r"由(.{2,30}?)投资", sent.text)
        if m4:
            for c in companies:
                if sent.start + m4.start() < c.start < sent.start + m4.end():
                    for p in sent.of("Project"):
                        amount = p.draft.props.get("investment_cny")
                        props = {"amount": amount} if amount else {}
                        yield from rel("INVESTS_IN", c.draft, p.draft, 0.8, **props)
                        yield from rel("OPERATES", c.draft, p.draft, 0.5)


_PLACES = ("DevelopmentZone", "Park", "Region")
_BESIDE = re.compile(r"(?:东|西|南|北|东南|东北|西南|西北)(?:侧|边|面|部|郊)?的|旁(?:边)?的|附近的|对面的")


def _supplies(
    sent: Sentence, companies: list[Placed], speaker: Draft | None, rel: Callable[..., Iterator[Proposal]]
) -> Iterator[Proposal]:
    """Who supplies whom: the firm that speaks (我们) or the subject of the clause, to the firms named."""

    def supplier_before(at: int) -> Draft | None:
        if "我们" in sent.text[: at - sent.start]:
            return speaker
        subjects = [c for c in companies if c.end <= at]
        return subjects[0].draft if subjects else speaker

    if _SUPPLY_OURS.search(sent.text):
        for c in companies:
            if c.draft is not speaker and speaker is not None:
                yield from rel("SUPPLIES_TO", speaker, c.draft, 0.8)
    for m in _SUPPLY_FOR.finditer(sent.text):
        supplier = supplier_before(sent.start + m.start())
        for c in companies:
            if sent.start + m.start(1) <= c.start < sent.start + m.end(1) and supplier is not None:
                yield from rel("SUPPLIES_TO", supplier, c.draft, 0.8)
    # 金岳铸造的上游，是…山东华澄特钢有限公司: the upstream firm supplies the one named first.
    for m in re.finditer(r"的上游(?:企业)?[，,]?(?:是|为|有)", sent.text):
        buyers = [c for c in companies if c.end <= sent.start + m.start()]
        sellers = [c for c in companies if c.start >= sent.start + m.end()]
        if buyers and sellers:
            yield from rel("SUPPLIES_TO", sellers[0].draft, buyers[-1].draft, 0.75)
    # 我们的瓶片原料大部分由…湖州青禾再生资源有限公司供应: the named firm supplies the speaker.
    for m in re.finditer(r"由([^，。；]{2,40}?)(?:供应|供货|提供|配套)", sent.text):
        sellers = [c for c in companies if sent.start + m.start(1) <= c.start < sent.start + m.end(1)]
        buyer = speaker if "我们" in sent.text[: m.start()] else None
        if sellers and buyer is not None:
            yield from rel("SUPPLIES_TO", sellers[-1].draft, buyer, 0.75)
    # 产品已进入比亚迪、蔚来和一汽-大众等整车企业的供应链.
    for m in re.finditer(r"进入([^。；]{2,60}?)(?:的)?(?:供应链|供应体系|配套体系|采购体系)", sent.text):
        supplier = supplier_before(sent.start + m.start())
        for c in companies:
            if sent.start + m.start(1) <= c.start < sent.start + m.end(1) and supplier is not None:
                yield from rel("SUPPLIES_TO", supplier, c.draft, 0.75)
    for m in _SUPPLY_TO.finditer(sent.text):
        clause_end = re.search(r"[，。；]", sent.text[m.end() :])
        limit = sent.start + m.end() + (clause_end.start() if clause_end else len(sent.text))
        customers = [c for c in companies if sent.start + m.end() <= c.start < limit]
        supplier = supplier_before(sent.start + m.start())
        if supplier is None:
            continue
        for c in customers:
            yield from rel("SUPPLIES_TO", supplier, c.draft, 0.75)


def _place_chain(sent: Sentence, pos: int, reach: int = 4) -> list[Placed]:
    """Places written one after another from `pos` (盐城滨淮经济开发区的绿港新能源产业园, 绵阳市涪城区)."""
    chain: list[Placed] = []
    for m in sent.mentions:
        if m.start < pos:
            continue
        if not chain:
            if m.label not in _PLACES or m.start - pos > reach:
                if m.start - pos > reach:
                    break
                continue
            chain.append(m)
            continue
        gap = sent.text[chain[-1].end - sent.start : m.start - sent.start]
        if m.label in _PLACES and gap.strip() in ("", "的"):
            chain.append(m)
        elif m.label in _PLACES and _BESIDE.fullmatch(gap):
            chain = [m]  # 综保区东侧的绵州电子信息产业园: beside the first place, not in it
        else:
            break
    return chain


def _de_split(sent: Sentence, chain: list[Placed]) -> tuple[list[Placed], Placed] | None:
    """Split 四川绵阳的绵州综合保税区 into the places (四川, 绵阳) and the thing located (the zone)."""
    for i in range(len(chain) - 1, 0, -1):
        if sent.between(chain[i - 1], chain[i]) == "的":
            return chain[:i], chain[i]
    return None


def _chain_links(chain: list[Placed], rel: Callable[..., Iterator[Proposal]]) -> Iterator[Proposal]:
    """Each place of a chain lies in the one before it (the park in its zone, the district in its city)."""
    for outer, inner in itertools.pairwise(chain):
        yield from rel("LOCATED_IN", inner.draft, outer.draft, 0.7)


def _adjacent(sent: Sentence, a: Placed, b: Placed) -> bool:
    """Nothing but spaces between two mentions (山西一禾…有限公司 10 万吨…项目)."""
    return 0 <= b.start - a.end <= 2 and not sent.text[a.end - sent.start : b.start - sent.start].strip()


def _zone_of_body(m: Placed, ms: list[Placed]) -> Draft:
    """A zone's 党工委 or 管委会 acting for the zone (巩志岗 of 上党经开区党工委 meets a firm): the zone."""
    if m.label == "Organization":
        for z in ms:
            if z.label == "DevelopmentZone" and z.start == m.start and z.end < m.end:
                return z.draft
    return m.draft
