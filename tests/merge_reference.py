"""The merge before issue 9 (quadratic, all in memory): the reference the keyed merge is tested against.

Two entities of different articles are the same thing when they carry the same label and share a
normalised name or alias (元泰高导材料（山西）有限公司 in one article, 元泰 plus the full name in another).
The merged node takes the longest name as canonical, every other form as an alias, and the list of
articles that mention it; each relation keeps one Evidence per article that states it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from kg.model import (
    Article,
    CorpusGraph,
    DocGraph,
    Entity,
    Evidence,
    Mention,
    Relation,
    normalize_name,
    stable_id,
)
from kg.schema import RELATION_TYPES


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, x: int) -> int:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def canonical_name(names: Iterable[str]) -> str:
    """The longest official form; ties broken by normalised text so the choice is deterministic."""
    return max(names, key=lambda n: (len(normalize_name(n)), normalize_name(n), n))


def corpus_entity_id(label: str, name: str) -> str:
    return stable_id("E", label, normalize_name(name))


def _one_per_article(docs: list[DocGraph]) -> list[DocGraph]:
    """The same article (same source and text, so the same id) given twice counts once: its entities would
    otherwise list it twice and a store would hold two nodes of one id."""
    seen: set[str] = set()
    out = []
    for g in docs:
        if g.article.id not in seen:
            seen.add(g.article.id)
            out.append(g)
    return out


def merge(graphs: Iterable[DocGraph]) -> CorpusGraph:
    """Merge per-article graphs into one corpus graph; the result does not depend on input order."""
    docs = _one_per_article(sorted(graphs, key=lambda g: (g.article.source, g.article.id)))
    flat: list[tuple[Article, Entity]] = [(g.article, e) for g in docs for e in g.entities]

    uf = _UnionFind()
    by_name: dict[tuple[str, str], int] = {}
    for i, (_, ent) in enumerate(flat):
        uf.find(i)
        for name in ent.names():
            key = (ent.label, normalize_name(name))
            if len(key[1]) < 2:
                continue
            if key in by_name:
                uf.union(i, by_name[key])
            else:
                by_name[key] = i

    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(flat)):
        groups[uf.find(i)].append(i)

    local_to_corpus: dict[tuple[str, str], str] = {}
    entities: list[Entity] = []
    for members in groups.values():
        label = flat[members[0]][1].label
        all_names = [n for i in members for n in flat[i][1].names()]
        name = canonical_name(all_names)
        norm_name = normalize_name(name)
        seen = {norm_name}
        aliases: list[str] = []
        for alias in sorted(set(all_names), key=lambda n: (normalize_name(n), n)):
            if alias != name and alias not in aliases:
                aliases.append(alias)
            seen.add(normalize_name(alias))
        props: dict[str, Any] = {}
        mentions: list[Mention] = []
        articles: list[str] = []
        for i in members:
            article, ent = flat[i]
            for k, v in ent.props.items():
                props.setdefault(k, v)
            mentions.extend(Mention(m.start, m.end, m.text, article.id) for m in ent.mentions)
            if article.id not in articles:
                articles.append(article.id)
        eid = corpus_entity_id(label, name)
        for i in members:
            article, ent = flat[i]
            local_to_corpus[(article.id, ent.id)] = eid
        entities.append(
            Entity(
                id=eid,
                label=label,
                name=name,
                aliases=tuple(aliases),
                props=props,
                mentions=tuple(sorted(mentions, key=lambda m: (m.article, m.start, m.end))),
                articles=tuple(sorted(articles)),
            )
        )

    merged: dict[tuple[str, str, str], dict[str, Any]] = {}
    for g in docs:
        for rel in g.relations:
            head = local_to_corpus.get((g.article.id, rel.head))
            tail = local_to_corpus.get((g.article.id, rel.tail))
            if head is None or tail is None or head == tail:
                continue
            if RELATION_TYPES[rel.type].symmetric and tail < head:
                head, tail = tail, head
            slot = merged.setdefault((rel.type, head, tail), {"props": {}, "evidence": {}})
            for k, v in rel.props.items():
                slot["props"].setdefault(k, v)
            for ev in rel.evidence:
                current = slot["evidence"].get(g.article.id)
                if current is None or ev.confidence > current.confidence:
                    slot["evidence"][g.article.id] = Evidence(
                        ev.sentence, ev.start, ev.end, ev.confidence, g.article.id
                    )

    relations = [
        Relation(
            type=rtype,
            head=head,
            tail=tail,
            props=slot["props"],
            evidence=tuple(slot["evidence"][a] for a in sorted(slot["evidence"])),
        )
        for (rtype, head, tail), slot in merged.items()
    ]
    return CorpusGraph(
        articles=tuple(g.article for g in docs),
        entities=tuple(sorted(entities, key=lambda e: e.id)),
        relations=tuple(sorted(relations, key=lambda r: r.id)),
    )
