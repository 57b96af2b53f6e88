"""Shared fixtures. Paths to the project's own fixtures and to ../shared/corpus (skipped when absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED_CORPUS = ROOT.parent / "shared" / "corpus"


@pytest.fixture(scope="session")
def shared_corpus() -> Path:
    """The real articles beside the project; tests that use them skip with a message when absent."""
    if not (SHARED_CORPUS / "gold").is_dir():
        pytest.skip(f"shared corpus not found at {SHARED_CORPUS}")
    return SHARED_CORPUS


@pytest.fixture(scope="session")
def rdf_corpus():  # type: ignore[no-untyped-def]
    """A small corpus graph for the RDF tests: every relation type once, figures of both datatypes, and
    names, sentences and ids with characters that need escaping (quotes, backslash, newline, non-BMP)."""
    from kg.model import Article, CorpusGraph, Entity, Evidence, Mention, Relation

    a1 = Article.make("samples/a.txt", "金河经济技术开发区位于沁阳县。星岚公司落户东坪产业园。", '金河"经开区"')
    a2 = Article.make("C:\\news\\b.txt", "第二篇：厂长蒋斌说，\\n 不是换行。𠮷野家😀\n新行", "")
    A, B = a1.id, a2.id
    ents = [
        Entity(
            "Ezone",
            "DevelopmentZone",
            "金河经济技术开发区",
            ("金河经开区",),
            {"area_km2": 24.6},
            (Mention(0, 9, "金河经济技术开发区", A),),
            (A,),
        ),
        Entity("Eregion", "Region", "沁阳县", (), {}, (), (A,)),
        Entity(
            "Ecompany",
            "Company",
            '星岚"精密"\\材料\n（山西）\t有限公司',
            ("星岚", "𠮷😀"),
            {
                "investment_cny": 650000000,
                "jobs": 300,
                "capacity_t": 20000,
                "year_started": 2016,
                "output_value_cny": 1.265e10,
            },
            (),
            (A, B),
        ),
        Entity("Ebuyer", "Company", "比亚迪", (), {}, (), (B,)),
        Entity("Epark", "Park", "东坪产业园", (), {}, (), (A,)),
        Entity("Eperson", "Person", "蒋斌", (), {"title": "厂长"}, (), (B,)),
        Entity("Eorg", "Organization", "管委会", (), {"role": "记者"}, (), (B,)),
        Entity("Eproduct", "Product", "锂电铜箔", (), {}, (), (B,)),
        Entity("Eproject", "Project", "2 万吨项目", (), {"investment_cny": 650000000}, (), (A,)),
        Entity('E weird/"<>#%\\x', "Region", "广东东莞\u0001", (), {}, (), (B,)),
    ]
    ev = lambda text, art, start, conf=0.9: Evidence(text, start, start + len(text), conf, art)  # noqa: E731
    rels = [
        Relation("LOCATED_IN", "Ezone", "Eregion", {}, (ev("金河经济技术开发区位于沁阳县。", A, 0),)),
        Relation(
            "LOCATED_IN",
            "Ecompany",
            "Epark",
            {},
            (ev("星岚公司落户东坪产业园。", A, 15, 0.8), ev('落户"东坪"\\', B, 3, 0.75)),
        ),
        Relation("PART_OF", "Epark", "Ezone", {}, (ev("一区两园", A, 20),)),
        Relation("PART_OF", "Eorg", "Ezone", {}, (ev("管委会", B, 2),)),
        Relation("SUPPLIES_TO", "Ecompany", "Ebuyer", {}, (ev("为比亚迪供货\n", B, 5, 1.0),)),
        Relation("INVESTS_IN", "Ecompany", "Eproject", {"amount": 650000000}, (ev("总投资 6.5 亿元", A, 30),)),
        Relation("OPERATES", "Ecompany", "Eproject", {}, (ev("项目", A, 31, 0.6),)),
        Relation("PRODUCES", "Ecompany", "Eproduct", {}, (ev("生产锂电铜箔", B, 8),)),
        Relation("WORKS_FOR", "Eperson", "Ecompany", {"title": "厂长"}, (ev("厂长蒋斌", B, 4),)),
        Relation("COOPERATES_WITH", "Ecompany", "Ezone", {}, (ev("合作𠮷", B, 9, 0.5),)),
        Relation("RELOCATED_FROM", "Ecompany", 'E weird/"<>#%\\x', {}, (ev("从广东东莞搬迁", B, 12),)),
        Relation("APPROVED", "Eorg", "Eproject", {}, (ev("批复", B, 14),)),
    ]
    return CorpusGraph((a1, a2), tuple(sorted(ents, key=lambda e: e.id)), tuple(sorted(rels, key=lambda r: r.id)))


@pytest.fixture(scope="session")
def neo4j_server(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """A real Neo4j for the session: (kg.store.neo4j.Connection, Neo4j Browser URL).

    With NEO4J_URI set (and NEO4J_PASSWORD, NEO4J_USER, NEO4J_DATABASE as needed; NEO4J_BROWSER_URL for the
    Browser) the tests use that server; otherwise a local server is provisioned from Maven Central (jars
    cached in ~/.cache/kg/neo4j), started on free ports in a temporary directory and stopped when the
    session ends. Tests that load data clear the database first.
    """
    import os

    from kg.store import server
    from kg.store.neo4j import Connection

    if os.environ.get("NEO4J_URI"):
        conn = Connection.from_env()
        host = conn.uri.split("://", 1)[-1].rsplit(":", 1)[0]
        yield conn, os.environ.get("NEO4J_BROWSER_URL", f"http://{host}:7474/browser/")
        return
    config = server.ServerConfig(
        home=tmp_path_factory.mktemp("neo4j-home"),
        bolt_port=server.free_port(),
        http_port=server.free_port(),
        heap="1g",
        pagecache="256m",
    )
    password = "kg-test-password"
    server.start(config, password=password, die_with_parent=True)
    try:
        yield Connection(uri=config.bolt_uri, password=password), config.browser_url
    finally:
        server.stop(config.home)


@pytest.fixture(scope="session")
def neo4j(neo4j_server):  # type: ignore[no-untyped-def]
    """The session's Neo4j as a kg.store.neo4j.Connection (see neo4j_server)."""
    return neo4j_server[0]


@pytest.fixture(scope="session")
def neo4j_browser_url(neo4j_server) -> str:  # type: ignore[no-untyped-def]
    """The URL of Neo4j Browser on the session's server, e.g. http://127.0.0.1:PORT/browser/."""
    return str(neo4j_server[1])


@pytest.fixture(scope="session")
def sample_corpus():  # type: ignore[no-untyped-def]
    """The corpus graph kg builds from its own sample articles (kg/samples/articles), built once a session."""
    from kg.pipeline import corpus_from_input, sample_articles_dir

    return corpus_from_input(sample_articles_dir())
