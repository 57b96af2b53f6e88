"""`kg extract` and `kg build` as a user runs them: files, directories, stdin, bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from kg.pipeline import sample_articles_dir


def kg(*args: str, stdin: bytes | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "kg", *args], input=stdin, capture_output=True, cwd=cwd, timeout=300)


def test_extract_one_file_to_json(tmp_path: Path) -> None:
    out = tmp_path / "a.json"
    result = kg("extract", str(sample_articles_dir() / "01_jinhe_zone.txt"), "-o", str(out))
    assert result.returncode == 0, result.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["doc"] == "01_jinhe_zone.txt"
    assert {e["label"] for e in data["entities"]} >= {"DevelopmentZone", "Park", "Company", "Person"}


def test_extract_stdin_gb18030() -> None:
    text = "科学导报讯 近日，长平翼航智能科技有限公司入驻安平高新技术产业开发区。".encode("gb18030")
    result = kg("extract", "-", stdin=text)
    assert result.returncode == 0, result.stderr
    names = {e["name"] for e in json.loads(result.stdout)["entities"]}
    assert "长平翼航智能科技有限公司" in names


def test_directory_run_keeps_going_past_a_bad_file(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "good.txt").write_text("金河经济技术开发区党工委书记邓慧明告诉记者。", encoding="utf-8")
    (src / "empty.txt").write_bytes(b"")
    result = kg("extract", str(src), "-o", str(tmp_path / "out"))
    assert result.returncode == 1
    assert (tmp_path / "out" / "good.json").exists()
    assert not (tmp_path / "out" / "empty.json").exists()
    err = result.stderr.decode()
    assert "empty.txt: empty file" in err and "1 of 2 files processed" in err and "Traceback" not in err


def test_missing_input_is_one_line(tmp_path: Path) -> None:
    result = kg("extract", str(tmp_path / "missing.txt"))
    err = result.stderr.decode().strip()
    assert result.returncode == 2 and err.count("\n") == 0 and "missing.txt: no such file" in err


def test_build_twice_is_byte_identical(tmp_path: Path) -> None:
    for run in ("a", "b"):
        result = kg("build", "-o", str(tmp_path / run), "-q")
        assert result.returncode == 0, result.stderr
        assert "DevelopmentZone" in result.stdout.decode()
    first = (tmp_path / "a" / "graph.json").read_bytes()
    assert first == (tmp_path / "b" / "graph.json").read_bytes()
    corpus = json.loads(first)
    assert len(corpus["articles"]) == len(list(sample_articles_dir().glob("*.txt")))


def test_build_with_workers_matches_one_process(tmp_path: Path) -> None:
    one = kg("build", "-o", str(tmp_path / "one"), "-q")
    two = kg("build", "-o", str(tmp_path / "two"), "-q", "--workers", "2")
    assert one.returncode == two.returncode == 0
    assert (tmp_path / "one" / "graph.json").read_bytes() == (tmp_path / "two" / "graph.json").read_bytes()
