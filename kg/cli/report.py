"""What multi-file commands tell the user on stderr: progress (on a terminal only), then per-file errors,
warnings and skipped entries, and a summary naming the files that failed. Data never goes to stderr."""

from __future__ import annotations

import sys
from pathlib import Path

from kg.cli.state import state
from kg.errors import shown
from kg.pipeline import Batch, FileResult
from kg.progress import Bar


def say(message: str) -> None:
    """One line on stderr; whatever `message` holds, it stays one line."""
    print(shown(message), file=sys.stderr)


class Progress:
    """Progress of a multi-file command, per finished file: a bar on a terminal (kg.progress), nothing when
    stderr is a log file or a pipe, unless `asked`."""

    def __init__(self, total: int, quiet: bool, asked: bool = False) -> None:
        self.bar = Bar(total, "articles", Bar.wanted(total, quiet, asked))

    def __call__(self, result: FileResult) -> None:
        self.bar.advance(Path(result.path).name)
        if self.bar.done >= self.bar.total:
            self.bar.close()


def report(batch: Batch | None, quiet: bool = False) -> int:
    """Print errors (tracebacks too under --debug), warnings and skipped entries; return the number of failed
    files. Errors are printed even with --quiet."""
    if batch is None:
        return 0
    for result in batch.results:
        if result.error:
            if result.trace and state.debug:
                print(result.trace.rstrip(), file=sys.stderr)
            say(f"kg: error: {result.error}")
        if not quiet:
            for warning in result.warnings:
                say(f"kg: warning: {warning}")
    if not quiet:
        for skipped in batch.skipped:
            say(f"kg: warning: {skipped.message()}")
    failed = batch.failed
    if len(batch.results) > 1 and (failed or batch.skipped):  # one file: its error line says it all
        ok = len(batch.results) - len(failed)
        parts = [f"kg: {ok} of {len(batch.results)} files processed"]
        if failed:
            parts.append(f"{len(failed)} failed: " + ", ".join(shown(Path(r.path).name) for r in failed))
        if batch.skipped:
            parts.append(f"{len(batch.skipped)} skipped: " + ", ".join(shown(Path(s.path).name) for s in batch.skipped))
        say("; ".join(parts))
    return len(failed)


def whole_or_nothing(batch: Batch | None, what: str) -> None:
    """Commands that write one file from articles (export, viz) write nothing when an article failed: a graph
    missing an article would replace a whole one without anyone noticing. `kg build --partial` writes what
    could be read; its graph.json can then be given instead."""
    import typer

    if report(batch):
        say(f"kg: no {what} written; fix the files above, or build what can be read (kg build --partial) and give "
            "its graph.json")  # fmt: skip
        raise typer.Exit(1)
