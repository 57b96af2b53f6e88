"""DocGraphs → CorpusGraph: one node per real thing across articles, with provenance per article.

Two entities of different articles are the same thing when they carry the same label and share a
normalised name or alias (元泰高导材料（山西）有限公司 in one article, 元泰 plus the full name in another).
The merged node takes the longest name as canonical, every other form as an alias, and the list of
articles that mention it; each relation keeps one Evidence per article that states it.

The merge is written as three steps that hold in one process and on a cluster alike (kg.distributed):

1. `doc_records` turns one article's graph into compact records (plain tuples, no text), ranked by the
   article's (source, id), so that "the first article says" means the same whatever order articles come in;
2. `NameIndex`, a union-find over the name keys (label, normalised name), finds which records are one
   thing and gives each its corpus id; it holds one entry per distinct name, never an article graph;
3. `EntityReducer` and `RelationReducer` fold the records of one corpus id (or one relation key) together;
   any split of the records into groups by key gives the same entities and relations.

`Merger` runs the three in one process, article by article, so `kg build` never holds the article graphs
themselves, and writes graph.json as a stream (`kg.io.write_corpus_json`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from kg.collector import gc_paused
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

MIN_KEY = 2  # a name of one character (after normalisation) says too little to join two things

# Records: tuples rather than dataclasses, because a corpus holds millions of them and each crosses process
# boundaries (pickled) in `-w N` and Dask builds.
Rank = tuple[str, str]  # (article source, article id): the order in which articles speak
# label, names (canonical form first, as in Entity.names()), props items, mentions (start, end, text), article
EntityRecord = tuple[str, tuple[str, ...], tuple[tuple[str, Any], ...], tuple[tuple[int, int, str], ...]]
# type, head (index of an entity record of the article), tail, props items, evidence (sentence, start, end, conf)
RelationRecord = tuple[str, int, int, tuple[tuple[str, Any], ...], tuple[tuple[str, int, int, float], ...]]






def canonical_name(names: Iterable[str]) -> str:
    """The longest official form; ties broken by normalised text so the choice is deterministic."""
    return max(names, key=name_rank)


def name_rank(name: str) -> tuple[int, str, str]:
    norm = normalize_name(name)
    return (len(norm), norm, name)


def corpus_entity_id(label: str, name: str) -> str:
    return stable_id("E", label, normalize_name(name))


@dataclass(frozen=True)
class DocRecords:
    """One article's graph as the merge needs it: its article row, entity and relation records."""

    rank: Rank
    article: Article
    entities: tuple[EntityRecord, ...]
    relations: tuple[RelationRecord, ...]

    @property
    def article_id(self) -> str:
        return self.rank[1]


def doc_records(graph: DocGraph) -> DocRecords:
    """The records of one article graph. A relation whose end is not an entity of the article is dropped
    here, as the merge has always done."""
    index: dict[str, int] = {}
    entities: list[EntityRecord] = []
    for i, ent in enumerate(graph.entities):
        index[ent.id] = i  # a later entity of the same id wins, as it did in the merge before records
        mentions = tuple((m.start, m.end, m.text) for m in ent.mentions)
        entities.append((ent.label, ent.names(), tuple(ent.props.items()), mentions))
    relations: list[RelationRecord] = []
    for rel in graph.relations:
        head, tail = index.get(rel.head), index.get(rel.tail)
        if head is None or tail is None:
            continue
        evidence = tuple((e.sentence, e.start, e.end, e.confidence) for e in rel.evidence)
        relations.append((rel.type, head, tail, tuple(rel.props.items()), evidence))
    a = graph.article
    return DocRecords((a.source, a.id), a, tuple(entities), tuple(relations))


# ---------------------------------------------------------------------------------------------------------
# Which records are one thing


class NameIndex:
    """Union-find over name keys (label, normalised name): two records sharing a key are one thing.

    A node per distinct key (plus one for each record whose names are all too short to be keys), and for
    each component its best (canonical) name, so a corpus id is known as soon as every article is in.
    Adding records in any order gives the same components and the same ids. Each name is normalised once
    per record (the best name is kept with its rank), since on a cluster this runs in one process for all.
    """

    def __init__(self) -> None:
        self._node: dict[tuple[str, str], int] = {}
        self._parent: list[int] = []
        self._best: list[tuple[int, str, str]] = []  # name_rank of the component's best name
        self._label: list[str] = []

    def __len__(self) -> int:
        return len(self._parent)

    def _new(self, label: str, best: tuple[int, str, str]) -> int:
        self._parent.append(len(self._parent))
        self._best.append(best)
        self._label.append(label)
        return len(self._parent) - 1

    def find(self, x: int) -> int:
        parent = self._parent
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    def _union(self, a: int, b: int) -> int:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return ra
        keep, gone = min(ra, rb), max(ra, rb)
        self._parent[gone] = keep
        if self._best[gone] > self._best[keep]:
            self._best[keep] = self._best[gone]
        return keep

    def add(self, label: str, names: Iterable[str]) -> int:
        """Register one entity record's names; return its node (stable: use `entity_id(node)` at the end)."""
        ranked = [name_rank(name) for name in names]
        best = max(ranked)
        node = -1
        for rank in ranked:
            if rank[0] < MIN_KEY:
                continue
            key = (label, rank[1])
            found = self._node.get(key)
            if found is None:
                found = self._node[key] = self._new(label, rank)
            node = found if node < 0 else self._union(node, found)
        if node < 0:
            return self._new(label, best)
        root = self.find(node)
        if best > self._best[root]:
            self._best[root] = best
        return node

    def entity_id(self, node: int) -> str:
        root = self.find(node)
        return stable_id("E", self._label[root], self._best[root][1])  # = corpus_entity_id(label, best name)


# ---------------------------------------------------------------------------------------------------------
# Folding records of one key together


@dataclass
class _EntityAcc:
    label: str
    names: set[str] = field(default_factory=set)
    props: dict[str, tuple[tuple[Rank, int], Any]] = field(default_factory=dict)
    mentions: list[tuple[str, int, int, Rank, int, int, str]] = field(default_factory=list)
    articles: set[str] = field(default_factory=set)


def _keep_earliest(
    held: dict[str, tuple[tuple[Rank, int], Any]], order: tuple[Rank, int], props: Iterable[tuple[str, Any]]
) -> None:
    """Where articles disagree on a property, the first (by `order`) gives it: entities and relations alike."""
    for key, value in props:
        current = held.get(key)
        if current is None or order < current[0]:
            held[key] = (order, value)


class EntityReducer:
    """The corpus entities of records grouped by corpus id. Where articles disagree on a figure, the first
    article (by source, then id) gives it; mentions are ordered by article and offset."""

    def __init__(self) -> None:
        self._acc: dict[str, _EntityAcc] = {}

    def __len__(self) -> int:
        return len(self._acc)

    def add(self, eid: str, rank: Rank, index: int, record: EntityRecord) -> None:
        label, names, props, mentions = record
        acc = self._acc.get(eid)
        if acc is None:
            acc = self._acc[eid] = _EntityAcc(label)
        acc.names.update(names)
        _keep_earliest(acc.props, (rank, index), props)
        aid = rank[1]
        acc.mentions.extend((aid, s, e, rank, index, j, text) for j, (s, e, text) in enumerate(mentions))
        acc.articles.add(aid)

    def entities(self) -> Iterator[Entity]:
        """The entities, sorted by id; each is built when it is reached."""
        for eid in sorted(self._acc):
            yield _entity(eid, self._acc[eid])


def _by_rank(props: dict[str, tuple[tuple[Rank, int], Any]]) -> dict[str, Any]:
    """Property values in the order of the article (rank) and position that gave each its value."""
    return {key: value for key, (_, value) in sorted(props.items(), key=lambda kv: kv[1][0])}


def _entity(eid: str, acc: _EntityAcc) -> Entity:
    name = canonical_name(acc.names)
    aliases = tuple(sorted((n for n in acc.names if n != name), key=lambda n: (normalize_name(n), n)))
    props = _by_rank(acc.props)
    mentions = tuple(Mention(s, e, text, aid) for aid, s, e, _, _, _, text in sorted(acc.mentions))
    return Entity(eid, acc.label, name, aliases, props, mentions, tuple(sorted(acc.articles)))


@dataclass
class _RelationAcc:
    props: dict[str, tuple[tuple[Rank, int], Any]] = field(default_factory=dict)
    evidence: dict[str, tuple[float, tuple[int, int], tuple[str, int, int, float]]] = field(default_factory=dict)


RelationKey = tuple[str, str, str]  # type, head id, tail id


def relation_key(rtype: str, head: str, tail: str) -> RelationKey | None:
    """The corpus key of a relation between two corpus entities; None for a loop (both ends one thing).
    A symmetric type is stored one way round."""
    if head == tail:
        return None
    if RELATION_TYPES[rtype].symmetric and tail < head:
        head, tail = tail, head
    return (rtype, head, tail)


class RelationReducer:
    """Corpus relations from relation records grouped by key: the first article's props, and per article
    the best-scored evidence (the first of equals)."""

    def __init__(self) -> None:
        self._acc: dict[RelationKey, _RelationAcc] = {}

    def __len__(self) -> int:
        return len(self._acc)

    def add(self, key: RelationKey, rank: Rank, index: int, record: RelationRecord) -> None:
        _, _, _, props, evidence = record
        acc = self._acc.get(key)
        if acc is None:
            acc = self._acc[key] = _RelationAcc()
        _keep_earliest(acc.props, (rank, index), props)
        aid = rank[1]
        for j, ev in enumerate(evidence):
            current = acc.evidence.get(aid)
            place = (index, j)
            if current is None or ev[3] > current[0] or (ev[3] == current[0] and place < current[1]):
                acc.evidence[aid] = (ev[3], place, ev)

    def relations(self) -> Iterator[Relation]:
        """The relations, sorted by id (a hash of the key, computed once per relation)."""
        keyed = sorted((stable_id("R", *key), key) for key in self._acc)
        for _, key in keyed:
            acc = self._acc[key]
            props = _by_rank(acc.props)
            evidence = tuple(
                Evidence(s, a, b, c, aid) for aid, (_, _, (s, a, b, c)) in sorted(acc.evidence.items())
            )
            yield Relation(key[0], key[1], key[2], props, evidence)


def reduce_relations(
    reducer: RelationReducer, rank: Rank, relations: Iterable[RelationRecord], ids: list[str]
) -> None:
    """Fold one article's relation records, whose ends are indexes into its entity records with corpus `ids`."""
    for index, record in enumerate(relations):
        key = relation_key(record[0], ids[record[1]], ids[record[2]])
        if key is not None:
            reducer.add(key, rank, index, record)


# ---------------------------------------------------------------------------------------------------------
# In one process


class Merger:
    """The corpus graph built article by article: `add` keeps an article's records (not its graph), and
    `finish` resolves identities and folds records by key. The result does not depend on the order of `add`;
    an article given twice (same id) counts once."""

    def __init__(self) -> None:
        self._names = NameIndex()
        self._docs: list[tuple[Rank, tuple[EntityRecord, ...], tuple[RelationRecord, ...], list[int]]] = []
        self._articles: dict[str, Article] = {}

    def __len__(self) -> int:
        return len(self._docs)

    def add(self, graph: DocGraph) -> None:
        self.add_records(doc_records(graph))

    def add_records(self, records: DocRecords, keep_article: bool = True) -> bool:
        """Fold in one article's records; False (and nothing done) when that article is in already.
        `keep_article=False`: the caller keeps the article rows itself (kg.build spills their text)."""
        if records.article_id in self._articles:
            return False
        self._articles[records.article_id] = records.article if keep_article else _without_text(records.article)
        nodes = [self._names.add(label, names) for label, names, _, _ in records.entities]
        self._docs.append((records.rank, records.entities, records.relations, nodes))
        return True

    def finish(self) -> MergedGraph:
        entities, relations = EntityReducer(), RelationReducer()
        with gc_paused():
            for rank, ents, rels, nodes in self._docs:
                ids = [self._names.entity_id(node) for node in nodes]
                for index, (eid, record) in enumerate(zip(ids, ents, strict=True)):
                    entities.add(eid, rank, index, record)
                reduce_relations(relations, rank, rels, ids)
        articles = tuple(sorted(self._articles.values(), key=lambda a: (a.source, a.id)))
        return MergedGraph(articles, entities, relations)


def _without_text(article: Article) -> Article:
    return Article(article.id, article.source, article.title, "")


@dataclass(frozen=True)
class MergedGraph:
    """A merge's result, before it is materialised: entities and relations are built one at a time as a
    writer reaches them, so graph.json can be written without a CorpusGraph (and its dict) in memory."""

    articles: tuple[Article, ...]
    entity_reducer: EntityReducer
    relation_reducer: RelationReducer

    def entities(self) -> Iterator[Entity]:
        return self.entity_reducer.entities()

    def relations(self) -> Iterator[Relation]:
        return self.relation_reducer.relations()

    def corpus(self) -> CorpusGraph:
        with gc_paused():
            return CorpusGraph(self.articles, tuple(self.entities()), tuple(self.relations()))


def merge(graphs: Iterable[DocGraph]) -> CorpusGraph:
    """Merge per-article graphs into one corpus graph; the result does not depend on input order.
    (The collector is paused throughout: `graphs` is meant to be article graphs at hand, not a generator
    that extracts them, whose garbage would wait until the end.)"""
    merger = Merger()
    with gc_paused():
        for graph in graphs:
            merger.add(graph)
        return merger.finish().corpus()
