"""Stated figures become properties of what the sentence is about: 总投资 of the project, 规划面积 and
产值 of the zone, 就业岗位 of the project or firm (kg.nlp.figures normalises the numbers)."""

from __future__ import annotations

import re

from kg.nlp import figures as fig
from kg.relations import Placed, sentence_mentions


def attach_figures(placed: list[Placed], sentences: list[tuple[int, int]], text: str) -> None:
    """Stated figures become properties of the project, zone, company or region the sentence is about."""
    for s, e in sentences:
        sent = text[s:e]
        ms = sentence_mentions(placed, s, e)
        projects = [m.draft for m in ms if m.label == "Project"]
        zones = [m.draft for m in ms if m.label == "DevelopmentZone"]
        companies = [m.draft for m in ms if m.label == "Company"]
        regions = [m.draft for m in ms if m.label == "Region"]
        subject = projects[0] if projects else (zones[0] if zones else (companies[0] if companies else None))
        for m in re.finditer(r"(?:总投资|投资总额|计划投资|完成工业投资|工业投资)\s*(?:约|达|为)?\s*", sent):
            amounts = fig.money(sent[m.end() : m.end() + 20])
            target = projects[0] if projects else (zones[0] if zones else None)
            if amounts and target is not None and amounts[0][0] == 0:
                target.props.setdefault("investment_cny", amounts[0][2])
        for m in re.finditer(r"(?:产值|营收|年产值)\s*(?:可达|达到|达|为|约)?\s*", sent):
            amounts = fig.money(sent[m.end() : m.end() + 20])
            if amounts and amounts[0][0] == 0 and subject is not None:
                subject.props.setdefault("output_value_cny", amounts[0][2])
        for m in re.finditer(r"(?:面积|占地)\s*(?:约|达|为)?\s*", sent):
            areas = fig.area_km2(sent[m.end() : m.end() + 20])
            target = zones[0] if zones else None
            if areas and areas[0][0] == 0 and target is not None:
                target.props.setdefault("area_km2", areas[0][2])
        place_area = re.search(r"这片\s*(\d+(?:\.\d+)?)\s*平方公里", sent)
        if place_area and regions:
            regions[-1].props.setdefault("area_km2", fig.as_json_number(fig.to_number(place_area.group(1))))
        for _, _, n in fig.jobs(sent):
            if subject is not None:
                subject.props.setdefault("jobs", n)
        started = re.search(
            r"((?:19|20)\d{2})\s*年(?:底|初|末)?\s*(?:，|,)?\s*(?:.{0,14}?)(建立|设立|成立|投产|获批|开工)",
            sent,
        )
        if started and subject is not None:
            subject.props.setdefault("year_started", int(started.group(1)))
        for p in projects:
            caps = fig.tonnes(p.name)
            if caps:
                p.props.setdefault("capacity_t", caps[0][2])
