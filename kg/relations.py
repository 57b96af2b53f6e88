"""Relations by patterns over sentences whose mentions are already resolved to entities.

Each rule reads one sentence (and, for quotes, the item around it) and proposes typed edges with a
confidence; `kg.schema` decides which endpoint labels are allowed, so a rule can never produce an edge the
schema forbids.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
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


_LOCATE_VERBS = re.compile(r"(落户|入驻|落地|扎根|搬迁到|迁至|位于|坐落于|选址)")
_COOPERATE = re.compile(r"(签订合同|签订|签约|座谈|合作|共同打造|共同开发|携手|战略合作|对接)")
_SUPPLY = re.compile(
    r"(原材料就是我们|用的也是我们|(?:为|向).{1,16}?(?:配套|供货|供应|提供)|供货|供应商|上游企业|客户(?:包括|有|涵盖|遍及))"
)
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
        if a.label in ("DevelopmentZone", "Park", "Region") and b.label in ("Park", "Company", "Project"):
            yield from rel("LOCATED_IN", b.draft, a.draft, 0.8)
            if a.label == "Region":
                for c in ms:
                    if c.end == a.start and c.label == "Region":
                        yield from rel("LOCATED_IN", b.draft, c.draft, 0.7)
        if a.label == "Company" and b.label == "Project":
            yield from rel("OPERATES", a.draft, b.draft, 0.9)

    # Located: X 落户 / 入驻 / 位于 Y; 在 Y 内的 X; 在 Y，…走进 X; 位于 Y 的 X.
    for m in _LOCATE_VERBS.finditer(sent.text):
        pos = sent.start + m.end()
        places = [p for p in ms if p.start >= pos and p.label in ("DevelopmentZone", "Park", "Region")]
        if not places:
            continue
        place = places[0]
        if place.start - pos > 4:
            continue
        subjects = [c for c in ms if c.end <= sent.start + m.start() and c.label in ("Company", "Project")]
        if m.group(1) == "位于":
            after = [c for c in ms if c.start > place.end and c.label in ("Company", "Project")]
            subject = after[0] if after and sent.between(place, after[0]).startswith("的") else None
            subj_draft = subject.draft if subject else (subjects[-1].draft if subjects else None)
        else:
            subj_draft = subjects[-1].draft if subjects else speaker
        if subj_draft is not None:
            yield from rel("LOCATED_IN", subj_draft, place.draft, 0.85)
    for place in sent.of("DevelopmentZone", "Park"):
        tail = sent.after(place, 3)
        if tail.startswith(("内的", "里的")):
            after = [c for c in ms if c.start >= place.end and c.label == "Company"]
            if after:
                yield from rel("LOCATED_IN", after[0].draft, place.draft, 0.85)
        elif tail.startswith("内") and sent.before(place, 2).endswith("在"):
            target = companies[0].draft if companies else speaker
            if target is not None:
                yield from rel("LOCATED_IN", target, place.draft, 0.7)
        if sent.before(place, 2).endswith("在") and "走进" in sent.text:
            after = [c for c in ms if c.start > place.end and c.label == "Company"]
            if after and "走进" in sent.between(place, after[-1]):
                yield from rel("LOCATED_IN", after[-1].draft, place.draft, 0.75)
    for project in sent.of("Project"):
        m2 = re.match(r"在(.{1,8}?)(?:投产|开工|建成|落地)", sent.text[project.end - sent.start :])
        if m2:
            for place in sent.of("Region", "DevelopmentZone", "Park"):
                if project.end < place.start <= project.end + 2:
                    yield from rel("LOCATED_IN", project.draft, place.draft, 0.8)

    # Part of: 一区两园：A 和 B; X 由 A 和 B 组成.
    zones = sent.of("DevelopmentZone")
    parks = sent.of("Park")
    if zones and parks and ("一区两园" in sent.text or "组成" in sent.text or "一区多园" in sent.text):
        for park in parks:
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

    # Supplies: 宝马、特斯拉上用的防撞梁，原材料就是我们生产的; 为 X 配套.
    if _SUPPLY.search(sent.text):
        supplier = speaker
        cue = _SUPPLY.search(sent.text)
        assert cue is not None
        if cue.group(0).startswith(("为", "向")):
            customers = [c for c in companies if sent.start + cue.start() < c.start < sent.start + cue.end()]
            subjects = [c for c in companies if c.end <= sent.start + cue.start()]
            supplier = subjects[-1].draft if subjects else speaker
        elif cue.group(0).startswith("客户"):
            customers = [c for c in companies if c.start >= sent.start + cue.end()]
            subjects = [c for c in companies if c.end <= sent.start + cue.start()]
            supplier = subjects[0].draft if subjects else speaker
        else:
            customers = [c for c in companies if c.draft is not speaker]
        if supplier is not None:
            for c in customers:
                yield from rel("SUPPLIES_TO", supplier, c.draft, 0.8)

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

    # Approval: X 批复 Y 项目.
    for m in _APPROVE.finditer(sent.text):
        pos = sent.start + m.start()
        heads = [h for h in ms if h.end <= pos and h.label in ("Organization", "Company")]
        projects = [p for p in ms if p.start >= pos and p.label == "Project"]
        if heads and projects and pos - heads[-1].end <= 2:
            yield from rel("APPROVED", heads[-1].draft, projects[0].draft, 0.85)

    # Relocation: 从浙江苏州搬迁到山西兴县.
    for m in _RELOCATE.finditer(sent.text):
        mover = companies[-1].draft if companies and companies[-1].start < sent.start + m.start() else speaker
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
    if "投资" in sent.text:
        for a, b in itertools.pairwise(ms):
            if a.label == "Company" and b.label == "Project" and _adjacent(sent, a, b):
                amount = b.draft.props.get("investment_cny")
                props = {"amount": amount} if amount else {}
                yield from rel("INVESTS_IN", a.draft, b.draft, 0.8, **props)
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
                        yield from rel("INVESTS_IN", c.draft, p.draft, 0.8)


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
