"""`kg build --scheduler ADDRESS`: the same build on a Dask cluster (`pip install 'kg[dask]'`).

The stages, as Dask tasks over batches of article paths:

1. extract (one task per batch, on the workers): each article is read from its path, extracted, and its
   JSON written into the output's staging folder; the task keeps the merge's records in worker memory and
   sends the client only a summary: outcomes, each article's graph.json item, and each entity's names;
2. names (on the client): `kg.merge.NameIndex` joins names into things and gives every entity its corpus
   id; the client holds one entry per distinct name, never an article graph;
3. shuffle (one task per batch): records are dealt to P partitions by corpus id (entities) and by relation
   key (relations);
4. reduce (one task per partition): `EntityReducer` and `RelationReducer` fold each key's records and
   write the partition's entities and relations, sorted by id, to a scratch file beside the output;
5. write (on the client): graph.json from the article items (kept in a temporary file) and a k-way merge of
   the P sorted partitions, so the result is byte for byte the one-process build's, whatever the number of
   workers, batches and partitions.

Workers must see the input paths and the output folder under the same names as the client (a shared
filesystem; always true for `--scheduler local:N`); an input may instead be fsspec URLs (s3://…, file://…),
listed by the client and read by the workers (kg.io.read_url). Intermediate data lives in Dask's memory, so a worker
that dies is replaced and its tasks re-run (Dask retries them); a bad article is that article's failure,
as in a local build.
"""

from __future__ import annotations

import contextlib
import heapq
import logging
import operator
import os
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import CancelledError
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.build import ArticleSpill, Extracted, GraphSummary, extract_to
from kg.errors import InputError, KgError, shown
from kg.io import write_corpus_json
from kg.merge import (
    DocRecords,
    EntityReducer,
    NameIndex,
    Rank,
    RelationKey,
    RelationReducer,
    relation_key,
)
from kg.model import stable_id
from kg.pipeline import FileResult

CONNECT_TIMEOUT = "10s"
SCRATCH = ".kg-work"  # kg.atomic removes it from the staging folder before the switch
_LAYOUT = "\x00"  # stands for a newline of an item's rendering in a scratch file (JSON text never holds NUL)


class ClusterError(KgError):
    """The Dask scheduler cannot be reached, or the cluster failed the build."""


# ---------------------------------------------------------------------------------------------------------
# Connecting


def _distributed() -> Any:
    try:
        import distributed
    except ImportError:
        raise ClusterError("--scheduler needs Dask: pip install 'kg[dask]' (or dask[distributed])") from None
    return distributed


@contextlib.contextmanager
def cluster(scheduler: str, say: Callable[[str], None] | None = None) -> Iterator[Any]:
    """A Dask client: of the scheduler at `scheduler` (tcp://host:8786, or any address Dask takes), or of a
    LocalCluster of N worker processes for `local:N` (`local`: one per core). An unreachable scheduler is a
    one-line ClusterError. The dashboard's address is passed to `say` when the cluster has one."""
    distributed = _distributed()
    for name in ("distributed", "distributed.client", "distributed.worker", "distributed.nanny"):
        logging.getLogger(name).setLevel(logging.ERROR)  # worker deaths are handled; no log lines in our output
    local = scheduler == "local" or scheduler.startswith("local:")
    started = None
    try:
        if local:
            count = scheduler.partition(":")[2] or str(os.cpu_count() or 1)
            if not count.isdigit() or int(count) < 1:
                raise ClusterError(f"--scheduler {shown(scheduler)}: expected local or local:N with N ≥ 1")
            started = distributed.LocalCluster(
                n_workers=int(count),
                threads_per_worker=1,
                processes=True,
                dashboard_address="127.0.0.1:0",
                # CRITICAL, not ERROR: a worker whose heartbeat meets a scheduler already closing logs the
                # exception with its traceback; kg reports what a user must know (a failed article, a lost worker).
                silence_logs=logging.CRITICAL,
            )
            client = distributed.Client(started)
        else:
            client = distributed.Client(scheduler, timeout=CONNECT_TIMEOUT)
    except ClusterError:
        raise
    except (OSError, TimeoutError, ValueError) as e:
        if started is not None:
            started.close()
        reason = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        raise ClusterError(
            f"cannot reach the Dask scheduler at {shown(scheduler)}: {shown(reason)} (is it running? "
            "give its address as tcp://host:8786, or --scheduler local:N)"
        ) from None
    except Exception as e:
        # Something answered that is not a Dask scheduler (the dashboard's port 8787, a web server, a proxy):
        # Dask reads its first bytes as a frame length and fails with MemoryError or a protocol error.
        if started is not None:
            started.close()
            raise
        raise ClusterError(
            f"cannot reach the Dask scheduler at {shown(scheduler)}: what answered there is not a Dask scheduler "
            f"({type(e).__name__}; give the scheduler's address, tcp://host:8786, not its dashboard's)"
        ) from None
    try:
        if say is not None:
            services = client.scheduler_info().get("services", {})
            if "dashboard" in services:
                say(f"kg: Dask dashboard at {client.dashboard_link}")
        yield client
    finally:
        client.close()
        if started is not None:
            started.close()


# ---------------------------------------------------------------------------------------------------------
# Tasks (module-level functions, so workers can unpickle them)


@dataclass(frozen=True)
class BatchSummary:
    """What the client needs of an extracted batch: outcomes, article items, and each entity's names."""

    results: tuple[FileResult, ...]
    articles: tuple[tuple[Rank, str], ...]  # (source, id), graph.json item; one per article read
    names: tuple[tuple[tuple[str, tuple[str, ...]], ...], ...]  # per article read: per entity (label, names)


def extract_batch(
    paths: list[str], docs: str, names: list[str | None], source: str | None = None
) -> tuple[BatchSummary, list[DocRecords]]:
    """Extract a batch of articles, writing each one's JSON into `docs`; its records stay on the worker.
    `source`: the article's name given with --source (a build of one file)."""
    done: list[Extracted] = [extract_to(path, docs, name, source) for path, name in zip(paths, names, strict=True)]
    kept = [x for x in done if x.records is not None and x.item is not None]
    summary = BatchSummary(
        results=tuple(x.result for x in done),
        articles=tuple((x.records.rank, x.item) for x in kept if x.records is not None and x.item is not None),
        names=tuple(
            tuple((label, names) for label, names, _, _ in x.records.entities) for x in kept if x.records is not None
        ),
    )
    return summary, [x.records for x in kept if x.records is not None]


def partition_of(item_id: str, partitions: int) -> int:
    """Which partition holds an entity or relation: from its id's hex digits, the same in every process."""
    return int(item_id[1:9], 16) % partitions


Buckets = list[tuple[list[tuple[str, Rank, int, Any]], list[tuple[RelationKey, Rank, int, Any]]]]


def shuffle_batch(
    batch: tuple[BatchSummary, list[DocRecords]], ids: list[list[str] | None], partitions: int
) -> Buckets:
    """Deal a batch's records to partitions: entities by corpus id, relations by their key's id. `ids`: each
    article's corpus ids of its entities (None: an article already in the build)."""
    buckets: Buckets = [([], []) for _ in range(partitions)]
    for records, article_ids in zip(batch[1], ids, strict=True):
        if article_ids is None:
            continue
        rank = records.rank
        for index, (eid, record) in enumerate(zip(article_ids, records.entities, strict=True)):
            buckets[partition_of(eid, partitions)][0].append((eid, rank, index, record))
        for index, rel in enumerate(records.relations):
            key = relation_key(rel[0], article_ids[rel[1]], article_ids[rel[2]])
            if key is not None:
                buckets[partition_of(stable_id("R", *key), partitions)][1].append((key, rank, index, rel))
    return buckets


@dataclass(frozen=True)
class PartSummary:
    entities: str  # scratch file of the partition's entities, one per line, sorted by id
    relations: str
    labels: Counter[str] = field(default_factory=Counter)
    types: Counter[str] = field(default_factory=Counter)


def _write_lines(path: Path, lines: Iterator[str]) -> None:
    """A scratch file written under a temporary name and renamed: a task re-run after a worker died never
    leaves half a file."""
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8", newline="\n") as out:
        out.writelines(lines)
    tmp.replace(path)


def reduce_partition(index: int, work: str, *buckets: tuple[list[Any], list[Any]]) -> PartSummary:
    """Fold one partition's records into entities and relations and write them, sorted by id."""
    from kg.io import json_item

    entities, relations = EntityReducer(), RelationReducer()
    for entity_rows, relation_rows in buckets:
        for eid, rank, i, record in entity_rows:
            entities.add(eid, rank, i, record)
        for key, rank, i, record in relation_rows:
            relations.add(key, rank, i, record)
    labels: Counter[str] = Counter()
    types: Counter[str] = Counter()

    def entity_lines() -> Iterator[str]:
        for entity in entities.entities():
            labels[entity.label] += 1
            yield f"{entity.id}\t{json_item(entity.to_dict()).replace(chr(10), _LAYOUT)}\n"

    def relation_lines() -> Iterator[str]:
        for rel in relations.relations():
            types[rel.type] += 1
            yield f"{rel.id}\t{json_item(rel.to_dict()).replace(chr(10), _LAYOUT)}\n"

    folder = Path(work)
    folder.mkdir(parents=True, exist_ok=True)
    ent_path, rel_path = folder / f"entities-{index:05d}.txt", folder / f"relations-{index:05d}.txt"
    _write_lines(ent_path, entity_lines())
    _write_lines(rel_path, relation_lines())
    return PartSummary(str(ent_path), str(rel_path), labels, types)


# ---------------------------------------------------------------------------------------------------------
# The build, driven from the client


@dataclass
class DaskBuilt:
    """A distributed build's outcome, with the same face as kg.build.Built."""

    results: list[FileResult]
    spill: ArticleSpill
    parts: list[PartSummary]

    @property
    def articles(self) -> int:
        return len(self.spill)

    def write_graph(self, path: Path) -> GraphSummary:
        from kg.atomic import open_atomic

        labels: Counter[str] = Counter()
        types: Counter[str] = Counter()
        for part in self.parts:
            labels.update(part.labels)
            types.update(part.types)
        with contextlib.ExitStack() as files:
            ents = [files.enter_context(open(p.entities, encoding="utf-8", newline="\n")) for p in self.parts]
            rels = [files.enter_context(open(p.relations, encoding="utf-8", newline="\n")) for p in self.parts]
            with open_atomic(path, "the corpus graph") as out:
                write_corpus_json(out, self.spill.items(), _merged(ents), _merged(rels))
        self.spill.close()
        return GraphSummary(len(self.spill), labels, types)


def _merged(files: list[Any]) -> Iterator[str]:
    """The items of sorted scratch files in one id order (each line starts with its item's id)."""
    for line in heapq.merge(*files):
        yield line[line.index("\t") + 1 :].rstrip("\n").replace(_LAYOUT, "\n")


def _batches(count: int, workers: int, batch_size: int | None) -> int:
    """Articles per task: enough tasks to keep every worker busy and balance the slow ones (about 8 each),
    few enough that scheduling stays cheap."""
    if batch_size:
        return batch_size
    return max(1, min(500, count // max(1, workers * 8)))


def build_on_dask(
    paths: Sequence[Path | str],
    stage: Path,
    names: dict[str, str] | None,
    scheduler: str,
    on_done: Callable[[FileResult], None] | None = None,
    say: Callable[[str], None] | None = None,
    batch_size: int | None = None,
    partitions: int | None = None,
    client: Any = None,
    source: str | None = None,
) -> DaskBuilt:
    """Build the corpus of `paths` on a cluster into the staging folder `stage` (docs/ and scratch files);
    `DaskBuilt.write_graph` then writes graph.json. `client`: an existing Dask client (else one is made from
    `scheduler`). `source`: the name of the one article of a single-file build (--source)."""
    if client is None:
        with cluster(scheduler, say) as made:
            return _build(made, paths, stage, names, on_done, batch_size, partitions, source)
    return _build(client, paths, stage, names, on_done, batch_size, partitions, source)


def _build(
    client: Any,
    paths: Sequence[Path | str],
    stage: Path,
    names: dict[str, str] | None,
    on_done: Callable[[FileResult], None] | None,
    batch_size: int | None,
    partitions: int | None,
    source: str | None = None,
) -> DaskBuilt:
    distributed = _distributed()
    workers = max(1, len(client.scheduler_info().get("workers", {})))
    docs, work = stage / "docs", stage / SCRATCH
    docs.mkdir(parents=True, exist_ok=True)
    if not client.submit(os.path.isdir, str(docs), pure=False).result():
        raise InputError(
            f"{shown(stage.parent)}: the Dask workers cannot see the output folder; write it to a filesystem "
            "they share with this machine, under the same path"
        )
    size = _batches(len(paths), workers, batch_size)
    parts = partitions or max(1, min(64, 2 * workers))
    try:
        return _run(client, distributed, paths, docs, work, names, on_done, size, parts, source)
    except KgError:
        raise
    except (OSError, CancelledError, distributed.KilledWorker) as e:
        first = str(e).strip().splitlines()[0] if str(e).strip() else ""
        raise ClusterError(f"the Dask build failed: {type(e).__name__}: {shown(first)}") from None


def _run(
    client: Any,
    distributed: Any,
    paths: Sequence[Path | str],
    docs: Path,
    work: Path,
    names: dict[str, str] | None,
    on_done: Callable[[FileResult], None] | None,
    size: int,
    parts: int,
    source: str | None = None,
) -> DaskBuilt:
    chunks = [[str(p) for p in paths[i : i + size]] for i in range(0, len(paths), size)]
    extracted = [
        client.submit(
            extract_batch,
            chunk,
            str(docs),
            [names.get(p) if names else None for p in chunk],
            source,
            pure=False,
            retries=2,
        )
        for chunk in chunks
    ]
    summaries = {client.submit(operator.getitem, fut, 0, pure=False): i for i, fut in enumerate(extracted)}
    index = NameIndex()
    spill = ArticleSpill()
    nodes: list[list[list[int] | None]] = [[] for _ in chunks]
    results: list[list[FileResult]] = [[] for _ in chunks]
    seen: set[str] = set()
    for fut in distributed.as_completed(summaries):
        i = summaries[fut]
        summary: BatchSummary = fut.result()
        results[i] = list(summary.results)
        for (rank, item), entity_names in zip(summary.articles, summary.names, strict=True):
            if rank[1] in seen:  # the same article twice: it counts once
                nodes[i].append(None)
                continue
            seen.add(rank[1])
            spill.add(rank[0], rank[1], item)
            nodes[i].append([index.add(label, forms) for label, forms in entity_names])
        if on_done:
            for result in summary.results:
                on_done(result)
        fut.release()
    ids = [[None if n is None else [index.entity_id(x) for x in n] for n in batch] for batch in nodes]
    shuffled = [
        client.submit(shuffle_batch, fut, batch_ids, parts, pure=False, retries=2)
        for fut, batch_ids in zip(extracted, ids, strict=True)
    ]
    del extracted
    reduced = [
        client.submit(
            reduce_partition,
            p,
            str(work),
            *[client.submit(operator.getitem, s, p, pure=False) for s in shuffled],
            pure=False,
            retries=2,
        )
        for p in range(parts)
    ]
    summaries_of_parts: list[PartSummary] = client.gather(reduced)
    return DaskBuilt([r for batch in results for r in batch], spill, summaries_of_parts)
