"""Article → DocGraph, as plain function calls in data-flow order:

text → normalised text (`kg.textnorm`) → items → spaCy Docs with candidates (`kg.reading`) → mentions
(`kg.mentions`, the entity scorer) → entities (`kg.resolve`) → relations (`kg.relations`, the relation
scorer) → figures (`kg.properties`) → DocGraph. Offsets found in the normalised text are reported in the
article text as written. Ids derive from content, so output is deterministic.
"""

from __future__ import annotations

from kg.mentions import Mention, mentions
from kg.model import Article, DocGraph, Entity, Evidence, Relation, entity_key, stable_id
from kg.model import Mention as MentionOut
from kg.models import Models, default_models
from kg.nlp import make_nlp
from kg.nlp.lexicon import load_lexicon
from kg.properties import attach_figures
from kg.reading import ReadArticle, read
from kg.relations import RelationFound, read_relations
from kg.resolve import Resolution, Resolver


def warm_up() -> None:
    """Load the pipeline, word lists and models before timing or forking work."""
    make_nlp()
    load_lexicon()
    default_models()


def extract(article: Article, models: Models | None = None) -> DocGraph:
    """The graph of one article. `models` defaults to the shipped ones; `Models.rules_only()` uses none."""
    models = default_models() if models is None else models
    doc = read(article)
    found = mentions(doc, models.entity)
    return graph_of(doc, found, models)


def graph_of(doc: ReadArticle, found: list[Mention], models: Models) -> DocGraph:
    """Entities, relations and figures from decided mentions (also used with gold mentions)."""
    article = doc.article

    def written(s: int, e: int) -> str:
        a, b = doc.norm.original_span(s, e)
        return article.text[a:b]

    resolution = Resolver(doc.text, load_lexicon(), written).resolve(found)
    relations = read_relations(doc, found, resolution, models.relation)
    props = attach_figures(doc, found, resolution)
    return build_graph(doc, found, resolution, relations, props)


def build_graph(
    doc: ReadArticle,
    found: list[Mention],
    resolution: Resolution,
    relations: list[RelationFound],
    props: dict[int, dict[str, object]],
) -> DocGraph:
    article = doc.article
    ids: dict[int, str] = {}
    entities: list[Entity] = []
    for k, d in enumerate(resolution.entities):
        name = d.name
        if not name:
            continue
        eid = stable_id("E", entity_key(d.label, name))
        ids[k] = eid
        spots = sorted({doc.norm.original_span(found[i].start, found[i].end) for i in d.mentions})
        ments = tuple(MentionOut(s, e, article.text[s:e]) for s, e in spots)
        aliases = tuple(sorted({n for n in d.names if n != name}))
        entity_props: dict[str, object] = {k2: v for k2, v in d.props.items() if k2 in ("title", "role")}
        entity_props.update(props.get(k, {}))
        entities.append(Entity(eid, d.label, name, aliases, entity_props, ments, (), tuple(sorted(d.rules))))
    merged: dict[tuple[str, str, str], Relation] = {}
    for r in relations:
        head, tail = ids.get(r.head), ids.get(r.tail)
        if head is None or tail is None or head == tail:
            continue
        key = (r.type, head, tail)
        if r.type == "COOPERATES_WITH" and (r.type, tail, head) in merged:
            key = (r.type, tail, head)
        s, e = doc.norm.original_span(*r.sentence)
        ev = Evidence(article.text[s:e], s, e, round(r.confidence, 3))
        current = merged.get(key)
        if current is None or ev.confidence > current.confidence:
            merged[key] = Relation(key[0], key[1], key[2], dict(r.props), (ev,), tuple(sorted(r.rules)))
    entities.sort(key=lambda e: e.id)
    return DocGraph(article, tuple(entities), tuple(sorted(merged.values(), key=lambda r: r.id)))
