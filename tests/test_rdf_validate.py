"""SHACL validation: everything kg exports conforms; each kind of broken graph is caught by its shape."""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib import namespace as ns

from kg.errors import GraphFormatError, InputError
from kg.model import CorpusGraph
from kg.rdf.export import FORMATS, Iris, export, to_rdflib
from kg.rdf.namespace import KG
from kg.rdf.validate import read_rdf, validate, validate_graph

# rdflib's own JSON-LD parser warns about its internals; nothing we can act on.
pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")

SUFFIX = {"turtle": "ttl", "nt": "nt", "jsonld": "jsonld"}
IRIS = Iris()
COMPANY = URIRef(IRIS.entity("Ecompany"))
ZONE = URIRef(IRIS.entity("Ezone"))
PERSON = URIRef(IRIS.entity("Eperson"))
REGION = URIRef(IRIS.entity("Eregion"))


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_conforms(rdf_corpus: CorpusGraph, tmp_path: Path, fmt: str) -> None:
    path = tmp_path / f"g.{SUFFIX[fmt]}"
    export(rdf_corpus, path, fmt)
    report = validate(path)
    assert report.conforms, report.text
    assert report.violations == ()
    assert report.text.startswith("conforms")


def test_sample_articles_export_conforms(tmp_path: Path) -> None:
    if importlib.util.find_spec("kg.extract") is None:
        pytest.skip("extraction (kg.extract) not available yet: the sample articles cannot be built")
    from kg.pipeline import corpus_from_input, sample_articles_dir

    export(corpus_from_input(sample_articles_dir()), tmp_path / "s.ttl")
    report = validate(tmp_path / "s.ttl")
    assert report.conforms, report.text


def test_shared_corpus_export_conforms(shared_corpus: Path, tmp_path: Path) -> None:
    """The real articles beside the project (skipped when absent): what users will export."""
    if importlib.util.find_spec("kg.extract") is None:
        pytest.skip("extraction (kg.extract) not available yet")
    from kg.pipeline import corpus_from_input

    graph = corpus_from_input(shared_corpus)
    export(graph, tmp_path / "real.nt", "nt")
    report = validate(tmp_path / "real.nt")
    assert report.conforms, report.text


def _statement(g: Graph, predicate: URIRef) -> URIRef:
    return next(s for s in g.subjects(ns.RDF.predicate, predicate) if isinstance(s, URIRef))


def _evidence(g: Graph) -> URIRef:
    return next(s for s in g.subjects(ns.RDF.type, KG.Evidence) if isinstance(s, URIRef))


def _set(g: Graph, s: URIRef, p: URIRef, o: URIRef | Literal | None) -> None:
    g.remove((s, p, None))
    if o is not None:
        g.add((s, p, o))


Mutation = Callable[[Graph], None]
BROKEN: list[tuple[str, Mutation, str]] = [
    ("no label", lambda g: _set(g, COMPANY, ns.RDFS.label, None), "kgsh:Entity-label"),
    (
        "two labels",
        lambda g: g.add((COMPANY, ns.RDFS.label, Literal("另一个", lang="zh"))),
        "kgsh:Entity-label",
    ),
    ("label without @zh", lambda g: _set(g, ZONE, ns.RDFS.label, Literal("金河")), "kgsh:Entity-label"),
    ("label @en", lambda g: _set(g, ZONE, ns.RDFS.label, Literal("Jinhe", lang="en")), "kgsh:Entity-label"),
    (
        "alias @en",
        lambda g: g.add((ZONE, ns.SKOS.altLabel, Literal("JH", lang="en"))),
        "kgsh:Entity-altLabel",
    ),
    (
        "figure as text",
        lambda g: _set(g, COMPANY, KG.investmentCny, Literal("6.5亿元")),
        "kgsh:Figure-investmentCny-value",
    ),
    (
        "integer figure as decimal",
        lambda g: _set(g, COMPANY, KG.jobs, Literal("300.5", datatype=ns.XSD.decimal)),
        "kgsh:Figure-jobs-value",
    ),
    ("two values of a figure", lambda g: g.add((COMPANY, KG.jobs, Literal(301))), "kgsh:Figure-jobs-value"),
    ("head outside the domain", lambda g: g.add((PERSON, KG.locatedIn, REGION)), "kgsh:Relation-locatedIn"),
    (
        "tail outside the range",
        lambda g: g.add((COMPANY, KG.locatedIn, PERSON)),
        "kgsh:Relation-locatedIn-tail",
    ),
    (
        "symmetric pair not allowed",
        lambda g: g.add((ZONE, KG.cooperatesWith, ZONE)),
        "kgsh:Relation-cooperatesWith",
    ),
    (
        "untyped endpoint",
        lambda g: g.add((COMPANY, KG.suppliesTo, URIRef("urn:x"))),
        "kgsh:Relation-suppliesTo-tail",
    ),
    (
        "confidence above 1",
        lambda g: _set(g, _evidence(g), KG.confidence, Literal("1.5", datatype=ns.XSD.decimal)),
        "kgsh:Evidence-confidence",
    ),
    (
        "evidence without sentence",
        lambda g: _set(g, _evidence(g), KG.sentence, None),
        "kgsh:Evidence-sentence",
    ),
    (
        "evidence from an unknown article",
        lambda g: _set(g, _evidence(g), ns.PROV.wasQuotedFrom, URIRef(IRIS.article("Anope"))),
        "kgsh:Evidence-wasQuotedFrom",
    ),
    (
        "negative offset",
        lambda g: _set(g, _evidence(g), KG.start, Literal(-1)),
        "kgsh:Evidence-start",
    ),
    (
        "statement without evidence",
        lambda g: _set(g, _statement(g, KG.suppliesTo), KG.evidence, None),
        "kgsh:Statement-evidence",
    ),
    (
        "reified but not asserted",
        lambda g: g.remove((COMPANY, KG.suppliesTo, None)),
        "kgsh:Asserted",
    ),
    (
        "statement of an unknown predicate",
        lambda g: _set(g, _statement(g, KG.suppliesTo), ns.RDF.predicate, ns.RDFS.seeAlso),
        "kgsh:Statement-predicate",
    ),
    (
        "article without source",
        lambda g: [g.remove((a, KG.source, None)) for a in g.subjects(ns.RDF.type, KG.Article)],
        "kgsh:Article-source",
    ),
]


@pytest.mark.parametrize(("case", "mutate", "shape"), BROKEN, ids=[c[0] for c in BROKEN])
def test_broken_graph_fails(rdf_corpus: CorpusGraph, case: str, mutate: Mutation, shape: str) -> None:
    graph = to_rdflib(rdf_corpus)
    mutate(graph)
    report = validate_graph(graph)
    assert not report.conforms
    assert shape in {v.shape for v in report.violations}, report.text
    assert report.text.startswith("does not conform")


def test_report_names_focus_node_and_rule(rdf_corpus: CorpusGraph, tmp_path: Path) -> None:
    graph = to_rdflib(rdf_corpus)
    graph.add((PERSON, KG.locatedIn, REGION))
    graph.serialize(tmp_path / "bad.ttl", format="turtle")
    report = validate(tmp_path / "bad.ttl")
    assert not report.conforms
    line = next(v.line() for v in report.violations if v.shape == "kgsh:Relation-locatedIn")
    assert "ent:Eperson" in line
    assert "LOCATED_IN must link" in line


@pytest.mark.parametrize(
    ("content", "suffix", "error"),
    [
        ("this is not turtle <<<", ".ttl", GraphFormatError),
        ('{"format": "kg.corpusgraph"}', ".json", GraphFormatError),
        ("", ".nt", GraphFormatError),
    ],
)
def test_unreadable_rdf(tmp_path: Path, content: str, suffix: str, error: type[Exception]) -> None:
    path = tmp_path / f"x{suffix}"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(error) as caught:
        read_rdf(path)
    assert "\n" not in str(caught.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        validate(tmp_path / "nope.ttl")


# ---------------------------------------------------------------------------------------------------------
# Cut-short and foreign files (issue 10, item 10)


def _statements(text: str) -> list[str]:
    """A Turtle export split into its prefix block and its statements (kg writes one per blank-line block)."""
    return text.split("\n\n")


def test_every_export_ends_with_a_marker_that_counts_its_triples(rdf_corpus: CorpusGraph, tmp_path: Path) -> None:
    for fmt in FORMATS:
        path = tmp_path / f"g.{SUFFIX[fmt]}"
        export(rdf_corpus, path, fmt)
        data = Graph().parse(path, format={"jsonld": "json-ld"}.get(fmt, fmt))
        (marker,) = data.subjects(ns.RDF.type, ns.VOID.Dataset)
        assert int(data.value(marker, ns.VOID.triples)) == len(data) - 3, fmt
        assert int(data.value(marker, ns.VOID.entities)) == len(rdf_corpus.entities), fmt


def test_a_file_cut_cleanly_before_its_relations_is_incomplete(rdf_corpus: CorpusGraph, tmp_path: Path) -> None:
    path = tmp_path / "g.ttl"
    export(rdf_corpus, path)
    blocks = _statements(path.read_text(encoding="utf-8"))
    first_relation = next(i for i, b in enumerate(blocks) if b.lstrip().startswith("rel:"))
    cut = tmp_path / "cut.ttl"
    cut.write_text("\n\n".join(blocks[: first_relation - 1]) + "\n", encoding="utf-8")
    assert len(Graph().parse(cut)) > 50  # it parses: only the marker can tell
    report = validate(cut)
    assert not report.conforms
    assert "no end-of-export marker" in report.text and "kg:complete-export" in report.text


def test_a_file_with_statements_removed_is_incomplete(rdf_corpus: CorpusGraph, tmp_path: Path) -> None:
    path = tmp_path / "g.ttl"
    export(rdf_corpus, path)
    blocks = _statements(path.read_text(encoding="utf-8"))
    evidence = next(i for i, b in enumerate(blocks) if b.lstrip().startswith("ev:"))
    path.write_text("\n\n".join(blocks[:evidence] + blocks[evidence + 1 :]), encoding="utf-8")
    report = validate(path)
    assert not report.conforms and "the file was cut short or edited" in report.text


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("at", [0.3, 0.5, 0.77, 0.999])
def test_a_cut_in_the_middle_of_a_statement_names_the_file_and_line(
    rdf_corpus: CorpusGraph, tmp_path: Path, fmt: str, at: float
) -> None:
    path = tmp_path / f"g.{SUFFIX[fmt]}"
    export(rdf_corpus, path, fmt)
    text = path.read_text(encoding="utf-8")
    cut = tmp_path / f"cut.{SUFFIX[fmt]}"
    keep = text[: int(len(text) * at)]
    cut.write_text(keep, encoding="utf-8")
    try:
        report = validate(cut)
    except GraphFormatError as e:
        message = str(e)
        assert "\n" not in message and "string index out of range" not in message
        assert re.match(rf"{re.escape(str(cut))}:\d+: not valid RDF", message), message
        line = int(message.split(":")[1])
        assert 1 <= line <= keep.count("\n") + 1
    else:  # the cut fell between two statements: the marker catches it
        assert not report.conforms and "kg:complete-export" in report.text


def test_a_file_that_is_not_rdf_names_its_line_and_what_kg_reads(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text("# kg\n\nSome *markdown* here.\n", encoding="utf-8")
    with pytest.raises(GraphFormatError) as caught:
        validate(readme)
    message = str(caught.value)
    assert message.startswith(f"{readme}:3: not valid RDF") and ".md is not an RDF file" in message
    assert "<>" not in message
