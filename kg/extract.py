"""Article → DocGraph: the only code that reads spaCy annotations.

Each news item of the article (items end with a byline) runs through the spaCy pipeline; candidates are
selected, grouped into entities for the whole article, references resolved inside their item, relations
read sentence by sentence, and figures attached. Ids derive from content, so output is deterministic.
"""

from __future__ import annotations

import bisect
import re

from kg.layout import segments
from kg.model import Article, DocGraph, Entity, Evidence, Mention, Relation, entity_key, stable_id
from kg.nlp import figures as fig
from kg.nlp import load_recognizer, make_nlp, sentence_spans
from kg.nlp.lexicon import load_lexicon
from kg.nlp.shapes import Candidate
from kg.relations import Placed, Proposal, Sentence, propose
from kg.resolve import Draft, Resolver, select, short_forms, zone_key

_CORPORATE_TITLES = re.compile(r"(厂长|经理|总裁|董事|总监|主管|负责人|教员|工程师|主任|部长|员)$")
_GOV_TITLES = re.compile(r"(市长|县长|省长|区长|镇长|乡长|市委|县委|省委)")


def warm_up() -> None:
    """Load the pipeline and word lists before timing or forking work."""
    make_nlp()
    load_lexicon()


def extract(article: Article) -> DocGraph:
    nlp = make_nlp()
    lex = load_lexicon()
    text = article.text
    items: list[tuple[int, int]] = []
    bylines: list[tuple[int, int]] = []
    for item in segments(text):
        items.append((item[0].start, item[-1].end))
        bylines.extend((s.start, s.end) for s in item if s.kind == "byline")

    cands: list[Candidate] = []
    sentences: list[tuple[int, int]] = []
    for (start, _), doc in zip(items, nlp.pipe(text[s:e] for s, e in items), strict=True):
        for c in doc._.kg_candidates:
            c.start += start
            c.end += start
            cands.append(c)
        sentences.extend((s + start, e + start) for s, e in sentence_spans(doc))
    rec = load_recognizer()
    for s, e in bylines:
        cands = [c for c in cands if not (s <= c.start < e)]
        for c in rec.bylines(text[s:e]):
            c.start += s
            c.end += s
            cands.append(c)

    resolver = Resolver(text, lex.regions, lex.region_full)
    chosen = select(cands)
    strip_company_prefixes(chosen)
    anchor_generic_bodies(chosen, items)
    declared = resolver.declared_aliases(chosen)
    chosen = [c for c in chosen if not any(d.start <= c.start < d.end for d in declared)]
    for c in chosen:
        if c.source != "ref":
            resolver.add(c)
    for d in declared:
        resolver.link_declared(d)
    resolver.merge_company_short_forms()
    resolver.merge_park_short_forms()
    resolver.merge_zone_short_forms()
    extra = propagate(resolver, chosen + declared, text, lex.regions)
    # A propagated name replaces a region read inside it (山西 of 山西中润).
    chosen = [
        c
        for c in chosen
        if not (c.label == "Region" and any(x.start <= c.start and c.end <= x.end for x in extra))
    ]
    chosen = sorted(chosen + extra + declared, key=lambda c: (c.start, c.end))
    placed = place_mentions(resolver, chosen, items, text)

    attach_figures(placed, sentences, text)
    proposals = list(read_relations(placed, sentences, items, text))
    return build_graph(article, resolver.drafts_list(), placed, proposals)


_GENERIC_ZONE_BODY = re.compile(r"^(开发区|经开区|高新区|综保区)(管委会|党工委|.{1,8}?(?:局|部|中心))$")


def anchor_generic_bodies(chosen: list[Candidate], items: list[tuple[int, int]]) -> None:
    """高新区党工委 / 开发区管委会: a body of the zone the item is about. It is that zone's named body when the
    article names it in full; otherwise the mention stands for the zone itself (annotation guidelines)."""
    zones = [c for c in chosen if c.label == "DevelopmentZone"]
    orgs = [c for c in chosen if c.label == "Organization"]
    for c in orgs:
        m = _GENERIC_ZONE_BODY.match(c.text)
        if not m:
            continue
        item = next((it for it in items if it[0] <= c.start < it[1]), None)
        if item is None:
            continue
        before = [z for z in zones if item[0] <= z.start < c.start]
        after = [z for z in zones if c.start < z.start < item[1]]
        zone = before[-1] if before else (after[0] if after else None)
        if zone is None:
            continue
        full = zone.text + m.group(2)
        named = any(o is not c and zone_key(o.text).endswith(m.group(2)) and zone_key(o.text).startswith(
            zone_key(zone.text)[:2]) for o in orgs)
        if named:
            c.text = full
        else:
            c.label, c.text = "DevelopmentZone", zone.text


def strip_company_prefixes(chosen: list[Candidate]) -> None:
    """山西一禾…有限公司 10 万吨…项目: the project's own name is what follows the firm that runs it."""
    for c in chosen:
        if c.label != "Project":
            continue
        inner = [k for k in chosen if k.label == "Company" and c.start <= k.start and k.end < c.end]
        if inner:
            c.extra["core"] = c.text[inner[-1].end - c.start :].strip()


def propagate(
    resolver: Resolver, chosen: list[Candidate], text: str, regions: dict[str, str]
) -> list[Candidate]:
    """Every other place the article writes a known name or short form (吉欣渝介绍, 一禾铝业选择落户兴县)."""
    occupied = bytearray(len(text) + 1)
    for c in chosen:
        if c.label != "Region":
            occupied[c.start : c.end] = b"\x01" * (c.end - c.start)
    extra: list[Candidate] = []
    for draft in resolver.drafts_list():
        if draft.label not in ("Company", "Person", "Project", "DevelopmentZone", "Park", "Organization"):
            continue
        forms = set(short_forms(draft, regions))
        forms.update(n for n in draft.names if len(n) >= 2)
        for form in sorted(forms, key=len, reverse=True):
            if form in regions or len(form) < 2:
                continue
            for m in re.finditer(re.escape(form), text):
                if any(occupied[m.start() : m.end()]):
                    continue
                c = Candidate(m.start(), m.end(), draft.label, form, "propagated")
                occupied[c.start : c.end] = b"\x01" * (c.end - c.start)
                extra.append(c)
                if form not in draft.names:
                    draft.names.append(form)
                draft.mentions.append(c)
    return extra


def place_mentions(
    resolver: Resolver, chosen: list[Candidate], items: list[tuple[int, int]], text: str
) -> list[Placed]:
    """Each mention with its entity. References resolve inside their item: 该公司 / 公司 to the firm the
    narrative is on (a firm named only inside a quote is not it), 我们公司 inside a quote to the speaker's
    firm, 该校 / 该项目 / 该县 to the latest school, project or county named before."""
    lookup: dict[int, Draft] = {}
    for d in resolver.drafts_list():
        for m in d.mentions:
            lookup[id(m)] = d
    named = [Placed(c.start, c.end, lookup[id(c)]) for c in chosen if c.source != "ref" and id(c) in lookup]
    placed = list(named)
    for c in chosen:
        if c.source != "ref":
            continue
        item = next((it for it in items if it[0] <= c.start < it[1]), (0, len(text)))
        target = _reference_target(c, named, item, text)
        if target is not None:
            placed.append(Placed(c.start, c.end, target, True))
            target.mentions.append(c)
    return sorted(placed, key=lambda m: (m.start, m.end))


def _reference_target(ref: Candidate, named: list[Placed], item: tuple[int, int], text: str) -> Draft | None:
    if ref.label == "Company":
        if _inside_quote(text, ref.start):
            end = text.find("。", ref.start)
            speaker = _quote_speaker(named, text, ref.start, end if end != -1 else len(text))
            if speaker is not None:
                return speaker
        return _topic_company(named, ref.start, item, text)
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


def _sentence_mentions(placed: list[Placed], s: int, e: int) -> list[Placed]:
    """Mentions starting in [s, e); `placed` is sorted by start."""
    lo = bisect.bisect_left(placed, s, key=lambda m: m.start)
    hi = bisect.bisect_left(placed, e, key=lambda m: m.start)
    return placed[lo:hi]


def attach_figures(placed: list[Placed], sentences: list[tuple[int, int]], text: str) -> None:
    """Stated figures become properties of the project, zone, company or region the sentence is about."""
    for s, e in sentences:
        sent = text[s:e]
        ms = _sentence_mentions(placed, s, e)
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


def _inside_quote(text: str, pos: int) -> bool:
    return text.rfind("“", 0, pos) > text.rfind("”", 0, pos)


def _topic_company(placed: list[Placed], pos: int, item: tuple[int, int], text: str = "") -> Draft | None:
    """The firm the narrative is on at `pos`: the latest company named outside quotes earlier in the item
    (a quote can name customers: 华为的折叠屏手机…), else the first one named later in the item."""
    i = bisect.bisect_left(placed, pos, key=lambda m: m.start)
    famous = None
    for m in reversed(placed[:i]):
        if m.start < item[0]:
            break
        if m.label == "Company" and not (text and _inside_quote(text, m.start)):
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


def _speaking(m: Placed, employers: dict[int, Draft]) -> Draft | None:
    if m.label == "Company":
        return m.draft
    if m.label == "Person":
        return employers.get(id(m.draft))
    return None


def _quote_speaker(
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
        if close_q < m.start < tail_end and (firm := _speaking(m, employers)) is not None:
            return firm
    head_start = max(text.rfind("。", 0, open_q), text.rfind("\n", 0, open_q)) + 1
    for m in reversed(placed):
        if head_start <= m.start < open_q and (firm := _speaking(m, employers)) is not None:
            return firm
    return None


def _interviewee(placed: list[Placed], text: str, s: int, employers: dict[int, Draft]) -> Draft | None:
    """刘国栋：我们厂…: in an interview, the answer's 我们 is the firm of the person answering."""
    para_start = text.rfind("\n", 0, s) + 1
    colon = re.match(r"[\u4e00-\u9fff]{2,4}[：:]", text[para_start : para_start + 6])
    if not colon:
        return None
    for m in placed:
        if m.start == para_start and m.label == "Person":
            return employers.get(id(m.draft))
    return None


def _speaker_company(
    placed: list[Placed], s: int, e: int, item: tuple[int, int], text: str, employers: dict[int, Draft]
) -> Draft | None:
    return (
        _quote_speaker(placed, text, s, e, employers)
        or _interviewee(placed, text, s, employers)
        or _topic_company(placed, s, item, text)
    )


def read_relations(
    placed: list[Placed], sentences: list[tuple[int, int]], items: list[tuple[int, int]], text: str
) -> list[Proposal]:
    """Two passes: posts first (who works for which firm), then everything else, so that 我们 in a quote
    or an interview answer can be the firm of the person speaking."""
    frames = []
    employers: dict[int, Draft] = {}
    proposals: list[Proposal] = []
    for s, e in sentences:
        item = next((it for it in items if it[0] <= s < it[1]), (0, len(text)))
        sent = Sentence(s, e, text[s:e], _sentence_mentions(placed, s, e), None)
        posts = works_for(sent, placed, item, text)
        proposals.extend(posts)
        for p in sorted(posts, key=lambda p: -p.confidence):
            if p.tail.label == "Company":
                employers.setdefault(id(p.head), p.tail)
        frames.append((sent, item))
    for sent, item in frames:
        sent.speaker_company = _speaker_company(placed, sent.start, sent.end, item, text, employers)
        proposals.extend(propose(sent))
        proposals.extend(produces(sent, text))
        proposals.extend(operates(sent))
    return proposals


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
            if title_start - 1 <= o.end <= m.start
            and o.label in ("Company", "Organization", "DevelopmentZone")
        ]
        employers = employers[-1:]
        if employers:
            # 上党经开区党工委委员、尚卓集团董事长王红德: the post before the list belongs to the same person.
            emp = employers[-1]
            earlier = [
                o for o in sent.mentions if o.end <= emp.start and o.label in ("Organization", "Company")
            ]
            if earlier:
                gap = sent.text[earlier[-1].end - sent.start : emp.start - sent.start]
                if (
                    gap.endswith("、")
                    and 0 < len(gap) <= 8
                    and gap[:-1]
                    and not re.search(r"[，。与和]", gap)
                ):
                    out.append(
                        Proposal("WORKS_FOR", m.draft, earlier[-1].draft, span, 0.8, (("title", gap[:-1]),))
                    )
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
            prev = [
                o for o in sent.mentions if o.end <= title_start and o.label in ("Company", "Organization")
            ]
            if prev and "、" in sent.text[prev[-1].end - sent.start : title_start - sent.start][-2:]:
                employers = prev[-1:]
        if not employers and not _GOV_TITLES.search(title) and _CORPORATE_TITLES.search(title):
            speaker = _topic_company(placed, m.start, item, text)
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
            # 我们生产的…: the speaker's firm; outside a quote, the firm named just before 我们 (某公司总经理某某说，我们…).
            named = [c for c in before if c.label == "Company" and c.end <= sent.start + we]
            quoted = _inside_quote(text, sent.start + we)
            subject = named[-1].draft if named and not quoted else sent.speaker_company
        else:
            subject = before[0].draft if before else sent.speaker_company
        if subject is not None:
            out.append(Proposal("PRODUCES", subject, m.draft, span, 0.7))
    return out


def operates(sent: Sentence) -> list[Proposal]:
    """A firm running a project: 我们的…项目 (the speaker's), 博睿储能一期项目 (named after the firm), or the
    one firm of a sentence about a project's work (查看…项目运行情况, 办理…项目备案)."""
    span = (sent.start, sent.end)
    out: list[Proposal] = []
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
    if not re.search(r"(运行|办理|建设|实施|推进|投产|开工)", sent.text) or re.search(
        r"(批复|批准|核准)", sent.text
    ):
        return out
    return out + [Proposal("OPERATES", company, p.draft, span, 0.6) for p in projects]


def build_graph(
    article: Article, drafts: list[Draft], placed: list[Placed], proposals: list[Proposal]
) -> DocGraph:
    ids: dict[int, str] = {}
    entities: list[Entity] = []
    for d in drafts:
        name = d.name
        if not name:
            continue
        eid = stable_id("E", entity_key(d.label, name))
        ids[id(d)] = eid
        spots = sorted({(m.start, m.end) for m in d.mentions})
        mentions = tuple(Mention(s, e, article.text[s:e]) for s, e in spots)
        aliases = tuple(sorted({n for n in d.names if n != name}))
        props = {k: v for k, v in d.props.items() if k in ("title", "role") or not isinstance(v, str)}
        entities.append(Entity(eid, d.label, name, aliases, props, mentions))
    merged: dict[tuple[str, str, str], Relation] = {}
    for p in proposals:
        head, tail = ids.get(id(p.head)), ids.get(id(p.tail))
        if head is None or tail is None or head == tail:
            continue
        key = (p.type, head, tail)
        if p.type == "COOPERATES_WITH" and (p.type, tail, head) in merged:
            key = (p.type, tail, head)
        s, e = p.sentence
        ev = Evidence(article.text[s:e], s, e, p.confidence)
        current = merged.get(key)
        if current is None or ev.confidence > current.confidence:
            merged[key] = Relation(key[0], key[1], key[2], dict(p.props), (ev,))
    # 由…组成 states a park is part of its zone; adjacency alone said only "located in": keep the stronger.
    for rtype, head, tail in list(merged):
        if rtype == "LOCATED_IN" and ("PART_OF", head, tail) in merged:
            del merged[(rtype, head, tail)]
    entities.sort(key=lambda e: e.id)
    relations = sorted(merged.values(), key=lambda r: r.id)
    return DocGraph(article, tuple(entities), tuple(relations))
