"""SHACL validation of an RDF file against kg's shapes and ontology (schema/shapes.ttl, schema/ontology.ttl).

The shapes and ontology are built from kg/schema.py in memory; a test proves they equal the files in
schema/, so validating against either is the same. RDFS inference is off on purpose: with it, rdfs:domain
would type a wrongly linked node and hide the very violation we look for.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH, VOID
from rdflib.term import Node

from kg.errors import GraphFormatError, InputError, shown
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


_FORMAT_NAMES: Final = {"turtle": "Turtle", "nt": "N-Triples", "json-ld": "JSON-LD"}
# One N-Triples line: subject, predicate, object, dot (or a comment, or blank). Used only to find the line
# an N-Triples parse error is on, which rdflib does not say.
_NT_TERM: Final = r'(?:<[^<>"{}|^`\\\s]*>|_:\S+|"(?:[^"\\\n\r]|\\.)*"(?:@[A-Za-z]+(?:-[A-Za-z0-9]+)*|\^\^<[^<>\s]*>)?)'
_NT_LINE: Final = re.compile(rf"\s*(?:(?:<[^<>\s]*>|_:\S+)\s*<[^<>\s]*>\s*{_NT_TERM}\s*\.\s*(?:#.*)?|#.*)?")


def _parse_error(path: Path, fmt: str, error: Exception, text: str | None) -> GraphFormatError:
    """A one-line error naming the file, the line when it can be found, and what is wrong there."""
    name = _FORMAT_NAMES.get(fmt, fmt)
    line: int | None = None
    why = ""
    if hasattr(error, "lines") and isinstance(getattr(error, "lines", None), int):  # rdflib's BadSyntax
        line = int(error.lines) + 1  # type: ignore[attr-defined]
        why = str(getattr(error, "_why", "") or "")
    elif isinstance(error, json.JSONDecodeError):
        line, why = error.lineno, error.msg
    if text is not None and line is None:
        if fmt == "nt":
            line = next((i for i, raw in enumerate(text.splitlines(), 1) if not _NT_LINE.fullmatch(raw)), None)
        stripped = text.rstrip()
        if fmt in ("turtle", "nt") and stripped and not stripped.endswith("."):
            line = line or stripped.count("\n") + 1
            why = why or "the file ends in the middle of a statement (cut short?)"
    if not why:
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        why = first[:160]
    where = f"{shown(path)}:{line}" if line else shown(path)
    hint = ""
    if path.suffix.lower() not in RDF_SUFFIXES:
        kind = shown(path.suffix) or "a file without suffix"
        hint = f"; {kind} is not an RDF file: kg validate reads .ttl, .nt, .jsonld (or --format)"
    return GraphFormatError(f"{where}: not valid RDF ({name}: {shown(why)}){hint}")


def read_rdf(path: Path | str, fmt: str | None = None) -> Graph:
    """Parse an RDF file; a file that is not RDF is a one-line GraphFormatError naming the line."""
    p = Path(path)
    if not p.is_file():
        raise InputError(f"{shown(path)}: no such file")
    graph = Graph()
    rdf_format = _rdf_format(p, fmt)
    try:
        text = p.read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        raise GraphFormatError(f"{shown(path)}: not UTF-8 text (bad byte at offset {e.start}), so not RDF") from e
    except OSError as e:
        raise InputError(f"{shown(path)}: cannot read ({e.strerror or e})") from e
    try:
        graph.parse(data=text, format=rdf_format, publicID=p.resolve().as_uri())
    except Exception as e:  # rdflib raises many types (BadSyntax, ParserError, IndexError, JSON errors)
        raise _parse_error(p, rdf_format, e, text) from e
    if len(graph) == 0:
        hint = " (a kg graph JSON? export it first: kg export FILE -o out.ttl)" if _is_kg_json(p) else ""
        raise GraphFormatError(f"{shown(path)}: holds no RDF triples{hint}")
    return graph


@dataclass(frozen=True)
class Completeness:
    """What the export's end marker (kg.rdf.export.end_marker) says, against what the file holds."""

    declared: int | None
    found: int

    @property
    def complete(self) -> bool:
        return self.declared is not None and self.declared == self.found

    def problem(self) -> str:
        if self.declared is None:
            return (
                "no end-of-export marker (a void:Dataset with void:triples, the last thing kg export writes): "
                "the file was cut short, or was not written by kg export"
            )
        return (
            f"the end-of-export marker counts {self.declared} triples before it, the file holds {self.found}: "
            "the file was cut short or edited"
        )


def completeness(data: Graph) -> Completeness:
    markers = [m for m in data.subjects(RDF.type, VOID.Dataset) if data.value(m, VOID.triples) is not None]
    own = sum(len(list(data.predicate_objects(m))) for m in markers)
    declared: int | None = None
    if len(markers) == 1:
        value = data.value(markers[0], VOID.triples)
        try:
            declared = int(str(value))
        except ValueError:
            declared = -1
    return Completeness(declared, len(data) - own)


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
    """Validate an RDF file (format from its suffix: .ttl, .nt, .jsonld) against kg's shapes, and check it is
    whole: an export cut short between two statements still parses, but its end marker is missing."""
    data = read_rdf(path, fmt)
    report = validate_graph(data)
    check = completeness(data)
    if check.complete:
        return report
    incomplete = Violation("Violation", shown(path), "void:triples", check.problem(), "kg:complete-export")
    violations = (incomplete, *report.violations)
    return ValidationReport(False, report.triples, violations, _report_text(False, data, list(violations)))
