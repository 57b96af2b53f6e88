"""CSV files for `neo4j-admin database import full`: counts, headers, literal strings, and an import with the
real neo4j-admin (from the cached jars) that yields the same graph as the transactional loader."""

from __future__ import annotations

import shlex
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from synthetic import sample_like_corpus
from test_store_neo4j import HOSTILE, snapshot, two_articles

from kg.errors import ExportError
from kg.io import write_json
from kg.model import CorpusGraph
from kg.store import neo4j as store
from kg.store import server
from kg.store.neo4j_import import ARGS_FILE, ARRAY_DELIMITER, import_args, write_import_csvs


def read_rows(path: Path) -> list[list[str]]:
    """Parse our CSV dialect: every string quoted, quotes doubled, arrays joined by the array delimiter."""
    import csv

    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


@pytest.mark.parametrize("graph", [sample_like_corpus(), two_articles(hostile=True)], ids=["sample_like", "hostile"])
def test_csv_counts_and_headers(tmp_path: Path, graph: CorpusGraph) -> None:
    counts = write_import_csvs(graph, tmp_path)
    labels = Counter(e.label for e in graph.entities)
    types = Counter(r.type for r in graph.relations)
    assert counts["articles.csv"] == len(graph.articles)
    assert {k: v for k, v in counts.items() if k.startswith("entities_")} == {
        f"entities_{label}.csv": n for label, n in labels.items()
    }
    assert {k: v for k, v in counts.items() if k.startswith("relations_")} == {
        f"relations_{t}.csv": n for t, n in types.items()
    }
    assert counts["mentions.csv"] == store.expected_counts(graph).types["MENTIONED_IN"]
    for name, n in counts.items():
        rows = read_rows(tmp_path / name)
        assert len(rows) == n + 1, name  # header + data
    assert read_rows(tmp_path / "entities_Company.csv")[0][:3] == ["id:ID", ":LABEL", "name"]
    assert read_rows(tmp_path / "articles.csv")[0][0] == "id:ID"
    assert read_rows(tmp_path / "mentions.csv")[0][:3] == [":START_ID", ":END_ID", ":TYPE"]
    args = [shlex.split(line)[0] for line in (tmp_path / ARGS_FILE).read_text(encoding="utf-8").splitlines()]
    assert args == import_args(tmp_path, counts)
    assert sum(a.startswith("--nodes=") for a in args) == 1 + len(labels)


def test_hostile_strings_survive_the_csv(tmp_path: Path) -> None:
    write_import_csvs(two_articles(hostile=True), tmp_path)
    names = [row[2] for row in read_rows(tmp_path / "entities_Company.csv")[1:]]
    assert HOSTILE in names
    sentences = read_rows(tmp_path / "relations_SUPPLIES_TO.csv")[1][8].split(ARRAY_DELIMITER)
    assert sentences == [f"星岚为{HOSTILE}供货。"]


def _graph_json(graph: CorpusGraph, tmp_path: Path) -> Path:
    path = tmp_path / "graph.json"
    write_json(path, graph.to_dict())
    return path


def test_a_second_export_replaces_the_first_as_a_set(tmp_path: Path) -> None:
    out = tmp_path / "csv"
    write_import_csvs(sample_like_corpus(), out)
    (out / "README.txt").write_text("mine", encoding="utf-8")
    write_import_csvs(two_articles(), out)  # fewer labels: their old entity files must go
    labels = {e.label for e in two_articles().entities}
    assert sorted(p.name for p in out.glob("entities_*.csv")) == sorted(f"entities_{x}.csv" for x in labels)
    assert (out / "README.txt").read_text(encoding="utf-8") == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["csv"]


def test_a_folder_with_a_comma_is_refused_before_writing(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="comma"):
        write_import_csvs(sample_like_corpus(), tmp_path / "a,b")
    assert list(tmp_path.iterdir()) == []


def _without_empty_lists(snap: tuple[list[Any], list[Any]]) -> tuple[list[Any], list[Any]]:
    """neo4j-admin cannot store an empty array (it leaves the property out); the loader stores []."""
    nodes = sorted((labels, tuple(kv for kv in props if kv[1] != ())) for labels, props in snap[0])
    rels = sorted((t, h, e, tuple(kv for kv in props if kv[1] != ())) for t, h, e, props in snap[1])
    return nodes, rels


@pytest.mark.parametrize(
    ("which", "folder"),
    [("sample_like", "csv"), ("hostile", 'dir with spaces "quotes" # and a hash')],
)
def test_neo4j_admin_import_gives_the_loaders_graph(
    neo4j: store.Connection, tmp_path: Path, which: str, folder: str
) -> None:
    """The README's command: neo4j-admin … @DIR/import.args, with DIR named as users name folders."""
    graph = sample_like_corpus() if which == "sample_like" else two_articles(hostile=True)
    store.clear(neo4j)
    store.load(graph, neo4j)
    loaded = _without_empty_lists(snapshot(neo4j))

    done = subprocess.run(
        [sys.executable, "-m", "kg", "export", str(_graph_json(graph, tmp_path)), "-f", "neo4j-import", "-o",
         str(tmp_path / folder)], capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    config = server.ServerConfig(
        home=tmp_path / "home", bolt_port=server.free_port(), http_port=server.free_port(), pagecache="64m"
    )
    server.write_conf(config)
    done = server.run_admin(
        config, "database", "import", "full", f"@{tmp_path / folder / ARGS_FILE}",
        f"--report-file={tmp_path / 'import.report'}", "neo4j",
    )  # fmt: skip
    assert done.returncode == 0, (done.stdout + done.stderr)[-2000:]
    try:
        server.start(config, password="kg-import-test-pw", die_with_parent=True)
        imported = _without_empty_lists(snapshot(store.Connection(uri=config.bolt_uri, password="kg-import-test-pw")))
    finally:
        server.stop(config.home)
    assert imported == loaded
