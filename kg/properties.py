"""Stated figures become properties of what the sentence is about: 总投资 of the project (else the zone),
规划面积 of the zone, 产值 and 就业岗位 of the project, zone or firm the sentence is on, the capacity of a
capacity project from its name (年产 10 万吨…). `kg.nlp.figures` normalises the numbers to base units."""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

from kg.mentions import Mention
from kg.nlp import figures as fig
from kg.reading import ReadArticle
from kg.resolve import Resolution

_INVESTMENT = re.compile(r"(?:总投资|投资总额|计划投资|完成工业投资|工业投资|拟投资)\s*(?:约|达|为|近|超)?\s*")
_OUTPUT = re.compile(r"(?:产值|营收|年产值|营业收入)\s*(?:可达|达到|达|为|约|超)?\s*")
_AREA = re.compile(r"(?:面积|占地)\s*(?:约|达|为)?\s*")
_STARTED = re.compile(r"((?:19|20)\d{2})\s*年(?:底|初|末)?\s*[，]?\s*(?:.{0,14}?)(建立|设立|成立|投产|获批|开工)")


def attach_figures(doc: ReadArticle, found: Sequence[Mention], resolution: Resolution) -> dict[int, dict[str, object]]:
    """Entity index → figures read from the sentences its mentions are in (first statement wins)."""
    text = doc.text
    props: dict[int, dict[str, object]] = {}
    located = sorted(
        (m.start, m.end, m.label, resolution.owner[i]) for i, m in enumerate(found) if i in resolution.owner
    )
    starts = [x[0] for x in located]

    def set_prop(entity: int | None, key: str, value: object) -> None:
        if entity is not None:
            props.setdefault(entity, {}).setdefault(key, value)

    for s, e in doc.sentences():
        sent = text[s:e]
        lo, hi = bisect.bisect_left(starts, s), bisect.bisect_left(starts, e)
        inside = located[lo:hi]

        def first(*labels: str, inside: list[tuple[int, int, str, int]] = inside) -> int | None:
            return next((x[3] for x in inside if x[2] in labels), None)

        project, zone = first("Project"), first("DevelopmentZone")
        subject = project if project is not None else zone if zone is not None else first("Company")
        for m in _INVESTMENT.finditer(sent):
            amounts = fig.money(sent[m.end() : m.end() + 20])
            if amounts and amounts[0][0] == 0:
                set_prop(project if project is not None else zone, "investment_cny", amounts[0][2])
        for m in _OUTPUT.finditer(sent):
            amounts = fig.money(sent[m.end() : m.end() + 20])
            if amounts and amounts[0][0] == 0:
                set_prop(subject, "output_value_cny", amounts[0][2])
        for m in _AREA.finditer(sent):
            areas = fig.area_km2(sent[m.end() : m.end() + 20])
            if areas and areas[0][0] == 0:
                set_prop(zone, "area_km2", areas[0][2])
        for _, _, n in fig.jobs(sent):
            set_prop(subject, "jobs", n)
        started = _STARTED.search(sent)
        if started:
            set_prop(subject, "year_started", int(started.group(1)))
    for k, entity in enumerate(resolution.entities):
        if entity.label == "Project":
            caps = fig.tonnes(entity.name)
            if caps:
                set_prop(k, "capacity_t", caps[0][2])
    return props
