"""Article → DocGraph: the only code that reads spaCy annotations.

Each news item of the article (items end with a byline) runs through the spaCy pipeline; candidates are
selected, grouped into entities for the whole article, references resolved inside their item, relations
read sentence by sentence, and figures attached. Ids derive from content, so output is deterministic.
"""

from __future__ import annotations

import re

from kg.layout import segments
from kg.model import Article, DocGraph, Entity, Evidence, Mention, Relation, entity_key, stable_id
from kg.nlp import load_recognizer, make_nlp, sentence_spans
from kg.nlp.lexicon import load_lexicon
from kg.nlp.shapes import Candidate
from kg.properties import attach_figures
from kg.relations import Placed, Proposal, read_relations, reference_target
from kg.resolve import Draft, Resolver, select, short_forms, zone_key


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
        c for c in chosen if not (c.label == "Region" and any(x.start <= c.start and c.end <= x.end for x in extra))
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
        named = any(
            o is not c
            and zone_key(o.text).endswith(m.group(2))
            and zone_key(o.text).startswith(zone_key(zone.text)[:2])
            for o in orgs
        )
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


def propagate(resolver: Resolver, chosen: list[Candidate], text: str, regions: dict[str, str]) -> list[Candidate]:
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
        target = reference_target(c, named, item, text)
        if target is not None:
            placed.append(Placed(c.start, c.end, target, True))
            target.mentions.append(c)
    return sorted(placed, key=lambda m: (m.start, m.end))


def build_graph(article: Article, drafts: list[Draft], placed: list[Placed], proposals: list[Proposal]) -> DocGraph:
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
