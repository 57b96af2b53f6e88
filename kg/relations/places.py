"""Where things are: LOCATED_IN, PART_OF and RELOCATED_FROM read from 落户 / 位于 / 选址 / 在…的 /
一区两园 / 从…搬迁到 and from names written side by side."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

from kg.relations.sentence import Proposal, Sentence, adjacent, chain_links, de_split, place_chain
from kg.resolve import Draft

_LOCATE_VERBS = re.compile(r"(落户|入驻|落地|扎根|搬迁到|迁至|位于|坐落于|选址|选择|搬进|迁入|进驻|安家|地处)")
_LOCATED_HEADS = ("Company", "Project", "Park", "DevelopmentZone", "Organization")
_FORMER = re.compile(r"(原本|原来|原先|此前|过去|曾经|曾)$")
_GATHER = re.compile(r"(集聚了|聚集了|引进了?|吸引了|入驻了|集聚|聚集)")
_PARTS = re.compile(r"(一区两园|一区多园|一区三园|组成|下设|包括|辖)")
_RELOCATE = re.compile(r"从(.{1,10}?)(?:搬迁|迁移|转移)(?:到|至)(.{1,10})")


def read(sent: Sentence) -> Iterator[Proposal]:
    yield from adjacent_names(sent)
    yield from located(sent)
    yield from parts(sent)
    yield from relocations(sent)


def adjacent_names(sent: Sentence) -> Iterator[Proposal]:
    """洪洞经济技术开发区华翔（洪洞）智能科技产业园, 兴县瓦塘镇山西中润: the later name lies in the earlier."""
    ms = sent.mentions
    for a, b in itertools.pairwise(ms):
        if not adjacent(sent, a, b) or a.is_ref or b.is_ref:
            continue
        if a.label in ("DevelopmentZone", "Park", "Region") and b.label in (
            "Park",
            "Company",
            "Project",
            "DevelopmentZone",
        ):
            yield from sent.propose("LOCATED_IN", b.draft, a.draft, 0.8)
            if a.label == "Region":
                for c in ms:
                    if c.end == a.start and c.label == "Region":
                        yield from sent.propose("LOCATED_IN", b.draft, c.draft, 0.7)


def located(sent: Sentence) -> Iterator[Proposal]:
    ms = sent.mentions
    companies = [m for m in ms if m.label == "Company"]
    speaker = sent.speaker_company
    # Located: X 落户 / 入驻 / 位于 / 选址 / 搬进 Y; 位于 R1 R2 的 X; 原本扎根 Y is where X came from.
    for m in _LOCATE_VERBS.finditer(sent.text):
        pos = sent.start + m.end()
        chain = place_chain(sent, pos)
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
        elif m.group(1) == "位于" and len(chain) > 1 and not subjects and (split := de_split(sent, chain)):
            # 位于四川绵阳的绵州综合保税区: what follows the last 的 of the chain is what is located.
            containers, contained = split
            for place in containers:
                yield from sent.propose("LOCATED_IN", contained.draft, place.draft, 0.85)
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
                yield from sent.propose("RELOCATED_FROM", subject, place.draft, 0.7)
            elif not former:
                yield from sent.propose("LOCATED_IN", subject, place.draft, 0.85 if place is chain[-1] else 0.7)
        yield from chain_links(sent, chain)
    # 在桐湾高新区的安徽恒禾…公司 / 襄北经济技术开发区的襄阳汉泰…公司 / 园区内的 X: a firm in a place.
    for place in sent.of("DevelopmentZone", "Park"):
        tail = sent.after(place, 3)
        nxt = [c for c in ms if c.start >= place.end and c.label in ("Company", "Project")]
        if nxt and sent.between(place, nxt[0]) in ("的", "内的", "里的", "内"):
            yield from sent.propose("LOCATED_IN", nxt[0].draft, place.draft, 0.8)
        elif tail.startswith("内") and sent.before(place, 2).endswith("在"):
            target = companies[0].draft if companies else speaker
            if target is not None:
                yield from sent.propose("LOCATED_IN", target, place.draft, 0.7)
        if sent.before(place, 2).endswith("在") and "走进" in sent.text:
            later = [c for c in ms if c.start > place.end and c.label == "Company"]
            if later and "走进" in sent.between(place, later[-1]):
                yield from sent.propose("LOCATED_IN", later[-1].draft, place.draft, 0.75)
    # 在综保区东侧的绵州电子信息产业园，四川锐芯微电子有限公司的…: the clause opening with a place sets it.
    for opening in re.finditer(r"(?:^|(?<=[，）)\s]))在", sent.text):
        chain = place_chain(sent, sent.start + opening.end(), reach=12)
        if not chain:
            continue
        nxt = [c for c in ms if c.start >= chain[-1].end and c.label in ("Company", "Project")]
        if nxt and re.fullmatch(r"[，,]?|的", sent.between(chain[-1], nxt[0])):
            located = [nxt[0]]
            if len(nxt) > 1 and nxt[1].label == "Project" and adjacent(sent, nxt[0], nxt[1]):
                located.append(nxt[1])  # 在东湾新材料产业园，山东华澄特钢有限公司年产 30 万吨…项目
            for thing in located:
                for place in chain:
                    yield from sent.propose("LOCATED_IN", thing.draft, place.draft, 0.75)
    # 在襄阳建厂 / 在园区投资建设…项目: where a firm builds is where it (and the project) is.
    for m in re.finditer(r"在", sent.text):
        chain = place_chain(sent, sent.start + m.end(), reach=1)
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
                yield from sent.propose("LOCATED_IN", subject, place.draft, 0.75)
        for p in ms:
            if p.label == "Project" and p.start >= chain[-1].end:
                for place in chain:
                    yield from sent.propose("LOCATED_IN", p.draft, place.draft, 0.75)
                break
    for project in sent.of("Project"):
        m2 = re.match(r"在(.{1,8}?)(?:投产|开工|建成|落地)", sent.text[project.end - sent.start :])
        if m2:
            for place in sent.of("Region", "DevelopmentZone", "Park"):
                if project.end < place.start <= project.end + 2:
                    yield from sent.propose("LOCATED_IN", project.draft, place.draft, 0.8)
    # 园区…集聚了 A、B 等企业 / 开发区先后引进 A、B: the place is home to the firms it drew.
    for m in _GATHER.finditer(sent.text):
        verb_at = sent.start + m.start()
        places = [p for p in ms if p.end <= verb_at and p.label in ("DevelopmentZone", "Park")]
        if not places:
            continue
        for c in ms:
            if c.start > verb_at and c.label == "Company" and not c.is_ref:
                yield from sent.propose("LOCATED_IN", c.draft, places[-1].draft, 0.7)


def parts(sent: Sentence) -> Iterator[Proposal]:
    # Part of: 一区两园：A 和 B; X 由 A 和 B 组成; 下设 A 和 B 两个园区.
    zones = sent.of("DevelopmentZone")
    parks = sent.of("Park")
    if zones and parks and _PARTS.search(sent.text):
        for park in parks:
            if park.start > zones[0].start:
                yield from sent.propose("PART_OF", park.draft, zones[0].draft, 0.9)
    for org in sent.of("Organization"):
        for zone in zones:
            if zone.start == org.start and zone.end < org.end:
                yield from sent.propose("PART_OF", org.draft, zone.draft, 0.6)
    # 襄垣经济技术开发区潞北三路道路工程: a project (or park) named with its zone is in it.
    for project in sent.of("Project", "Park"):
        for zone in zones:
            if zone.start == project.start and zone.end < project.end:
                yield from sent.propose("LOCATED_IN", project.draft, zone.draft, 0.85)


def relocations(sent: Sentence) -> Iterator[Proposal]:
    ms = sent.mentions
    companies = [m for m in ms if m.label == "Company"]
    speaker = sent.speaker_company
    # Relocation: 从浙江苏州搬迁到山西兴县.
    for m in _RELOCATE.finditer(sent.text):
        movers = [c for c in companies if c.start < sent.start + m.start()]
        mover = movers[-1].draft if movers else speaker
        if mover is None:
            continue
        origin = [r for r in ms if r.label == "Region" and sent.start + m.start(1) <= r.start < sent.start + m.end(1)]
        dest = [r for r in ms if r.label == "Region" and sent.start + m.start(2) <= r.start < sent.start + m.end(2)]
        for i, r in enumerate(origin):
            yield from sent.propose("RELOCATED_FROM", mover, r.draft, 0.85 if i == len(origin) - 1 else 0.6)
        for i, r in enumerate(dest):
            yield from sent.propose("LOCATED_IN", mover, r.draft, 0.8 if i == len(dest) - 1 else 0.6)
