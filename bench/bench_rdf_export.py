"""Benchmark: kg's streaming RDF exporter against rdflib.Graph.serialize on the same synthetic graph.

    python bench/bench_rdf_export.py                       # 1M and 2M triples, turtle and nt
    python bench/bench_rdf_export.py --triples 1000000 --formats turtle

Each measurement runs in its own subprocess, so peak memory (ru_maxrss) is that run's alone:
- stream-gen:   the exporter fed by generators: the graph never exists in memory as a whole, so the peak
                must not grow with the graph;
- stream-graph: the exporter on a materialised CorpusGraph (what `kg export` does);
- rdflib:       the same CorpusGraph → rdflib.Graph → Graph.serialize (rdflib's own writer); the speed-up
                is given against both steps and against serialize alone.
For the last two "extra" is the peak above the memory held once the CorpusGraph is built, and times
exclude building the synthetic graph (stream-gen's include generating it, lazily). Times are CPU seconds
of the child (user + system), which a busy shared machine distorts far less than wall time (also in the
JSON). Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from kg.model import Article, CorpusGraph, Entity, Evidence, Mention, Relation

TRIPLES_PER_GROUP = 75  # measured: one group of 4 entities and 4 relations gives about this many triples
GROUPS_PER_ARTICLE = 50


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def articles(groups: int) -> Iterator[Article]:
    for a in range(groups // GROUPS_PER_ARTICLE + 1):
        yield Article(f"A{a:08d}", f"synthetic/{a:06d}.txt", f'第{a}篇 "合成" 新闻', "某" * 2000)


def entities(groups: int) -> Iterator[Entity]:
    for g in range(groups):
        art = f"A{g // GROUPS_PER_ARTICLE:08d}"
        mention = (Mention(10, 20, "某某", art),)
        yield Entity(
            f"C{g:08d}",
            "Company",
            f"星岚{g}精密材料（山西）有限公司",
            (f"星岚{g}",),
            {"investment_cny": 650000000 + g, "capacity_t": 20000.5, "jobs": 300},
            mention,
            (art,),
        )
        yield Entity(f"K{g:08d}", "Park", f"东坪{g}新材料产业园", (), {"area_km2": 24.6}, mention, (art,))
        yield Entity(f"P{g:08d}", "Person", f"蒋{g}", (), {"title": "厂长"}, mention, (art,))
        yield Entity(f"D{g:08d}", "Product", f"6 微米锂电铜箔 {g} 号", (), {}, mention, (art,))


def relations(groups: int) -> Iterator[Relation]:
    for g in range(groups):
        art = f"A{g // GROUPS_PER_ARTICLE:08d}"
        c, k, p, d = f"C{g:08d}", f"K{g:08d}", f"P{g:08d}", f"D{g:08d}"
        nxt = f"C{(g + 1) % groups:08d}"

        def ev(sentence: str, start: int, art: str = art) -> tuple[Evidence, ...]:
            return (Evidence(sentence, start, start + len(sentence), 0.9, art),)

        yield Relation("LOCATED_IN", c, k, {}, ev(f"星岚{g}落户东坪{g}新材料产业园。", 100))
        yield Relation("WORKS_FOR", p, c, {"title": "厂长"}, ev(f"厂长蒋{g}说，“我们生产的铜箔\n很薄”。", 200))
        yield Relation("PRODUCES", c, d, {}, ev(f"星岚{g}生产 6 微米锂电铜箔。", 300))
        yield Relation("SUPPLIES_TO", c, nxt, {}, ev(f"为星岚{g + 1}供货。", 400))


def corpus(groups: int) -> CorpusGraph:
    return CorpusGraph(tuple(articles(groups)), tuple(entities(groups)), tuple(relations(groups)))


def measure(mode: str, fmt: str, groups: int, out: Path) -> dict[str, float | int | str]:
    """One measurement (runs inside the child process)."""
    from kg.rdf.export import export, export_stream, to_rdflib

    baseline = 0.0
    serialize_seconds = 0.0
    if mode == "stream-gen":
        wall = time.perf_counter()
        start = time.process_time()
        with out.open("w", encoding="utf-8", buffering=1 << 20) as f:
            counts = export_stream(articles(groups), entities(groups), relations(groups), f, fmt)
        triples = counts.triples
        seconds = time.process_time() - start
    else:
        graph = corpus(groups)
        baseline = _peak_mb()
        wall = time.perf_counter()
        start = time.process_time()
        if mode == "stream-graph":
            triples = export(graph, out, fmt).triples
        else:
            rdf = to_rdflib(graph)
            built = time.process_time()
            rdf.serialize(destination=str(out), format={"turtle": "turtle", "nt": "nt"}[fmt], encoding="utf-8")
            serialize_seconds = time.process_time() - built
            triples = len(rdf)
        seconds = time.process_time() - start
    peak = _peak_mb()
    return {
        "mode": mode,
        "format": fmt,
        "triples": triples,
        "seconds": round(seconds, 2),
        "wall_seconds": round(time.perf_counter() - wall, 2),
        "triples_per_s": round(triples / seconds),
        "peak_mb": round(peak),
        "extra_mb": round(peak - baseline),
        "bytes": out.stat().st_size,
        "serialize_seconds": round(serialize_seconds, 2),
    }


def run_child(mode: str, fmt: str, groups: int) -> dict[str, float | int | str]:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / f"out.{fmt}"
        done = subprocess.run(
            [sys.executable, __file__, "--child", mode, fmt, str(groups), str(out)],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise SystemExit(f"{mode} {fmt} failed:\n{done.stderr}")
        return json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--triples", type=int, nargs="+", default=[1_000_000, 2_000_000])
    parser.add_argument("--formats", nargs="+", default=["turtle", "nt"], choices=["turtle", "nt"])
    parser.add_argument("--skip-rdflib", action="store_true", help="only the streaming exporter")
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        mode, fmt, groups, out = args.child
        print(json.dumps(measure(mode, fmt, int(groups), Path(out))))
        return

    modes = ["stream-gen", "stream-graph"] + ([] if args.skip_rdflib else ["rdflib"])
    print(f"{'mode':13} {'format':6} {'triples':>9} {'cpu s':>8} {'triples/s':>10} ", end="")
    print(f"{'peak MB':>8} {'extra MB':>8}")
    results = []
    for target in args.triples:
        groups = max(1, target // TRIPLES_PER_GROUP)
        for fmt in args.formats:
            row: dict[str, dict[str, float | int | str]] = {}
            for mode in modes:
                r = run_child(mode, fmt, groups)
                row[mode] = r
                results.append(r)
                print(
                    f"{mode:13} {fmt:6} {r['triples']:>9} {r['seconds']:>8} {r['triples_per_s']:>10} "
                    f"{r['peak_mb']:>8} {r['extra_mb']:>8}",
                    flush=True,
                )
            if "rdflib" in row:
                speedup = float(row["rdflib"]["seconds"]) / float(row["stream-graph"]["seconds"])
                alone = float(row["rdflib"]["serialize_seconds"]) / float(row["stream-graph"]["seconds"])
                print(
                    f"  -> streaming is {speedup:.1f}x faster than rdflib on {fmt} "
                    f"({alone:.1f}x against Graph.serialize alone, not counting building the Graph)",
                    flush=True,
                )
    print(json.dumps(results))


if __name__ == "__main__":
    main()
