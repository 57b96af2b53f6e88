"""The closed vocabulary, ontology and shapes follow kg/schema.py, and schema/*.ttl are their output."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib import namespace as ns
from rdflib.collection import Collection

from kg.rdf import namespace as kgns
from kg.rdf.namespace import camel, class_iri, prop_iri, relation_iri
from kg.rdf.ontology import build_ontology, build_shapes, render_ontology, render_shapes, write_schema_files
from kg.schema import ENTITY_LABELS, FIGURES, RELATION_PROPS, RELATION_TYPES, TEXT_PROPS

SCHEMA = Path(__file__).resolve().parent.parent / "schema"


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return build_ontology()


@pytest.mark.parametrize(("name", "render"), [("ontology.ttl", render_ontology), ("shapes.ttl", render_shapes)])
def test_schema_files_equal_what_the_code_generates(name: str, render) -> None:  # type: ignore[no-untyped-def]
    on_disk = (SCHEMA / name).read_text(encoding="utf-8")
    assert on_disk == render(), f"schema/{name} is stale: run `python -m kg.rdf.ontology`"


def test_write_schema_files_is_deterministic(tmp_path: Path) -> None:
    """In separate processes with different hash seeds (one process would hide a set-ordered output)."""
    import os
    import subprocess
    import sys

    code = "import sys; from kg.rdf.ontology import write_schema_files; write_schema_files(sys.argv[1])"
    for name, seed in (("a", "1"), ("b", "2")):
        done = subprocess.run(
            [sys.executable, "-c", code, str(tmp_path / name)],
            env={**os.environ, "PYTHONHASHSEED": seed}, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
    first = sorted((p.name, p.read_bytes()) for p in (tmp_path / "a").iterdir())
    assert first and first == sorted((p.name, p.read_bytes()) for p in (tmp_path / "b").iterdir())
    assert [p.read_bytes() for p in write_schema_files(tmp_path / "c")] == [b for _, b in first]


@pytest.mark.parametrize(
    ("name", "term"),
    [
        ("LOCATED_IN", "locatedIn"),
        ("COOPERATES_WITH", "cooperatesWith"),
        ("investment_cny", "investmentCny"),
        ("area_km2", "areaKm2"),
        ("jobs", "jobs"),
    ],
)
def test_camel_case_terms(name: str, term: str) -> None:
    assert camel(name) == term


@pytest.mark.parametrize("bad", ["Compnay", "LOCATED_IN", "investment_cny", "located_in"])
def test_namespace_is_closed(bad: str) -> None:
    with pytest.raises(AttributeError):
        getattr(kgns.KG, bad)


def test_namespace_holds_every_schema_name() -> None:
    names = [*ENTITY_LABELS, *(camel(r) for r in RELATION_TYPES), *(camel(p) for p in FIGURES)]
    names += [camel(p) for p in (*TEXT_PROPS, *RELATION_PROPS)]
    for name in names:
        assert name in kgns.KG, name
        assert str(kgns.KG[name]) == "https://kg.example.org/ontology#" + name


@pytest.mark.parametrize("label", ENTITY_LABELS)
def test_every_label_is_an_owl_class(ontology: Graph, label: str) -> None:
    assert (class_iri(label), ns.RDF.type, ns.OWL.Class) in ontology
    assert ontology.value(class_iri(label), ns.RDFS.comment) is not None


def _classes(graph: Graph, node: URIRef | BNode) -> set[str]:
    """The labels a domain or range names: one class, or the members of an owl:unionOf."""
    if isinstance(node, URIRef):
        return {node.split("#")[-1]}
    members = Collection(graph, graph.value(node, ns.OWL.unionOf))
    return {m.split("#")[-1] for m in members}


@pytest.mark.parametrize("rtype", list(RELATION_TYPES))
def test_relation_domain_and_range_follow_the_schema(ontology: Graph, rtype: str) -> None:
    rel = RELATION_TYPES[rtype]
    prop = relation_iri(rtype)
    assert (prop, ns.RDF.type, ns.OWL.ObjectProperty) in ontology
    domain = _classes(ontology, ontology.value(prop, ns.RDFS.domain))  # type: ignore[arg-type]
    range_ = _classes(ontology, ontology.value(prop, ns.RDFS.range))  # type: ignore[arg-type]
    if rel.symmetric:
        assert (prop, ns.RDF.type, ns.OWL.SymmetricProperty) in ontology
        assert domain == range_ == set(rel.heads) | set(rel.tails)
    else:
        assert (domain, range_) == (set(rel.heads), set(rel.tails))


def test_several_labels_make_a_union_class(ontology: Graph) -> None:
    domain = ontology.value(relation_iri("LOCATED_IN"), ns.RDFS.domain)
    assert isinstance(domain, BNode)
    assert (domain, ns.RDF.type, ns.OWL.Class) in ontology
    assert ontology.value(relation_iri("OPERATES"), ns.RDFS.domain) == kgns.KG.Company


@pytest.mark.parametrize("name", list(FIGURES))
def test_figures_are_typed_datatype_properties_with_units(ontology: Graph, name: str) -> None:
    fig = FIGURES[name]
    prop = prop_iri(name)
    assert (prop, ns.RDF.type, ns.OWL.DatatypeProperty) in ontology
    assert ontology.value(prop, ns.RDFS.range) == (ns.XSD.integer if fig.datatype == "integer" else ns.XSD.decimal)
    assert ontology.value(prop, kgns.KG.unit) == Literal(fig.unit)


@pytest.mark.parametrize(
    ("label", "parent"),
    [
        ("Company", kgns.SDO.Organization),
        ("Company", kgns.ORG.FormalOrganization),
        ("Person", kgns.SDO.Person),
        ("Person", ns.FOAF.Person),
        ("Region", kgns.SDO.Place),
        ("DevelopmentZone", kgns.SDO.AdministrativeArea),
        ("Organization", kgns.ORG.Organization),
    ],
)
def test_alignments(ontology: Graph, label: str, parent: URIRef) -> None:
    assert (class_iri(label), ns.RDFS.subClassOf, parent) in ontology


def test_product_and_project_are_not_forced_into_schema_org(ontology: Graph) -> None:
    for label in ("Product", "Project"):
        assert list(ontology.objects(class_iri(label), ns.RDFS.subClassOf)) == []


def test_shapes_cover_every_relation_and_entity_label() -> None:
    shapes = build_shapes()
    targets = set(shapes.objects(None, ns.SH.targetSubjectsOf))
    assert {relation_iri(r) for r in RELATION_TYPES} <= targets
    assert {prop_iri(f) for f in FIGURES} <= targets
    assert {class_iri(label) for label in ENTITY_LABELS} <= set(shapes.objects(None, ns.SH.targetClass))


def test_schema_files_parse() -> None:
    for name in ("ontology.ttl", "shapes.ttl"):
        assert len(Graph().parse(SCHEMA / name, format="turtle")) > 100
