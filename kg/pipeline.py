"""The pipeline as plain function calls: articles → DocGraphs → CorpusGraph.

Writers (JSON, Neo4j, RDF, CSV) take the CorpusGraph that `corpus_from_input` returns, whether the user
names a corpus-graph JSON or a folder of articles.

One article never stops the others: a user mistake (a KgError: empty file, bad encoding) and an unexpected
error in the extraction alike become that article's FileResult with a one-line error (and, for the latter,
the traceback for `--debug`), in one process or in many.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import re
import signal
import sys
import traceback
from collections.abc import Callable, Generator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from kg.errors import InputError, KgError, shown
from kg.io import STDIN, Listing, Skipped, list_articles, read_article, read_corpus_graph
from kg.merge import merge
from kg.model import Article, CorpusGraph, DocGraph

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_HTML = re.compile(r"<(?:!doctype\s+html|html|head|body|div|p|span|table|script)\b", re.I)


def sample_articles_dir() -> Path:
    """The articles that ship with kg (written by us, names made up): the default input of `kg build`."""
    return Path(str(resources.files("kg") / "samples" / "articles"))


def _extract(article: Article) -> DocGraph:
    """The extraction proper, looked up at call time (tests replace kg.extract.extract)."""
    if "kg.extract" not in sys.modules:
        _import_extract()
    import kg.extract

    return kg.extract.extract(article)


def _import_extract() -> None:
    """Import the extraction (spaCy, numpy, jieba, the rules) with the garbage collector paused, as
    `kg.nlp.lexicon.gc_paused` loads dictionaries (the collections would cost a tenth of start-up)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        import kg.extract  # noqa: F401
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def extract_file(path: Path | str, source: str | None = None) -> DocGraph:
    """Read, repair and extract one article file ("-" for stdin); `source` names it (see kg.io.read_article)."""
    return _extract(read_article(path, source))


@dataclass(frozen=True)
class FileResult:
    """One input file's outcome: its graph, or a one-line error; warnings either way.

    `trace` holds the traceback of an unexpected error (a bug, not a user mistake), shown with --debug.
    """

    path: str
    graph: DocGraph | None
    error: str | None
    warnings: tuple[str, ...] = ()
    trace: str | None = None


def article_warnings(article: Article, graph: DocGraph, label: str = "") -> tuple[str, ...]:
    """What a user should hear about an article that was read but probably not what they meant to give.
    `label`: the name to give it (the path as the user wrote it), else its source."""
    name = shown(label or article.source)
    warnings = []
    if _HTML.search(article.text[:4000]):
        warnings.append(f"{name}: looks like HTML; its markup is read as text (save the article as plain text)")
    if not _CJK.search(article.text):
        warnings.append(f"{name}: no Chinese text; kg reads Chinese news")
    elif not graph.entities:
        warnings.append(f"{name}: no entities found")
    return tuple(warnings)


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return shown(text.splitlines()[0][:200]) if text else ""


def extract_safely(path: str, source: str | None = None) -> FileResult:
    """Extract one file; never raises for a bad file or a bug in the rules (only for Ctrl-C and exits)."""
    try:
        article = read_article(path, source)
        graph = _extract(article)
    except KgError as e:
        return FileResult(path, None, str(e))
    except Exception as e:  # a bug in the rules: this article fails, the batch goes on
        what = f"{type(e).__name__}: {_first_line(e)}" if _first_line(e) else type(e).__name__
        label = shown(source or path)
        message = f"{label}: unexpected error while extracting ({what}); run with --debug for the traceback"
        return FileResult(path, None, message, trace=traceback.format_exc())
    return FileResult(path, graph, None, article_warnings(article, graph, source or path))


def _init_worker() -> None:
    """Workers leave Ctrl-C to the parent, which stops them, and die quietly when it does (SIGTERM);
    otherwise each would print its own traceback. The pipeline was loaded by the parent before it forked
    them (see `run_many`), so this finds it loaded."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    from kg.extract import warm_up

    warm_up()


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def _pool(workers: int) -> ProcessPoolExecutor:
    """Worker processes forked from a parent that has loaded the pipeline (spaCy, jieba's dictionary, the
    lexicon, the scorers): they share its memory copy-on-write instead of each loading its own (about 1.5 s
    and 150 MB apiece). Where fork is not available they load it themselves."""
    if _can_fork():
        return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"), initializer=_init_worker)
    return ProcessPoolExecutor(workers, initializer=_init_worker)


T = TypeVar("T")


def run_many(
    task: Callable[..., T], calls: list[tuple[Any, ...]], workers: int = 1, on_done: Callable[[T], None] | None = None
) -> Generator[T, None, None]:
    """`task(*call)` for every call, in `workers` processes; results in call order whatever the number of
    workers, so output is deterministic. `task` must not raise for a bad input (it returns its failure)."""
    if workers <= 1 or len(calls) < 2:
        for call in calls:
            result = task(*call)
            if on_done:
                on_done(result)
            yield result
        return
    workers = min(workers, len(calls), os.cpu_count() or 1) or 1
    if _can_fork():
        from kg.extract import warm_up

        warm_up()  # before Ctrl-C is ignored below: loading takes a second or two
    # The workers start when the work is submitted: with Ctrl-C ignored and SIGTERM at its default meanwhile,
    # they are born that way, rather than catching either in their initializer with a traceback each.
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN), signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        pool = _pool(workers)
        results = pool.map(task, *zip(*calls, strict=True), chunksize=max(1, len(calls) // (workers * 8)))
    finally:
        signal.signal(signal.SIGINT, previous[0])
        signal.signal(signal.SIGTERM, previous[1])
    try:
        for result in results:
            if on_done:
                on_done(result)
            yield result
    except BaseException:
        # Ctrl-C or an early close of this generator: stop the workers now rather than after their queue.
        _stop(pool)
        raise
    pool.shutdown(wait=True)


def extract_many(
    paths: list[Path], workers: int = 1, on_done: Callable[[FileResult], None] | None = None
) -> Generator[FileResult, None, None]:
    """Extract every file; a bad file becomes a FileResult with an error, the others carry on.

    Results come back in input order whatever the number of worker processes, so output is deterministic.
    """
    return run_many(extract_safely, [(str(p),) for p in paths], workers, on_done)


def _stop(pool: ProcessPoolExecutor) -> None:
    processes = list(getattr(pool, "_processes", {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(timeout=5)


@dataclass(frozen=True)
class Batch:
    """What reading an INPUT of articles gave: a result per file, and what the listing skipped."""

    results: tuple[FileResult, ...]
    skipped: tuple[Skipped, ...] = ()
    hidden: int = 0
    root: Path | None = None  # the folder named as INPUT, or the folder of the file named

    @property
    def graphs(self) -> list[DocGraph]:
        return [r.graph for r in self.results if r.graph is not None]

    @property
    def failed(self) -> list[FileResult]:
        return [r for r in self.results if r.error]


def listing_of(path: Path | str) -> Listing:
    """The files a batch will read: stdin stands for one article."""
    if str(path) == STDIN:
        return Listing((Path(STDIN),))
    return list_articles(path)


def extract_input(
    path: Path | str,
    workers: int = 1,
    source: str | None = None,
    on_done: Callable[[FileResult], None] | None = None,
    listing: Listing | None = None,
) -> Batch:
    """Extract every article an INPUT names (a file, a directory, "-"). `source` names a single article
    (stdin, or one file); it cannot name a directory's many."""
    listing = listing or listing_of(path)
    single = str(path) == STDIN or not Path(path).is_dir()
    if source is not None and not single:
        raise InputError(f"{shown(path)}: is a directory; --source names one article (stdin or a single file)")
    if single:
        result = extract_safely(str(listing.paths[0]), source)
        if on_done:
            on_done(result)
        results: tuple[FileResult, ...] = (result,)
        root = None if str(path) == STDIN else Path(path).parent
    else:
        results = tuple(extract_many(list(listing.paths), workers, on_done))
        root = Path(path)
    return Batch(results, listing.skipped, listing.hidden, root)


def is_graph_json(path: Path | str) -> bool:
    return str(path) != STDIN and Path(path).is_file() and Path(path).suffix.lower() == ".json"


@dataclass(frozen=True)
class Input:
    """A corpus graph and, when it was built from articles, the batch it was built from."""

    corpus: CorpusGraph
    batch: Batch | None = field(default=None)


def read_input(
    path: Path | str,
    workers: int = 1,
    source: str | None = None,
    on_done: Callable[[FileResult], None] | None = None,
    listing: Listing | None = None,
) -> Input:
    """A corpus graph from a `kg build` JSON file, or built from articles (a file, a directory, "-").

    Raises only when no article at all could be read; per-file failures are in `batch` for the caller to
    report.
    """
    if is_graph_json(path):
        if source is not None:
            raise InputError(f"{shown(path)}: is a corpus graph; --source names an article read from stdin")
        return Input(read_corpus_graph(path))
    batch = extract_input(path, workers, source, on_done, listing)
    if not batch.graphs:
        first = batch.failed[0].error if batch.failed else None
        raise InputError(first or f"{shown(path)}: no article could be read")
    return Input(merge(batch.graphs), batch)


def corpus_from_input(path: Path | str, workers: int = 1, source: str | None = None) -> CorpusGraph:
    """The corpus graph of an INPUT (see read_input); files that fail are left out."""
    return read_input(path, workers, source).corpus
