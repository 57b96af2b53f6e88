"""The pipeline as plain function calls: articles → DocGraphs → CorpusGraph.

Writers (JSON, Neo4j, RDF, CSV) take the CorpusGraph that `corpus_from_input` returns, whether the user
names a corpus-graph JSON or a folder of articles.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from kg.errors import InputError, KgError
from kg.io import STDIN, article_paths, read_article, read_corpus_graph
from kg.merge import merge
from kg.model import CorpusGraph, DocGraph


def sample_articles_dir() -> Path:
    """The articles that ship with kg (written by us, names made up): the default input of `kg build`."""
    return Path(str(resources.files("kg") / "samples" / "articles"))


def extract_file(path: Path | str) -> DocGraph:
    """Read, repair and extract one article file."""
    from kg.extract import extract

    return extract(read_article(path))


@dataclass(frozen=True)
class FileResult:
    path: str
    graph: DocGraph | None
    error: str | None


def _extract_safely(path: str) -> FileResult:
    try:
        return FileResult(path, extract_file(path), None)
    except KgError as e:
        return FileResult(path, None, str(e))


def _init_worker() -> None:
    from kg.extract import warm_up

    warm_up()


def extract_many(
    paths: list[Path], workers: int = 1, on_done: Callable[[FileResult], None] | None = None
) -> Iterator[FileResult]:
    """Extract every file; a bad file becomes a FileResult with an error, the others carry on.

    Results come back in input order whatever the number of worker processes, so output is deterministic.
    """
    names = [str(p) for p in paths]
    if workers <= 1 or len(names) < 2:
        for name in names:
            result = _extract_safely(name)
            if on_done:
                on_done(result)
            yield result
        return
    workers = min(workers, len(names), os.cpu_count() or 1) or 1
    with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker) as pool:
        for result in pool.map(_extract_safely, names, chunksize=max(1, len(names) // (workers * 8))):
            if on_done:
                on_done(result)
            yield result


def is_graph_json(path: Path | str) -> bool:
    return str(path) != STDIN and Path(path).is_file() and Path(path).suffix.lower() == ".json"


def corpus_from_input(path: Path | str, workers: int = 1) -> CorpusGraph:
    """A corpus graph from a `kg build` JSON file, or built from articles (a file or a directory)."""
    if is_graph_json(path):
        return read_corpus_graph(path)
    if str(path) == STDIN:
        return merge([extract_file(STDIN)])
    results = list(extract_many(article_paths(path), workers=workers))
    failed = [r for r in results if r.error]
    if failed and len(failed) == len(results):
        raise InputError(failed[0].error or f"{path}: no article could be read")
    return merge(r.graph for r in results if r.graph is not None)
