"""`kg extract`, `kg build`: articles → per-article graphs → corpus graph.

Folder outputs are written whole or not at all (kg.atomic): a run that is interrupted or killed leaves the
previous output as it was, and a run in which some files fail does not replace a previous output unless
`--partial` says so.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from kg import atomic
from kg.build import GraphSummary, Outcome, doc_name, doc_names, extract_files
from kg.build import build as build_corpus
from kg.cli import app
from kg.cli.report import report, say
from kg.errors import InputError, shown
from kg.io import STDIN, Listing, is_url, list_url_articles, url_doc_names, write_json
from kg.model import DocGraph
from kg.pipeline import Batch, FileResult, extract_input, listing_of, sample_articles_dir
from kg.progress import Bar
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
ShowProgress = Annotated[
    bool,
    typer.Option("--progress", help="Progress on stderr even when it is not a terminal (a line every 10 s)."),
]
Partial = Annotated[
    bool,
    typer.Option("--partial", help="Write the output even when some files fail, replacing a previous one."),
]

BUILD_OUTPUT = atomic.Ownership("kg build", frozenset({"graph.json", "docs"}))
EXTRACT_OUTPUT = atomic.Ownership("kg extract", None)


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
        return str(Path(output) / doc_name(graph))
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
    progress: ShowProgress = False,
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
    if source is not None:
        raise InputError(f"{shown(input)}: is a directory; --source names one article (stdin or a single file)")
    root = Path(input)
    out = atomic.check_target(output, EXTRACT_OUTPUT, inputs=(root,))
    paths = list(listing.paths)
    kept = False
    with Bar(len(paths), "articles", Bar.wanted(len(paths), quiet, progress)) as bar, \
            atomic.output_dir(out, EXTRACT_OUTPUT, inputs=(root,)) as stage:  # fmt: skip
        # Workers write their articles' JSON themselves: the graphs never travel back to this process.
        stream = extract_files(paths, stage, doc_names(paths, root), workers, on_done=_ticker(bar), merged=False)
        try:
            results = tuple(x.result for x in stream)
        finally:
            stream.close()
        bar.close()
        failures = report(Batch(results, listing.skipped, listing.hidden, root), quiet)
        if failures == len(results):
            raise InputError(f"{shown(input)}: no article could be read")
        kept = _keep_previous(out, output, EXTRACT_OUTPUT, failures, partial)
        if kept:
            raise atomic.Discard
    if kept:
        raise typer.Exit(1)
    if not quiet:
        say(f"kg: wrote {len(results) - failures} article graphs to {output}")
    if failures:
        raise typer.Exit(1)


def _ticker(bar: Bar) -> Callable[[FileResult], None]:
    return lambda result: bar.advance(Path(result.path).name)


def summary_table(graph: GraphSummary) -> str:
    width = max(len(x) for x in (*ENTITY_LABELS, *RELATION_TYPES))
    lines = [f"{graph.articles} articles, {graph.entities} entities, {graph.relations} relations", ""]
    lines.append(f"{'entity label':<{width}}  count")
    lines += [f"{label:<{width}}  {graph.labels.get(label, 0):>5}" for label in ENTITY_LABELS]
    lines.append("")
    lines.append(f"{'relation type':<{width}}  count")
    lines += [f"{rtype:<{width}}  {graph.types.get(rtype, 0):>5}" for rtype in RELATION_TYPES]
    return "\n".join(lines)


Scheduler = Annotated[
    str | None,
    typer.Option(
        "--scheduler",
        envvar="KG_DASK_SCHEDULER",
        help="Build on a Dask cluster: the scheduler's address (tcp://host:8786), or local[:N] for a cluster of "
        "N worker processes here. Needs kg[dask].",
    ),
]


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
    progress: ShowProgress = False,
    scheduler: Scheduler = None,
) -> None:
    """Extract every article and merge them into one corpus graph (OUTDIR/graph.json, OUTDIR/docs/*.json)."""
    given = input or str(sample_articles_dir())
    paths: list[Path] | list[str]
    inputs: tuple[Path, ...]
    names: dict[str, str] | None
    if is_url(given):  # fsspec: listed here, read by whoever extracts (the Dask workers, or this process)
        urls, base = list_url_articles(given)
        listing, single, inputs, root = Listing(()), urls == [given], (), None
        paths, names = urls, url_doc_names(urls, base)
    else:
        listing = listing_of(given)
        single = given == STDIN or not Path(given).is_dir()
        inputs = () if given == STDIN else (Path(given),)
        paths = list(listing.paths)
        root = None if given == STDIN else Path(given).parent if single else Path(given)
        names = doc_names(paths, root) if root is not None else None
    if source is not None and not single:
        raise InputError(f"{shown(given)}: is a directory; --source names one article (stdin or a single file)")
    out = atomic.check_target(output, BUILD_OUTPUT, inputs=inputs)
    kept = False
    with Bar(len(paths), "articles", Bar.wanted(len(paths), quiet, progress)) as bar, \
            atomic.output_dir(out, BUILD_OUTPUT, inputs=inputs) as stage:  # fmt: skip
        built: Outcome
        if scheduler and given != STDIN:  # stdin is this process's: it is read here, not by the workers
            from kg.distributed import build_on_dask

            built = build_on_dask(
                paths, stage, names, scheduler, on_done=_ticker(bar), say=None if quiet else say, source=source
            )
        else:
            built = build_corpus(paths, stage / "docs", names, workers, source, _ticker(bar))
        bar.close()
        failures = report(Batch(tuple(built.results), listing.skipped, listing.hidden, root), quiet)
        if not built.articles:
            if len(built.results) == 1:  # its error is printed above
                raise typer.Exit(2 if built.results[0].trace is None else 1)
            raise InputError(f"{shown(given)}: no article could be read")
        kept = _keep_previous(out, output, BUILD_OUTPUT, failures, partial)
        if kept:
            raise atomic.Discard
        summary = built.write_graph(stage / "graph.json")
    if kept:
        raise typer.Exit(1)
    if not quiet:
        print(summary_table(summary))
        done = f"wrote {Path(output) / 'graph.json'} and {summary.articles} article graphs in {Path(output) / 'docs'}"
        print(f"\n{shown(done)}", file=sys.stderr)
    if failures:
        raise typer.Exit(1)
