"""`kg export` and `kg validate` as a user runs them: exit codes, files written, one-line errors."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph

from kg.io import write_json
from kg.model import CorpusGraph

# rdflib's own JSON-LD parser warns about its internals; nothing we can act on.
pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")


def kg(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from kg.cli import main; main()", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd,
        timeout=600,
    )


@pytest.fixture
def corpus_json(rdf_corpus: CorpusGraph, tmp_path: Path) -> Path:
    path = tmp_path / "corpus.json"
    write_json(path, rdf_corpus.to_dict())
    return path


@pytest.mark.parametrize(
    ("fmt", "suffix", "parser"),
    [("turtle", "ttl", "turtle"), ("nt", "nt", "nt"), ("jsonld", "jsonld", "json-ld")],
)
def test_export_then_validate(corpus_json: Path, tmp_path: Path, fmt: str, suffix: str, parser: str) -> None:
    out = tmp_path / "sub" / f"graph.{suffix}"
    done = kg("export", str(corpus_json), "--format", fmt, "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert done.stderr.startswith("kg: wrote ") and done.stderr.count("\n") == 1
    assert len(Graph().parse(out, format=parser)) > 100
    checked = kg("validate", str(out))
    assert checked.returncode == 0, checked.stdout
    assert "conforms" in checked.stdout


@pytest.mark.parametrize("fmt", ["turtle", "nt", "jsonld"])
def test_two_runs_give_identical_files(corpus_json: Path, tmp_path: Path, fmt: str) -> None:
    """Separate processes with different hash seeds: no set or dict order may leak into the output."""
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"{seed}.{fmt}"
        done = subprocess.run(
            [
                sys.executable,
                "-c",
                "from kg.cli import main; main()",
                "export",
                str(corpus_json),
                "-f",
                fmt,
                "-o",
                str(out),
            ],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
            timeout=600,
        )
        assert done.returncode == 0, done.stderr
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]


def test_neo4j_import_writes_a_folder(corpus_json: Path, tmp_path: Path) -> None:
    if importlib.util.find_spec("kg.store.neo4j_import") is None:
        pytest.skip("kg.store.neo4j_import not available")
    out = tmp_path / "import"
    done = kg("export", str(corpus_json), "-f", "neo4j-import", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert any(out.glob("*.csv"))


def test_export_to_stdout(corpus_json: Path) -> None:
    done = kg("export", str(corpus_json), "-f", "nt")
    assert done.returncode == 0
    assert len(Graph().parse(data=done.stdout, format="nt")) == int(done.stderr.split()[2])


def test_base_from_option(corpus_json: Path) -> None:
    done = kg("export", str(corpus_json), "-f", "nt", "--base", "https://data.example.com/kg/")
    assert "<https://data.example.com/kg/entity/Ecompany>" in done.stdout


def test_validate_fails_on_violations(tmp_path: Path, corpus_json: Path) -> None:
    out = tmp_path / "g.nt"
    assert kg("export", str(corpus_json), "-f", "nt", "-o", str(out)).returncode == 0
    with out.open("a", encoding="utf-8") as f:  # a person located in a region: outside LOCATED_IN's domain
        f.write(
            "<https://kg.example.org/id/entity/Eperson> <https://kg.example.org/ontology#locatedIn> "
            "<https://kg.example.org/id/entity/Eregion> .\n"
        )
    done = kg("validate", str(out))
    assert done.returncode == 1
    assert "does not conform" in done.stdout
    assert "kgsh:Relation-locatedIn" in done.stdout


@pytest.mark.parametrize(
    ("make_args", "message"),
    [
        (lambda d, c: ["export", str(d / "other.json"), "-o", str(d / "x.ttl")], "not a kg corpus graph"),
        (lambda d, c: ["export", str(d / "broken.json"), "-o", str(d / "x.ttl")], "not valid JSON"),
        (lambda d, c: ["export", str(d / "missing.json"), "-o", str(d / "x.ttl")], "no such file"),
        (lambda d, c: ["export", str(c), "-f", "rdfxml", "-o", str(d / "x.rdf")], "unknown format 'rdfxml'"),
        (lambda d, c: ["export", str(c), "-o", str(d / "afile" / "x.ttl")], "cannot write"),
        (lambda d, c: ["export", str(c), "-o", str(d)], "is a directory"),
        (lambda d, c: ["export", str(c), "--base", "kg.example.org"], "bad base IRI"),
        (lambda d, c: ["export", str(c), "-f", "neo4j-import"], "-o DIR"),
        (lambda d, c: ["validate", str(d / "other.json")], "holds no RDF triples"),
        (lambda d, c: ["validate", str(d / "afile")], "not valid RDF"),
        (lambda d, c: ["validate", str(d / "missing.ttl")], "no such file"),
        (lambda d, c: ["validate", str(d / "afile"), "-f", "xml"], "unknown RDF format"),
        (lambda d, c: ["validate", str(d / "README.md")], "README.md:3: not valid RDF (Turtle: expected directive"),
    ],
)
def test_bad_input_is_one_line_error(tmp_path: Path, corpus_json: Path, make_args, message: str) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "other.json").write_text('{"entities": []}', encoding="utf-8")
    (tmp_path / "broken.json").write_text('{"format": ', encoding="utf-8")
    (tmp_path / "afile").write_text("just text, not turtle <<<", encoding="utf-8")
    (tmp_path / "README.md").write_text("# kg\n\n```bash\nkg build\n```\n", encoding="utf-8")
    done = kg(*make_args(tmp_path, corpus_json))
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("kg: error: "), done.stderr
    assert done.stderr.count("\n") == 1, done.stderr
    assert message in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "x.ttl").exists()
