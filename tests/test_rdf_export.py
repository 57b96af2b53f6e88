"""`kg.rdf.export`: round trips through rdflib, counts, stable IRIs, escaping, typed figures, evidence."""

from __future__ import annotations

import dataclasses
import importlib.util
import io
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef
from rdflib import namespace as ns
from rdflib.compare import isomorphic, to_isomorphic

from kg.errors import ExportError
from kg.model import CorpusGraph, Entity, Relation
from kg.rdf.export import DEFAULT_BASE, FORMATS, Iris, escape_string, export, export_stream, to_rdflib
from kg.rdf.namespace import KG, class_iri, prop_iri, relation_iri
from kg.schema import ENTITY_LABELS

# rdflib's own JSON-LD parser warns about its internals; nothing we can act on.
pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")

RDF_FORMAT = {"turtle": "turtle", "nt": "nt", "jsonld": "json-ld"}
SUFFIX = {"turtle": "ttl", "nt": "nt", "jsonld": "jsonld"}


def _write_and_parse(graph: CorpusGraph, tmp_path: Path, fmt: str, base: str = DEFAULT_BASE) -> Graph:
    path = tmp_path / f"out.{SUFFIX[fmt]}"
    export(graph, path, fmt, base)
    return Graph().parse(path, format=RDF_FORMAT[fmt])


def _sample_corpus() -> CorpusGraph:
    if importlib.util.find_spec("kg.extract") is None:
        pytest.skip("extraction (kg.extract) not available yet: the sample articles cannot be built")
    from kg.pipeline import corpus_from_input, sample_articles_dir

    return corpus_from_input(sample_articles_dir())


@pytest.mark.parametrize("fmt", FORMATS)
def test_round_trip_is_isomorphic(rdf_corpus: CorpusGraph, tmp_path: Path, fmt: str) -> None:
    parsed = _write_and_parse(rdf_corpus, tmp_path, fmt)
    expected = to_rdflib(rdf_corpus)
    assert len(parsed) == len(expected)
    assert isomorphic(parsed, expected), set(to_isomorphic(parsed)) ^ set(to_isomorphic(expected))


@pytest.mark.parametrize("fmt", FORMATS)
def test_sample_articles_round_trip(tmp_path: Path, fmt: str) -> None:
    graph = _sample_corpus()
    parsed = _write_and_parse(graph, tmp_path, fmt)
    assert isomorphic(parsed, to_rdflib(graph))
    assert _entity_count(parsed) == len(graph.entities)


def _entity_count(rdf: Graph) -> int:
    return len({s for label in ENTITY_LABELS for s in rdf.subjects(ns.RDF.type, class_iri(label))})


@pytest.mark.parametrize("fmt", FORMATS)
def test_counts_equal_the_corpus_graph(rdf_corpus: CorpusGraph, tmp_path: Path, fmt: str) -> None:
    rdf = _write_and_parse(rdf_corpus, tmp_path, fmt)
    assert _entity_count(rdf) == len(rdf_corpus.entities)
    assert len(set(rdf.subjects(ns.RDF.type, ns.RDF.Statement))) == len(rdf_corpus.relations)
    asserted = [t for r in rdf_corpus.relations for t in rdf.triples((None, relation_iri(r.type), None))]
    assert len(set(asserted)) == len(rdf_corpus.relations)
    assert len(set(rdf.subjects(ns.RDF.type, KG.Evidence))) == sum(len(r.evidence) for r in rdf_corpus.relations)
    assert len(set(rdf.subjects(ns.RDF.type, ns.PROV.Entity))) == len(rdf_corpus.articles)


def test_export_reports_what_it_wrote(rdf_corpus: CorpusGraph, tmp_path: Path) -> None:
    counts = export(rdf_corpus, tmp_path / "g.ttl")
    assert (counts.entities, counts.relations, counts.articles) == (
        len(rdf_corpus.entities),
        len(rdf_corpus.relations),
        len(rdf_corpus.articles),
    )
    assert counts.triples == len(Graph().parse(tmp_path / "g.ttl"))


@pytest.mark.parametrize("fmt", FORMATS)
def test_same_input_gives_identical_files(rdf_corpus: CorpusGraph, tmp_path: Path, fmt: str) -> None:
    """In separate processes with different hash seeds (one process would hide a set-ordered output)."""
    import os
    import subprocess
    import sys

    from kg.io import write_json

    write_json(tmp_path / "corpus.json", rdf_corpus.to_dict())
    code = (
        "import sys; from kg.io import read_corpus_graph; from kg.rdf.export import export; "
        "export(read_corpus_graph(sys.argv[1]), sys.argv[2], sys.argv[3])"
    )
    for name, seed in (("a", "1"), ("b", "2")):
        done = subprocess.run(
            [sys.executable, "-c", code, str(tmp_path / "corpus.json"), str(tmp_path / name), fmt],
            env={**os.environ, "PYTHONHASHSEED": seed}, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
    assert (tmp_path / "a").read_bytes() == (tmp_path / "b").read_bytes()


def test_iris_are_minted_from_our_keys(rdf_corpus: CorpusGraph, tmp_path: Path) -> None:
    base = "https://example.com/kg/"
    rdf = _write_and_parse(rdf_corpus, tmp_path, "nt", base)
    company = URIRef(base + "entity/Ecompany")
    assert (company, ns.RDF.type, KG.Company) in rdf
    rel = next(r for r in rdf_corpus.relations if r.type == "SUPPLIES_TO")
    assert (URIRef(base + "relation/" + rel.id), ns.RDF.subject, company) in rdf
    article = rdf_corpus.articles[0]
    assert (URIRef(base + "article/" + article.id), ns.RDF.type, KG.Article) in rdf
    for node in rdf.all_nodes():
        if isinstance(node, URIRef) and "/kg/" in node:
            assert node.startswith(base)


def test_odd_entity_ids_become_valid_percent_encoded_iris(rdf_corpus: CorpusGraph, tmp_path: Path) -> None:
    rdf = _write_and_parse(rdf_corpus, tmp_path, "turtle")
    iri = URIRef(Iris().entity('E weird/"<>#%\\x'))
    assert str(iri) == DEFAULT_BASE + "entity/E%20weird%2F%22%3C%3E%23%25%5Cx"
    assert (iri, ns.RDF.type, KG.Region) in rdf
    assert (URIRef(DEFAULT_BASE + "entity/Ecompany"), relation_iri("RELOCATED_FROM"), iri) in rdf


TRICKY = [
    'say "hi"',
    "back\\slash",
    "line\nbreak",
    "carriage\rreturn",
    "tab\there",
    "𠮷野家 😀 non-BMP",
    "control \x01 \x7f",
    "\\n literally, and \\u0041",
    "'''\"\"\" quotes of long strings",
    "trailing backslash \\",
    "",
]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("text", TRICKY)
def test_literals_survive_escaping(tmp_path: Path, fmt: str, text: str) -> None:
    entity = Entity("E1", "Company", f"名{text}", aliases=(text,) if text else (), props={"title": text or "x"})
    graph = CorpusGraph((), (entity,), ())
    rdf = _write_and_parse(graph, tmp_path, fmt)
    subject = URIRef(DEFAULT_BASE + "entity/E1")
    assert rdf.value(subject, ns.RDFS.label) == Literal(f"名{text}", lang="zh")
    if text:
        assert rdf.value(subject, ns.SKOS.altLabel) == Literal(text, lang="zh")
    assert isomorphic(rdf, to_rdflib(graph))


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ('a"b', 'a\\"b'),
        ("a\\b", "a\\\\b"),
        ("a\nb\rc\td", "a\\nb\\rc\\td"),
        ("\x00\x1f", "\\u0000\\u001F"),
        ("𠮷", "𠮷"),
        ("\ud800", "\ufffd"),
        ("plain 中文", "plain 中文"),
    ],
)
def test_escape_string(text: str, escaped: str) -> None:
    assert escape_string(text) == escaped


def _figure(tmp_path: Path, name: str, value: object) -> Literal:
    entity = Entity("E1", "Company", "某公司", props={name: value})
    rdf = _write_and_parse(CorpusGraph((), (entity,), ()), tmp_path, "turtle")
    found = rdf.value(URIRef(DEFAULT_BASE + "entity/E1"), prop_iri(name))
    assert isinstance(found, Literal)
    return found


@pytest.mark.parametrize(
    ("name", "value", "lexical", "datatype"),
    [
        ("investment_cny", 650000000, "650000000", ns.XSD.integer),
        ("investment_cny", 2e8, "200000000", ns.XSD.integer),
        ("jobs", "300", "300", ns.XSD.integer),
        ("capacity_t", 20000, "20000.0", ns.XSD.decimal),
        ("capacity_t", 1.5, "1.5", ns.XSD.decimal),
        ("capacity_t", 1e-7, "0.0000001", ns.XSD.decimal),
        ("output_value_cny", 1.265e10, "12650000000", ns.XSD.integer),
    ],
)
def test_figures_are_typed_literals(tmp_path: Path, name: str, value: object, lexical: str, datatype: URIRef) -> None:
    found = _figure(tmp_path, name, value)
    assert (str(found), found.datatype) == (lexical, datatype)


@pytest.mark.parametrize(
    ("props", "message"),
    [
        ({"investment_cny": 1.5}, "not a whole number"),
        ({"jobs": "many"}, "not a number"),
        ({"jobs": True}, "not a number"),
        ({"capacity_t": float("nan")}, "not a finite number"),
        ({"colour": "red"}, "not in kg's schema"),
        ({"title": 3}, "not text"),
    ],
)
def test_bad_property_values_are_export_errors(tmp_path: Path, props: dict[str, object], message: str) -> None:
    graph = CorpusGraph((), (Entity("E1", "Person", "某人", props=props),), ())
    with pytest.raises(ExportError, match=message):
        export(graph, tmp_path / "x.ttl")
    assert not (tmp_path / "x.ttl").exists()
    assert list(tmp_path.iterdir()) == []  # no temporary file left behind


@pytest.mark.parametrize(
    "base", ["kg.example.org/id/", "https://kg.example.org/id", "https://a b/", "", "http://x/<y>/"]
)
def test_bad_base_iri(rdf_corpus: CorpusGraph, tmp_path: Path, base: str) -> None:
    with pytest.raises(ExportError, match="base IRI"):
        export(rdf_corpus, tmp_path / "x.ttl", "turtle", base)


def test_unknown_label_and_relation_type(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="unknown label 'Animal'"):
        export(CorpusGraph((), (Entity("E1", "Animal", "熊猫"),), ()), tmp_path / "x.ttl")
    with pytest.raises(ExportError, match="unknown type 'LIKES'"):
        export(CorpusGraph((), (), (Relation("LIKES", "E1", "E2"),)), tmp_path / "x.ttl")


@pytest.mark.parametrize("base", ["https://data.example.com/kg/", "urn:kg:", "http://x.org/ns#"])
def test_good_base_iri(rdf_corpus: CorpusGraph, tmp_path: Path, base: str) -> None:
    base = base if base[-1] in "/#" else base + "/"
    rdf = _write_and_parse(rdf_corpus, tmp_path, "turtle", base)
    assert (URIRef(base + "entity/Ezone"), ns.RDF.type, KG.DevelopmentZone) in rdf


def test_unknown_format(rdf_corpus: CorpusGraph, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="unknown RDF format 'xml'"):
        export(rdf_corpus, tmp_path / "x.xml", "xml")


def test_relations_are_reified_with_their_evidence(rdf_corpus: CorpusGraph, tmp_path: Path) -> None:
    rdf = _write_and_parse(rdf_corpus, tmp_path, "turtle")
    rel = next(r for r in rdf_corpus.relations if r.type == "LOCATED_IN" and len(r.evidence) == 2)
    statement = URIRef(DEFAULT_BASE + "relation/" + rel.id)
    head, tail = URIRef(DEFAULT_BASE + "entity/" + rel.head), URIRef(DEFAULT_BASE + "entity/" + rel.tail)
    assert (head, KG.locatedIn, tail) in rdf
    assert (statement, ns.RDF.subject, head) in rdf
    assert (statement, ns.RDF.predicate, KG.locatedIn) in rdf
    assert (statement, ns.RDF.object, tail) in rdf
    assert rdf.value(statement, KG.confidence) == Literal("0.8", datatype=ns.XSD.decimal)
    found = set()
    for node in rdf.objects(statement, KG.evidence):
        article = rdf.value(node, ns.PROV.wasQuotedFrom)
        found.add(
            (
                str(rdf.value(node, KG.sentence)),
                int(rdf.value(node, KG.start)),  # type: ignore[arg-type]
                int(rdf.value(node, KG.end)),  # type: ignore[arg-type]
                float(rdf.value(node, KG.confidence)),  # type: ignore[arg-type]
                str(article).rsplit("/", 1)[-1],
            )
        )
    assert found == {(e.sentence, e.start, e.end, e.confidence, e.article) for e in rel.evidence}


def test_entities_carry_labels_aliases_and_provenance(rdf_corpus: CorpusGraph, tmp_path: Path) -> None:
    rdf = _write_and_parse(rdf_corpus, tmp_path, "nt")
    for entity in rdf_corpus.entities:
        subject = URIRef(Iris().entity(entity.id))
        assert list(rdf.objects(subject, ns.RDFS.label)) == [Literal(entity.name, lang="zh")]
        assert set(rdf.objects(subject, ns.SKOS.altLabel)) == {Literal(a, lang="zh") for a in entity.aliases}
        assert set(rdf.objects(subject, ns.PROV.wasDerivedFrom)) == {URIRef(Iris().article(a)) for a in entity.articles}


def test_turtle_uses_prefixed_names(rdf_corpus: CorpusGraph, tmp_path: Path) -> None:
    export(rdf_corpus, tmp_path / "g.ttl")
    text = (tmp_path / "g.ttl").read_text(encoding="utf-8")
    assert "ent:Ecompany a kg:Company ;" in text
    assert re.search(r"kg:investmentCny 650000000 ;", text)
    assert "<https://kg.example.org/id/entity/E%20weird" in text  # `%` is fine, but keep odd ids in full


def test_stream_from_generators_matches_the_graph_export(rdf_corpus: CorpusGraph, tmp_path: Path) -> None:
    out = io.StringIO()
    counts = export_stream(
        (a for a in rdf_corpus.articles), iter(rdf_corpus.entities), iter(rdf_corpus.relations), out, "nt"
    )
    export(rdf_corpus, tmp_path / "g.nt", "nt")
    assert out.getvalue() == (tmp_path / "g.nt").read_text(encoding="utf-8")
    assert counts.relations == len(rdf_corpus.relations)


def test_entity_without_articles_falls_back_to_its_mentions(rdf_corpus: CorpusGraph, tmp_path: Path) -> None:
    zone = next(e for e in rdf_corpus.entities if e.id == "Ezone")
    graph = dataclasses.replace(rdf_corpus, entities=(dataclasses.replace(zone, articles=()),))
    rdf = to_rdflib(dataclasses.replace(graph, relations=()))
    assert rdf.value(URIRef(Iris().entity("Ezone")), ns.PROV.wasDerivedFrom) == URIRef(
        Iris().article(zone.mentions[0].article)
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40))
def test_any_text_round_trips(tmp_path: Path, text: str) -> None:
    """Any Unicode string (lone surrogates aside, which UTF-8 cannot carry) survives every format."""
    graph = CorpusGraph((), (Entity("E1", "Company", text, aliases=("别名", text)),), ())
    for fmt in FORMATS:
        out = io.StringIO()
        export_stream((), graph.entities, (), out, fmt)
        rdf = Graph().parse(data=out.getvalue(), format=RDF_FORMAT[fmt])
        assert rdf.value(URIRef(DEFAULT_BASE + "entity/E1"), ns.RDFS.label) == Literal(text, lang="zh"), fmt
