"""PRODUCES and OPERATES: who makes a product (the project in the sentence, the firm speaking in 我们生产的,
the subject firm) and who runs a project (我们的…项目, a project named after its firm)."""

from __future__ import annotations

import itertools
import re

from kg.relations.sentence import Proposal, Sentence, adjacent
from kg.relations.speakers import inside_quote


def produces(sent: Sentence, text: str) -> list[Proposal]:
    out: list[Proposal] = []
    span = (sent.start, sent.end)
    for m in sent.mentions:
        if m.label != "Product":
            continue
        projects = [p for p in sent.mentions if p.label == "Project" and p.start <= m.start < p.end + 1]
        if projects:
            out.append(Proposal("PRODUCES", projects[0].draft, m.draft, span, 0.85))
            ops = [
                c
                for c in sent.mentions
                if c.label == "Company" and c.end <= projects[0].start and projects[0].start - c.end <= 1
            ]
            firms = [c.draft for c in sent.mentions if c.label == "Company"]
            maker = ops[0].draft if ops else (firms[0] if firms else sent.speaker_company)
            if maker is not None:  # the firm running a capacity project makes its product (an edge case)
                out.append(Proposal("PRODUCES", maker, m.draft, span, 0.5))
            continue
        before = [c for c in sent.mentions if c.label in ("Company", "Project") and c.end <= m.start]
        we = sent.text.rfind("我们", 0, m.start - sent.start)
        sent_projects = [p for p in sent.mentions if p.label == "Project"]
        if sent_projects and we == -1:
            # A project in the sentence is what makes the product; its firm only as an edge case.
            out.append(Proposal("PRODUCES", sent_projects[0].draft, m.draft, span, 0.7))
            continue
        if we != -1:
            # 我们生产的…: the speaker's firm; outside a quote, the firm named just before 我们
            # (某公司总经理某某说，我们…).
            named = [c for c in before if c.label == "Company" and c.end <= sent.start + we]
            quoted = inside_quote(text, sent.start + we)
            subject = named[-1].draft if named and not quoted else sent.speaker_company
        else:
            subject = before[0].draft if before else sent.speaker_company
        if subject is not None:
            out.append(Proposal("PRODUCES", subject, m.draft, span, 0.7))
    return out


def operates(sent: Sentence) -> list[Proposal]:
    """A firm running a project: 山西中润 4 万吨…项目 (the firm written right before it), 我们的…项目 (the
    speaker's), 博睿储能一期项目 (named after the firm), or the one firm of a sentence about a project's work
    (查看…项目运行情况, 办理…项目备案)."""
    span = (sent.start, sent.end)
    out: list[Proposal] = []
    for a, b in itertools.pairwise(sent.mentions):
        if a.label == "Company" and b.label == "Project" and adjacent(sent, a, b) and not (a.is_ref or b.is_ref):
            out.append(Proposal("OPERATES", a.draft, b.draft, span, 0.9))
    projects = [m for m in sent.mentions if m.label == "Project"]
    for p in projects:
        before = sent.text[max(0, p.start - sent.start - 4) : p.start - sent.start]
        if before.endswith(("我们的", "公司的", "我们", "本公司")) and sent.speaker_company is not None:
            out.append(Proposal("OPERATES", sent.speaker_company, p.draft, span, 0.75))
            if p.draft.props.get("investment_cny"):
                props = (("amount", p.draft.props["investment_cny"]),)
                out.append(Proposal("INVESTS_IN", sent.speaker_company, p.draft, span, 0.7, props))
        for c in sent.mentions:
            if c.label == "Company" and c.start == p.start and c.end < p.end:
                out.append(Proposal("OPERATES", c.draft, p.draft, span, 0.8))
    companies = {m.draft.key: m.draft for m in sent.mentions if m.label == "Company"}
    if len(companies) != 1 or not projects:
        return out
    company = next(iter(companies.values()))
    if not re.search(r"(运行|办理|建设|实施|推进|投产|开工)", sent.text) or re.search(r"(批复|批准|核准)", sent.text):
        return out
    return out + [Proposal("OPERATES", company, p.draft, span, 0.6) for p in projects]
