"""`kg eval GOLD PRED`: precision, recall and F1 of predicted per-article graphs against gold graphs."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from kg.cli import app
from kg.evaluate import ENTITY, MODES, RELATION, Evaluation, Table, evaluate_paths

_MODE_TITLES = {
    "all": "all gold items",
    "core": "core items only (matches to edge items neither credited nor penalised)",
}


def _table_lines(title: str, table: Table) -> list[str]:
    lines = [f"  {title:<20} {'tp':>5} {'fp':>5} {'fn':>5} {'prec':>7} {'recall':>7} {'f1':>7}"]
    rows = [*table.per_key.items(), ("overall (micro)", table.overall)]
    for key, c in rows:
        lines.append(
            f"  {key:<20} {c.tp:>5} {c.fp:>5} {c.fn:>5} {c.precision:>7.3f} {c.recall:>7.3f} {c.f1:>7.3f}"
        )
    return lines


def format_report(evaluation: Evaluation, details: bool = False) -> str:
    """The tables of both modes, then (with details) each file's false positives and negatives."""
    lines: list[str] = []
    for mode in MODES:
        lines.append(f"== {mode}: {_MODE_TITLES[mode]} ==")
        lines += _table_lines("entities", evaluation.table(mode, ENTITY))
        lines += _table_lines("relations", evaluation.table(mode, RELATION))
        lines.append("")
    if details:
        for f in evaluation.files:
            for mode in MODES:
                errors = f.errors(mode)
                lines.append(f"-- {f.doc} [{mode}]: {len(errors)} errors --")
                for o in errors:
                    edge = "" if o.core else " (edge)"
                    note = f"  [{o.note}]" if o.note else ""
                    lines.append(f"  {o.kind.upper()} {o.item:<8} {o.key:<16} {o.text}{edge}{note}")
                    if o.evidence and o.item == RELATION:
                        lines.append(f"      « {o.evidence[:120]} »")
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


@app.command("eval")
def eval_command(
    gold: Annotated[
        Path, typer.Argument(help="Gold graphs: a directory of per-article .json files, or one.")
    ],
    pred: Annotated[
        Path, typer.Argument(help="Predicted graphs (kg extract DIR -o PRED), paired with gold by file name.")
    ],
    details: Annotated[
        bool, typer.Option("--details", help="List each file's false positives and negatives.")
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the scores as JSON instead of tables.")
    ] = False,
) -> None:
    """Score predicted graphs against gold: P/R/F1 per label, per relation type and overall, all and core."""
    evaluation = evaluate_paths(gold, pred)
    for doc in evaluation.missing_predictions:
        print(f"kg eval: no prediction for gold {doc}: scored as an empty graph", file=sys.stderr)
    for path in evaluation.unpaired_predictions:
        print(f"kg eval: {path} has no gold file: not scored", file=sys.stderr)
    if as_json:
        sys.stdout.write(json.dumps(evaluation.to_dict(details=details), ensure_ascii=False, indent=1) + "\n")
    else:
        sys.stdout.write(format_report(evaluation, details=details))
