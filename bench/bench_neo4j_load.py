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
  cached jars into a fresh database directory (rows/s for writing the CSVs and for the import);
- real-shaped data (`--real-articles N`, issue 9): articles merged by kg.merge as `kg build` merges them, with
  hubs (a few zones, regions and buyers named by thousands of articles, so one relationship holds hundreds to
  thousands of evidence items) and firms shared between articles; a first corpus is loaded, then a second
  corpus of other articles sharing those entities and relationships (the incremental load that reads and
  rewrites long evidence lists), then the second corpus again with every text changed (replacing articles:
  their old evidence is taken out first).

Every path is reported in rows/s as well (nodes and relationships written, over the time of all the writes).

    python bench/bench_neo4j_load.py [--entities 100000] [--relations 300000] [--batch-size 5000] [--writers 4]
                                     [--real-articles 10000] [--skip-synthetic]
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

from kg.merge import merge
from kg.model import Article, CorpusGraph, DocGraph, Entity, Evidence, Mention, Relation, entity_key, stable_id
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
        f"{n_nodes / t_nodes:>7,.0f} nodes/s ({t_nodes:.1f} s), {n_rels / t_rels:>7,.0f} rels/s ({t_rels:.1f} s), "
        f"{(n_nodes + n_rels) / (t_nodes + t_rels):>7,.0f} rows/s; Python client {client:.0%} of a core; "
        f"{load_average()}"
    )
    return n_nodes / t_nodes, n_rels / t_rels


def load_average() -> str:
    return "load average {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


# ---------------------------------------------------------------------------------------------------------
# Real-shaped data: hubs, long evidence lists, a second corpus sharing entities (issue 9)

ZONES = [f"{c}江经济技术开发区" for c in "金银铜铁锡云岭沁平川安东西南北中春夏秋冬"]
REGIONS = [f"{c}阳县" for c in "沁平安东西南北中春夏秋冬金银铜铁锡云岭湖海山川河谷原野"]
BUYERS = ["比亚迪", "宁德时代", "华为", "海尔", "格力", "长安汽车", "吉利汽车", "美的集团", "中联重科", "三一重工"]
POSTS = ["董事长", "总经理", "厂长", "党工委书记", "主任"]


def _zipf(rng: random.Random, items: list[str], skew: float = 1.1) -> str:
    """A few items named by most articles (the hubs a real corpus has: one county in 2,310 articles)."""
    weights = [1.0 / (i + 1) ** skew for i in range(len(items))]
    return rng.choices(items, weights)[0]


def real_article(i: int, tag: str, version: str, rng: random.Random, firms: int) -> DocGraph:
    """One article: a zone in a region, a few firms in the zone (from a pool shared across articles), one
    supplying a big buyer, a person working for a firm, a project; relations repeated by many articles."""
    text = f"{version}第{tag}{i}篇。" + "某" * 600
    article = Article.make(f"real/{tag}/{i:06d}.txt", text, title=f"{tag}{i}")
    zone, buyer = _zipf(rng, ZONES), _zipf(rng, BUYERS)
    region = REGIONS[ZONES.index(zone)]  # a zone lies in one county: every article on it restates that
    own = [f"{'星岚蓝桥翼航元泰'[j % 8]}{rng.randrange(firms)}号材料有限公司" for j in range(rng.randint(2, 5))]
    person = f"{'韩邓唐冯蒋'[i % 5]}{'立慧雪娟斌'[rng.randrange(5)]}{i % 97}"
    project = f"{own[0]}年产{rng.randrange(1, 50)}万吨项目"
    specs = [("DevelopmentZone", zone, {}), ("Region", region, {}), ("Company", buyer, {}),
             ("Person", person, {"title": rng.choice(POSTS)}), ("Project", project, {"investment_cny": 10**8})]
    specs += [("Company", firm, {"jobs": 100 + rng.randrange(900)}) for firm in own]
    ents = {name: Entity(stable_id("E", entity_key(label, name)), label, name, (), props,
                         (Mention(10, 10 + len(name), name),)) for label, name, props in specs}  # fmt: skip

    def rel(rtype: str, head: str, tail: str, props: dict | None = None) -> Relation:  # type: ignore[type-arg]
        ev = Evidence(f"{head}与{tail}。", 20, 40, round(rng.uniform(0.5, 1.0), 3))
        return Relation(rtype, ents[head].id, ents[tail].id, props or {}, (ev,))

    rels = [rel("LOCATED_IN", zone, region), rel("SUPPLIES_TO", own[0], buyer), rel("WORKS_FOR", person, own[0]),
            rel("OPERATES", own[0], project), rel("INVESTS_IN", own[0], project, {"amount": 10**8})]
    rels += [rel("LOCATED_IN", firm, zone) for firm in own]
    rels += [rel("COOPERATES_WITH", a, b) for a, b in itertools.pairwise(own)]
    return DocGraph(article, tuple(ents.values()), tuple(rels))


def real_corpus(articles: int, tag: str, seed: int, firms: int, version: str = "") -> CorpusGraph:
    rng = random.Random(seed)
    return merge(real_article(i, tag, version, rng, firms) for i in range(articles))


def evidence_profile(graph: CorpusGraph) -> str:
    sizes = sorted(len(r.evidence) for r in graph.relations)
    hub = max(len(e.articles) for e in graph.entities)
    return (f"{len(graph.articles):,} articles, {len(graph.entities):,} entities (largest hub in {hub:,} articles), "
            f"{len(graph.relations):,} relations, evidence items per relation: median {sizes[len(sizes) // 2]}, "
            f"max {sizes[-1]:,}, total {sum(sizes):,}")  # fmt: skip


def real_shaped(conn: store.Connection, articles: int, batch_size: int, writers: int) -> None:
    """First corpus, then a second sharing its entities (incremental), then the second with changed texts."""
    firms = max(50, articles // 4)
    t0 = time.perf_counter()
    first = real_corpus(articles, "A", 11, firms)
    second = real_corpus(max(1, articles // 5), "B", 12, firms)
    changed = real_corpus(max(1, articles // 5), "B", 12, firms, version="改")
    print(f"real-shaped:    built in {time.perf_counter() - t0:.1f} s (kg.merge)")
    print(f"  first corpus:  {evidence_profile(first)}")
    print(f"  second corpus: {evidence_profile(second)}")
    store.clear(conn)
    timed_load("real: first", first, conn, batch_size, writers)
    timed_load("real: second", second, conn, batch_size, writers)
    t = time.perf_counter()
    result = store.load(changed, conn, batch_size=batch_size, writers=writers)
    rows = store.graph_rows(changed)
    n = len(rows.articles) + sum(len(v) for v in rows.entities.values()) + len(rows.mentions)
    n += sum(len(v) for v in rows.relations.values())
    took = time.perf_counter() - t
    print(f"{'real: replace:':<15} {len(result.replaced):,} articles replaced, {n:,} rows in {took:.1f} s = "
          f"{n / took:,.0f} rows/s (old shares taken out, then written); {load_average()}")  # fmt: skip


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
        print(f"csv write:      {rows:>9,} rows in {t1 - t0:6.2f} s = {rate:>10,.0f} rows/s ({size / 1e6:.0f} MB); "
              f"{load_average()}")  # fmt: skip
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
            f"= {rows / (t3 - t2):>10,.0f} rows/s (incl. JVM start); with the CSV writing before it "
            f"{rows / (t3 - t0):,.0f} rows/s over {t3 - t0:.1f} s; {load_average()}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entities", type=int, default=100_000)
    parser.add_argument("--relations", type=int, default=300_000)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--batch-size", type=int, default=store.DEFAULT_BATCH_SIZE)
    parser.add_argument("--writers", type=int, default=store.DEFAULT_WRITERS)
    parser.add_argument("--naive-sample", type=int, default=1000)
    parser.add_argument("--real-articles", type=int, default=10_000, help="0: skip the real-shaped loads")
    parser.add_argument("--skip-synthetic", action="store_true", help="only the real-shaped loads")
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
        if args.skip_synthetic:
            real_shaped(conn, args.real_articles, args.batch_size, args.writers)
            return 0
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
        if args.real_articles:  # after the synthetic loads: the server's JIT has warmed up by then
            real_shaped(conn, args.real_articles, args.batch_size, args.writers)
    finally:
        if started is not None:
            server.stop(started.home)
        if tmp is not None:
            tmp.cleanup()
    lib = server.lib_dir(server.ServerConfig())
    csv_path(graph, lib if (lib / ".complete").is_file() else None)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"client peak RSS: {peak:,.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
