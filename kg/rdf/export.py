"""The corpus graph as RDF: Turtle, N-Triples and JSON-LD, written as a stream.

Triples come out one subject at a time (`iter_blocks`) and each writer turns a block into text at once
(JSON-LD: one node object per block), so exporting millions of triples never holds an rdflib Graph:
memory stays that of one entity or relation.

IRIs are minted from kg's own keys under a base IRI (see `Iris`), so the same entity gets the same IRI in
every run. Each relation is asserted as a plain triple and reified as an rdf:Statement carrying its
properties and one kg:Evidence node per supporting sentence (schema/README.md shows an example).
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Final, NamedTuple, TextIO
from urllib.parse import quote

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, VOID, XSD

from kg.atomic import open_atomic
from kg.errors import ExportError
from kg.model import Article, CorpusGraph, Entity, Relation, stable_id
from kg.rdf.namespace import KG, prop_iri, relation_iri
from kg.rdf.ontology import LANG, PREFIXES, RELATION_PROP_TYPES
from kg.schema import ENTITY_LABELS, FIGURES, RELATION_PROPS, RELATION_TYPES, TEXT_PROPS

DEFAULT_BASE: Final = "https://kg.example.org/id/"
BASE_ENVVAR: Final = "KG_BASE_IRI"
FORMATS: Final[tuple[str, ...]] = ("turtle", "nt", "jsonld")


# A literal: lexical form plus datatype IRI or language tag (neither: xsd:string).
class Lit(NamedTuple):
    lex: str
    datatype: str | None = None
    lang: str | None = None


Term = str | Lit  # an IRI is a plain str
Block = tuple[str, list[tuple[str, Term]]]  # a subject and its (predicate, object) pairs

_XSD_STRING: Final = str(XSD.string)
_XSD_INTEGER: Final = str(XSD.integer)
_XSD_DECIMAL: Final = str(XSD.decimal)
_RDF_TYPE: Final = str(RDF.type)
_LABEL: Final = str(RDFS.label)
_ALT: Final = str(SKOS.altLabel)
_DERIVED: Final = str(PROV.wasDerivedFrom)
_QUOTED: Final = str(PROV.wasQuotedFrom)
_STATEMENT: Final = str(RDF.Statement)
_SUBJECT: Final = str(RDF.subject)
_PREDICATE: Final = str(RDF.predicate)
_OBJECT: Final = str(RDF.object)
_CONFIDENCE: Final = str(KG.confidence)
_EVIDENCE_CLASS: Final = str(KG.Evidence)
_EVIDENCE: Final = str(KG.evidence)
_SENTENCE: Final = str(KG.sentence)
_START: Final = str(KG.start)
_END: Final = str(KG.end)
_ARTICLE: Final = str(KG.Article)
_PROV_ENTITY: Final = str(PROV.Entity)
_SOURCE: Final = str(KG.source)
_TITLE: Final = str(DCTERMS.title)
_CHARS: Final = str(KG.chars)
_VOID_DATASET: Final = str(VOID.Dataset)
_VOID_TRIPLES: Final = str(VOID.triples)
_VOID_ENTITIES: Final = str(VOID.entities)

_PLAIN_FLOAT: Final = re.compile(r"-?[0-9]+\.[0-9]+")
_BASE_RE: Final = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:[^\x00-\x20<>\"{}|^`\\]*[/#]")


@dataclass(frozen=True)
class Iris:
    """Mints IRIs from kg's keys: `{base}entity/{entity id}`, `relation/`, `article/`, `evidence/`.

    Keys are percent-encoded, so an id from a hand-edited JSON file can never break the IRI syntax; the
    ids kg makes (E…, R…, A… and hex) pass through unchanged. Evidence has no id of its own in the corpus
    graph, so its key is a hash of relation, article and offsets.
    """

    base: str = DEFAULT_BASE

    def __post_init__(self) -> None:
        if not _BASE_RE.fullmatch(self.base):
            raise ExportError(
                f"bad base IRI {self.base!r}: expected an absolute IRI ending in '/' or '#', e.g. {DEFAULT_BASE}"
            )

    @property
    def prefixes(self) -> dict[str, str]:
        """Turtle prefixes of the data namespaces, as `ent:E1a2b…`."""
        return {f"{kind}:": f"{self.base}{path}/" for kind, path in _DATA_PREFIXES}

    def entity(self, key: str) -> str:
        return f"{self.base}entity/{_key(key)}"

    def relation(self, key: str) -> str:
        return f"{self.base}relation/{_key(key)}"

    def article(self, key: str) -> str:
        return f"{self.base}article/{_key(key)}"

    def evidence(self, relation_key: str, article: str, start: int, end: int) -> str:
        return f"{self.base}evidence/{stable_id('V', relation_key, article, str(start), str(end))}"

    def dataset(self) -> str:
        """The export itself, which the end marker describes."""
        return f"{self.base}dataset"


_DATA_PREFIXES: Final = (("ent", "entity"), ("rel", "relation"), ("art", "article"), ("ev", "evidence"))
_SAFE_KEY: Final = re.compile(r"[A-Za-z0-9_\-]+")


def _key(key: str) -> str:
    return key if _SAFE_KEY.fullmatch(key) else quote(key, safe="")


def base_from_env(value: str | None = None) -> str:
    """The base IRI: the given value, else $KG_BASE_IRI, else the default."""
    return value or os.environ.get(BASE_ENVVAR) or DEFAULT_BASE


# ---------------------------------------------------------------------------------------------------------
# Triples, one subject at a time
# ---------------------------------------------------------------------------------------------------------


@dataclass
class Counts:
    """What an export wrote, for the CLI's summary and the tests' checks."""

    triples: int = 0
    articles: int = 0
    entities: int = 0
    relations: int = 0
    evidence: int = 0
    path: str = ""
    format: str = ""


def _zh(text: str) -> Lit:
    return Lit(text, None, LANG)


def _decimal_lex(value: object, where: str) -> str:
    if type(value) is float and _PLAIN_FLOAT.fullmatch(text := repr(value)):  # the usual case, fast
        return text
    number = _to_decimal(value, where)
    text = format(number.normalize(), "f")
    return text if "." in text else f"{text}.0"


def _integer_lex(value: object, where: str) -> str:
    if type(value) is int:
        return str(value)
    number = _to_decimal(value, where)
    if number != number.to_integral_value():
        raise ExportError(f"{where}: {value!r} is not a whole number")
    return str(int(number))


def _to_decimal(value: object, where: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise ExportError(f"{where}: {value!r} is not a number")
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise ExportError(f"{where}: {value!r} is not a number") from None
    if not number.is_finite():
        raise ExportError(f"{where}: {value!r} is not a finite number")
    return number


def _number(value: object, datatype: str, where: str) -> Lit:
    if datatype == _XSD_INTEGER:
        return Lit(_integer_lex(value, where), _XSD_INTEGER)
    return Lit(_decimal_lex(value, where), _XSD_DECIMAL)


def _texts(value: object, where: str) -> list[Lit]:
    """A text property: one string or a list of them (a person may hold several posts)."""
    values = value if isinstance(value, list | tuple) else [value]
    out = []
    for item in values:
        if not isinstance(item, str):
            raise ExportError(f"{where}: {item!r} is not text")
        if item:
            out.append(_zh(item))
    return out


_FIGURE_TYPES: Final = {
    name: _XSD_INTEGER if fig.datatype == "integer" else _XSD_DECIMAL for name, fig in FIGURES.items()
}
_CLASS_IRIS: Final = {label: str(KG[label]) for label in ENTITY_LABELS}
_RELATION_IRIS: Final = {name: str(relation_iri(name)) for name in RELATION_TYPES}
_PROP_IRIS: Final = {name: str(prop_iri(name)) for name in (*FIGURES, *TEXT_PROPS, *RELATION_PROPS)}


def _prop_pairs(props: dict[str, Any], allowed: Iterable[str], where: str) -> list[tuple[str, Term]]:
    pairs: list[tuple[str, Term]] = []
    allowed = set(allowed)
    for name in sorted(props):
        value = props[name]
        if value is None:
            continue
        if name not in allowed:
            raise ExportError(
                f"{where}: property {name!r} is not in kg's schema; expected one of {', '.join(sorted(allowed))}"
            )
        iri = _PROP_IRIS[name]
        if name in _FIGURE_TYPES:
            pairs.append((iri, _number(value, _FIGURE_TYPES[name], f"{where} {name}")))
        elif name in RELATION_PROP_TYPES and RELATION_PROP_TYPES[name][0] != RDF.langString:
            pairs.append((iri, _number(value, str(RELATION_PROP_TYPES[name][0]), f"{where} {name}")))
        else:
            pairs.extend((iri, lit) for lit in _texts(value, f"{where} {name}"))
    return pairs


def article_block(article: Article, iris: Iris) -> Block:
    pairs: list[tuple[str, Term]] = [
        (_RDF_TYPE, _ARTICLE),
        (_RDF_TYPE, _PROV_ENTITY),
        (_SOURCE, Lit(article.source)),
    ]
    if article.title:
        pairs.append((_TITLE, _zh(article.title)))
    if article.text:
        pairs.append((_CHARS, Lit(str(len(article.text)), _XSD_INTEGER)))
    return iris.article(article.id), pairs


_ENTITY_PROPS: Final = (*FIGURES, *TEXT_PROPS)


def entity_block(entity: Entity, iris: Iris) -> Block:
    where = f"entity {entity.id}"
    if entity.label not in _CLASS_IRIS:
        raise ExportError(f"{where}: unknown label {entity.label!r}; expected one of {', '.join(ENTITY_LABELS)}")
    pairs: list[tuple[str, Term]] = [(_RDF_TYPE, _CLASS_IRIS[entity.label]), (_LABEL, _zh(entity.name))]
    pairs.extend((_ALT, _zh(alias)) for alias in dict.fromkeys(entity.aliases) if alias and alias != entity.name)
    pairs.extend(_prop_pairs(entity.props, _ENTITY_PROPS, where))
    articles = entity.articles or tuple(sorted({m.article for m in entity.mentions if m.article}))
    pairs.extend((_DERIVED, iris.article(a)) for a in dict.fromkeys(articles))
    return iris.entity(entity.id), pairs


def relation_blocks(rel: Relation, iris: Iris) -> Iterator[Block]:
    """The asserted triple, its rdf:Statement and one kg:Evidence per supporting sentence."""
    rid = rel.id
    if rel.type not in _RELATION_IRIS:
        raise ExportError(f"relation {rid}: unknown type {rel.type!r}; expected one of {', '.join(RELATION_TYPES)}")
    head, tail, predicate = iris.entity(rel.head), iris.entity(rel.tail), _RELATION_IRIS[rel.type]
    yield head, [(predicate, tail)]
    statement = iris.relation(rid)
    pairs: list[tuple[str, Term]] = [
        (_RDF_TYPE, _STATEMENT),
        (_SUBJECT, head),
        (_PREDICATE, predicate),
        (_OBJECT, tail),
    ]
    pairs.extend(_prop_pairs(rel.props, RELATION_PROPS, f"relation {rid}"))
    if rel.evidence:
        pairs.append((_CONFIDENCE, Lit(_decimal_lex(rel.confidence, f"relation {rid}"), _XSD_DECIMAL)))
    evidence: dict[str, Block] = {}
    for ev in rel.evidence:
        node = iris.evidence(rid, ev.article, ev.start, ev.end)
        where = f"evidence of relation {rid}"
        ev_pairs: list[tuple[str, Term]] = [
            (_RDF_TYPE, _EVIDENCE_CLASS),
            (_SENTENCE, _zh(ev.sentence)),
            (_START, Lit(_integer_lex(ev.start, where), _XSD_INTEGER)),
            (_END, Lit(_integer_lex(ev.end, where), _XSD_INTEGER)),
            (_CONFIDENCE, Lit(_decimal_lex(ev.confidence, where), _XSD_DECIMAL)),
        ]
        if ev.article:
            ev_pairs.append((_QUOTED, iris.article(ev.article)))
        evidence.setdefault(node, (node, ev_pairs))
    pairs.extend((_EVIDENCE, node) for node in evidence)
    sources = dict.fromkeys(ev.article for ev in rel.evidence if ev.article)
    pairs.extend((_DERIVED, iris.article(a)) for a in sources)
    yield statement, pairs
    yield from evidence.values()


def iter_blocks(
    articles: Iterable[Article],
    entities: Iterable[Entity],
    relations: Iterable[Relation],
    iris: Iris,
    counts: Counts | None = None,
) -> Iterator[Block]:
    """Every subject's triples: articles, then entities, then relations, in the order given.

    Takes iterables rather than a CorpusGraph so a caller can feed generators and export a graph that is
    never in memory as a whole (the benchmark does).
    """
    counts = counts if counts is not None else Counts()
    triples = 0
    for article in articles:
        counts.articles += 1
        block = article_block(article, iris)
        triples += len(block[1])
        yield block
    for entity in entities:
        counts.entities += 1
        block = entity_block(entity, iris)
        triples += len(block[1])
        yield block
    for rel in relations:
        counts.relations += 1
        counts.evidence += len(rel.evidence)
        for block in relation_blocks(rel, iris):
            triples += len(block[1])
            yield block
    yield end_marker(iris, triples, counts.entities)


def end_marker(iris: Iris, triples: int, entities: int) -> Block:
    """The last block of every export: the dataset and how many triples come before it (VoID), so
    `kg validate` can tell a complete file from one cut short between two statements."""
    return iris.dataset(), [
        (_RDF_TYPE, _VOID_DATASET),
        (_VOID_TRIPLES, Lit(str(triples), _XSD_INTEGER)),
        (_VOID_ENTITIES, Lit(str(entities), _XSD_INTEGER)),
    ]


def graph_blocks(graph: CorpusGraph, iris: Iris, counts: Counts | None = None) -> Iterator[Block]:
    return iter_blocks(graph.articles, graph.entities, graph.relations, iris, counts)


# ---------------------------------------------------------------------------------------------------------
# Text: escaping and the two streaming writers
# ---------------------------------------------------------------------------------------------------------

_ESCAPES: dict[int, str] = {i: f"\\u{i:04X}" for i in (*range(0x20), 0x7F)}
_ESCAPES.update({ord("\\"): "\\\\", ord('"'): '\\"', ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t"})
_ESCAPES.update({ord("\b"): "\\b", ord("\f"): "\\f"})
# A lone surrogate (possible in JSON, "\ud800") cannot be written as UTF-8; it becomes U+FFFD.
_ESCAPES.update(dict.fromkeys(range(0xD800, 0xE000), "\ufffd"))
_SURROGATES: Final = dict.fromkeys(range(0xD800, 0xE000), "\ufffd")
_NEEDS_ESCAPE: Final = re.compile(r'[\x00-\x1f"\\\x7f\ud800-\udfff]')


def escape_string(text: str) -> str:
    """The body of a "…" literal in N-Triples and Turtle (ECHAR and UCHAR escapes, UTF-8 otherwise)."""
    if _NEEDS_ESCAPE.search(text) is None:
        return text
    return text.translate(_ESCAPES)


def _nt_literal(lit: Lit) -> str:
    body = f'"{escape_string(lit.lex)}"'
    if lit.lang:
        return f"{body}@{lit.lang}"
    if lit.datatype and lit.datatype != _XSD_STRING:
        return f"{body}^^<{lit.datatype}>"
    return body


def write_nt(blocks: Iterable[Block], out: TextIO) -> int:
    """N-Triples, one line per triple; returns the number of triples written."""
    count = 0
    vocab: dict[str, str] = {}
    for subject, pairs in blocks:
        s = f"<{subject}> "
        lines = []
        for p, o in pairs:
            pp = vocab.get(p) or vocab.setdefault(p, f"<{p}> ")
            lines.append(f"{s}{pp}<{o}> .\n" if isinstance(o, str) else f"{s}{pp}{_nt_literal(o)} .\n")
        out.write("".join(lines))
        count += len(pairs)
    return count


_PN_LOCAL: Final = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_\-.]*[A-Za-z0-9_\-])?")
_INTEGER: Final = re.compile(r"[+-]?[0-9]+")
_DECIMAL: Final = re.compile(r"[+-]?[0-9]*\.[0-9]+")


class _TurtleNames:
    """Prefixed names where the local part allows it (`kg:Company`, `ent:E1a2b`), `<…>` otherwise.

    Every namespace we bind ends in `/` or `#` and minted keys never contain either (they are
    percent-encoded), so an IRI's namespace is everything up to its last `/` or `#`: one dict lookup.
    """

    def __init__(self, prefixes: dict[str, str]) -> None:
        self.by_namespace = {ns: prefix for prefix, ns in prefixes.items()}
        self.vocab: dict[str, str] = {str(RDF.type): "a"}
        data = ("ent:", "rel:", "art:", "ev:")
        self.vocab_namespaces = {ns for prefix, ns in prefixes.items() if prefix not in data}

    def iri(self, iri: str) -> str:
        known = self.vocab.get(iri)
        if known is not None:
            return known
        cut = max(iri.rfind("/"), iri.rfind("#")) + 1
        ns = iri[:cut]
        prefix = self.by_namespace.get(ns)
        if prefix is None:
            return f"<{iri}>"
        local = iri[cut:]
        name = f"{prefix}{local}" if _PN_LOCAL.fullmatch(local) else f"<{iri}>"
        if ns in self.vocab_namespaces:  # vocabulary is finite: cache it; data IRIs are not
            self.vocab[iri] = name
        return name

    def literal(self, lit: Lit) -> str:
        if lit.lang:
            return f'"{escape_string(lit.lex)}"@{lit.lang}'
        dt = lit.datatype
        if dt == _XSD_INTEGER and _INTEGER.fullmatch(lit.lex):
            return lit.lex
        if dt == _XSD_DECIMAL and _DECIMAL.fullmatch(lit.lex):
            return lit.lex
        if dt and dt != _XSD_STRING:
            return f'"{escape_string(lit.lex)}"^^{self.iri(dt)}'
        return f'"{escape_string(lit.lex)}"'

    def compact(self, iri: str) -> str:
        """A JSON-LD compact IRI (`kg:Company`), or the full IRI when the local part is unusual."""
        name = self.iri(iri)
        return iri if name.startswith("<") or name == "a" else name

    def term(self, term: Term) -> str:
        return self.iri(term) if isinstance(term, str) else self.literal(term)


def turtle_prefixes(iris: Iris) -> dict[str, str]:
    """Prefixes of the exported Turtle: the vocabularies we use and the data namespaces."""
    used = ("kg", "rdf", "rdfs", "xsd", "skos", "prov", "dcterms")
    out = {f"{p}:": PREFIXES[p] for p in used}
    out["void:"] = str(VOID)
    out.update(iris.prefixes)
    return out


def write_turtle(blocks: Iterable[Block], out: TextIO, prefixes: dict[str, str]) -> int:
    """Turtle, one statement per subject block, predicates grouped; returns the number of triples."""
    names = _TurtleNames(prefixes)
    out.write("".join(f"@prefix {p} <{ns}> .\n" for p, ns in prefixes.items()))
    count = 0
    for subject, pairs in blocks:
        parts: list[str] = []
        last = None
        for p, o in pairs:
            if p == last:
                parts.append(f", {names.term(o)}")
            else:
                parts.append(f" ;\n    {names.iri(p)} {names.term(o)}" if last else f" {names.iri(p)} {names.term(o)}")
                last = p
        out.write(f"\n{names.iri(subject)}{''.join(parts)} .\n")
        count += len(pairs)
    return count


# ---------------------------------------------------------------------------------------------------------
# rdflib, for checking the streaming writers and for small graphs
# ---------------------------------------------------------------------------------------------------------


def to_rdflib_term(term: Term) -> URIRef | Literal:
    if isinstance(term, str):
        return URIRef(term)
    if term.lang:
        return Literal(term.lex, lang=term.lang)
    return Literal(term.lex, datatype=URIRef(term.datatype) if term.datatype else None)


def blocks_to_rdflib(blocks: Iterable[Block], iris: Iris | None = None) -> Graph:
    graph = Graph(bind_namespaces="none")
    for prefix, ns in turtle_prefixes(iris or Iris()).items():
        graph.bind(prefix.rstrip(":"), ns)
    for subject, pairs in blocks:
        s = URIRef(subject)
        for p, o in pairs:
            graph.add((s, URIRef(p), to_rdflib_term(o)))
    return graph


def to_rdflib(graph: CorpusGraph, base: str = DEFAULT_BASE) -> Graph:
    """The export as an rdflib Graph (in memory: for tests, SPARQL over small graphs, the benchmark)."""
    iris = Iris(base)
    return blocks_to_rdflib(graph_blocks(graph, iris), iris)


def _jsonld_value(term: Term, names: _TurtleNames) -> Any:
    if isinstance(term, str):
        return {"@id": names.compact(term)}
    lex = term.lex if _NEEDS_ESCAPE.search(term.lex) is None else term.lex.translate(_SURROGATES)
    if term.lang:
        return {"@value": lex, "@language": term.lang}
    if term.datatype and term.datatype != _XSD_STRING:
        return {"@value": lex, "@type": names.compact(term.datatype)}
    return lex


def write_jsonld(blocks: Iterable[Block], out: TextIO, iris: Iris) -> int:
    """JSON-LD, one node object per subject block (a subject may come back: JSON-LD merges node objects)."""
    prefixes = turtle_prefixes(iris)
    names = _TurtleNames(prefixes)
    context = {p.rstrip(":"): ns for p, ns in prefixes.items()}
    out.write('{\n "@context": ' + json.dumps(context, ensure_ascii=False, sort_keys=True) + ',\n "@graph": [')
    count = 0
    sep = "\n  "
    for subject, pairs in blocks:
        node: dict[str, Any] = {"@id": names.compact(subject)}
        for p, o in pairs:
            if p == _RDF_TYPE and isinstance(o, str):
                node.setdefault("@type", []).append(names.compact(o))
            else:
                node.setdefault(names.compact(p), []).append(_jsonld_value(o, names))
        out.write(sep + json.dumps(node, ensure_ascii=False))
        sep = ",\n  "
        count += len(pairs)
    out.write("\n ]\n}\n")
    return count


# ---------------------------------------------------------------------------------------------------------
# Entry points
# ---------------------------------------------------------------------------------------------------------


def check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise ExportError(f"unknown RDF format {fmt!r}; expected one of {', '.join(FORMATS)}")
    return fmt


def write_blocks(blocks: Iterable[Block], out: TextIO, fmt: str, iris: Iris) -> int:
    """Write blocks in `fmt`; returns the number of triples."""
    check_format(fmt)
    if fmt == "nt":
        return write_nt(blocks, out)
    if fmt == "turtle":
        return write_turtle(blocks, out, turtle_prefixes(iris))
    return write_jsonld(blocks, out, iris)


def export_stream(
    articles: Iterable[Article],
    entities: Iterable[Entity],
    relations: Iterable[Relation],
    out: TextIO,
    fmt: str = "turtle",
    base: str = DEFAULT_BASE,
) -> Counts:
    """Export from iterables to an open text stream (UTF-8); nothing but the current block is held."""
    iris = Iris(base)
    counts = Counts(format=fmt)
    counts.triples = write_blocks(iter_blocks(articles, entities, relations, iris, counts), out, fmt, iris)
    return counts


def export(graph: CorpusGraph, path: Path | str, fmt: str = "turtle", base: str = DEFAULT_BASE) -> Counts:
    """Write the graph to `path` ("-" is stdout) in `fmt`, atomically: a failed export leaves no file."""
    check_format(fmt)
    Iris(base)  # a bad base is an error before any file is touched
    if str(path) == "-":
        out = open(sys.stdout.fileno(), "w", encoding="utf-8", newline="\n", closefd=False)  # noqa: SIM115
        with out:
            counts = export_stream(graph.articles, graph.entities, graph.relations, out, fmt, base)
        counts.path = "-"
        return counts
    with open_atomic(path) as stream:
        counts = export_stream(graph.articles, graph.entities, graph.relations, stream, fmt, base)
    counts.path = str(path)
    return counts


__all__ = [
    "BASE_ENVVAR",
    "DEFAULT_BASE",
    "FORMATS",
    "Counts",
    "Iris",
    "Lit",
    "escape_string",
    "export",
    "export_stream",
    "iter_blocks",
    "to_rdflib",
    "write_nt",
    "write_turtle",
]
