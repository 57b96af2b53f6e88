"""SHACL validation of an RDF file against kg's shapes and ontology (schema/shapes.ttl, schema/ontology.ttl).

The shapes and ontology are built from kg/schema.py in memory; a test proves they equal the files in
schema/, so validating against either is the same. RDFS inference is off on purpose: with it, rdfs:domain
would type a wrongly linked node and hide the very violation we look for.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from kg.errors import GraphFormatError, InputError
from kg.rdf.namespace import ONTOLOGY_IRI
from kg.rdf.ontology import PREFIXES, build_ontology, build_shapes

RDF_SUFFIXES: Final[dict[str, str]] = {
    ".ttl": "turtle",
    ".turtle": "turtle",
    ".nt": "nt",
    ".jsonld": "json-ld",
    ".json": "json-ld",
}
MAX_LISTED: Final = 50


@dataclass(frozen=True)
class Violation:
    severity: str
    focus: str
    path: str
    message: str
    shape: str
    value: str = ""

    def line(self) -> str:
        where = f"{self.focus} {self.path}".strip()
        return f"{self.severity}: {where}: {self.message} [{self.shape}]"


@dataclass(frozen=True)
class ValidationReport:
    conforms: bool
    triples: int
    violations: tuple[Violation, ...]
    text: str


def _rdf_format(path: Path, fmt: str | None) -> str:
    if fmt:
        return {"jsonld": "json-ld"}.get(fmt, fmt)
    return RDF_SUFFIXES.get(path.suffix.lower(), "turtle")


def read_rdf(path: Path | str, fmt: str | None = None) -> Graph:
    """Parse an RDF file; a file that is not RDF is a one-line GraphFormatError."""
    p = Path(path)
    if not p.is_file():
        raise InputError(f"{path}: no such file")
    graph = Graph()
    try:
        graph.parse(p, format=_rdf_format(p, fmt))
    except Exception as e:  # rdflib raises many types (BadSyntax, ValueError, JSON errors)
        first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        raise GraphFormatError(f"{path}: not valid RDF ({first[:200]})") from e
    if len(graph) == 0:
        hint = " (a kg graph JSON? export it first: kg export FILE -o out.ttl)" if _is_kg_json(p) else ""
        raise GraphFormatError(f"{path}: holds no RDF triples{hint}")
    return graph


def _is_kg_json(path: Path) -> bool:
    try:
        return '"format": "kg.' in path.read_text(encoding="utf-8-sig", errors="replace")[:200]
    except OSError:
        return False


def _short(node: Node | None, graph: Graph) -> str:
    if node is None:
        return ""
    if isinstance(node, URIRef):
        try:
            return graph.namespace_manager.normalizeUri(node)
        except Exception:  # an IRI that cannot be a prefixed name
            return f"<{node}>"
    return str(node) if len(str(node)) < 80 else str(node)[:77] + "…"


def validate_graph(data: Graph) -> ValidationReport:
    """Validate an rdflib graph; the report lists each violation on one line, most common shapes first."""
    from pyshacl import validate as shacl_validate

    conforms, results, _ = shacl_validate(
        data,
        shacl_graph=build_shapes(),
        ont_graph=build_ontology(),
        inference="none",
        advanced=True,
        allow_warnings=False,
    )
    assert isinstance(results, Graph)
    for prefix, ns in PREFIXES.items():
        results.bind(prefix, ns, override=True)
    for prefix, ns in data.namespaces():
        if prefix and str(ns) not in PREFIXES.values():
            results.bind(prefix, ns, override=False)
    violations = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        message = results.value(result, SH.resultMessage)
        severity = results.value(result, SH.resultSeverity)
        focus = results.value(result, SH.focusNode)
        if focus == URIRef(ONTOLOGY_IRI):  # a check of the whole graph (kgsh:Asserted): name the culprit
            focus = results.value(result, SH.value)
        violations.append(
            Violation(
                severity=_short(severity, results).split(":")[-1],
                focus=_short(focus, results),
                path=_short(results.value(result, SH.resultPath), results),
                message=str(message) if message is not None else "",
                shape=_short(results.value(result, SH.sourceShape), results),
                value=_short(results.value(result, SH.value), results),
            )
        )
    violations.sort(key=lambda v: (v.shape, v.focus, v.path, v.message))
    return ValidationReport(bool(conforms), len(data), tuple(violations), _report_text(conforms, data, violations))


def _report_text(conforms: bool, data: Graph, violations: list[Violation]) -> str:
    if conforms:
        return f"conforms: {len(data)} triples, no violations"
    by_shape = Counter(v.shape for v in violations)
    lines = [f"does not conform: {len(violations)} violations in {len(data)} triples"]
    lines += [f"  {n:6d}  {shape}" for shape, n in by_shape.most_common()]
    lines += [v.line() for v in violations[:MAX_LISTED]]
    if len(violations) > MAX_LISTED:
        lines.append(f"… and {len(violations) - MAX_LISTED} more")
    return "\n".join(lines)


def validate(path: Path | str, fmt: str | None = None) -> ValidationReport:
    """Validate an RDF file (format from its suffix: .ttl, .nt, .jsonld) against kg's shapes."""
    return validate_graph(read_rdf(path, fmt))
