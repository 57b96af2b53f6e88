"""The Cypher library: headers, vocabulary, parameters, and every query run against a real Neo4j.

Each query runs twice: on a graph built in code (tests/synthetic.py, every fact known exactly) and on the
graph kg builds from its own sample articles (kg/samples/articles), whose rows must hold facts they state.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import shlex
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from synthetic import sample_like_corpus

from kg.errors import InputError
from kg.queries import (
    Query,
    bind,
    format_rows,
    library,
    parse_assignments,
    run,
    used_names,
    vocabulary_errors,
)

LIBRARY = library()
FOIL = "星岚精密材料（山西）有限公司"
ZONE = "金河经济技术开发区"

# The questions issue 5 asks for, by file.
REQUIRED = [
    "companies_in_zone",
    "projects_by_investment",
    "supply_chain",
    "supply_links",
    "people_and_posts",
    "zones_by_investment",
    "relocated_firms",
    "products_by_zone",
    "fact_evidence",
    "search_names",
    "article_contribution",
]


def test_library_holds_the_required_questions() -> None:
    assert len(LIBRARY) >= 15
    assert [name for name in REQUIRED if name not in LIBRARY] == []


@pytest.mark.parametrize("query", LIBRARY.values(), ids=list(LIBRARY))
def test_header_declares_every_parameter_and_an_example(query: Query) -> None:
    assert query.question.endswith("?")
    body = "\n".join(line for line in query.text.splitlines() if not line.startswith("//"))
    used = set(re.findall(r"\$(\w+)", body))
    assert used == {p.name for p in query.params}
    args = shlex.split(query.example)
    assert args[:3] == ["kg", "query", query.name]
    given = parse_assignments(a for prev, a in itertools.pairwise(args) if prev in ("--param", "-p"))
    bind(query, given)  # the example names real parameters with values of the right type


@pytest.mark.parametrize("query", LIBRARY.values(), ids=list(LIBRARY))
def test_query_uses_only_schema_vocabulary(query: Query) -> None:
    assert vocabulary_errors(query.text) == []


@pytest.mark.parametrize(
    ("cypher", "problem"),
    [
        ("MATCH (n:Firm) RETURN n", "unknown label or relationship type 'Firm'"),
        ("MATCH (a)-[:OWNS]->(b) RETURN a", "unknown label or relationship type 'OWNS'"),
        (
            "MATCH (a)-[:SUPPLIES_TO|BUYS_FROM*1..3]->(b) RETURN a",
            "unknown label or relationship type 'BUYS_FROM'",
        ),
        ("MATCH (n:Entity) WHERE n:Company|Vendor RETURN n", "unknown label or relationship type 'Vendor'"),
        ("MATCH (n:Company) RETURN n.revenue", "unknown property 'revenue'"),
        ("MATCH (n:Company {ticker: $t}) RETURN n", "unknown property 'ticker'"),
    ],
)
def test_vocabulary_check_catches_names_outside_the_schema(cypher: str, problem: str) -> None:
    assert problem in vocabulary_errors(cypher)


@pytest.mark.parametrize(
    "cypher",
    [
        "MATCH (n:Company {name: $n}) RETURN {name: n.name, degree: 1} AS x",
        "RETURN [x IN $list | x.name] AS names, 'n:Fake and x.fake in a string' AS s // n:Fake in a comment",
        "CALL db.index.fulltext.queryNodes('entity_names', $q) YIELD node RETURN node.name",
        "MATCH (p:Project)<-[r:INVESTS_IN]-() RETURN r.amount, r.evidence_sentences[0], p.investment_cny",
    ],
)
def test_vocabulary_check_accepts_schema_names(cypher: str) -> None:
    assert vocabulary_errors(cypher) == []


def test_used_names_reads_labels_types_and_properties() -> None:
    names, props = used_names("MATCH (c:Entity:Company)-[s:SUPPLIES_TO*1..3]->(d) WHERE d:Park RETURN c.name")
    assert names == {"Entity", "Company", "SUPPLIES_TO", "Park"}
    assert props == {"name"}


@pytest.mark.parametrize(
    ("name", "given", "expected"),
    [
        ("projects_by_investment", {}, {"limit": 20}),
        ("projects_by_investment", {"limit": "3"}, {"limit": 3}),
        ("facts_to_review", {"threshold": "0.5"}, {"threshold": 0.5, "limit": 100}),
        ("companies_in_zone", {"zone": "x=y"}, {"zone": "x=y"}),
        ("most_mentioned", {"label": "Company"}, {"label": "Company", "limit": 20}),
    ],
)
def test_bind_converts_and_fills_defaults(name: str, given: dict[str, str], expected: dict[str, Any]) -> None:
    assert bind(LIBRARY[name], given) == expected


@pytest.mark.parametrize(
    ("name", "given", "message"),
    [
        ("companies_in_zone", {}, "needs --param zone="),
        ("projects_by_investment", {"limit": "many"}, "expected int"),
        ("projects_by_investment", {"limt": "3"}, "has no parameter 'limt'"),
    ],
)
def test_bind_rejects_bad_parameters(name: str, given: dict[str, str], message: str) -> None:
    with pytest.raises(InputError, match=re.escape(message)):
        bind(LIBRARY[name], given)


def test_parse_assignments_needs_key_and_equals() -> None:
    assert parse_assignments(["a=1", "b=x=y"]) == {"a": "1", "b": "x=y"}
    with pytest.raises(InputError):
        parse_assignments(["novalue"])


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        ("table", "name  n\n----  -\n星岚  1\n(1 row)"),
        ("csv", "name,n\n星岚,1"),
        ("json", '[\n  {\n    "name": "星岚",\n    "n": 1\n  }\n]'),
    ],
)
def test_format_rows(fmt: str, expected: str) -> None:
    assert format_rows([{"name": "星岚", "n": 1}], fmt) == expected


# ---------------------------------------------------------------------------------------------------------
# Against a real Neo4j


@pytest.fixture(scope="module", params=["synthetic", "samples"])
def loaded(request: pytest.FixtureRequest, neo4j: Any, sample_corpus: Any) -> Iterator[tuple[str, Any, Any]]:
    """A database holding exactly one graph, and a driver to it."""
    from kg.store.neo4j import clear, connect, load

    clear(neo4j)
    load(sample_like_corpus() if request.param == "synthetic" else sample_corpus, neo4j)
    with connect(neo4j) as driver:
        yield request.param, driver, neo4j
    clear(neo4j)


def ask(loaded: tuple[str, Any, Any], query_name: str, **given: str) -> list[dict[str, Any]]:
    _, driver, conn = loaded
    query = LIBRARY[query_name]
    return run(query, bind(query, given), driver, database=conn.database)


def column(rows: list[dict[str, Any]], key: str) -> list[Any]:
    """The values of one column, lists flattened, so a check reads `x in column(rows, "chain")`."""
    out: list[Any] = []
    for row in rows:
        value = row[key]
        out.extend(value if isinstance(value, list) else [value])
    return out


# (query, parameters, column, a value that must appear there): facts both graphs hold.
COMMON_FACTS = [
    ("companies_in_zone", {"zone": ZONE}, "company", FOIL),
    ("companies_in_zone", {"zone": ZONE}, "park", "东坪新材料产业园"),
    ("projects_by_investment", {}, "investment_cny", 650000000),
    ("people_and_posts", {}, "title", "厂长"),
    ("people_and_posts", {}, "person", "韩立军"),
    ("zones_by_investment", {}, "output_value_cny", 12650000000),
    ("products_by_zone", {"zone": ZONE}, "product", "6 微米锂电铜箔"),
    ("fact_evidence", {"head": FOIL, "tail": "东坪新材料产业园"}, "relation", "LOCATED_IN"),
    ("search_names", {"query": "星岚"}, "name", FOIL),
    ("zone_parks", {"zone": ZONE}, "part", "柳湾物流园区"),
    ("zone_parks", {"zone": ZONE}, "companies", 1),
    ("company_profile", {"company": FOIL}, "other", "东坪新材料产业园"),
    ("approvals", {}, "approved_by", "国投集团"),
    ("project_profile", {"project": "3 万吨再生铝项目"}, "other", "国投集团"),
    ("most_mentioned", {"label": "Company"}, "label", "Company"),
    ("facts_to_review", {"threshold": "1.01"}, "relation", "LOCATED_IN"),
    ("articles", {}, "chars", None),
]
# Facts the samples state that need more of the extraction: the supplier of 比亚迪, the firm that moved.
STATED_FACTS = [
    ("supply_chain", {"company": FOIL}, "chain", "比亚迪"),
    ("supply_links", {}, "supplier", FOIL),
    ("relocated_firms", {}, "company", FOIL),
    ("fact_evidence", {"head": FOIL, "tail": "比亚迪", "type": "SUPPLIES_TO"}, "doc", None),
    ("partners", {"name": FOIL}, "partner", "宁德时代"),
    ("neighbourhood", {"name": ZONE}, "path", None),
]


@pytest.mark.parametrize(("name", "given", "key", "value"), COMMON_FACTS + STATED_FACTS)
def test_query_returns_the_known_fact(
    loaded: tuple[str, Any, Any], name: str, given: dict[str, str], key: str, value: Any
) -> None:
    rows = ask(loaded, name, **given)
    assert rows, f"{name} returned no rows on the {loaded[0]} graph"
    if value is not None:
        assert value in column(rows, key), f"{name} on the {loaded[0]} graph: {value!r} not in {key}"


def returned_columns(query: Query) -> list[str]:
    """The column names the query's final RETURN declares (`… AS name`, or a bare variable)."""
    body = "\n".join(line for line in query.text.splitlines() if not line.startswith("//"))
    final = re.split(r"\bRETURN\b", body)[-1]
    final = re.split(r"\b(?:ORDER BY|LIMIT|SKIP)\b", final)[0].replace("DISTINCT", "")
    parts, depth, current = [], 0, ""
    for ch in final:
        depth += ch in "([{"
        depth -= ch in ")]}"
        if ch == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += ch
    parts.append(current)
    return [re.split(r"\bAS\b", p)[-1].strip() for p in parts if p.strip()]


# Examples that name something only the sample articles hold; they must have rows on that graph instead.
SAMPLES_ONLY = {"article_contribution": "its example names the sample article 01_jinhe_zone.txt"}


def example_values(query: Query) -> dict[str, str]:
    """The --param values of the header's `// Example:` command, the one users are shown."""
    args = shlex.split(query.example)
    return parse_assignments(a for prev, a in itertools.pairwise(args) if prev in ("--param", "-p"))


@pytest.mark.parametrize("name", list(LIBRARY))
def test_every_query_runs_with_its_example(loaded: tuple[str, Any, Any], name: str) -> None:
    """Every file in cypher/ runs with its header's example, answers in the columns its RETURN names, and
    has rows on the graph built in code, whose every fact is known (or, for SAMPLES_ONLY, on the samples)."""
    which, driver, conn = loaded
    query = LIBRARY[name]
    rows = run(query, bind(query, example_values(query)), driver, database=conn.database)
    assert list(rows.columns) == returned_columns(query)
    if (which == "synthetic") == (name not in SAMPLES_ONLY):
        assert rows, f"{name}: its example returned no rows on the {which} graph"
    for row in rows:
        assert list(row) == list(rows.columns)


def test_article_contribution_lists_entities_and_facts(loaded: tuple[str, Any, Any]) -> None:
    article = "01_zone.txt" if loaded[0] == "synthetic" else "01_jinhe_zone.txt"
    rows = ask(loaded, "article_contribution", article=article)
    kinds = {(r["kind"], r["fact"]) for r in rows}
    assert ("entity", ZONE) in kinds
    assert any(kind == "relation" and "东坪新材料产业园" in fact for kind, fact in kinds)
    assert {r["doc"] for r in rows} == {article}


@pytest.mark.parametrize("loaded", ["synthetic"], indirect=True)
def test_synthetic_graph_gives_exact_rows(loaded: tuple[str, Any, Any]) -> None:
    """On the graph built in code every number is known: investment per zone, chain depth, evidence."""
    zones = ask(loaded, "zones_by_investment")
    assert [(z["zone"], z["investment_cny"], z["projects"]) for z in zones] == [
        (ZONE, 650000000, 1),
        ("安平高新技术产业开发区", 0, 0),
    ]
    chains = ask(loaded, "supply_chain", company="比亚迪")
    assert [(c["direction"], c["chain"]) for c in chains] == [
        ("upstream", [FOIL, "比亚迪"]),
        ("upstream", ["蓝桥科技", FOIL, "比亚迪"]),
    ]
    evidence = ask(loaded, "fact_evidence", head=FOIL, tail="比亚迪")
    assert [(e["relation"], e["doc"]) for e in evidence] == [("SUPPLIES_TO", "01_zone.txt")]
    assert evidence[0]["sentence"].startswith("比亚迪上用的电池")
    assert ask(loaded, "search_names", query="金河经开区")[0]["name"] == ZONE
    assert ask(loaded, "companies_in_zone", zone="金河经开区")[0]["company"] == FOIL


# ---------------------------------------------------------------------------------------------------------
# The command line: kg query


def kg(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kg", *args],
        capture_output=True, text=True, timeout=300, check=False, env={**os.environ, **(env or {})},
    )  # fmt: skip


def conn_env(conn: Any) -> dict[str, str]:
    return {"NEO4J_URI": conn.uri, "NEO4J_USER": conn.user, "NEO4J_PASSWORD": conn.password,
            "NEO4J_DATABASE": conn.database}  # fmt: skip


def test_kg_query_list_shows_every_question() -> None:
    done = kg("query", "--list")
    assert done.returncode == 0, done.stderr
    for query in LIBRARY.values():
        assert f"{query.name}: {query.question}" in done.stdout
    assert "--param zone=…" in done.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["query", "no_such_question"], "unknown query 'no_such_question'"),
        (["query", "companies_in_zone"], "needs --param zone="),
        (["query", "supply_links", "--param", "limit=lots"], "expected int"),
        (["query", "supply_links", "--param", "nokey"], "--param expects key=value"),
    ],
)
def test_kg_query_mistakes_are_one_line(args: list[str], message: str) -> None:
    done = kg(*args)
    assert done.returncode == 2
    assert message in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_kg_query_without_a_server_says_how_to_start_one() -> None:
    done = kg("query", "supply_links", env={"NEO4J_URI": "bolt://127.0.0.1:9", "NEO4J_PASSWORD": "secret-pw"})
    assert done.returncode == 2
    assert "bolt://127.0.0.1:9" in done.stderr and "kg neo4j start" in done.stderr
    assert "secret-pw" not in done.stderr + done.stdout


@pytest.mark.parametrize("loaded", ["synthetic"], indirect=True)
@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
def test_kg_query_prints_rows(loaded: tuple[str, Any, Any], fmt: str) -> None:
    done = kg("query", "supply_chain", "--param", f"company={FOIL}", "--format", fmt, env=conn_env(loaded[2]))
    assert done.returncode == 0, done.stderr
    if fmt == "json":
        rows = json.loads(done.stdout)
        assert ["蓝桥科技", FOIL] in [r["chain"] for r in rows]
    elif fmt == "csv":
        assert done.stdout.splitlines()[0] == "direction,hops,chain,evidence"
        assert f'downstream,1,"{FOIL}, 比亚迪",' in done.stdout
    else:
        assert "(2 rows)" in done.stdout and "比亚迪" in done.stdout


# ---------------------------------------------------------------------------------------------------------
# Empty answers and bad search text (issue 10, items 11 and 13)


@pytest.mark.parametrize("loaded", ["synthetic"], indirect=True)
def test_an_unknown_name_is_not_an_empty_answer(loaded: tuple[str, Any, Any]) -> None:
    env = conn_env(loaded[2])
    missing = kg("query", "companies_in_zone", "--param", "zone=不存在经济技术开发区", env=env)
    assert missing.returncode == 2 and len(missing.stderr.strip().splitlines()) == 1
    assert "no DevelopmentZone named '不存在经济技术开发区'" in missing.stderr and "search_names" in missing.stderr
    empty = kg("query", "zone_parks", "--param", "zone=安平高新区", env=env)  # a zone (by its alias) without parks
    assert empty.returncode == 0 and empty.stdout.strip() == "(no rows)", empty.stderr
    missing = kg("query", "zone_parks", "--param", "zone=安平高薪区", env=env)  # a typo
    assert missing.returncode == 2 and "no DevelopmentZone named '安平高薪区'" in missing.stderr
    wrong_tail = kg("query", "fact_evidence", "-p", f"head={FOIL}", "-p", "tail=无此公司", env=env)
    assert wrong_tail.returncode == 2 and "no entity named '无此公司'" in wrong_tail.stderr
    article = kg("query", "article_contribution", "-p", "article=nope.txt", env=env)
    assert article.returncode == 2 and "no article named 'nope.txt'" in article.stderr


@pytest.mark.parametrize("loaded", ["synthetic"], indirect=True)
def test_zero_rows_as_csv_still_have_a_header(loaded: tuple[str, Any, Any]) -> None:
    done = kg("query", "zone_parks", "-p", "zone=安平高新技术产业开发区", "-f", "csv", env=conn_env(loaded[2]))
    assert done.returncode == 0
    assert done.stdout.splitlines() == [",".join(returned_columns(LIBRARY["zone_parks"]))]


@pytest.mark.parametrize("loaded", ["synthetic"], indirect=True)
@pytest.mark.parametrize("text", ["星岚 AND (", "*)", "name:[a TO"])
def test_bad_full_text_syntax_is_one_line(loaded: tuple[str, Any, Any], text: str) -> None:
    done = kg("query", "search_names", "--param", f"query={text}", env=conn_env(loaded[2]))
    assert done.returncode == 2, done.stdout
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "not valid full-text search syntax" in lines[0] and "java" not in lines[0].lower()


def test_names_headers_name_declared_parameters_and_known_labels() -> None:
    for query in LIBRARY.values():
        declared = {p.name for p in query.params}
        assert {param for param, _ in query.names} <= declared, query.name
    assert ("zone", "DevelopmentZone") in LIBRARY["companies_in_zone"].names
