"""Neo4j load throughput: batched UNWIND … MERGE vs one statement per row vs the neo4j-admin CSV import.

A synthetic corpus graph (default 100k entities, 300k relations, 1000 articles) is loaded into a Neo4j
server: the one named by NEO4J_URI/NEO4J_PASSWORD, or else a fresh local server started from the cached jars
on free ports in a temporary directory (stopped at the end). The database is cleared first. Prints:

- batched writer (kg.store.neo4j.load, `--writers` sessions at once): nodes/s and relationships/s of the
  first load, into a server that has just started (its JIT compiler still busy); the time of a no-op reload;
  then a second corpus of the same size with other ids into the same, now non-empty, database: the
  steady state of a server that runs for a while, as `kg neo4j start` leaves it;
- naive writer: one auto-commit MERGE per entity/relation on a sample, and the batched/naive ratios;
- CSV path: kg.store.neo4j_import.write_import_csvs, then `neo4j-admin database import full` run from the
  cached jars into a fresh database directory (rows/s for writing the CSVs and for the import).

    python bench/bench_neo4j_load.py [--entities 100000] [--relations 300000] [--batch-size 5000] [--writers 4]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

from kg.model import Article, CorpusGraph, Entity, Evidence, Mention, Relation, stable_id
from kg.schema import ENTITY_LABELS, RELATION_TYPES
from kg.store import neo4j as store
from kg.store import server
from kg.store.neo4j_import import import_args, write_import_csvs


def synthetic_graph(n_entities: int, n_relations: int, n_articles: int, seed: int = 7, tag: str = "") -> CorpusGraph:
    """Entities spread over articles; relations between entities of the same article, types by schema.
    Graphs with different tags share no article, entity or relation."""
    rng = random.Random(seed)
    articles = tuple(
        Article(id=stable_id("A", tag, str(i)), source=f"synthetic/{tag}{i:05d}.txt", title=f"第{i}篇", text="某" * 800)
        for i in range(n_articles)
    )
    per_article = max(1, n_entities // n_articles)
    entities: list[Entity] = []
    by_label_article: dict[tuple[str, int], list[str]] = {}
    for i in range(n_entities):
        label = ENTITY_LABELS[i % len(ENTITY_LABELS)]
        art = min(i // per_article, n_articles - 1)
        eid = stable_id("E", tag, label, str(i))
        props = {"investment_cny": rng.randrange(10**6, 10**9)} if label == "Project" else {}
        if label == "Company":
            props = {"jobs": rng.randrange(10, 5000), "capacity_t": float(rng.randrange(1000, 10**6))}
        name = f"合成{tag}{label}{i}号有限公司"
        entities.append(
            Entity(
                id=eid,
                label=label,
                name=name,
                aliases=(f"合成{i}",),
                props=props,
                mentions=(Mention(10, 10 + len(name), name, articles[art].id),),
                articles=(articles[art].id,),
            )
        )
        by_label_article.setdefault((label, art), []).append(eid)
    relations: dict[str, Relation] = {}
    types = list(RELATION_TYPES.values())
    while len(relations) < n_relations:
        rtype = types[rng.randrange(len(types))]
        art = rng.randrange(n_articles)
        heads = by_label_article.get((rng.choice(rtype.heads), art))
        tails = by_label_article.get((rng.choice(rtype.tails), art))
        if not heads or not tails:
            continue
        head, tail = rng.choice(heads), rng.choice(tails)
        if head == tail:
            continue
        props = {"amount": rng.randrange(10**6, 10**9)} if rtype.name == "INVESTS_IN" else {}
        if rtype.name == "WORKS_FOR":
            props = {"title": "厂长"}
        ev = Evidence("合成句子，用于基准测试。", 0, 12, round(rng.uniform(0.5, 1.0), 2), articles[art].id)
        rel = Relation(rtype.name, head, tail, props, (ev,))
        relations.setdefault(rel.id, rel)
    return CorpusGraph(
        articles=articles,
        entities=tuple(sorted(entities, key=lambda e: e.id)),
        relations=tuple(sorted(relations.values(), key=lambda r: r.id)),
    )


def timed_load(
    what: str, graph: CorpusGraph, conn: store.Connection, batch_size: int, writers: int
) -> tuple[float, float]:
    """Load `graph` with the batched writer, print and return (nodes/s, relationships/s) of its writes.

    Node rounds of the plan come first: stamps[0] is taken just before the first batch, stamps[i] after the
    i-th batch to finish, and link rounds start only when node rounds have finished, so the split is exact."""
    rows = store.graph_rows(graph)
    n_nodes = len(rows.articles) + sum(len(v) for v in rows.entities.values())
    n_rels = len(rows.mentions) + sum(len(v) for v in rows.relations.values())
    stamps: list[float] = []
    cpu: list[float] = []

    def stamp(done: int, total: int) -> None:
        stamps.append(time.perf_counter())
        cpu.append(time.process_time())

    plan = store.write_plan(rows, batch_size, writers)
    result = store.load(graph, conn, batch_size=batch_size, on_batch=stamp, writers=writers)
    node_batches = plan.count(plan.nodes)
    t_nodes = stamps[node_batches] - stamps[0]
    t_rels = stamps[-1] - stamps[node_batches]
    client = (cpu[-1] - cpu[0]) / (stamps[-1] - stamps[0])
    print(
        f"{what + ':':<15} batch {batch_size}, {writers} writer(s): {result.seconds:5.1f} s in all "
        f"({result.seconds - (stamps[-1] - stamps[0]):.1f} s flattening and schema checks); writes: "
        f"{n_nodes / t_nodes:>7,.0f} nodes/s ({t_nodes:.1f} s), {n_rels / t_rels:>7,.0f} rels/s ({t_rels:.1f} s); "
        f"Python client {client:.0%} of a core"
    )
    return n_nodes / t_nodes, n_rels / t_rels


def naive_load(graph: CorpusGraph, conn: store.Connection, n_entities: int, n_relations: int) -> tuple[float, float]:
    """One auto-commit statement per row, the way a first attempt often looks; returns (nodes/s, rels/s)."""
    from neo4j import GraphDatabase

    entities = graph.entities[:n_entities]
    ids = {e.id for e in entities}
    relations = [r for r in graph.relations if r.head in ids and r.tail in ids][:n_relations]
    auth = (conn.user, conn.password)
    with (
        GraphDatabase.driver(conn.uri, auth=auth) as driver,
        driver.session(database=conn.database) as session,
    ):
        if True:
            t0 = time.perf_counter()
            for e in entities:
                session.run(
                    f"MERGE (e:Entity {{id: $id}}) SET e:{e.label}, e.name = $name, e.aliases = $aliases",
                    id=e.id + "-naive",
                    name=e.name,
                    aliases=list(e.aliases),
                ).consume()
            t1 = time.perf_counter()
            for r in relations:
                session.run(
                    f"MATCH (h:Entity {{id: $head}}) MATCH (t:Entity {{id: $tail}}) "
                    f"MERGE (h)-[x:{r.type} {{id: $id}}]->(t) SET x.confidence = $confidence",
                    head=r.head + "-naive",
                    tail=r.tail + "-naive",
                    id=r.id + "-naive",
                    confidence=r.confidence,
                ).consume()
            t2 = time.perf_counter()
            session.run("MATCH (e:Entity) WHERE e.id ENDS WITH '-naive' DETACH DELETE e").consume()
    return len(entities) / (t1 - t0), (len(relations) / (t2 - t1)) if relations else 0.0


def csv_path(graph: CorpusGraph, lib: Path | None) -> None:
    with tempfile.TemporaryDirectory(prefix="kg-bench-import-") as tmp:
        out = Path(tmp) / "csv"
        t0 = time.perf_counter()
        counts = write_import_csvs(graph, out)
        t1 = time.perf_counter()
        rows = sum(counts.values())
        size = sum(f.stat().st_size for f in out.iterdir())
        rate = rows / (t1 - t0)
        print(f"csv write:      {rows:>9,} rows in {t1 - t0:6.2f} s = {rate:>10,.0f} rows/s ({size / 1e6:.0f} MB)")
        if lib is None:
            print("neo4j-admin:    skipped (no cached Neo4j jars; run `kg neo4j start` once)")
            return
        home = Path(tmp) / "home"
        config = server.ServerConfig(home=home, bolt_port=server.free_port(), http_port=server.free_port())
        server.write_conf(config)
        args = [
            "database",
            "import",
            "full",
            *import_args(out),
            f"--report-file={Path(tmp) / 'import.report'}",
            "neo4j",
        ]
        t2 = time.perf_counter()
        done = server.run_admin(config, *args)
        t3 = time.perf_counter()
        if done.returncode != 0:
            print(f"neo4j-admin:    failed: {(done.stdout + done.stderr).strip().splitlines()[-3:]}")
            return
        nodes = counts.get("articles.csv", 0) + sum(v for k, v in counts.items() if k.startswith("entities_"))
        rels = rows - nodes
        print(
            f"neo4j-admin:    {nodes:>9,} nodes + {rels:,} rels in {t3 - t2:6.2f} s "
            f"= {nodes / (t3 - t2):>10,.0f} nodes/s, {rels / (t3 - t2):>10,.0f} rels/s (incl. JVM start)"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entities", type=int, default=100_000)
    parser.add_argument("--relations", type=int, default=300_000)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--batch-size", type=int, default=store.DEFAULT_BATCH_SIZE)
    parser.add_argument("--writers", type=int, default=store.DEFAULT_WRITERS)
    parser.add_argument("--naive-sample", type=int, default=1000)
    args = parser.parse_args()

    t0 = time.perf_counter()
    with store.gc_paused():
        graph = synthetic_graph(args.entities, args.relations, args.articles)
    rows = store.graph_rows(graph)
    n_nodes = len(graph.articles) + len(graph.entities)
    n_rels = len(graph.relations) + len(rows.mentions)
    print(
        f"graph:          {n_nodes:,} nodes ({len(graph.entities):,} entities), {n_rels:,} relationships "
        f"({len(graph.relations):,} typed + {len(rows.mentions):,} MENTIONED_IN), built in "
        f"{time.perf_counter() - t0:.1f} s"
    )

    started: server.ServerConfig | None = None
    tmp = None
    if os.environ.get("NEO4J_URI"):
        conn = store.Connection.from_env()
    else:
        tmp = tempfile.TemporaryDirectory(prefix="kg-bench-neo4j-")
        started = server.ServerConfig(
            home=Path(tmp.name),
            bolt_port=server.free_port(),
            http_port=server.free_port(),
            heap="2g",
            pagecache="1g",
        )
        t = time.perf_counter()
        server.start(started, password="bench-password", die_with_parent=True)
        print(f"server:         local Neo4j {server.NEO4J_VERSION} started in {time.perf_counter() - t:.1f} s")
        conn = store.Connection(uri=started.bolt_uri, password="bench-password")
    try:
        store.clear(conn)
        store.ensure_schema(conn)
        first = timed_load("first load", graph, conn, args.batch_size, args.writers)
        counts = store.graph_counts(conn)
        assert counts == store.expected_counts(graph), "loaded counts differ from the graph"
        t = time.perf_counter()
        store.load(graph, conn, batch_size=args.batch_size, writers=args.writers)
        same = store.graph_counts(conn) == counts
        print(f"reload (no-op): {time.perf_counter() - t:6.1f} s, counts unchanged: {same}")
        with store.gc_paused():
            second = synthetic_graph(args.entities, args.relations, args.articles, seed=8, tag="B")
        warm = timed_load("second corpus", second, conn, args.batch_size, args.writers)
        both = store.expected_counts(
            CorpusGraph(
                graph.articles + second.articles, graph.entities + second.entities, graph.relations + second.relations
            )
        )
        assert store.graph_counts(conn) == both, "loaded counts differ from the two graphs"
        n = args.naive_sample
        naive_nodes, naive_rels = naive_load(graph, conn, n, n)
        print(
            f"naive writer:   sample of {n:,} entities: {naive_nodes:>8,.0f} nodes/s, "
            f"{naive_rels:>8,.0f} rels/s -> batched is {first[0] / naive_nodes:.0f}x / {warm[0] / naive_nodes:.0f}x "
            f"(nodes), {first[1] / max(naive_rels, 1):.0f}x / {warm[1] / max(naive_rels, 1):.0f}x (rels) "
            "(first load / second corpus)"
        )
    finally:
        if started is not None:
            server.stop(started.home)
        if tmp is not None:
            tmp.cleanup()
    lib = server.lib_dir(server.ServerConfig())
    csv_path(graph, lib if (lib / ".complete").is_file() else None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
