"""The corpus graph as CSV files for `neo4j-admin database import full`: the path for graphs too large to load
through transactions. The files hold the same graph model as kg.store.neo4j writes (same labels, types and
properties), so queries work on either.

Files: articles.csv, entities_<Label>.csv per label, mentions.csv (MENTIONED_IN), relations_<TYPE>.csv per
type, and import.args, the matching options: `neo4j-admin database import full @import.args neo4j`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from kg.atomic import Ownership, output_dir
from kg.errors import ExportError, shown
from kg.model import CorpusGraph
from kg.schema import ENTITY_LABELS, FIGURES, RELATION_TYPES, TEXT_PROPS
from kg.store.neo4j import Rows, graph_rows

# Names and sentences may hold ';' (the default array delimiter); the unit separator cannot occur in text.
# It also separates the labels in the :LABEL column.
ARRAY_DELIMITER = "\x1f"
ARGS_FILE = "import.args"
IMPORT_OUTPUT = Ownership("kg export --format neo4j-import", None, suffixes=(".csv", ".args"))

_NEO4J_TYPES = {"integer": "long", "decimal": "double"}


def _entity_header() -> list[str]:
    figures = [f"{name}:{_NEO4J_TYPES[fig.datatype]}" for name, fig in FIGURES.items()]
    return ["id:ID", ":LABEL", "name", "aliases:string[]", "articles:string[]", *figures, *TEXT_PROPS]


_ARTICLE_HEADER = ["id:ID", ":LABEL", "source", "doc", "title", "chars:long"]
_MENTION_HEADER = [":START_ID", ":END_ID", ":TYPE", "starts:int[]", "ends:int[]", "texts:string[]"]
_RELATION_HEADER = [
    ":START_ID",
    ":END_ID",
    ":TYPE",
    "id",
    "amount:long",
    "title",
    "confidence:double",
    "evidence_articles:string[]",
    "evidence_sentences:string[]",
    "evidence_starts:int[]",
    "evidence_ends:int[]",
    "evidence_confidences:double[]",
]


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _cell(value: Any) -> str:
    """One CSV field. Strings and lists are always quoted, so an empty string or list stays a value; None is
    an empty unquoted field, which neo4j-admin reads as no property (as the loader's null does)."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return _quote(ARRAY_DELIMITER.join(_plain(v) for v in value))
    if isinstance(value, str):
        return _quote(value)
    return _plain(value)


def _plain(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _write(path: Path, header: list[str], rows: list[list[Any]]) -> int:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(",".join(header) + "\n")
        handle.writelines(",".join(_cell(v) for v in row) + "\n" for row in rows)
    return len(rows)


def write_import_csvs(graph: CorpusGraph, out_dir: Path) -> dict[str, int]:
    """Write the CSVs (and import.args) into `out_dir`, replacing what an earlier export wrote there as one
    set (kg.atomic: a run cut short leaves the previous files); return the data rows per CSV file."""
    rows = graph_rows(graph)
    target = Path(os.path.abspath(out_dir))
    if "," in str(target):
        # neo4j-admin reads `--nodes=a.csv,b.csv` as a list of files: a comma in the folder's path splits it.
        raise ExportError(f"{shown(out_dir)}: neo4j-admin cannot read files from a path with a comma; use another -o")
    with output_dir(target, IMPORT_OUTPUT) as stage:
        return _write_csvs(rows, stage, target)


def _write_csvs(rows: Rows, out_dir: Path, final_dir: Path) -> dict[str, int]:
    try:
        counts: dict[str, int] = {}
        counts["articles.csv"] = _write(
            out_dir / "articles.csv",
            _ARTICLE_HEADER,
            [[a["id"], "Article", a["source"], a["doc"], a["title"], a["chars"]] for a in rows.articles],
        )
        for label in ENTITY_LABELS:
            entities = rows.entities.get(label, [])
            if not entities:
                continue
            counts[f"entities_{label}.csv"] = _write(
                out_dir / f"entities_{label}.csv",
                _entity_header(),
                [
                    [
                        e["id"],
                        ["Entity", label],
                        e["name"],
                        e["aliases"],
                        e["articles"],
                        *(_integral(e[k]) if FIGURES[k].datatype == "integer" else e[k] for k in FIGURES),
                        *(e[k] for k in TEXT_PROPS),
                    ]
                    for e in entities
                ],
            )
        counts["mentions.csv"] = _write(
            out_dir / "mentions.csv",
            _MENTION_HEADER,
            [[m["entity"], m["article"], "MENTIONED_IN", m["starts"], m["ends"], m["texts"]] for m in rows.mentions],
        )
        for rtype in RELATION_TYPES:
            relations = rows.relations.get(rtype, [])
            if not relations:
                continue
            counts[f"relations_{rtype}.csv"] = _write(
                out_dir / f"relations_{rtype}.csv",
                _RELATION_HEADER,
                [
                    [
                        r["head"],
                        r["tail"],
                        rtype,
                        r["id"],
                        _integral(r["amount"]),
                        r["title"],
                        max(r["confidences"], default=0.0),
                        r["articles"],
                        r["sentences"],
                        r["starts"],
                        r["ends"],
                        r["confidences"],
                    ]
                    for r in relations
                ],
            )
        (out_dir / ARGS_FILE).write_text(args_file_text(import_args(final_dir, counts)), encoding="utf-8")
    except OSError as e:
        raise ExportError(f"cannot write neo4j-admin import files to {out_dir}: {e.strerror or e}") from e
    return counts


def _integral(value: Any) -> Any:
    """Integer columns take whole numbers; 2.0e8 from a JSON file becomes 200000000."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def args_file_text(args: list[str]) -> str:
    """import.args for `neo4j-admin … @import.args`: one option per line, each in double quotes (backslash and
    quote escaped), so a folder name with spaces, quotes or # stays one argument."""
    return "".join('"' + a.replace("\\", "\\\\").replace('"', '\\"') + '"\n' for a in args)


def import_args(out_dir: Path, counts: dict[str, int] | None = None) -> list[str]:
    """The `neo4j-admin database import full` options for the CSVs in `out_dir`, without the database name."""
    names = sorted(counts) if counts is not None else sorted(p.name for p in out_dir.glob("*.csv"))
    args = [f"--array-delimiter=U+{ord(ARRAY_DELIMITER):04X}", "--multiline-fields=true"]
    for name in names:
        kind = "--nodes" if name == "articles.csv" or name.startswith("entities_") else "--relationships"
        args.append(f"{kind}={(out_dir / name).resolve()}")
    return args
