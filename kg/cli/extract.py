"""`kg extract`, `kg build`: articles → per-article graphs → corpus graph.

Folder outputs are written whole or not at all (kg.atomic): a run that is interrupted or killed leaves the
previous output as it was, and a run in which some files fail does not replace a previous output unless
`--partial` says so.
"""

from __future__ import annotations

import os
import sys
from collections import Counter
from pathlib import Path
from typing import Annotated

import typer

from kg import atomic
from kg.cli import app
from kg.cli.report import Progress, report, say
from kg.errors import InputError, shown
from kg.io import STDIN, json_text, write_json
from kg.merge import merge
from kg.model import CorpusGraph, DocGraph
from kg.pipeline import Batch, FileResult, extract_input, listing_of, sample_articles_dir
from kg.schema import ENTITY_LABELS, RELATION_TYPES

Workers = Annotated[int, typer.Option("--workers", "-w", min=1, help="Worker processes for many files.")]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="Only errors on stderr: no progress, table or summary.")]
Source = Annotated[
    str | None,
    typer.Option(
        "--source",
        help="The article's name when reading stdin (-) or one file: its identity in the graph and in Neo4j.",
    ),
]
Partial = Annotated[
    bool,
    typer.Option("--partial", help="Write the output even when some files fail, replacing a previous one."),
]

BUILD_OUTPUT = atomic.Ownership("kg build", frozenset({"graph.json", "docs"}))
EXTRACT_OUTPUT = atomic.Ownership("kg extract", None)


def doc_names(results: list[FileResult], root: Path | None) -> dict[str, str]:
    """The JSON file name of each article graph: the input's path under `root` with the suffix .json; inputs
    that would share one (a.txt and a.md) keep their suffix (a.txt.json)."""
    names: dict[str, str] = {}
    for r in results:
        if r.graph is None:
            continue
        if root is None:  # stdin: the name it was given, else its content name
            stem = Path(r.graph.article.doc.replace(":", "-")).stem
            names[r.path] = (stem if stem.strip(".") else "stdin") + ".json"
        else:
            names[r.path] = Path(r.path).relative_to(root).with_suffix(".json").as_posix()
    counts = Counter(names.values())
    for path, name in names.items():
        if counts[name] > 1 and root is not None:
            names[path] = Path(path).relative_to(root).as_posix() + ".json"
    return names


def _keep_previous(out: Path, given: str, ownership: atomic.Ownership, failures: int, partial: bool) -> bool:
    """A run with failures does not replace what an earlier run wrote, unless asked to."""
    if failures and not partial and atomic.has_output(out, ownership):
        say(
            f"kg: {given} kept as it was: {failures} file(s) failed; fix or remove them, or pass --partial to "
            "replace it with the graphs of the others"
        )
        return True
    return False


def _single_target(output: str, graph: DocGraph) -> str:
    """Where one article's graph goes: stdout, a file, or a folder (existing, or named with a trailing /)."""
    if output == STDIN:
        return STDIN
    if output.endswith(("/", os.sep)) or Path(output).is_dir():
        return str(Path(output) / doc_names([FileResult("", graph, None)], None)[""])
    return output


@app.command()
def extract(
    input: Annotated[str, typer.Argument(help="A .txt/.md article, a directory of them, or - for stdin.")],
    output: Annotated[
        str, typer.Option("--output", "-o", help="JSON file or folder for one article; a folder for a directory.")
    ] = "-",
    workers: Workers = 1,
    quiet: Quiet = False,
    source: Source = None,
    partial: Partial = False,
) -> None:
    """Extract the graph of each article: one JSON per input file (same stem)."""
    listing = listing_of(input)
    if input == STDIN or not Path(input).is_dir():
        batch = extract_input(input, source=source, listing=listing)
        report(batch, quiet)
        result = batch.results[0]
        if result.graph is None:
            raise typer.Exit(2 if result.trace is None else 1)
        write_json(_single_target(output, result.graph), result.graph.to_dict())
        return
    if output == STDIN:
        raise InputError(f"{shown(input)}: is a directory; give -o DIR for its per-article JSON files")
    out = atomic.check_target(output, EXTRACT_OUTPUT, inputs=(Path(input),))
    batch = extract_input(input, workers, source, Progress(len(listing.paths), quiet), listing)
    failures = report(batch, quiet)
    if not batch.graphs:
        raise InputError(f"{shown(input)}: no article could be read")
    if _keep_previous(out, output, EXTRACT_OUTPUT, failures, partial):
        raise typer.Exit(1)
    _write_docs(out, batch, EXTRACT_OUTPUT, Path(input), "")
    if not quiet:
        say(f"kg: wrote {len(batch.graphs)} article graphs to {output}")
    if failures:
        raise typer.Exit(1)


def _write_docs(out: Path, batch: Batch, ownership: atomic.Ownership, input: Path | None, sub: str,
                corpus: CorpusGraph | None = None) -> None:  # fmt: skip
    """The whole output in one switch: per-article graphs under `sub`, and the corpus graph when given."""
    names = doc_names(list(batch.results), batch.root)
    with atomic.output_dir(out, ownership, inputs=(input,) if input else ()) as stage:
        for result in batch.results:
            if result.graph is not None:
                path = stage / sub / names[result.path]
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(json_text(result.graph.to_dict()), encoding="utf-8")
        if corpus is not None:
            (stage / "graph.json").write_text(json_text(corpus.to_dict()), encoding="utf-8")


def summary_table(graph: CorpusGraph) -> str:
    labels = Counter(e.label for e in graph.entities)
    types = Counter(r.type for r in graph.relations)
    width = max(len(x) for x in (*ENTITY_LABELS, *RELATION_TYPES))
    lines = [
        f"{len(graph.articles)} articles, {len(graph.entities)} entities, {len(graph.relations)} relations",
        "",
    ]
    lines.append(f"{'entity label':<{width}}  count")
    lines += [f"{label:<{width}}  {labels.get(label, 0):>5}" for label in ENTITY_LABELS]
    lines.append("")
    lines.append(f"{'relation type':<{width}}  count")
    lines += [f"{rtype:<{width}}  {types.get(rtype, 0):>5}" for rtype in RELATION_TYPES]
    return "\n".join(lines)


@app.command()
def build(
    input: Annotated[
        str | None,
        typer.Argument(help="Articles (file, directory, or - for stdin). Default: the bundled sample articles."),
    ] = None,
    output: Annotated[str, typer.Option("--output", "-o", help="Output directory.")] = "out",
    workers: Workers = 1,
    quiet: Quiet = False,
    source: Source = None,
    partial: Partial = False,
) -> None:
    """Extract every article and merge them into one corpus graph (OUTDIR/graph.json, OUTDIR/docs/*.json)."""
    given = input or str(sample_articles_dir())
    listing = listing_of(given)
    inputs = () if given == STDIN else (Path(given),)
    out = atomic.check_target(output, BUILD_OUTPUT, inputs=inputs)
    batch = extract_input(given, workers, source, Progress(len(listing.paths), quiet), listing)
    failures = report(batch, quiet)
    if not batch.graphs:
        if len(batch.results) == 1:  # its error is printed above
            raise typer.Exit(2 if batch.results[0].trace is None else 1)
        raise InputError(f"{shown(given)}: no article could be read")
    if _keep_previous(out, output, BUILD_OUTPUT, failures, partial):
        raise typer.Exit(1)
    corpus = merge(batch.graphs)
    _write_docs(out, batch, BUILD_OUTPUT, inputs[0] if inputs else None, "docs", corpus)
    if not quiet:
        print(summary_table(corpus))
        done = f"wrote {Path(output) / 'graph.json'} and {len(batch.graphs)} article graphs in {Path(output) / 'docs'}"
        print(f"\n{shown(done)}", file=sys.stderr)
    if failures:
        raise typer.Exit(1)
