"""`kg extract`, `kg build`: articles → per-article graphs → corpus graph."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from typing import Annotated

import typer

from kg.cli import app
from kg.errors import InputError
from kg.io import STDIN, article_paths, write_json
from kg.merge import merge
from kg.model import CorpusGraph
from kg.pipeline import FileResult, extract_file, extract_many, sample_articles_dir
from kg.schema import ENTITY_LABELS, RELATION_TYPES

Workers = Annotated[int, typer.Option("--workers", "-w", min=1, help="Worker processes for many files.")]


def _progress(total: int, quiet: bool):  # type: ignore[no-untyped-def]
    """A progress line on stderr for multi-file runs (data never goes to stderr)."""
    done = {"n": 0}

    def tick(result: FileResult) -> None:
        done["n"] += 1
        if not quiet and total > 1:
            name = Path(result.path).name
            print(f"\r[{done['n']}/{total}] {name[:50]:<50}", end="", file=sys.stderr, flush=True)
            if done["n"] == total:
                print(file=sys.stderr)

    return tick


def _report_failures(results: list[FileResult]) -> int:
    failed = [r for r in results if r.error]
    for r in failed:
        print(f"kg: error: {r.error}", file=sys.stderr)
    if failed:
        ok = len(results) - len(failed)
        print(
            f"kg: {ok} of {len(results)} files processed, {len(failed)} failed: "
            + ", ".join(Path(r.path).name for r in failed),
            file=sys.stderr,
        )
    return len(failed)


@app.command()
def extract(
    input: Annotated[str, typer.Argument(help="A .txt/.md article, a directory of them, or - for stdin.")],
    output: Annotated[str, typer.Option("--output", "-o", help="JSON file (for one article) or directory.")] = "-",
    workers: Workers = 1,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Extract the graph of each article: one JSON per input file (same stem)."""
    if input == STDIN or Path(input).is_file():
        graph = extract_file(input)
        write_json(output, graph.to_dict())
        return
    paths = article_paths(input)
    if output == STDIN:
        raise InputError(f"{input}: is a directory; give -o DIR for its per-article JSON files")
    root = Path(input)
    results = list(extract_many(paths, workers, _progress(len(paths), quiet)))
    for result in results:
        if result.graph is not None:
            rel = Path(result.path).relative_to(root).with_suffix(".json")
            write_json(Path(output) / rel, result.graph.to_dict())
    if _report_failures(results):
        raise typer.Exit(1)


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
        str | None, typer.Argument(help="Articles (file or directory). Default: the bundled sample articles.")
    ] = None,
    output: Annotated[str, typer.Option("--output", "-o", help="Output directory.")] = "out",
    workers: Workers = 1,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Extract every article and merge them into one corpus graph (OUTDIR/graph.json, OUTDIR/docs/*.json)."""
    source = Path(input) if input else sample_articles_dir()
    paths = article_paths(source)
    results = list(extract_many(paths, workers, _progress(len(paths), quiet)))
    graphs = [r.graph for r in results if r.graph is not None]
    out = Path(output)
    root = source if source.is_dir() else source.parent
    for result in results:
        if result.graph is not None:
            write_json(
                out / "docs" / Path(result.path).relative_to(root).with_suffix(".json"),
                result.graph.to_dict(),
            )
    failures = _report_failures(results)
    if not graphs:
        raise InputError(f"{source}: no article could be read")
    corpus = merge(graphs)
    write_json(out / "graph.json", corpus.to_dict())
    print(summary_table(corpus))
    print(f"\nwrote {out / 'graph.json'} and {len(graphs)} article graphs in {out / 'docs'}", file=sys.stderr)
    if failures:
        raise typer.Exit(1)
