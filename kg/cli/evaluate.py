"""`kg eval GOLD PRED`: precision, recall and F1 of predicted per-article graphs against gold graphs."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kg.cli import app
from kg.errors import InputError
from kg.evaluate import ENTITY, MODES, RELATION, Evaluation, Table, evaluate_paths, rule_counts

if TYPE_CHECKING:  # cross-validation is imported when asked for: it loads the training code
    from kg.learn.crossval import FoldRun, RepeatedRun

_MODE_TITLES = {
    "all": "all gold items",
    "core": "core items only (matches to edge items neither credited nor penalised)",
}


def _table_lines(title: str, table: Table) -> list[str]:
    lines = [f"  {title:<20} {'tp':>5} {'fp':>5} {'fn':>5} {'prec':>7} {'recall':>7} {'f1':>7}"]
    rows = [*table.per_key.items(), ("overall (micro)", table.overall)]
    for key, c in rows:
        lines.append(f"  {key:<20} {c.tp:>5} {c.fp:>5} {c.fn:>5} {c.precision:>7.3f} {c.recall:>7.3f} {c.f1:>7.3f}")
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
        for mode in MODES:
            lines.append(f"== {mode}: true and false positives per rule ==")
            for item, title in ((ENTITY, "entity rules"), (RELATION, "relation rules")):
                counts = rule_counts(evaluation.files, mode, item)
                lines.append(f"  {title:<30} {'tp':>5} {'fp':>5} {'prec':>7}")
                for rule, c in counts.items():
                    lines.append(f"  {rule:<30} {c.tp:>5} {c.fp:>5} {c.precision:>7.3f}")
            lines.append("")
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


def summary_line(name: str, evaluation: Evaluation, mode: str = "core") -> str:
    e, r = evaluation.table(mode, ENTITY).overall, evaluation.table(mode, RELATION).overall
    return (
        f"  {name:<46} entities P {e.precision:.3f} R {e.recall:.3f} F1 {e.f1:.3f}   "
        f"relations P {r.precision:.3f} R {r.recall:.3f} F1 {r.f1:.3f}"
    )


def _folds(
    sources: list[str],
    folds: int,
    exclude: Path | None,
    config: Path | None,
    curve: bool,
    as_json: bool,
    repeats: int = 1,
) -> None:
    from kg.cli.train import load_annotated
    from kg.learn.crossval import repeated
    from kg.learn.train import config_from_file

    _, items = load_annotated(sources, exclude)
    if not 2 <= folds <= len(items):
        raise InputError(f"--folds {folds}: needs between 2 and {len(items)} (the annotated articles)")
    if repeats < 1:
        raise InputError(f"--repeats {repeats}: needs at least 1 (partitions of the articles into folds)")
    shares = (0.25, 0.5, 1.0) if curve else (1.0,)
    runs = repeated(
        items,
        folds,
        config_from_file(config),
        repeats,
        shares,
        on_step=lambda s: print(f"kg eval: {s}", file=sys.stderr),
    )
    if as_json:
        data: dict[str, object] = {}
        for run in runs:
            entry: dict[str, object] = {
                "end_to_end": run.pooled.end_to_end.to_dict(),
                "gold_entities": run.pooled.gold_entities.to_dict(),
            }
            if repeats > 1:
                entry["partitions"] = [_f1s(r) for r in run.runs]
            data[run.name] = entry
        out = {"folds": folds, "repeats": repeats, "articles": len(items), "runs": data}
        sys.stdout.write(json.dumps(out, indent=1) + "\n")
        return
    title = f"{folds}-fold cross-validation by article over {len(items)} annotated articles (core mode)"
    if repeats > 1:
        title += f", {repeats} partitions (0: name order; 1..: seeded shuffles), pooled"
    lines = [title, ""]
    for run in runs:
        lines.append(summary_line(run.name, run.pooled.end_to_end))
        lines.append(
            summary_line(f"{run.name}, over gold entities", run.pooled.gold_entities).replace(
                "entities P 1.000 R 1.000 F1 1.000", "(gold entities)                  "
            )
        )
        if len(run.runs) > 1:
            lines.append("    per partition (entities / relations / relations over gold entities F1): " + _spread(run))
    lines.append("")
    for run in runs:
        if run.share == 1.0:
            lines.append(f"#### {run.name}, end to end")
            lines.append(format_report(run.pooled.end_to_end))
            lines.append(f"#### {run.name}, relations over gold entities")
            lines.append(format_report(run.pooled.gold_entities))
    sys.stdout.write("\n".join(lines).rstrip() + "\n")


def _f1s(run: FoldRun) -> dict[str, float]:
    """A partition's three headline figures (core mode)."""
    return {
        "entities_f1": round(run.end_to_end.table("core", ENTITY).overall.f1, 4),
        "relations_f1": round(run.end_to_end.table("core", RELATION).overall.f1, 4),
        "gold_entities_relations_f1": round(run.gold_entities.table("core", RELATION).overall.f1, 4),
    }


def _spread(run: RepeatedRun) -> str:
    """Each partition's figures, then their range: how far one partition's figure is to be trusted."""
    rows = [_f1s(r) for r in run.runs]
    parts = [" / ".join(f"{v:.3f}" for v in row.values()) for row in rows]
    keys = list(rows[0])
    ranges = ", ".join(
        f"{k.replace('_f1', '')} {min(r[k] for r in rows):.3f}-{max(r[k] for r in rows):.3f}" for k in keys
    )
    return "; ".join(parts) + f"  (range: {ranges})"


def _gold_entities(sources: list[str], exclude: Path | None, details: bool, as_json: bool) -> None:
    from kg.cli.train import load_annotated
    from kg.evaluate import evaluate_graphs
    from kg.extract import build_graph
    from kg.learn.train import gold_mentions
    from kg.models import default_models
    from kg.properties import attach_figures
    from kg.relations import read_relations

    _, items = load_annotated(sources, exclude)
    model = default_models().relation
    pairs = []
    for item in items:
        found, resolution = gold_mentions(item.doc, item.gold)
        rels = read_relations(item.doc, found, resolution, model)
        graph = build_graph(item.doc, found, resolution, rels, attach_figures(item.doc, found, resolution))
        pairs.append((json.loads(item.gold_path.read_text(encoding="utf-8")), graph.to_dict()))
    evaluation = evaluate_graphs(pairs)
    if as_json:
        sys.stdout.write(json.dumps(evaluation.to_dict(details=details), ensure_ascii=False, indent=1) + "\n")
    else:
        sys.stdout.write("relations read over the gold entities (entity rows are 1.000 by construction)\n")
        sys.stdout.write(format_report(evaluation, details=details))


@app.command("eval")
def eval_command(
    paths: Annotated[
        list[str],
        typer.Argument(
            help="GOLD PRED: gold graphs and predicted graphs (kg extract DIR -o PRED), paired by file name. "
            "With --folds or --gold-entities: annotated articles (a directory with gold/ beside its "
            "articles, or ARTICLES:GOLD)."
        ),
    ],
    details: Annotated[
        bool, typer.Option("--details", help="Per-rule true/false positives and each file's errors.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON instead of tables.")] = False,
    folds: Annotated[
        int,
        typer.Option("--folds", help="K-fold cross-validation by article: train on K-1 folds, score the held-out one."),
    ] = 0,
    gold_entities: Annotated[
        bool,
        typer.Option("--gold-entities", help="Read relations over the gold entities (the shipped relation scorer)."),
    ] = False,
    repeats: Annotated[
        int,
        typer.Option(
            "--repeats",
            help="With --folds: cross-validate over N partitions (name order, then seeded shuffles) and pool them.",
        ),
    ] = 1,
    learning_curve: Annotated[
        bool, typer.Option("--learning-curve", help="With --folds: also train on 25% and 50% of the training folds.")
    ] = False,
    exclude: Annotated[
        Path | None, typer.Option("--exclude", help="File of article names (stems) to leave out.")
    ] = None,
    config: Annotated[
        Path | None, typer.Option("--config", help="With --folds: training configuration (JSON).")
    ] = None,
) -> None:
    """Score predicted graphs against gold, or cross-validate the trained scorers by article (--folds)."""
    if folds:
        _folds(paths, folds, exclude, config, learning_curve, as_json, repeats)
        return
    if gold_entities:
        _gold_entities(paths, exclude, details, as_json)
        return
    if len(paths) != 2:
        raise InputError("kg eval takes GOLD PRED (or annotated articles with --folds / --gold-entities)")
    gold, pred = Path(paths[0]), Path(paths[1])
    evaluation = evaluate_paths(gold, pred)
    for doc in evaluation.missing_predictions:
        print(f"kg eval: no prediction for gold {doc}: scored as an empty graph", file=sys.stderr)
    for path in evaluation.unpaired_predictions:
        print(f"kg eval: {path} has no gold file: not scored", file=sys.stderr)
    if as_json:
        sys.stdout.write(json.dumps(evaluation.to_dict(details=details), ensure_ascii=False, indent=1) + "\n")
    else:
        sys.stdout.write(format_report(evaluation, details=details))
