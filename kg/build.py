"""`kg build` and `kg extract DIR` as streams: each article is extracted, its JSON written where it belongs,
and its records folded into the merge; then graph.json is written item by item.

Nothing holds every article graph: a worker writes its article's JSON itself and hands the parent only
what the merge needs (`Extracted`: records without text, and the article's graph.json item), and the
items' text waits in a temporary file (`ArticleSpill`) until graph.json is written. Peak memory is the
merge's records, the name index and one article at a time.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Protocol

from kg.atomic import open_atomic
from kg.collector import gc_paused, settle
from kg.io import STDIN, json_item, json_text, write_corpus_json
from kg.merge import DocRecords, MergedGraph, Merger, doc_records
from kg.model import Article, DocGraph
from kg.pipeline import FileResult, extract_safely, run_many

SETTLE_EVERY = 500  # articles between two gc.freeze(): the records kept so far leave the collector's scans


def doc_name(graph: DocGraph) -> str:
    """The JSON file name of an article read from stdin: the name it was given, else its content name."""
    stem = Path(graph.article.doc.replace(":", "-")).stem
    return (stem if stem.strip(".") else "stdin") + ".json"


def doc_names(paths: Iterable[Path | str], root: Path) -> dict[str, str]:
    """The JSON file name of each article file: its path under `root` with the suffix .json; files that
    would share one (a.txt and a.md) keep their suffix (a.txt.json). Decided from the listing, before any
    article is read, so workers can write their own files and a name never depends on another file failing."""
    names = {str(p): Path(p).relative_to(root).with_suffix(".json").as_posix() for p in paths}
    counts = Counter(names.values())
    return {p: (Path(p).relative_to(root).as_posix() + ".json" if counts[n] > 1 else n) for p, n in names.items()}


@dataclass(frozen=True)
class Extracted:
    """What the extraction of one file leaves for the parent: its outcome (never its graph), the merge's
    records (the article without its text) and its graph.json item (with the text), when it was read."""

    result: FileResult
    records: DocRecords | None = None
    item: str | None = None


def extract_to(
    path: str, docs: str | None, name: str | None, source: str | None = None, merged: bool = True
) -> Extracted:
    """Extract one file and write its graph as `docs/name` (`name` None: named after the article, for stdin).
    `docs` None writes nothing. `merged` False leaves out the merge's records and graph.json item (`kg
    extract` writes no corpus graph: making them would cost it a few per cent). Runs in worker processes;
    never raises for a bad article."""
    result = extract_safely(path, source)
    graph = result.graph
    if graph is None:
        return Extracted(result)
    if docs is not None:
        target = Path(docs) / (name or doc_name(graph))
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json_text(graph.to_dict()), encoding="utf-8")
    if not merged:
        return Extracted(replace(result, graph=None))
    records = doc_records(graph)
    a = graph.article
    item = json_item(a.to_dict())
    bare = replace(records, article=Article(a.id, a.source, a.title, ""))
    return Extracted(replace(result, graph=None), bare, item)


class ArticleSpill:
    """graph.json's article items (their text is most of the graph) kept in a temporary file, not in memory,
    until they are written in order (source, then id)."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile()  # noqa: SIM115 (closed by close(); it lives as long as the build)
        self._index: list[tuple[str, str, int, int]] = []

    def __len__(self) -> int:
        return len(self._index)

    def add(self, source: str, article_id: str, item: str) -> None:
        data = item.encode("utf-8")
        self._file.seek(0, 2)
        self._index.append((source, article_id, self._file.tell(), len(data)))
        self._file.write(data)

    def items(self) -> Iterator[str]:
        for _, _, offset, size in sorted(self._index):
            self._file.seek(offset)
            yield self._file.read(size).decode("utf-8")

    def close(self) -> None:
        self._file.close()


@dataclass
class Built:
    """A build's outcome: a result per file, the merged graph and its article items."""

    results: list[FileResult] = field(default_factory=list)
    merged: MergedGraph | None = None
    spill: ArticleSpill = field(default_factory=ArticleSpill)

    @property
    def articles(self) -> int:
        return len(self.spill)

    @property
    def failed(self) -> list[FileResult]:
        return [r for r in self.results if r.error]

    def write_graph(self, path: Path) -> GraphSummary:
        assert self.merged is not None
        try:
            return write_graph(path, self.merged, self.spill.items())
        finally:
            self.spill.close()


@dataclass(frozen=True)
class GraphSummary:
    """What `kg build` reports of a graph it wrote: counts of articles, labels and relation types."""

    articles: int
    labels: Counter[str]
    types: Counter[str]

    @property
    def entities(self) -> int:
        return sum(self.labels.values())

    @property
    def relations(self) -> int:
        return sum(self.types.values())


class Outcome(Protocol):
    """What a build leaves for `kg build` to report and write, in one process (Built) or on Dask."""

    results: list[FileResult]

    @property
    def articles(self) -> int: ...

    def write_graph(self, path: Path) -> GraphSummary: ...


def extract_files(
    paths: Sequence[Path | str],
    docs: Path | None,
    names: dict[str, str] | None,
    workers: int = 1,
    source: str | None = None,
    on_done: Callable[[FileResult], None] | None = None,
    merged: bool = True,
) -> Generator[Extracted, None, None]:
    """Extract every file into `docs` (None: write nothing), in `workers` processes, in input order;
    `merged` False: without what a merge needs (see `extract_to`)."""
    folder = str(docs) if docs is not None else None
    calls = [(str(p), folder, names.get(str(p)) if names else None, source, merged) for p in paths]
    done = (lambda x: on_done(x.result)) if on_done else None
    return run_many(extract_to, calls, workers, done)


def build(
    paths: Sequence[Path | str],
    docs: Path,
    names: dict[str, str] | None,
    workers: int = 1,
    source: str | None = None,
    on_done: Callable[[FileResult], None] | None = None,
) -> Built:
    """Extract every file (its JSON into `docs`) and merge as results come in."""
    built = Built()
    merger = Merger()
    stream = extract_files(paths, docs, names, workers, source, on_done)
    try:
        for count, extracted in enumerate(stream, start=1):
            built.results.append(extracted.result)
            records = extracted.records
            if records is not None and extracted.item is not None and merger.add_records(records, False):
                built.spill.add(records.rank[0], records.article_id, extracted.item)
            if count % SETTLE_EVERY == 0:
                settle()
    finally:
        stream.close()  # an interrupted build stops its workers before its staging folder is removed
    built.merged = merger.finish()
    return built


def write_graph(path: Path, merged: MergedGraph, articles: Iterable[str]) -> GraphSummary:
    """Write graph.json from a merge, one item at a time; return its counts."""
    labels: Counter[str] = Counter()
    types: Counter[str] = Counter()
    count = 0

    def counted_articles() -> Iterator[str]:
        nonlocal count
        for item in articles:
            count += 1
            yield item

    def entities() -> Iterator[str]:
        for entity in merged.entities():
            labels[entity.label] += 1
            yield json_item(entity.to_dict())

    def relations() -> Iterator[str]:
        for rel in merged.relations():
            types[rel.type] += 1
            yield json_item(rel.to_dict())

    with gc_paused(), open_atomic(path, "the corpus graph") as out:
        write_corpus_json(out, counted_articles(), entities(), relations())
    return GraphSummary(count, labels, types)


def is_stdin(path: Path | str) -> bool:
    return str(path) == STDIN
