"""The corpus graph in Neo4j: constraints, batched `UNWIND … MERGE` writes, and per-article replace/unload.

Graph model (the Cypher library and the README rely on it):
- `(:Entity:<Label> {id, name, aliases, articles, <figures>, title, role})`, one node per corpus entity;
- `(:Article {id, source, doc, title, chars})`;
- `(e)-[:MENTIONED_IN {starts, ends, texts}]->(a)` for every article that contributes to `e`;
- `(h)-[:<TYPE> {id, amount, title, confidence, evidence_articles, evidence_sentences, evidence_starts,
  evidence_ends, evidence_confidences}]->(t)`, one relationship per corpus relation, evidence lists aligned.

Every entity holds a MENTIONED_IN to each article that supports it or one of its relations, so an article's
whole contribution is reachable from its node: replacing or unloading an article touches only its
neighbourhood. Labels, types and property keys come from kg.schema; every value is a query parameter.
"""

from __future__ import annotations

import contextlib
import logging
import random
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from neo4j.exceptions import DriverError, Neo4jError

from kg.collector import gc_paused
from kg.errors import GraphFormatError, StoreError, shown
from kg.model import CorpusGraph
from kg.schema import ENTITY_LABELS, ENTITY_PROPS, RELATION_PROPS, RELATION_TYPES, check_label

# Re-exported: callers have always found these here.
from kg.store.connection import (  # noqa: F401
    DEFAULT_BATCH_SIZE,
    DEFAULT_DATABASE,
    DEFAULT_URI,
    DEFAULT_USER,
    DEFAULT_WRITERS,
    Connection,
)
from kg.store.partition import disjoint_rounds, even_lanes

FULLTEXT_INDEX = "entity_names"
START_HINT = "start one with `kg neo4j start` (or `docker compose up -d`)"

EVIDENCE_KEYS = ("articles", "sentences", "starts", "ends", "confidences")
_DRIVER_ERRORS: tuple[type[Exception], ...] = (DriverError, Neo4jError, OSError)

# The driver logs each retry as a warning; with no handler configured Python would print those to stderr
# next to our own one-line error. Applications that configure logging still see them.
logging.getLogger("neo4j").addHandler(logging.NullHandler())


# ---------------------------------------------------------------------------------------------------------
# Schema: constraints and indexes, generated from kg.schema


def _snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() and i else c.lower() for i, c in enumerate(name))


def schema_statements() -> list[str]:
    """Every constraint and index kg needs, each `IF NOT EXISTS` so running them again changes nothing."""
    statements = [
        "CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE",
        "CREATE CONSTRAINT article_id IF NOT EXISTS FOR (n:Article) REQUIRE n.id IS UNIQUE",
        "CREATE INDEX article_source IF NOT EXISTS FOR (n:Article) ON (n.source)",
        "CREATE INDEX entity_name IF NOT EXISTS FOR (n:Entity) ON (n.name)",
    ]
    statements += [
        f"CREATE INDEX {_snake(label)}_name IF NOT EXISTS FOR (n:{label}) ON (n.name)" for label in ENTITY_LABELS
    ]
    statements += [
        f"CREATE CONSTRAINT {name.lower()}_id IF NOT EXISTS FOR ()-[r:{name}]-() REQUIRE r.id IS UNIQUE"
        for name in RELATION_TYPES
    ]
    # The CJK analyzer indexes Chinese as overlapping bigrams, so 元泰 finds 元泰高导材料（山西）有限公司.
    statements.append(
        f"CREATE FULLTEXT INDEX {FULLTEXT_INDEX} IF NOT EXISTS FOR (n:Entity) ON EACH [n.name, n.aliases] "
        "OPTIONS {indexConfig: {`fulltext.analyzer`: 'cjk'}}"
    )
    return statements


def constraints_cypher() -> str:
    """The text of schema/constraints.cypher (a test proves the file in the repository equals it)."""
    header = (
        "// Generated from kg/schema.py by kg.store.neo4j.constraints_cypher(); do not edit by hand.\n"
        "// `kg load` runs these itself; run them with cypher-shell to prepare a database by hand.\n"
    )
    return header + "".join(f"{stmt};\n" for stmt in schema_statements())


# ---------------------------------------------------------------------------------------------------------
# Rows: the corpus graph as parameter lists, one list per query


@dataclass(frozen=True)
class Rows:
    """The corpus graph flattened into the parameter rows the write queries take."""

    articles: list[dict[str, Any]]
    entities: dict[str, list[dict[str, Any]]]  # label → rows
    mentions: list[dict[str, Any]]
    relations: dict[str, list[dict[str, Any]]]  # type → rows
    article_entities: dict[str, list[str]]  # article id → ids of the entities it contributes to
    article_relations: dict[str, list[str]]  # article id → ids of the relations it supports


def _value(value: Any) -> Any:
    """Neo4j takes int, float, str, bool and lists of them; anything else is a malformed graph."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    raise GraphFormatError(f"property value {value!r} is not a number or a string")




def graph_rows(graph: CorpusGraph) -> Rows:
    """Flatten `graph`, attributing every entity to each article that supports it or one of its relations."""
    with gc_paused():
        return _graph_rows(graph)


def _graph_rows(graph: CorpusGraph) -> Rows:
    only = graph.articles[0].id if len(graph.articles) == 1 else ""
    known_articles = {a.id for a in graph.articles}

    def article_of(article: str, what: str) -> str:
        article = article or only
        if article not in known_articles:
            raise GraphFormatError(f"{what} refers to article {article!r}, which is not in the graph")
        return article

    contrib: dict[str, set[str]] = defaultdict(set)
    for ent in graph.entities:
        check_label(ent.label)
        contrib[ent.id].update(article_of(a, f"entity {ent.id}") for a in ent.articles)
        contrib[ent.id].update(article_of(m.article, f"entity {ent.id}") for m in ent.mentions)

    relations: dict[str, list[dict[str, Any]]] = defaultdict(list)
    article_relations: dict[str, list[str]] = defaultdict(list)
    for rel in graph.relations:
        rid = rel.id  # a hash: computed once
        if rel.type not in RELATION_TYPES:
            raise GraphFormatError(f"relation {rid} has unknown type {rel.type!r}")
        if rel.head not in contrib or rel.tail not in contrib:
            raise GraphFormatError(f"relation {rid} points at an entity that is not in the graph")
        evidence = sorted(rel.evidence, key=lambda e: article_of(e.article, f"relation {rid}"))
        row: dict[str, Any] = {"id": rid, "head": rel.head, "tail": rel.tail}
        row.update({key: _value(rel.props.get(key)) for key in RELATION_PROPS})
        row["articles"] = [e.article or only for e in evidence]
        row["sentences"] = [e.sentence for e in evidence]
        row["starts"] = [e.start for e in evidence]
        row["ends"] = [e.end for e in evidence]
        row["confidences"] = [float(e.confidence) for e in evidence]
        relations[rel.type].append(row)
        for article in set(row["articles"]):
            article_relations[article].append(rid)
            contrib[rel.head].add(article)
            contrib[rel.tail].add(article)

    entities: dict[str, list[dict[str, Any]]] = defaultdict(list)
    mentions: list[dict[str, Any]] = []
    article_entities: dict[str, list[str]] = defaultdict(list)
    for ent in graph.entities:
        articles = sorted(contrib[ent.id])
        if not articles:
            raise GraphFormatError(f"entity {ent.id} ({ent.name}) belongs to no article")
        row = {"id": ent.id, "name": ent.name, "aliases": list(ent.aliases), "articles": articles}
        row.update({key: _value(ent.props.get(key)) for key in ENTITY_PROPS})
        entities[ent.label].append(row)
        by_article: dict[str, list[tuple[int, int, str]]] = {a: [] for a in articles}
        for m in sorted(ent.mentions, key=lambda m: (m.article, m.start, m.end)):
            by_article[m.article or only].append((m.start, m.end, m.text))
        for article, spans in by_article.items():
            mentions.append(
                {
                    "entity": ent.id,
                    "article": article,
                    "starts": [s for s, _, _ in spans],
                    "ends": [e for _, e, _ in spans],
                    "texts": [t for _, _, t in spans],
                }
            )
            article_entities[article].append(ent.id)

    article_rows = [
        {"id": a.id, "source": a.source, "doc": a.doc, "title": a.title, "chars": len(a.text)} for a in graph.articles
    ]
    return Rows(
        article_rows,
        dict(entities),
        mentions,
        dict(relations),
        dict(article_entities),
        dict(article_relations),
    )


# ---------------------------------------------------------------------------------------------------------
# Queries: built from schema names only; data always travels as $parameters

_UPSERT_ARTICLES = """
UNWIND $rows AS row
MERGE (a:Article {id: row.id})
SET a.source = row.source, a.doc = row.doc, a.title = row.title, a.chars = row.chars
"""

_UPSERT_MENTIONS = """
UNWIND $rows AS row
MATCH (e:Entity {id: row.entity})
MATCH (a:Article {id: row.article})
MERGE (e)-[m:MENTIONED_IN]->(a)
SET m.starts = row.starts, m.ends = row.ends, m.texts = row.texts
"""


def _upsert_entities(label: str) -> str:
    """Articles of this load replace their own share of `e.articles`; other articles' shares stay, first.

    The list is not sorted in Cypher: an `ORDER BY` inside a COLLECT subquery needs transaction memory far
    beyond the list's size (a zone named by 3,700 articles overran the server's 512 MB limit on its own row).
    Each load's ids come sorted from the client, so a graph loaded at once holds them sorted, and loading
    the same input again changes nothing.
    """
    check_label(label)
    props = ", ".join(f"e.{key} = row.{key}" for key in ENTITY_PROPS)
    return f"""
UNWIND $rows AS row
MERGE (e:Entity {{id: row.id}})
SET e:{label}, e.name = row.name, e.aliases = row.aliases, {props},
    e.articles = [x IN coalesce(e.articles, []) WHERE NOT x IN $articles] + row.articles
"""


def _upsert_relations(rtype: str) -> str:
    """Evidence from articles of this load replaces theirs; evidence from other articles stays.

    A relationship the batch creates takes its row (it has no old items). For one that exists, each list is
    read once into a variable and the items of other articles (`keep`: the positions whose article is not
    in this load) are picked from the variables: indexing `r.evidence_x[i]` inside the write would read the
    stored list again for every item, quadratic in a relationship's evidence (a hub stated by thousands of
    articles).
    """
    if rtype not in RELATION_TYPES:
        raise ValueError(f"unknown relation type {rtype!r}")
    props = ", ".join(f"r.{key} = row.{key}" for key in RELATION_PROPS)
    best = "reduce(best = 0.0, c IN {} | CASE WHEN c > best THEN c ELSE best END)"
    old = ", ".join(f"r.evidence_{k} AS old_{k}" for k in EVIDENCE_KEYS[1:])
    merged = ", ".join(f"r.evidence_{k} = [i IN keep | old_{k}[i]] + row.{k}" for k in EVIDENCE_KEYS)
    return f"""
UNWIND $rows AS row
MATCH (h:Entity {{id: row.head}})
MATCH (t:Entity {{id: row.tail}})
MERGE (h)-[r:{rtype} {{id: row.id}}]->(t)
WITH row, r, coalesce(r.evidence_articles, []) AS old_articles, {old}
WITH row, r, old_articles, {", ".join(f"old_{k}" for k in EVIDENCE_KEYS[1:])},
     [i IN range(0, size(old_articles) - 1) WHERE NOT old_articles[i] IN $articles] AS keep
SET {props}, {merged},
    r.confidence = {best.format("[i IN keep | old_confidences[i]] + row.confidences")}
"""


# An article's share of relations: its evidence items; of entities: its MENTIONED_IN and its id in `articles`.
# Whatever is left with no article is deleted. Each item names an article and what the graph being loaded
# still holds of it (`keep_*`). Rows are grouped per relationship / entity first, so one that several
# articles of a batch share is rewritten once, from all of them.
_REMOVE_RELATION_EVIDENCE = """
UNWIND $items AS item
MATCH (:Article {id: item.article})<-[:MENTIONED_IN]-(:Entity)-[r]->(:Entity)
WHERE item.article IN r.evidence_articles AND NOT r.id IN item.keep_relations
WITH r, collect(DISTINCT item.article) AS gone
WITH r, gone, r.evidence_articles AS a, r.evidence_sentences AS s, r.evidence_starts AS st, r.evidence_ends AS en,
     r.evidence_confidences AS c
WITH r, a, s, st, en, c, [i IN range(0, size(a) - 1) WHERE NOT a[i] IN gone] AS keep
WITH r, [i IN keep | a[i]] AS articles, [i IN keep | s[i]] AS sentences, [i IN keep | st[i]] AS starts,
     [i IN keep | en[i]] AS ends, [i IN keep | c[i]] AS confidences
SET r.evidence_articles = articles, r.evidence_sentences = sentences, r.evidence_starts = starts,
    r.evidence_ends = ends, r.evidence_confidences = confidences,
    r.confidence = reduce(best = 0.0, c IN confidences | CASE WHEN c > best THEN c ELSE best END)
WITH r WHERE size(r.evidence_articles) = 0
DELETE r
RETURN count(r) AS deleted
"""

_REMOVE_ENTITY_SHARE = """
UNWIND $items AS item
MATCH (:Article {id: item.article})<-[m:MENTIONED_IN]-(e:Entity)
WHERE NOT e.id IN item.keep_entities
WITH e, collect(m) AS links, collect(DISTINCT item.article) AS gone
FOREACH (m IN links | DELETE m)
SET e.articles = [x IN e.articles WHERE NOT x IN gone]
WITH e WHERE size(e.articles) = 0
DETACH DELETE e
RETURN count(e) AS deleted
"""

_DELETE_ARTICLES = "UNWIND $items AS item MATCH (a:Article {id: item.article}) DETACH DELETE a"


# ---------------------------------------------------------------------------------------------------------
# Driver plumbing: one place that turns driver failures into one-line StoreErrors


def _store_error(error: BaseException, conn: Connection, during: str = "") -> StoreError:
    from neo4j.exceptions import (
        AuthError,
        ClientError,
        ConfigurationError,
        ServiceUnavailable,
        SessionExpired,
    )

    if isinstance(error, AuthError) or getattr(error, "code", "") == "Neo.ClientError.Security.Unauthorized":
        if not conn.password:
            return StoreError(
                f"Neo4j at {conn.uri} wants a password for user {shown(conn.user)!r} and none is set: "
                "export NEO4J_PASSWORD=… (or pass --password)"
            )
        return StoreError(
            f"Neo4j at {conn.uri} refused the credentials of user {conn.user!r}: wrong password? "
            "Check --password / NEO4J_PASSWORD"
        )
    if isinstance(error, ServiceUnavailable | SessionExpired | OSError):
        if during:
            return StoreError(
                f"Neo4j at {conn.uri} stopped answering in the middle of the load ({during}); every batch "
                "is its own transaction, so run the same command again once the server is back to finish it"
            )
        return StoreError(f"cannot reach Neo4j at {conn.uri}: is it running? {START_HINT}")
    if isinstance(error, ConfigurationError | ValueError):
        return StoreError(f"invalid Neo4j connection settings for {conn.uri}: {error}")
    code = getattr(error, "code", "") or ""
    if code == "Neo.ClientError.Database.DatabaseNotFound":
        return StoreError(f"Neo4j at {conn.uri} has no database {conn.database!r}: check --database / NEO4J_DATABASE")
    message = getattr(error, "message", None) or str(error)
    first = str(message).strip().splitlines()[0] if str(message).strip() else type(error).__name__
    kind = "rejected a query" if isinstance(error, ClientError) else "failed"
    return StoreError(f"Neo4j at {conn.uri} {kind}{f' ({during})' if during else ''}: {first}")


BOLT_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")


def check_uri(uri: str) -> None:
    """kg speaks Bolt; an http:// URI (Neo4j Browser's address) would send the driver looking for an HTTP
    client it does not have, with a 60-line traceback."""
    scheme, sep, rest = uri.partition("://")
    if not sep or scheme.lower() not in BOLT_SCHEMES:
        hint = ""
        if scheme.lower() in ("http", "https"):
            host = rest.split("/", 1)[0].rsplit(":", 1)[0] or "localhost"
            hint = f" ({shown(uri)} is Neo4j Browser's address; Bolt is usually bolt://{host}:7687)"
        raise StoreError(f"--uri {shown(uri)}: use a bolt:// or neo4j:// URI{hint}")


@contextlib.contextmanager
def connect(conn: Connection, retry_seconds: float = 15.0) -> Iterator[Any]:
    """A verified driver: a server that is down or refuses the password fails here, in one line."""
    from neo4j import GraphDatabase

    check_uri(conn.uri)
    try:
        driver = GraphDatabase.driver(
            conn.uri,
            auth=(conn.user, conn.password),
            max_transaction_retry_time=retry_seconds,
            connection_timeout=10.0,
            connection_acquisition_timeout=30.0,
        )
    except (DriverError, Neo4jError, ValueError) as e:
        raise _store_error(e, conn) from None
    try:
        try:
            # Neither call retries: a server that is down or refuses the password fails at once. The query
            # proves the database exists.
            driver.verify_connectivity()
            with driver.session(database=conn.database) as session:
                session.run("RETURN 1").consume()
        except _DRIVER_ERRORS as e:
            raise _store_error(e, conn) from None
        yield driver
    finally:
        driver.close()


def verify(conn: Connection) -> None:
    """Connect, authenticate and reach the database, or fail in one line: done before long work (extraction)."""
    with connect(conn):
        pass


def _write(session: Any, query: str, **params: Any) -> list[dict[str, Any]]:
    def work(tx: Any) -> list[dict[str, Any]]:
        return [record.data() for record in tx.run(query, params)]

    return list(session.execute_write(work))


DEADLOCK = "Neo.TransientError.Transaction.DeadlockDetected"
DEADLOCK_RETRIES = 8


def _write_batches(session: Any, batches: Sequence[WriteBatch], articles: list[str]) -> None:
    """Several batches (of different queries) in one transaction, retried as a whole.

    Lanes touch disjoint nodes, yet on a graph that already holds relationships they still deadlock now and
    then: creating a relationship locks a neighbour in each end node's relationship chain, and that neighbour
    can link a node of this lane to one of another lane. The server rolls one of the two back; the driver
    would retry it after 1 s (doubling), a second in which the round's other lanes wait for this one (a real
    corpus: 3 deadlocks, 6.4k rels/s instead of 13k). A deadlock is retried at once, after a few milliseconds;
    any other failure goes to the driver's managed retry.
    """

    def work(tx: Any) -> None:
        for batch in batches:
            tx.run(batch.query, rows=list(batch.rows), articles=articles).consume()

    for attempt in range(DEADLOCK_RETRIES):
        try:
            with session.begin_transaction() as tx:
                work(tx)
                tx.commit()
            return
        except Neo4jError as e:
            if e.code != DEADLOCK:
                if not e.is_retryable():
                    raise
                break
            time.sleep(random.uniform(0.005, 0.02) * (attempt + 1))
        except DriverError as e:
            if not e.is_retryable():
                raise
            break
    session.execute_write(work)


def _batches(rows: Sequence[dict[str, Any]], size: int) -> Iterator[Sequence[dict[str, Any]]]:
    for i in range(0, len(rows), size):
        yield rows[i : i + size]


def ensure_schema(conn: Connection) -> None:
    """Create kg's constraints and indexes (idempotent) and wait until they are online."""
    with connect(conn) as driver, driver.session(database=conn.database) as session:
        _ensure_schema(session, conn)


def _ensure_schema(session: Any, conn: Connection) -> None:
    try:
        existing = {r["name"] for r in session.run("SHOW INDEXES YIELD name RETURN name")}
        existing |= {r["name"] for r in session.run("SHOW CONSTRAINTS YIELD name RETURN name")}
        for stmt in schema_statements():
            name = stmt.split(" IF NOT EXISTS", 1)[0].rsplit(" ", 1)[-1]
            if name not in existing:
                session.run(stmt).consume()
        session.run("CALL db.awaitIndexes(300)").consume()
    except _DRIVER_ERRORS as e:
        raise _store_error(e, conn, "creating constraints and indexes") from None


# ---------------------------------------------------------------------------------------------------------
# Load and unload


@dataclass(frozen=True)
class LoadResult:
    articles: int
    entities: int
    relations: int
    mentions: int
    replaced: tuple[str, ...]  # ids of older versions of the loaded articles that were replaced
    batches: int
    seconds: float


@dataclass(frozen=True)
class UnloadResult:
    article: str
    source: str
    entities_deleted: int
    relations_deleted: int


def _remove_shares(
    session: Any, items: list[dict[str, Any]], delete_articles: bool, batch_size: int = DEFAULT_BATCH_SIZE
) -> tuple[int, int]:
    """Take articles' shares out of the graph, a transaction per group of articles; return the numbers of
    entities and relations deleted. `items`: {article, keep_entities, keep_relations}."""

    def work(tx: Any, group: list[dict[str, Any]]) -> tuple[int, int]:
        rels = tx.run(_REMOVE_RELATION_EVIDENCE, items=group).single()
        ents = tx.run(_REMOVE_ENTITY_SHARE, items=group).single()
        if delete_articles:
            tx.run(_DELETE_ARTICLES, items=group).consume()
        return (int(ents["deleted"]) if ents else 0, int(rels["deleted"]) if rels else 0)

    entities = relations = 0
    group: list[dict[str, Any]] = []
    size = 0
    for item in [*items, None]:
        if item is not None:
            group.append(item)
            size += 1 + len(item["keep_entities"]) + len(item["keep_relations"])
        if group and (item is None or size >= batch_size):
            ents, rels = session.execute_write(work, group)
            entities, relations = entities + ents, relations + rels
            group, size = [], 0
    return entities, relations


def _item(article: str, rows: Rows | None = None) -> dict[str, Any]:
    return {
        "article": article,
        "keep_entities": rows.article_entities.get(article, []) if rows else [],
        "keep_relations": rows.article_relations.get(article, []) if rows else [],
    }


@dataclass(frozen=True)
class WriteBatch:
    """One transaction's worth of rows for one write query."""

    query: str
    rows: Sequence[dict[str, Any]]


def _transactions(batches: Sequence[WriteBatch], batch_size: int) -> Iterator[list[WriteBatch]]:
    """A lane's batches, consecutive ones joined into transactions of at most `batch_size` rows in all.

    A lane holds a batch per query (one per label, per relation type, mentions) and the last of each is a
    remainder; on a real corpus a lane of a later round is 7 transactions of a few hundred rows, and the
    commits cost more than the writes (124 transactions for 36k rows; joined, 40).
    """
    group: list[WriteBatch] = []
    size = 0
    for batch in batches:
        if group and size + len(batch.rows) > batch_size:
            yield group
            group, size = [], 0
        group.append(batch)
        size += len(batch.rows)
    if group:
        yield group


def _lane_batches(items: Sequence[tuple[str, dict[str, Any]]], batch_size: int) -> list[WriteBatch]:
    """A lane's rows grouped by query (first-seen order) and cut into batches."""
    by_query: dict[str, list[dict[str, Any]]] = {}
    for query, row in items:
        by_query.setdefault(query, []).append(row)
    return [WriteBatch(query, chunk) for query, rows in by_query.items() for chunk in _batches(rows, batch_size)]


def _link_nodes(item: tuple[str, dict[str, Any]]) -> tuple[tuple[str, str], ...]:
    """The nodes a MENTIONED_IN or typed relationship row locks: its two ends."""
    row = item[1]
    if "entity" in row:
        return (("entity", row["entity"]), ("article", row["article"]))
    return (("entity", row["head"]), ("entity", row["tail"]))


Rounds = list[list[list[WriteBatch]]]  # rounds → lanes → batches


@dataclass(frozen=True)
class WritePlan:
    """Node rounds (articles, entities), then link rounds (mentions, relations), which need the nodes.
    Lanes of a round touch disjoint nodes, so separate sessions can write them at once."""

    nodes: Rounds
    links: Rounds

    @property
    def rounds(self) -> Rounds:
        return self.nodes + self.links

    @staticmethod
    def count(rounds: Rounds) -> int:
        return sum(len(lane) for lanes in rounds for lane in lanes)


def write_plan(rows: Rows, batch_size: int, writers: int, link_writers: int | None = None) -> WritePlan:
    """Deal the rows out to `writers` lanes per round (kg.store.partition; relationships to `link_writers`,
    by default as many) and cut each lane into batches."""
    with gc_paused():
        return _write_plan(rows, batch_size, writers, writers if link_writers is None else link_writers)


def _write_plan(rows: Rows, batch_size: int, writers: int, link_writers: int) -> WritePlan:
    entity_queries = {label: _upsert_entities(label) for label in ENTITY_LABELS}
    relation_queries = {rtype: _upsert_relations(rtype) for rtype in RELATION_TYPES}
    nodes = [(_UPSERT_ARTICLES, row) for row in rows.articles]
    nodes += [(entity_queries[label], row) for label in ENTITY_LABELS for row in rows.entities.get(label, [])]
    links = [(_UPSERT_MENTIONS, row) for row in rows.mentions]
    links += [(relation_queries[rtype], row) for rtype in RELATION_TYPES for row in rows.relations.get(rtype, [])]

    def batched(rounds: list[list[list[tuple[str, dict[str, Any]]]]]) -> Rounds:
        return [[_lane_batches(lane, batch_size) for lane in lanes] for lanes in rounds]

    return WritePlan(
        nodes=batched(even_lanes(nodes, writers)),
        links=batched(disjoint_rounds(links, _link_nodes, link_writers, serial_below=link_writers * batch_size // 10)),
    )


class _Progress:
    """Batches written so far, counted across writer threads; reports through `on_batch`."""

    def __init__(self, total: int, on_batch: Callable[[int, int], None] | None) -> None:
        self.total, self.done, self._on_batch = total, 0, on_batch
        self._lock = threading.Lock()
        self.failed = threading.Event()  # set by the first failing lane: the others stop at their next batch

    def step(self) -> None:
        with self._lock:
            self.done += 1
            if self._on_batch:
                self._on_batch(self.done, self.total)


def _write_rounds(
    driver: Any, database: str, plan: Rounds, articles: list[str], progress: _Progress, batch_size: int
) -> None:
    """Each lane in its own session and thread; a round starts when the one before has finished."""

    def write_lane(batches: list[WriteBatch]) -> None:
        try:
            with driver.session(database=database) as session:
                for group in _transactions(batches, batch_size):
                    if progress.failed.is_set():
                        return
                    _write_batches(session, group, articles)
                    for _ in group:
                        progress.step()
        except BaseException:
            progress.failed.set()
            raise

    writers = max((len(lanes) for lanes in plan), default=1)
    with ThreadPoolExecutor(max_workers=writers, thread_name_prefix="kg-writer") as pool:
        for lanes in plan:
            futures = [pool.submit(write_lane, lane) for lane in lanes]
            try:
                wait(futures)
            except BaseException:  # Ctrl-C: let running lanes stop after their current batch
                progress.failed.set()
                raise
            for future in futures:
                error = future.exception()
                if error is not None:
                    raise error


SHARED_ENTITIES = 0.25  # share of a load's new articles' entities already stored above which links go serially


def _names_stored_entities(session: Any, rows: Rows, present: set[str]) -> bool:
    """Whether the load's new articles mostly name entities the database already holds (an incremental load
    onto a graph, or articles replaced by new versions).

    Their relationships are then created at nodes that already have relationships to nodes of other lanes,
    and creating a relationship locks a neighbour in each end's relationship chain: lanes that touch
    disjoint nodes still wait on one another and deadlock. Measured on a real-shaped incremental load (2,000
    articles onto 10,000, on 2 cores), one writer for the relationships ran at 10-16k rels/s and four at
    5-14k; a second corpus of entities of its own (no shared chains) gains from four (17.6k against 12.1k).
    """
    named = sorted({e for a, ents in rows.article_entities.items() if a not in present for e in ents})
    if not named:
        return False
    stored = session.execute_read(
        lambda tx: tx.run("UNWIND $ids AS id MATCH (e:Entity {id: id}) RETURN count(e) AS n", ids=named).single()["n"]
    )
    return int(stored) > SHARED_ENTITIES * len(named)


def load(
    graph: CorpusGraph,
    conn: Connection,
    batch_size: int = DEFAULT_BATCH_SIZE,
    on_batch: Callable[[int, int], None] | None = None,
    retry_seconds: float = 15.0,
    writers: int = DEFAULT_WRITERS,
) -> LoadResult:
    """Write `graph` into Neo4j so that, for each of its articles, the database holds exactly its share.

    An article already loaded under the same source with other text is replaced (its old share goes, what
    other articles support stays); an article loaded before with the same text is reconciled, so loading
    twice changes nothing. Each batch is one managed transaction (retried on transient errors): a load cut
    off half-way is finished by running it again. `writers` sessions write at once, each on its own nodes
    (see kg.store.partition). `on_batch(done, total)` reports progress, first with 0.
    """
    if batch_size < 1:
        raise StoreError("batch size must be at least 1")
    if writers < 1:
        raise StoreError("the number of writers must be at least 1")
    started = time.perf_counter()
    rows = graph_rows(graph)
    ids = [a["id"] for a in rows.articles]
    sources = [a["source"] for a in rows.articles]
    progress = _Progress(0, on_batch)

    with connect(conn, retry_seconds) as driver, driver.session(database=conn.database) as session:
        _ensure_schema(session, conn)
        try:
            found = session.execute_read(
                lambda tx: [
                    (r["id"], r["source"])
                    for r in tx.run(
                        "MATCH (a:Article) WHERE a.id IN $ids OR a.source IN $sources "
                        "RETURN a.id AS id, a.source AS source ORDER BY id",
                        ids=ids,
                        sources=sources,
                    )
                ]
            )
            wanted = set(ids)
            replaced = tuple(sorted({aid for aid, _ in found if aid not in wanted}))
            _remove_shares(session, [_item(aid) for aid in replaced], True, batch_size)
            present = sorted({aid for aid, _ in found if aid in wanted})
            _remove_shares(session, [_item(aid, rows) for aid in present], False, batch_size)
            link_writers = 1 if _names_stored_entities(session, rows, set(present)) else writers
            plan = write_plan(rows, batch_size, writers, link_writers)
            progress.total = WritePlan.count(plan.rounds)
            if on_batch:
                on_batch(0, progress.total)
            # Only articles the database already holds can have items to replace in a stored list (an
            # article's node is written before any of its evidence): a load of new articles passes none,
            # so no stored item is tested against thousands of ids.
            _write_rounds(driver, conn.database, plan.rounds, present, progress, batch_size)
        except _DRIVER_ERRORS as e:
            raise _store_error(e, conn, f"{progress.done} of {progress.total} batches written") from None
    return LoadResult(
        articles=len(rows.articles),
        entities=sum(len(v) for v in rows.entities.values()),
        relations=sum(len(v) for v in rows.relations.values()),
        mentions=len(rows.mentions),
        replaced=replaced,
        batches=progress.total,
        seconds=time.perf_counter() - started,
    )


def unload(article: str, conn: Connection) -> UnloadResult:
    """Remove one article's share: by article id, by the source path it was loaded from, or by file name."""
    # An article is known by its source: the resolved path of its file (kg.io), whatever spelling of the path
    # the user gives now, or the --source name it was given.
    candidates = [article]
    with contextlib.suppress(OSError, RuntimeError, ValueError):
        candidates.append(str(Path(article).resolve()))
    with connect(conn) as driver, driver.session(database=conn.database) as session:
        try:
            found = session.execute_read(
                lambda tx: [
                    (r["id"], r["source"])
                    for r in tx.run(
                        "MATCH (a:Article) WHERE a.id = $article OR a.source IN $candidates "
                        "RETURN a.id AS id, a.source AS source ORDER BY id",
                        article=article,
                        candidates=candidates,
                    )
                ]
            )
            if not found:
                found = session.execute_read(
                    lambda tx: [
                        (r["id"], r["source"])
                        for r in tx.run(
                            "MATCH (a:Article {doc: $doc}) RETURN a.id AS id, a.source AS source ORDER BY id",
                            doc=Path(article).name,
                        )
                    ]
                )
            if not found:
                raise StoreError(
                    f"no article {shown(article)!r} in Neo4j at {conn.uri}: give its id (A…), its file path or name"
                )
            if len(found) > 1:
                choices = ", ".join(f"{aid} ({shown(src)})" for aid, src in found)
                raise StoreError(f"{shown(article)!r} names several articles: {choices}; give the article id")
            aid, source = found[0]
            entities, relations = _remove_shares(session, [_item(aid)], True)
        except _DRIVER_ERRORS as e:
            raise _store_error(e, conn, "unloading") from None
    return UnloadResult(article=aid, source=source, entities_deleted=entities, relations_deleted=relations)


@dataclass(frozen=True)
class GraphCounts:
    """What the database holds: nodes per label and relationships per type."""

    labels: dict[str, int]
    types: dict[str, int]


def graph_counts(conn: Connection) -> GraphCounts:
    with connect(conn) as driver:
        try:
            labels, _, _ = driver.execute_query(
                "MATCH (n) UNWIND labels(n) AS label RETURN label, count(*) AS n ORDER BY label",
                database_=conn.database,
            )
            types, _, _ = driver.execute_query(
                "MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS n ORDER BY type",
                database_=conn.database,
            )
        except _DRIVER_ERRORS as e:
            raise _store_error(e, conn) from None
    return GraphCounts({r["label"]: r["n"] for r in labels}, {r["type"]: r["n"] for r in types})


def expected_counts(graph: CorpusGraph) -> GraphCounts:
    """The counts `graph_counts` should report after loading `graph` into an empty database."""
    rows = graph_rows(graph)
    labels = {label: len(v) for label, v in rows.entities.items() if v}
    if rows.articles:
        labels["Article"] = len(rows.articles)
    if graph.entities:
        labels["Entity"] = len(graph.entities)
    types = {rtype: len(v) for rtype, v in rows.relations.items() if v}
    if rows.mentions:
        types["MENTIONED_IN"] = len(rows.mentions)
    return GraphCounts(dict(sorted(labels.items())), dict(sorted(types.items())))


def clear(conn: Connection, batch_size: int = 5000) -> None:
    """Delete every node and relationship (tests and benchmarks start from empty); schema stays.

    Relationships go first, then nodes, in small transactions, so a large graph fits the server's
    transaction memory limit."""
    with connect(conn) as driver, driver.session(database=conn.database) as session:
        try:
            # CALL … IN TRANSACTIONS needs an auto-commit transaction, hence session.run.
            for query in (
                "MATCH ()-[r]->() CALL (r) { DELETE r } IN TRANSACTIONS OF $size ROWS",
                "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF $size ROWS",
            ):
                session.run(query, size=batch_size).consume()
        except _DRIVER_ERRORS as e:
            raise _store_error(e, conn) from None
