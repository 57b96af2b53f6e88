"""How `kg stats` (kg.analytics) and `kg viz` scale: seconds and page size for synthetic graphs.

For each size: kg.analytics.stats (networkx; betweenness dominates), writing the HTML view, and the time
headless Chromium needs to load the page, lay the graph out and draw it (launch time of an empty page
subtracted), when Debian's chromium is installed.

    python bench/bench_viz_analytics.py [--sizes 500 2000 5000]
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from kg import analytics
from kg.model import Article, CorpusGraph, Entity, Evidence, Relation, stable_id
from kg.schema import RELATION_TYPES
from kg.viz import write_html

FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


def synthetic_graph(n_entities: int, seed: int = 7) -> CorpusGraph:
    """About two relations per entity, typed as the schema allows, spread over articles of 50 entities."""
    rng = random.Random(seed)
    n_articles = max(1, n_entities // 50)
    articles = tuple(
        Article(stable_id("A", str(i)), f"synthetic/{i:04d}.txt", f"第{i}篇", "某" * 400) for i in range(n_articles)
    )
    labels = ["Company"] * 5 + [
        "DevelopmentZone",
        "Park",
        "Organization",
        "Person",
        "Product",
        "Project",
        "Region",
    ]
    entities = [
        Entity(stable_id("E", str(i)), label, f"{label}{i}号", (), {}, (), (articles[i % n_articles].id,))
        for i, label in ((i, rng.choice(labels)) for i in range(n_entities))
    ]
    by_label: dict[str, list[Entity]] = {}
    for ent in entities:
        by_label.setdefault(ent.label, []).append(ent)
    relations: dict[str, Relation] = {}
    types = list(RELATION_TYPES.values())
    while len(relations) < 2 * n_entities:
        rtype = rng.choice(types)
        heads = [e for label in rtype.heads for e in by_label.get(label, [])[:1]]
        if not heads:
            continue
        head = rng.choice(by_label[rng.choice([h.label for h in heads])])
        tail_label = rng.choice([t for t in rtype.tails if by_label.get(t)])
        tail = rng.choice(by_label[tail_label])
        if head.id == tail.id:
            continue
        article = head.articles[0]
        rel = Relation(rtype.name, head.id, tail.id, {}, (Evidence(f"{head.name}与{tail.name}。", 0, 9, 0.9, article),))
        relations[rel.id] = rel
    return CorpusGraph(
        articles,
        tuple(sorted(entities, key=lambda e: e.id)),
        tuple(sorted(relations.values(), key=lambda r: r.id)),
    )


def chromium_seconds(url: str) -> float:
    binary = shutil.which("chromium")
    assert binary
    with tempfile.TemporaryDirectory() as profile:
        started = time.perf_counter()
        subprocess.run(
            [binary, *FLAGS, f"--user-data-dir={profile}", "--dump-dom", url],
            capture_output=True, timeout=600, check=True,
        )  # fmt: skip
        return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 2000, 5000])
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kg-bench-viz-"))
    baseline = None
    if shutil.which("chromium"):
        empty = work / "empty.html"
        empty.write_text("<!DOCTYPE html><p>empty</p>", encoding="utf-8")
        baseline = min(chromium_seconds(empty.as_uri()) for _ in range(2))
        print(f"chromium launch + empty page: {baseline:.2f} s")
    print(f"{'entities':>8} {'relations':>9} {'stats s':>8} {'html s':>7} {'html MB':>8} {'draw s':>7}")
    for size in args.sizes:
        graph = synthetic_graph(size)
        started = time.perf_counter()
        analytics.stats(graph)
        stats_s = time.perf_counter() - started
        started = time.perf_counter()
        page = write_html(graph, work / f"graph-{size}.html")
        html_s = time.perf_counter() - started
        draw = "-"
        if baseline is not None:
            draw = f"{chromium_seconds(page.as_uri()) - baseline:.2f}"
        print(
            f"{len(graph.entities):>8} {len(graph.relations):>9} {stats_s:>8.2f} {html_s:>7.2f} "
            f"{page.stat().st_size / 1e6:>8.2f} {draw:>7}"
        )
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
