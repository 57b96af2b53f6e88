"""The Neo4j loader against a real server (the session's `neo4j` fixture): counts, idempotence, per-article
replace and unload, literal storage of hostile strings, schema, and the one-line errors users see."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from synthetic import doc_graph, hub_corpus, sample_like_corpus

from kg.errors import StoreError
from kg.merge import merge
from kg.model import CorpusGraph
from kg.pipeline import corpus_from_input, sample_articles_dir
from kg.store import neo4j as store
from kg.store.server import free_port

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = 'Evil "}) DETACH DELETE n // \\\' \\" \\\\ 公司'


def snapshot(conn: store.Connection) -> tuple[list[Any], list[Any]]:
    """Everything the database holds, in a canonical order: equal snapshots mean equal graphs."""

    def canon(value: Any) -> Any:
        return tuple(value) if isinstance(value, list) else value

    with store.connect(conn) as driver:
        nodes, _, _ = driver.execute_query(
            "MATCH (n) RETURN labels(n) AS labels, properties(n) AS props", database_=conn.database
        )
        rels, _, _ = driver.execute_query(
            "MATCH (a)-[r]->(b) RETURN type(r) AS type, a.id AS head, b.id AS tail, properties(r) AS props",
            database_=conn.database,
        )
    node_rows = sorted(
        (tuple(sorted(r["labels"])), tuple(sorted((k, canon(v)) for k, v in r["props"].items()))) for r in nodes
    )
    rel_rows = sorted(
        (r["type"], r["head"], r["tail"], tuple(sorted((k, canon(v)) for k, v in r["props"].items()))) for r in rels
    )
    return node_rows, rel_rows


def independent_counts(graph: CorpusGraph) -> store.GraphCounts:
    """Counts straight from the corpus graph (not through the loader's own row building)."""
    labels = Counter(e.label for e in graph.entities)
    labels["Entity"] = len(graph.entities)
    labels["Article"] = len(graph.articles)
    types = Counter(r.type for r in graph.relations)
    pairs = {(e.id, m.article) for e in graph.entities for m in e.mentions}
    pairs |= {(e.id, a) for e in graph.entities for a in e.articles}
    types["MENTIONED_IN"] = len(pairs)
    return store.GraphCounts(dict(sorted(labels.items())), dict(sorted(types.items())))


def two_articles(changed: bool = False, hostile: bool = False) -> CorpusGraph:
    """Two articles sharing a firm; the second one's text (same source) can change, or hold hostile names."""
    firm, zone, buyer = "星岚精密材料（山西）有限公司", "金河经济技术开发区", HOSTILE if hostile else "比亚迪"
    text1 = f"{firm}落户{zone}。"
    doc1 = doc_graph(
        "news/one.txt",
        text1,
        [("Company", firm, (), {"jobs": 300}), ("DevelopmentZone", zone, (), {})],
        [("LOCATED_IN", firm, zone, {}, text1)],
    )
    if changed:
        text2 = f"{firm}与宁德时代签订合同。厂长韩立军说。"
        doc2 = doc_graph(
            "news/two.txt",
            text2,
            [
                ("Company", firm, ("星岚",), {}),
                ("Company", "宁德时代", (), {}),
                ("Person", "韩立军", (), {"title": "厂长"}),
            ],
            [
                ("COOPERATES_WITH", firm, "宁德时代", {}, f"{firm}与宁德时代签订合同。"),
                ("WORKS_FOR", "韩立军", firm, {"title": "厂长"}, "厂长韩立军说。"),
            ],
        )
    else:
        text2 = f"星岚为{buyer}供货。{firm}落户{zone}。总投资 6.5 亿元。"
        doc2 = doc_graph(
            "news/two.txt",
            text2,
            [
                ("Company", firm, ("星岚",), {}),
                ("Company", buyer, (), {}),
                ("DevelopmentZone", zone, (), {}),
                ("Project", "2 万吨项目", (), {"investment_cny": 650000000}),
            ],
            [
                ("SUPPLIES_TO", firm, buyer, {}, f"星岚为{buyer}供货。"),
                ("LOCATED_IN", firm, zone, {}, f"{firm}落户{zone}。"),
                ("INVESTS_IN", firm, "2 万吨项目", {"amount": 650000000}, "总投资 6.5 亿元。"),
            ],
        )
    return merge([doc1, doc2])


@pytest.fixture(scope="module")
def sample_graph() -> CorpusGraph:
    return corpus_from_input(sample_articles_dir())


@pytest.fixture()
def db(neo4j: store.Connection) -> store.Connection:
    store.clear(neo4j)
    return neo4j


@pytest.mark.parametrize("which", ["samples", "sample_like", "two_articles", "hostile"])
def test_load_counts_equal_the_corpus_graph(db: store.Connection, sample_graph: CorpusGraph, which: str) -> None:
    graph = {
        "samples": sample_graph,
        "sample_like": sample_like_corpus(),
        "two_articles": two_articles(),
        "hostile": two_articles(hostile=True),
    }[which]
    result = store.load(graph, db)
    assert (result.entities, result.relations) == (len(graph.entities), len(graph.relations))
    assert store.graph_counts(db) == independent_counts(graph) == store.expected_counts(graph)


@pytest.mark.parametrize("batch_size", [1, 3, 2000])
def test_loading_twice_changes_nothing(db: store.Connection, sample_graph: CorpusGraph, batch_size: int) -> None:
    store.load(sample_graph, db, batch_size=batch_size)
    first = snapshot(db)
    store.load(sample_graph, db, batch_size=batch_size)
    assert snapshot(db) == first


def test_parallel_writers_store_what_one_writer_stores(db: store.Connection) -> None:
    # Hubs (one zone, one buyer in every article) and firms shared by neighbouring articles: the rows that
    # parallel writers would fight over. The graph must not depend on how many write at once.
    graph = hub_corpus(40, 6)
    store.load(graph, db, batch_size=16, writers=1)
    serial = snapshot(db)
    store.clear(db)
    store.load(graph, db, batch_size=16, writers=4)
    assert snapshot(db) == serial
    assert store.graph_counts(db) == independent_counts(graph)
    store.load(graph, db, batch_size=16, writers=4)
    assert snapshot(db) == serial


def test_properties_and_evidence_are_stored(db: store.Connection) -> None:
    graph = two_articles()
    store.load(graph, db)
    firm = next(e for e in graph.entities if e.name.startswith("星岚精密"))
    with store.connect(db) as driver:
        node = driver.execute_query("MATCH (e:Entity:Company {id: $id}) RETURN e", id=firm.id).records[0]["e"]
        located = driver.execute_query("MATCH (:Company)-[r:LOCATED_IN]->(:DevelopmentZone) RETURN r").records
        invests = driver.execute_query("MATCH ()-[r:INVESTS_IN]->(:Project) RETURN r").records
    assert node["name"] == firm.name and node["aliases"] == ["星岚"] and node["jobs"] == 300
    assert node["articles"] == sorted(a.id for a in graph.articles)
    (rel,) = (r["r"] for r in located)
    assert rel["evidence_articles"] == sorted(a.id for a in graph.articles)
    assert len(rel["evidence_sentences"]) == len(rel["evidence_starts"]) == len(rel["evidence_confidences"]) == 2
    assert rel["confidence"] == max(rel["evidence_confidences"])
    assert invests[0]["r"]["amount"] == 650000000


def test_changed_article_replaces_its_contribution(db: store.Connection) -> None:
    before, after = two_articles(), two_articles(changed=True)
    old_two = next(a for a in before.articles if a.source == "news/two.txt")
    store.load(after, db)
    fresh = snapshot(db)
    store.clear(db)

    store.load(before, db)
    result = store.load(after, db)
    assert result.replaced == (old_two.id,)
    assert snapshot(db) == fresh
    counts = store.graph_counts(db)
    assert counts.types.get("SUPPLIES_TO", 0) == 0 and counts.types.get("INVESTS_IN", 0) == 0  # only in old text
    assert counts.types["LOCATED_IN"] == 1 and counts.labels["DevelopmentZone"] == 1  # article one still says so


@pytest.mark.parametrize("how", ["id", "source", "file name"])
def test_unload_removes_one_article_and_keeps_shared_facts(db: store.Connection, how: str) -> None:
    graph = two_articles()
    two = next(a for a in graph.articles if a.source == "news/two.txt")
    one = next(a for a in graph.articles if a.source == "news/one.txt")
    store.load(graph, db)
    name = {"id": two.id, "source": two.source, "file name": "two.txt"}[how]
    result = store.unload(name, db)
    assert result.article == two.id
    counts = store.graph_counts(db)
    assert counts.labels == {"Article": 1, "Company": 1, "DevelopmentZone": 1, "Entity": 2}
    assert counts.types == {"LOCATED_IN": 1, "MENTIONED_IN": 2}
    with store.connect(db) as driver:
        rel = driver.execute_query("MATCH ()-[r:LOCATED_IN]->() RETURN r").records[0]["r"]
        firm = driver.execute_query("MATCH (e:Company) RETURN e").records[0]["e"]
    assert rel["evidence_articles"] == [one.id] and len(rel["evidence_sentences"]) == 1
    assert firm["articles"] == [one.id]


def test_unload_of_an_unknown_article_is_an_error_and_deletes_nothing(db: store.Connection) -> None:
    store.load(two_articles(), db)
    before = snapshot(db)
    with pytest.raises(StoreError, match="no article"):
        store.unload('x"}) DETACH DELETE n //', db)
    assert snapshot(db) == before


def test_hostile_names_are_stored_literally(db: store.Connection) -> None:
    graph = two_articles(hostile=True)
    store.load(graph, db)
    with store.connect(db) as driver:
        names = [r["name"] for r in driver.execute_query("MATCH (e:Company) RETURN e.name AS name").records]
        sentences = driver.execute_query("MATCH ()-[r:SUPPLIES_TO]->() RETURN r.evidence_sentences AS s").records
    assert HOSTILE in names
    assert sentences[0]["s"] == [f"星岚为{HOSTILE}供货。"]
    assert store.graph_counts(db) == independent_counts(graph)  # nothing deleted


def test_fulltext_index_finds_entities_by_any_name(db: store.Connection) -> None:
    store.load(two_articles(), db)
    with store.connect(db) as driver:
        hits = driver.execute_query(
            f"CALL db.index.fulltext.queryNodes('{store.FULLTEXT_INDEX}', $q) YIELD node RETURN node.name AS name",
            q="星岚",
        ).records
    assert [h["name"] for h in hits][:1] == ["星岚精密材料（山西）有限公司"]


def test_constraints_and_indexes_exist(db: store.Connection) -> None:
    store.ensure_schema(db)
    store.ensure_schema(db)  # twice: IF NOT EXISTS
    with store.connect(db) as driver:
        names = {r["name"] for r in driver.execute_query("SHOW CONSTRAINTS YIELD name").records}
        names |= {r["name"] for r in driver.execute_query("SHOW INDEXES YIELD name").records}
    expected = {s.split(" IF NOT EXISTS")[0].rsplit(" ", 1)[-1] for s in store.schema_statements()}
    assert expected <= names
    assert {"entity_id", "article_id", "entity_names", "company_name", "located_in_id"} <= names


def test_schema_file_is_generated_from_the_schema() -> None:
    path = ROOT / "schema" / "constraints.cypher"
    assert path.read_text(encoding="utf-8") == store.constraints_cypher(), (
        "schema/constraints.cypher is stale: regenerate it with "
        "python -c 'from kg.store.neo4j import constraints_cypher; print(constraints_cypher(), end=\"\")' "
        "> schema/constraints.cypher"
    )


def test_server_not_running_is_a_one_line_error() -> None:
    uri = f"bolt://127.0.0.1:{free_port()}"
    with pytest.raises(StoreError) as caught:
        store.load(two_articles(), store.Connection(uri=uri, password="whatever-password"))
    message = str(caught.value)
    assert uri in message and "kg neo4j start" in message and "\n" not in message


def test_wrong_password_is_an_authentication_error(neo4j: store.Connection) -> None:
    wrong = store.Connection(uri=neo4j.uri, user=neo4j.user, password="not-the-password-123", database=neo4j.database)
    with pytest.raises(StoreError, match="refused the credentials") as caught:
        store.graph_counts(wrong)
    assert "not-the-password-123" not in str(caught.value)


def test_unknown_database_is_named(neo4j: store.Connection) -> None:
    other = store.Connection(uri=neo4j.uri, user=neo4j.user, password=neo4j.password, database="nosuchdb")
    with pytest.raises(StoreError, match="nosuchdb"):
        store.graph_counts(other)


def _kg(
    *args: str, conn: store.Connection, env_password: bool = True, stdin: str | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, NEO4J_URI=conn.uri, NEO4J_USER=conn.user, NEO4J_DATABASE=conn.database)
    env.pop("NEO4J_PASSWORD", None)
    if env_password:
        env["NEO4J_PASSWORD"] = conn.password
    return subprocess.run(
        [sys.executable, "-m", "kg", *args],
        env=env, input=stdin, cwd=cwd, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip


def test_cli_load_and_unload_articles(db: store.Connection, sample_graph: CorpusGraph) -> None:
    done = _kg("load", str(sample_articles_dir()), conn=db)
    assert done.returncode == 0, done.stderr
    assert f"loaded {len(sample_graph.articles)} articles" in done.stdout
    assert db.password not in done.stdout + done.stderr
    assert store.graph_counts(db) == independent_counts(sample_graph)
    article = sample_graph.articles[0]
    done = _kg("unload", article.id, conn=db)
    assert done.returncode == 0, done.stderr
    assert store.graph_counts(db).labels["Article"] == len(sample_graph.articles) - 1


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("--uri", "bolt://127.0.0.1:1"), "kg neo4j start"),
        (("--password", "wrong-password-1"), "refused the credentials"),
    ],
)
def test_cli_errors_are_one_line(neo4j: store.Connection, tmp_path: Path, args: tuple[str, ...], expected: str) -> None:
    graph_json = tmp_path / "graph.json"
    graph_json.write_text(__import__("json").dumps(two_articles().to_dict(), ensure_ascii=False), encoding="utf-8")
    done = _kg("load", str(graph_json), *args, conn=neo4j)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kg: error:") and expected in lines[0], done.stderr
    assert "wrong-password-1" not in done.stderr


def three_articles(changed: tuple[int, ...] = ()) -> CorpusGraph:
    """Three articles stating the same fact; those in `changed` are rewritten (same source) without it."""
    firm, zone = "星岚精密材料（山西）有限公司", "金河经济技术开发区"
    docs = []
    for i in (1, 2, 3):
        if i in changed:
            text = f"{firm}第{i}次扩产。"
            docs.append(doc_graph(f"news/{i}.txt", text, [("Company", firm, (), {})], []))
        else:
            text = f"第{i}篇：{firm}落户{zone}。"
            sentence = f"{firm}落户{zone}。"
            docs.append(
                doc_graph(
                    f"news/{i}.txt",
                    text,
                    [("Company", firm, (), {}), ("DevelopmentZone", zone, (), {})],
                    [("LOCATED_IN", firm, zone, {}, sentence)],
                )
            )
    return merge(docs)


@pytest.mark.parametrize("changed", [(2,), (2, 3), (1, 2, 3)])
@pytest.mark.parametrize("batch_size", [1, 5000])
def test_several_changed_articles_at_once(db: store.Connection, changed: tuple[int, ...], batch_size: int) -> None:
    after = three_articles(changed)
    store.load(after, db, batch_size=batch_size)
    fresh = snapshot(db)
    store.clear(db)
    store.load(three_articles(), db, batch_size=batch_size)
    result = store.load(after, db, batch_size=batch_size)
    assert len(result.replaced) == len(changed)
    assert snapshot(db) == fresh
    with store.connect(db) as driver:
        rels = driver.execute_query("MATCH ()-[r:LOCATED_IN]->() RETURN r.evidence_articles AS a").records
    assert [len(r["a"]) for r in rels] == ([3 - len(changed)] if len(changed) < 3 else [])


# ---------------------------------------------------------------------------------------------------------
# Article identity through build → load → unload (issue 10, items 1 and 2)

NEWS = "科学导报讯 近日，长平翼航智能科技有限公司入驻安平高新技术产业开发区。"
EDITED = "科学导报讯 近日，长平翼航智能科技有限公司与宁德时代签订合作协议。"


def articles_in(conn: store.Connection) -> list[tuple[str, str]]:
    with store.connect(conn) as driver:
        rows = driver.execute_query("MATCH (a:Article) RETURN a.source AS source, a.doc AS doc ORDER BY source")
    return [(r["source"], r["doc"]) for r in rows.records]


def test_stdin_loads_do_not_replace_each_other(db: store.Connection) -> None:
    first = _kg("load", "-", conn=db, stdin=NEWS)
    second = _kg("load", "-", conn=db, stdin=EDITED)
    assert first.returncode == second.returncode == 0, first.stderr + second.stderr
    assert "replaced" not in second.stdout
    assert len(articles_in(db)) == 2


def test_a_stdin_article_named_with_source_is_replaced_when_loaded_again(db: store.Connection) -> None:
    assert _kg("load", "-", "--source", "wire/a.txt", conn=db, stdin=EDITED).returncode == 0
    only_edited = snapshot(db)  # what the database holds with just the edited text
    store.clear(db)
    assert _kg("load", "-", "--source", "wire/a.txt", conn=db, stdin=NEWS).returncode == 0
    again = _kg("load", "-", "--source", "wire/a.txt", conn=db, stdin=EDITED)
    assert again.returncode == 0 and "replaced 1 older article version" in again.stdout
    assert articles_in(db) == [("wire/a.txt", "a.txt")]
    assert snapshot(db) == only_edited  # nothing of the first text is left
    assert _kg("unload", "wire/a.txt", conn=db).returncode == 0
    assert articles_in(db) == []


def test_an_edited_file_loaded_by_another_spelling_of_its_path_replaces_(db: store.Connection, tmp_path: Path) -> None:
    (tmp_path / "news").mkdir()
    article = tmp_path / "news" / "a.txt"
    article.write_text(NEWS, encoding="utf-8")
    assert _kg("load", "news/a.txt", conn=db, cwd=tmp_path).returncode == 0
    article.write_text(EDITED, encoding="utf-8")
    again = _kg("load", str(article), conn=db)
    assert again.returncode == 0 and "replaced 1 older article version" in again.stdout
    assert articles_in(db) == [(str(article.resolve()), "a.txt")]
    replaced = snapshot(db)
    store.clear(db)
    assert _kg("load", str(article), conn=db).returncode == 0
    assert snapshot(db) == replaced  # exactly the edited text's share: nothing of the old version is left


def test_files_with_identical_text_are_distinct_articles(db: store.Connection, tmp_path: Path) -> None:
    for name in ("a.txt", "b.txt", "c.txt"):
        (tmp_path / name).write_text(NEWS, encoding="utf-8")
    done = _kg("load", str(tmp_path), conn=db)
    assert done.returncode == 0 and "loaded 3 articles" in done.stdout
    assert [doc for _, doc in articles_in(db)] == ["a.txt", "b.txt", "c.txt"]
    unloaded = _kg("unload", str(tmp_path / "b.txt"), conn=db)
    assert unloaded.returncode == 0, unloaded.stderr
    assert [doc for _, doc in articles_in(db)] == ["a.txt", "c.txt"]
    with store.connect(db) as driver:
        rel = driver.execute_query("MATCH ()-[r:LOCATED_IN]->() RETURN r.evidence_articles AS a").records[0]
    assert len(rel["a"]) == 2  # the shared fact keeps the evidence of the other two


def test_the_readme_unload_works_after_build_and_load_of_the_graph(db: store.Connection, tmp_path: Path) -> None:
    """README: kg build; kg load out/graph.json; kg unload kg/samples/articles/03_gbk_drone.txt (from the root)."""
    out = tmp_path / "out"
    assert _kg("build", "-q", "-o", str(out), conn=db, cwd=ROOT).returncode == 0
    assert _kg("load", str(out / "graph.json"), conn=db, cwd=ROOT).returncode == 0
    done = _kg("unload", "kg/samples/articles/03_gbk_drone.txt", conn=db, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert "03_gbk_drone.txt" not in [doc for _, doc in articles_in(db)]


# ---------------------------------------------------------------------------------------------------------
# Connection mistakes: one line, and before any extraction (item 11)


@pytest.mark.parametrize("uri", ["http://localhost:7474", "https://example.org", "localhost:7687"])
def test_a_non_bolt_uri_is_one_line(uri: str) -> None:
    with pytest.raises(StoreError, match="use a bolt:// or neo4j:// URI") as caught:
        store.graph_counts(store.Connection(uri=uri, password="whatever-password"))
    assert "\n" not in str(caught.value)


def test_cli_with_the_browser_url_says_use_bolt(tmp_path: Path, neo4j: store.Connection) -> None:
    done = _kg("load", str(sample_articles_dir()), "--uri", "http://localhost:7474", conn=neo4j)
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 2 and len(lines) == 1 and "bolt://" in lines[0] and "Browser" in lines[0]


def test_a_missing_password_is_named_as_missing(neo4j: store.Connection) -> None:
    with pytest.raises(StoreError, match="none is set: export NEO4J_PASSWORD"):
        store.graph_counts(store.Connection(uri=neo4j.uri, user=neo4j.user, password="", database=neo4j.database))


def test_load_of_articles_fails_on_a_dead_server_before_extracting(tmp_path: Path) -> None:
    """With the server down, extraction (minutes for a corpus) must not run first."""
    (tmp_path / "a.txt").write_text(NEWS, encoding="utf-8")
    dead = store.Connection(uri=f"bolt://127.0.0.1:{free_port()}", password="whatever-password")
    code = (
        "import kg.extract\n"
        "def fail(article): raise SystemExit('extraction ran')\n"
        "kg.extract.extract = fail\n"
        "from kg.cli import main; main()\n"
    )
    env = dict(os.environ, NEO4J_URI=dead.uri, NEO4J_PASSWORD=dead.password)
    done = subprocess.run([sys.executable, "-c", code, "load", str(tmp_path)], env=env, capture_output=True,
                          text=True, timeout=300, check=False)  # fmt: skip
    assert done.returncode == 2 and "cannot reach Neo4j" in done.stderr and "extraction ran" not in done.stderr


# ---------------------------------------------------------------------------------------------------------
# Hubs and long evidence lists (issue 9)


def hub_articles(first: int, count: int, tag: str = "") -> CorpusGraph:
    """`count` articles that all say the zone lies in the county (one relationship, an evidence item each),
    each with a firm of its own in the zone: a hub named by every article."""
    zone, county = "金河经济技术开发区", "沁阳县"
    docs = []
    for i in range(first, first + count):
        firm = f"岭{i}号材料有限公司"
        text = f"{tag}第{i}篇：{zone}位于{county}。{firm}落户{zone}。"
        entities = [("DevelopmentZone", zone, (), {}), ("Region", county, (), {}), ("Company", firm, (), {})]
        relations = [("LOCATED_IN", zone, county, {}, f"{zone}位于{county}。"),
                     ("LOCATED_IN", firm, zone, {}, f"{firm}落户{zone}。")]  # fmt: skip
        docs.append(doc_graph(f"hub/{i:05d}.txt", text, entities, relations))
    return merge(docs)


def test_the_write_queries_read_each_evidence_list_once() -> None:
    """Indexing a stored list (`r.evidence_x[i]`) inside the write reads it again for every item: quadratic in
    a relationship's evidence (495 rels/s on a real corpus). The lists are read once into variables."""
    import re

    from kg.schema import RELATION_TYPES

    for query in [*(store._upsert_relations(t) for t in RELATION_TYPES), store._REMOVE_RELATION_EVIDENCE]:
        assert not re.search(r"\br\.evidence_\w+\s*\[", query), query
    assert "ORDER BY" not in store._upsert_entities("Company")


@pytest.mark.parametrize("second", ["hub", "own entities"])
def test_incremental_loads_with_parallel_writers_equal_one_writer(db: store.Connection, second: str) -> None:
    """A second corpus onto a graph: sharing its hubs (relationships written by one writer, since creating
    them locks neighbours in the hubs' chains) or naming entities of its own (written in parallel). Either
    way the graph equals the one-writer load, and loading it again changes nothing."""
    first = hub_articles(0, 300)
    more = hub_articles(300, 120) if second == "hub" else hub_corpus(30, 5)
    snapshots = []
    for writers in (1, 4):
        store.clear(db)
        store.load(first, db, batch_size=50, writers=writers)
        store.load(more, db, batch_size=50, writers=writers)
        snapshots.append(snapshot(db))
        store.load(more, db, batch_size=50, writers=writers)
        assert snapshot(db) == snapshots[-1]
    assert snapshots[0] == snapshots[1]


def test_a_hub_of_thousands_of_articles_loads_incrementally(db: store.Connection) -> None:
    """4,000 articles name the zone; then 500 more, and 100 of the first rewritten: the hub's node and its
    relationship end up with exactly the articles that state them, evidence lists aligned. (Sorting the
    hub's article list inside the write needed more than the server's 512 MB of transaction memory.)"""
    first = hub_articles(0, 4000)
    store.load(first, db)
    store.load(hub_articles(4000, 500), db)
    rewritten = hub_articles(0, 100, tag="改")
    result = store.load(rewritten, db)
    assert len(result.replaced) == 100
    everything = {a.id for a in first.articles[100:]} | {a.id for a in hub_articles(4000, 500).articles}
    everything |= {a.id for a in rewritten.articles}
    with store.connect(db) as driver:
        zone = driver.execute_query("MATCH (z:DevelopmentZone) RETURN z.articles AS a").records[0]["a"]
        rel = driver.execute_query(
            "MATCH (:DevelopmentZone)-[r:LOCATED_IN]->(:Region) RETURN properties(r) AS p"
        ).records[0]["p"]
    assert sorted(zone) == sorted(everything) and len(zone) == len(set(zone))
    assert sorted(rel["evidence_articles"]) == sorted(everything)
    lists = [rel[f"evidence_{k}"] for k in store.EVIDENCE_KEYS]
    assert len({len(x) for x in lists}) == 1
    assert store.graph_counts(db).types["LOCATED_IN"] == 1 + 4500
