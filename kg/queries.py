"""The Cypher library: analyst questions in cypher/*.cypher, parsed, checked and run against Neo4j.

Each file holds one question and a header that says what it asks and what it needs::

    // Question: Which companies are in a development zone, directly or through one of its parks?
    // Param: $zone string e.g. 金河经济技术开发区 — the zone's name or any of its aliases
    // Param: $limit int = 20 — the most rows to return
    // Example: kg query companies_in_zone --param zone=金河经济技术开发区

A parameter with `= value` is optional (that is its default); one with `e.g. value` is required. Values from
the command line are converted to the declared type and always sent as query parameters, never spliced into
the Cypher text. `vocabulary_errors` checks that a query only names labels, relationship types and properties
kg's schema defines, so the library cannot drift from what the loader writes.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.errors import InputError, StoreError
from kg.schema import ENTITY_LABELS, FIGURES, RELATION_PROPS, RELATION_TYPES, TEXT_PROPS

PARAM_TYPES: dict[str, type] = {"string": str, "int": int, "float": float, "bool": bool}

_PARAM_RE = re.compile(
    r"^Param:\s*\$(?P<name>\w+)\s+(?P<type>string|int|float|bool)\s+"
    r"(?:=\s*(?P<default>\"[^\"]*\"|\S+)|e\.g\.\s*(?P<example>.+?))\s+(?:—|--)\s+(?P<doc>.+)$"
)


_NAMES_RE = re.compile(r"^Names:\s*\$(?P<name>\w+)\s+(?P<label>\w+)\s*$")
NAMED_LABELS: tuple[str, ...] = (*ENTITY_LABELS, "Entity", "Article")


@dataclass(frozen=True)
class Param:
    """One $parameter of a query: its type, its default (None when required) and an example value."""

    name: str
    type: str
    default: Any
    example: str
    doc: str

    @property
    def required(self) -> bool:
        return self.default is None


@dataclass(frozen=True)
class Query:
    """One analyst question: its name (the file stem), what it asks, its parameters and its Cypher text.

    `names` pairs parameters with the label of the entity they name (header `// Names: $zone
    DevelopmentZone`), so an empty answer can say whether the entity is missing or simply has no rows.
    """

    name: str
    path: Path
    question: str
    params: tuple[Param, ...]
    example: str
    text: str
    names: tuple[tuple[str, str], ...] = ()

    def example_params(self) -> dict[str, Any]:
        """Parameter values that make a meaningful run: examples for required ones, defaults for the rest."""
        return bind(self, {p.name: p.example for p in self.params if p.required})


def cypher_dir() -> Path:
    """Where the library lives: $KG_CYPHER_DIR, else cypher/ beside the kg package (a source checkout)."""
    env = os.environ.get("KG_CYPHER_DIR")
    return Path(env) if env else Path(__file__).resolve().parent.parent / "cypher"


def _convert(value: str, type_name: str, what: str) -> Any:
    if type_name == "string":
        return value
    if type_name == "bool":
        if value.lower() in ("true", "1", "yes"):
            return True
        if value.lower() in ("false", "0", "no"):
            return False
        raise InputError(f"{what}: expected true or false, got {value!r}")
    try:
        return PARAM_TYPES[type_name](value)
    except ValueError:
        raise InputError(f"{what}: expected {type_name}, got {value!r}") from None


def parse_query(path: Path | str) -> Query:
    """Read one .cypher file; a header that is missing or malformed is an InputError naming the file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(f"{path}: cannot read query: {e}") from e
    question, example = "", ""
    params: list[Param] = []
    names: list[tuple[str, str]] = []
    for line in text.splitlines():
        if not line.startswith("//"):
            continue
        body = line[2:].strip()
        if body.startswith("Question:"):
            question = body.removeprefix("Question:").strip()
        elif body.startswith("Example:"):
            example = body.removeprefix("Example:").strip()
        elif body.startswith("Names:"):
            m = _NAMES_RE.match(body)
            if not m or m["label"] not in NAMED_LABELS:
                raise InputError(
                    f"{path}: malformed names line {line!r}; expected '// Names: $param Label' with a label of "
                    f"{', '.join(NAMED_LABELS)}"
                )
            names.append((m["name"], m["label"]))
        elif body.startswith("Param:"):
            m = _PARAM_RE.match(body)
            if not m:
                raise InputError(
                    f"{path}: malformed parameter line {line!r}; "
                    "expected '// Param: $name type = default — doc' "
                    "or '// Param: $name type e.g. value — doc'"
                )
            raw_default = m["default"]
            default = None
            if raw_default is not None:
                raw_default = raw_default.strip('"') if raw_default.startswith('"') else raw_default
                default = _convert(raw_default, m["type"], f"{path}: default of ${m['name']}")
            example_value = m["example"] if m["example"] is not None else str(raw_default)
            params.append(Param(m["name"], m["type"], default, example_value.strip(), m["doc"].strip()))
    if not question:
        raise InputError(f"{path}: no '// Question:' header line")
    if not example:
        raise InputError(f"{path}: no '// Example:' header line")
    declared = {p.name for p in params}
    for param, _ in names:
        if param not in declared:
            raise InputError(f"{path}: '// Names: ${param}' names a parameter the query does not declare")
    return Query(path.stem, path, question, tuple(params), example, text, tuple(names))


def library(directory: Path | str | None = None) -> dict[str, Query]:
    """Every query in the library, by name, sorted."""
    root = Path(directory) if directory is not None else cypher_dir()
    if not root.is_dir():
        raise InputError(f"{root}: no Cypher library here (set KG_CYPHER_DIR to the cypher/ folder)")
    return {q.name: q for q in (parse_query(p) for p in sorted(root.glob("*.cypher")))}


def get_query(name: str, directory: Path | str | None = None) -> Query:
    """One query by name; an unknown name is an InputError listing the known ones."""
    queries = library(directory)
    if name not in queries:
        raise InputError(f"unknown query {name!r}; `kg query --list` shows them: {', '.join(queries)}")
    return queries[name]


def bind(query: Query, values: Mapping[str, str]) -> dict[str, Any]:
    """Parameters for a run: given values converted to their declared type, defaults for the others."""
    declared = {p.name: p for p in query.params}
    unknown = sorted(set(values) - set(declared))
    if unknown:
        raise InputError(
            f"query {query.name} has no parameter {unknown[0]!r}; it takes: {', '.join(declared) or 'none'}"
        )
    bound: dict[str, Any] = {}
    for p in query.params:
        if p.name in values:
            bound[p.name] = _convert(values[p.name], p.type, f"query {query.name}, ${p.name}")
        elif p.required:
            raise InputError(
                f"query {query.name} needs --param {p.name}=… ({p.doc}; e.g. {p.name}={p.example})"
            )
        else:
            bound[p.name] = p.default
    return bound


def parse_assignments(items: Iterable[str]) -> dict[str, str]:
    """`key=value` strings from the command line into a dict; the value may itself hold '='."""
    values: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise InputError(f"--param expects key=value, got {item!r}")
        values[key.strip()] = value
    return values


# What the loader writes besides the schema's own names (kg/store/neo4j.py).
EXTRA_LABELS = frozenset({"Entity", "Article"})
EXTRA_TYPES = frozenset({"MENTIONED_IN"})
EXTRA_PROPS = frozenset(
    {
        "id", "name", "aliases", "articles",  # entities
        "source", "doc", "title", "chars",  # articles
        "starts", "ends", "texts",  # MENTIONED_IN offsets
        "confidence",  # relations, besides evidence_<key> for each of the loader's EVIDENCE_KEYS
    }
)  # fmt: skip


def allowed_vocabulary() -> tuple[frozenset[str], frozenset[str]]:
    """(labels and relationship types, property names) a query may use."""
    names = frozenset(ENTITY_LABELS) | frozenset(RELATION_TYPES) | EXTRA_LABELS | EXTRA_TYPES
    from kg.store.neo4j import EVIDENCE_KEYS

    evidence = frozenset(f"evidence_{key}" for key in EVIDENCE_KEYS)
    props = frozenset(FIGURES) | frozenset(TEXT_PROPS) | frozenset(RELATION_PROPS) | EXTRA_PROPS | evidence
    return names, props


_STRING_RE = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")
_COMMENT_RE = re.compile(r"//[^\n]*")
_PROCEDURE_RE = re.compile(r"\b(?:db|apoc|gds|dbms)(?:\.\w+)+")
_LABEL_RE = re.compile(r"(?<=[\w)\]])[:|]([A-Za-z_]\w*)|(?<=[(\[])\s*:([A-Za-z_]\w*)")
_PROP_RE = re.compile(r"(?<![\w$.])([A-Za-z_]\w*)\.([A-Za-z_]\w*)")
_MAP_KEY_RE = re.compile(r"[(\[]\s*\w*\s*(?::\w+)*\s*\{([^}]*)\}")


def used_names(text: str) -> tuple[set[str], set[str]]:
    """(labels and types, property names) that a Cypher text uses, strings and comments excluded.

    Labels and types are read where Cypher puts them: right after a ':' or '|' that follows a variable or a
    bracket, as in (c:Company), [:SUPPLIES_TO|PRODUCES*1..3] or WHERE n:Park. The library's style keeps a
    space after the colon of a map literal ({name: x}) and around the '|' of a list comprehension, so those
    are not mistaken for labels.
    """
    body = _PROCEDURE_RE.sub("proc", _STRING_RE.sub("''", _COMMENT_RE.sub("", text)))
    names = {a or b for a, b in _LABEL_RE.findall(body)}
    props = {prop for _, prop in _PROP_RE.findall(body)}
    for block in _MAP_KEY_RE.findall(body):
        props.update(k.strip() for k in re.findall(r"(\w+)\s*:", block))
    return names, props


def vocabulary_errors(text: str) -> list[str]:
    """Names in a Cypher text that neither kg's schema nor the loader defines; empty when all are known."""
    names, props = used_names(text)
    allowed_names, allowed_props = allowed_vocabulary()
    errors = [f"unknown label or relationship type {n!r}" for n in sorted(names - allowed_names)]
    errors += [f"unknown property {p!r}" for p in sorted(props - allowed_props)]
    return errors


def plain(value: Any) -> Any:
    """A Neo4j result value as JSON-ready data: nodes and relationships as dicts, paths as lists of steps."""
    from neo4j.graph import Node, Relationship
    from neo4j.graph import Path as GraphPath

    if isinstance(value, Node):
        labels = sorted(lab for lab in value.labels if lab != "Entity")
        return {"labels": labels, **{k: plain(v) for k, v in sorted(value.items())}}
    if isinstance(value, Relationship):
        return {"type": value.type, **{k: plain(v) for k, v in sorted(value.items())}}
    if isinstance(value, GraphPath):
        nodes = value.nodes
        parts = [str(nodes[0].get("name"))]
        for i, rel in enumerate(value.relationships):
            forward = rel.start_node is not None and rel.start_node.element_id == nodes[i].element_id
            parts.append(f"-[:{rel.type}]->" if forward else f"<-[:{rel.type}]-")
            parts.append(str(nodes[i + 1].get("name")))
        return " ".join(parts)
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if hasattr(value, "iso_format"):  # neo4j temporal types
        return value.iso_format()
    return value


def run(
    query: Query, params: Mapping[str, Any], driver: Any, database: str | None = None
) -> list[dict[str, Any]]:
    """Run a query in a read transaction with bound parameters; rows as dicts of plain values, in order.

    Server notifications are switched off: a property no loaded node happens to carry yet (jobs on a small
    graph) is normal for a library written against the whole schema, not something to warn about.
    """
    from neo4j.exceptions import Neo4jError, ServiceUnavailable, SessionExpired

    def work(tx: Any) -> QueryRows:
        result = tx.run(query.text, dict(params))
        keys = result.keys()
        return QueryRows(({k: plain(record[k]) for k in keys} for record in result), columns=tuple(keys))

    try:
        with driver.session(database=database, notifications_min_severity="OFF") as session:
            rows: QueryRows = session.execute_read(work)
    except (ServiceUnavailable, SessionExpired) as e:
        raise StoreError(f"Neo4j is not reachable: {e}") from e
    except Neo4jError as e:
        message = str(e.message or e)
        lucene = _LUCENE_ERROR.search(message)
        if lucene:
            raise InputError(
                f"query {query.name}: not valid full-text search syntax (Lucene: {lucene.group(1).strip()}); "
                'quote a phrase ("…") or put a backslash before + - ! ( ) { } [ ] ^ " ~ * ? : / \\'
            ) from None
        first = (message.strip().splitlines() or ["(no message)"])[0]
        raise StoreError(f"query {query.name} failed: {first}") from e
    return rows


_LUCENE_ERROR = re.compile(r"queryparser[\w.]*ParseException: ([^\n]*)")


class QueryRows(list[dict[str, Any]]):
    """A query's rows, and its columns even when there are no rows (for a CSV header)."""

    def __init__(self, rows: Iterable[dict[str, Any]] = (), columns: tuple[str, ...] = ()) -> None:
        super().__init__(rows)
        self.columns = columns


def missing_names(query: Query, params: Mapping[str, Any], driver: Any, database: str | None = None) -> list[str]:
    """For a query that returned no rows: the entities its parameters name that the graph does not hold.

    Empty when every named entity exists (it just has no rows for this question)."""
    missing = []
    for param, label in query.names:
        value = params.get(param)
        if not isinstance(value, str) or not value:
            continue
        if label == "Article":
            cypher = "MATCH (a:Article) WHERE a.id = $v OR a.doc = $v OR a.source = $v RETURN count(a) AS n"
        else:
            cypher = f"MATCH (n:Entity:{label}) WHERE n.name = $v OR $v IN n.aliases RETURN count(n) AS n"
        records, _, _ = driver.execute_query(cypher, v=value, database_=database)
        if not records or not records[0]["n"]:
            what = "article" if label == "Article" else ("entity" if label == "Entity" else label)
            missing.append(f"no {what} named {value!r}")
    return missing


def to_json(rows: list[dict[str, Any]]) -> str:
    return json.dumps(rows, ensure_ascii=False, indent=2)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _width(text: str) -> int:
    """Columns a terminal gives `text`: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _clip(text: str, limit: int) -> str:
    if _width(text) <= limit:
        return text
    out, used = "", 0
    for ch in text:
        w = _width(ch)
        if used + w > limit - 1:
            break
        out, used = out + ch, used + w
    return out + "…"


def format_table(rows: list[dict[str, Any]], max_cell: int = 60) -> str:
    """An aligned text table (CJK-aware), cells clipped to `max_cell` columns; '(no rows)' when empty."""
    if not rows:
        return "(no rows)"
    keys = list(rows[0])
    cells = [[_clip(_cell(row.get(k)), max_cell) for k in keys] for row in rows]
    widths = [max(_width(k), *(_width(c[i]) for c in cells)) for i, k in enumerate(keys)]

    def line(values: list[str]) -> str:
        return "  ".join(v + " " * (w - _width(v)) for v, w in zip(values, widths, strict=True)).rstrip()

    out = [line(keys), line(["-" * w for w in widths])]
    out += [line(c) for c in cells]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out)


def format_csv(rows: list[dict[str, Any]], columns: Iterable[str] = ()) -> str:
    """CSV with a header row (from `columns` when there are no rows); lists joined by ', ', maps as JSON."""
    buffer = io.StringIO()
    header = list(rows[0]) if rows else list(columns or getattr(rows, "columns", ()))
    if header:
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow([_cell(v) for v in row.values()])
    return buffer.getvalue()


def format_rows(rows: list[dict[str, Any]], fmt: str) -> str:
    """Rows as `table`, `json` or `csv`; another format name is an InputError."""
    if fmt == "table":
        return format_table(rows)
    if fmt == "json":
        return to_json(rows)
    if fmt == "csv":
        return format_csv(rows).rstrip("\n")
    raise InputError(f"unknown format {fmt!r}; expected table, json or csv")


def ask(
    name: str, conn: Any = None, directory: Path | str | None = None, **values: Any
) -> list[dict[str, Any]]:
    """Run one library query by name: the one call notebooks and scripts need.

    `conn` is a kg.store.neo4j.Connection (default: from NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD,
    NEO4J_DATABASE); `values` are the query's parameters, as Python values or strings.
    """
    from kg.store.neo4j import Connection, connect

    query = get_query(name, directory)
    params = bind(query, {k: v if isinstance(v, str) else json.dumps(v) for k, v in values.items()})
    conn = conn or Connection.from_env()
    with connect(conn) as driver:
        return run(query, params, driver, database=conn.database)
