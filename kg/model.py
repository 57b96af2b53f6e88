"""Typed data passed between stages: articles → DocGraph (one article) → CorpusGraph (many articles).

Every type is a frozen dataclass built from plain values, so stages hand each other new objects and never
change their input. `to_dict`/`from_dict` give the JSON shape of the gold files
(`entities`: id, label, name, aliases, props; `relations`: type, head, tail, props, evidence) plus what
users need on top: mentions with offsets, evidence offsets and a confidence.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from kg.errors import GraphFormatError
from kg.schema import ENTITY_LABELS, RELATION_TYPES

FORMAT_VERSION = 1

_DROP_FOR_KEY = str.maketrans("", "", " \t\r\n\u3000\"'“”‘’「」『』《》〈〉")


def normalize_name(name: str) -> str:
    """The form names are compared in: NFKC, no whitespace, no quotes.

    NFKC folds full-width brackets and digits, so 元泰高导材料（山西）有限公司 and 元泰高导材料(山西)有限公司
    compare equal, as the annotation guidelines require.
    """
    return unicodedata.normalize("NFKC", name).translate(_DROP_FOR_KEY)


def stable_id(prefix: str, *parts: str) -> str:
    """An id derived from content only, so two runs over the same input give identical ids."""
    digest = hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:12]
    return f"{prefix}{digest}"


def entity_key(label: str, name: str) -> str:
    """The identity of an entity: its label and normalised canonical name."""
    return f"{label}:{normalize_name(name)}"


@dataclass(frozen=True)
class Article:
    """One input document after decoding and layout repair; offsets elsewhere index into `text`."""

    id: str
    source: str
    title: str
    text: str

    @staticmethod
    def make(source: str, text: str, title: str = "") -> Article:
        """`source` is the article's identity (kg.io: a file's resolved path, or a name given for stdin); the id
        hashes it with the text, so two files with the same text are two articles, and an edited file gets a
        new id under the same source (which is how a store knows to replace the old version)."""
        return Article(id=stable_id("A", source, text), source=source, title=title, text=text)

    @property
    def doc(self) -> str:
        """The file name, as gold files name their article."""
        return self.source.replace("\\", "/").rsplit("/", 1)[-1]

    def to_dict(self, with_text: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "source": self.source, "doc": self.doc, "title": self.title}
        data["chars"] = len(self.text)
        if with_text:
            data["text"] = self.text
        return data

    @staticmethod
    def from_dict(data: dict[str, Any]) -> Article:
        return Article(
            id=str(data["id"]),
            source=str(data["source"]),
            title=str(data.get("title", "")),
            text=str(data.get("text", "")),
        )


@dataclass(frozen=True, order=True)
class Mention:
    """Where a surface form of an entity occurs: [start, end) character offsets into the article text."""

    start: int
    end: int
    text: str
    article: str = ""

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"start": self.start, "end": self.end, "text": self.text}
        if self.article:
            data["article"] = self.article
        return data

    @staticmethod
    def from_dict(data: dict[str, Any]) -> Mention:
        return Mention(int(data["start"]), int(data["end"]), str(data["text"]), str(data.get("article", "")))


@dataclass(frozen=True)
class Entity:
    """One real-world thing: its canonical (longest official) name and every other form seen."""

    id: str
    label: str
    name: str
    aliases: tuple[str, ...] = ()
    props: dict[str, Any] = field(default_factory=dict)
    mentions: tuple[Mention, ...] = ()
    articles: tuple[str, ...] = ()
    rules: tuple[str, ...] = ()  # ids of the rules that proposed its mentions (kg/nlp/patterns)

    @property
    def key(self) -> str:
        return entity_key(self.label, self.name)

    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "label": self.label,
            "name": self.name,
            "aliases": list(self.aliases),
            "props": dict(sorted(self.props.items())),
            "mentions": [m.to_dict() for m in self.mentions],
        }
        if self.rules:
            data["rule"] = list(self.rules)
        if self.articles:
            data["articles"] = list(self.articles)
        return data

    @staticmethod
    def from_dict(data: dict[str, Any]) -> Entity:
        label = str(data["label"])
        if label not in ENTITY_LABELS:
            raise GraphFormatError(f"entity {data.get('id')!r} has unknown label {label!r}")
        return Entity(
            id=str(data["id"]),
            label=label,
            name=str(data["name"]),
            aliases=tuple(str(a) for a in data.get("aliases", ())),
            props=dict(data.get("props") or {}),
            mentions=tuple(Mention.from_dict(m) for m in data.get("mentions", ())),
            articles=tuple(str(a) for a in data.get("articles", ())),
            rules=tuple(str(r) for r in data.get("rule", ())),
        )


@dataclass(frozen=True)
class Evidence:
    """The sentence a fact was read from, where it is, and how sure the rule that read it is."""

    sentence: str
    start: int
    end: int
    confidence: float
    article: str = ""

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "sentence": self.sentence,
            "start": self.start,
            "end": self.end,
            "confidence": self.confidence,
        }
        if self.article:
            data["article"] = self.article
        return data

    @staticmethod
    def from_dict(data: dict[str, Any]) -> Evidence:
        return Evidence(
            sentence=str(data["sentence"]),
            start=int(data["start"]),
            end=int(data["end"]),
            confidence=float(data["confidence"]),
            article=str(data.get("article", "")),
        )


@dataclass(frozen=True)
class Relation:
    """A typed, directed edge with the evidence it rests on (one item per article in a corpus graph)."""

    type: str
    head: str
    tail: str
    props: dict[str, Any] = field(default_factory=dict)
    evidence: tuple[Evidence, ...] = ()
    rules: tuple[str, ...] = ()  # ids of the rules that proposed it (kg/nlp/patterns/relation_rules.jsonl)

    @property
    def id(self) -> str:
        return stable_id("R", self.type, self.head, self.tail)

    @property
    def confidence(self) -> float:
        return max((e.confidence for e in self.evidence), default=0.0)

    def to_dict(self, doc_level: bool = False) -> dict[str, Any]:
        """In a DocGraph, `evidence` is the sentence (as in the gold files) and details sit beside it."""
        data: dict[str, Any] = {
            "id": self.id,
            "type": self.type,
            "head": self.head,
            "tail": self.tail,
            "props": dict(sorted(self.props.items())),
        }
        if doc_level and self.evidence:
            first = self.evidence[0]
            data["evidence"] = first.sentence
            data["evidence_span"] = [first.start, first.end]
            data["confidence"] = first.confidence
            if self.rules:
                data["rule"] = list(self.rules)
        else:
            data["evidence"] = [e.to_dict() for e in self.evidence]
        return data

    @staticmethod
    def from_dict(data: dict[str, Any]) -> Relation:
        rtype = str(data["type"])
        if rtype not in RELATION_TYPES:
            raise GraphFormatError(f"relation {data.get('id')!r} has unknown type {rtype!r}")
        raw = data.get("evidence", ())
        if isinstance(raw, str):
            span = data.get("evidence_span") or [0, 0]
            evidence: tuple[Evidence, ...] = (
                Evidence(raw, int(span[0]), int(span[1]), float(data.get("confidence", 1.0))),
            )
        else:
            evidence = tuple(Evidence.from_dict(e) for e in raw)
        return Relation(
            type=rtype,
            head=str(data["head"]),
            tail=str(data["tail"]),
            props=dict(data.get("props") or {}),
            evidence=evidence,
            rules=tuple(str(r) for r in data.get("rule", ())),
        )


@dataclass(frozen=True)
class DocGraph:
    """The graph of one article: what `kg extract` writes, comparable with a gold file."""

    article: Article
    entities: tuple[Entity, ...]
    relations: tuple[Relation, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": "kg.docgraph",
            "version": FORMAT_VERSION,
            "doc": self.article.doc,
            "article": self.article.to_dict(),
            "entities": [e.to_dict() for e in self.entities],
            "relations": [r.to_dict(doc_level=True) for r in self.relations],
        }

    @staticmethod
    def from_dict(data: dict[str, Any]) -> DocGraph:
        if data.get("format") != "kg.docgraph":
            raise GraphFormatError('not a kg document graph (missing "format": "kg.docgraph")')
        return DocGraph(
            article=Article.from_dict(data["article"]),
            entities=tuple(Entity.from_dict(e) for e in data["entities"]),
            relations=tuple(Relation.from_dict(r) for r in data["relations"]),
        )


@dataclass(frozen=True)
class CorpusGraph:
    """Many articles merged: one node per real thing, each carrying the articles that mention it.

    This is the input of every writer (JSON, Neo4j, RDF, CSV): entities are sorted by id, relations by id,
    and each relation keeps one Evidence per article that supports it, so an article's contribution can
    be replaced or removed on its own.
    """

    articles: tuple[Article, ...]
    entities: tuple[Entity, ...]
    relations: tuple[Relation, ...]

    def entity_index(self) -> dict[str, Entity]:
        return {e.id: e for e in self.entities}

    def to_dict(self, with_text: bool = True) -> dict[str, Any]:
        return {
            "format": "kg.corpusgraph",
            "version": FORMAT_VERSION,
            "articles": [a.to_dict(with_text=with_text) for a in self.articles],
            "entities": [e.to_dict() for e in self.entities],
            "relations": [r.to_dict() for r in self.relations],
        }

    @staticmethod
    def from_dict(data: dict[str, Any]) -> CorpusGraph:
        if data.get("format") != "kg.corpusgraph":
            raise GraphFormatError('not a kg corpus graph (missing "format": "kg.corpusgraph")')
        try:
            graph = CorpusGraph(
                articles=tuple(Article.from_dict(a) for a in data["articles"]),
                entities=tuple(Entity.from_dict(e) for e in data["entities"]),
                relations=tuple(Relation.from_dict(r) for r in data["relations"]),
            )
        except (KeyError, TypeError, ValueError) as e:
            raise GraphFormatError(f"malformed corpus graph: {e}") from e
        known = {e.id for e in graph.entities}
        for rel in graph.relations:
            if rel.head not in known or rel.tail not in known:
                raise GraphFormatError(f"relation {rel.id} points at an entity that is not in the graph")
        return graph
