"""WORKS_FOR: a post written before a name (厂长蒋斌, 党工委书记、管委会主任某某) and the body or firm
written before the post, or the firm the article is on for a firm's post with no employer named."""

from __future__ import annotations

import re

from kg.relations.sentence import Placed, Proposal, Sentence
from kg.relations.speakers import topic_company

_CORPORATE_TITLES = re.compile(r"(厂长|经理|总裁|董事|总监|主管|负责人|教员|工程师|主任|部长|员)$")
_GOV_TITLES = re.compile(r"(市长|县长|省长|区长|镇长|乡长|市委|县委|省委)")


def works_for(sent: Sentence, placed: list[Placed], item: tuple[int, int], text: str) -> list[Proposal]:
    """厂长蒋斌: the post before a name, and the body or firm right before the post."""
    out: list[Proposal] = []
    span = (sent.start, sent.end)
    for m in sent.mentions:
        if m.label != "Person" or m.is_ref:
            continue
        cand = next((c for c in m.draft.mentions if c.start == m.start and "title" in c.extra), None)
        if cand is None:
            continue
        title = cand.extra["title"]
        title_start = m.start - int(cand.extra["title_length"])  # offsets move with the item; lengths don't
        employers = [
            o
            for o in sent.mentions
            if title_start - 1 <= o.end <= m.start and o.label in ("Company", "Organization", "DevelopmentZone")
        ]
        employers = employers[-1:]
        if employers:
            # 上党经开区党工委委员、尚卓集团董事长王红德: the post before the list belongs to the same person.
            emp = employers[-1]
            earlier = [o for o in sent.mentions if o.end <= emp.start and o.label in ("Organization", "Company")]
            if earlier:
                gap = sent.text[earlier[-1].end - sent.start : emp.start - sent.start]
                if gap.endswith("、") and 0 < len(gap) <= 8 and gap[:-1] and not re.search(r"[，。与和]", gap):
                    out.append(Proposal("WORKS_FOR", m.draft, earlier[-1].draft, span, 0.8, (("title", gap[:-1]),)))
        # 党工委、管委会主任: a title shared by two bodies of one zone.
        chain = [
            o
            for o in sent.mentions
            if o.label == "Organization"
            and o.end < title_start
            and title_start - o.end <= 14
            and sent.text[o.end - sent.start : title_start - sent.start].startswith("、")
            and o not in employers
        ]
        if not employers:
            # 吴礼文、技术中心研发部部长闫清华: the firm of the first name in a list.
            prev = [o for o in sent.mentions if o.end <= title_start and o.label in ("Company", "Organization")]
            if prev and "、" in sent.text[prev[-1].end - sent.start : title_start - sent.start][-2:]:
                employers = prev[-1:]
        if not employers and not _GOV_TITLES.search(title) and _CORPORATE_TITLES.search(title):
            speaker = topic_company(placed, m.start, item, text)
            if speaker is not None:
                out.append(Proposal("WORKS_FOR", m.draft, speaker, span, 0.6, (("title", title),)))
        for emp in employers + chain:
            target = emp.draft
            short_title = title
            out.append(Proposal("WORKS_FOR", m.draft, target, span, 0.85, (("title", short_title),)))
            for z in sent.mentions:
                if z.label == "DevelopmentZone" and z.start == emp.start and z.end < emp.end:
                    out.append(Proposal("WORKS_FOR", m.draft, z.draft, span, 0.5, (("title", short_title),)))
        # 开发区管委会主任某某 without a named zone: the article's zone.
    return out
