"""`kg extract` and `kg build` as a user runs them: files, directories, stdin, bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kg.pipeline import sample_articles_dir


def kg(
    *args: str, stdin: bytes | None = None, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "kg", *args],
        input=stdin, capture_output=True, cwd=cwd, timeout=300, env={**os.environ, **(env or {})},
    )  # fmt: skip


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
    """Separate processes with different hash seeds: no set or dict order may leak into the output."""
    for run, seed in (("a", "1"), ("b", "2")):
        result = kg("build", "-o", str(tmp_path / run), env={"PYTHONHASHSEED": seed})
        assert result.returncode == 0, result.stderr
        assert "DevelopmentZone" in result.stdout.decode()
    first = (tmp_path / "a" / "graph.json").read_bytes()
    assert first == (tmp_path / "b" / "graph.json").read_bytes()
    for doc in (tmp_path / "a" / "docs").iterdir():
        assert doc.read_bytes() == (tmp_path / "b" / "docs" / doc.name).read_bytes()
    corpus = json.loads(first)
    assert len(corpus["articles"]) == len(list(sample_articles_dir().glob("*.txt")))


def test_build_with_workers_matches_one_process(tmp_path: Path) -> None:
    one = kg("build", "-o", str(tmp_path / "one"), "-q")
    two = kg("build", "-o", str(tmp_path / "two"), "-q", "--workers", "2")
    assert one.returncode == two.returncode == 0
    assert (tmp_path / "one" / "graph.json").read_bytes() == (tmp_path / "two" / "graph.json").read_bytes()


# ---------------------------------------------------------------------------------------------------------
# Article identity (issue 10, items 1 and 2)

NEWS = "科学导报讯 近日，长平翼航智能科技有限公司入驻安平高新技术产业开发区。"


def articles_of(graph_json: Path) -> list[dict]:  # type: ignore[type-arg]
    return json.loads(graph_json.read_text(encoding="utf-8"))["articles"]


def test_two_files_with_the_same_text_stay_two_articles(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(NEWS, encoding="utf-8")
    (src / "b.txt").write_text(NEWS, encoding="utf-8")
    done = kg("build", str(src), "-o", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    articles = articles_of(tmp_path / "out" / "graph.json")
    assert sorted(a["doc"] for a in articles) == ["a.txt", "b.txt"]
    assert len({a["id"] for a in articles}) == 2
    assert {a["source"] for a in articles} == {str((src / n).resolve()) for n in ("a.txt", "b.txt")}
    company = next(e for e in json.loads((tmp_path / "out" / "graph.json").read_text())["entities"]
                   if e["label"] == "Company")  # fmt: skip
    assert sorted(company["articles"]) == sorted(a["id"] for a in articles)
    # and their RDF export validates (one kg:source per article, not two on one node)
    assert kg("export", str(tmp_path / "out" / "graph.json"), "-o", str(tmp_path / "g.ttl")).returncode == 0
    checked = kg("validate", str(tmp_path / "g.ttl"))
    assert checked.returncode == 0, checked.stdout


def test_relative_and_absolute_paths_give_one_article(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(NEWS, encoding="utf-8")
    rel = kg("extract", "a.txt", cwd=tmp_path)
    absolute = kg("extract", str(tmp_path / "a.txt"))
    assert rel.returncode == absolute.returncode == 0
    assert json.loads(rel.stdout)["article"] == json.loads(absolute.stdout)["article"]


def test_stdin_articles_get_distinct_identities_unless_named(tmp_path: Path) -> None:
    one = json.loads(kg("extract", "-", stdin=NEWS.encode()).stdout)["article"]
    two = json.loads(kg("extract", "-", stdin=(NEWS + "第二篇。").encode()).stdout)["article"]
    assert one["source"].startswith("stdin:") and one["source"] != two["source"] and one["id"] != two["id"]
    named = json.loads(kg("extract", "-", "--source", "news/a.txt", stdin=NEWS.encode()).stdout)["article"]
    assert (named["source"], named["doc"]) == ("news/a.txt", "a.txt")


def test_build_reads_stdin_with_a_source_name(tmp_path: Path) -> None:
    done = kg("build", "-", "--source", "wire/2024-05.txt", "-o", str(tmp_path / "out"), stdin=NEWS.encode())
    assert done.returncode == 0, done.stderr
    assert [a["source"] for a in articles_of(tmp_path / "out" / "graph.json")] == ["wire/2024-05.txt"]
    assert [p.name for p in (tmp_path / "out" / "docs").iterdir()] == ["2024-05.json"]


def test_source_cannot_name_a_directory(tmp_path: Path) -> None:
    done = kg("build", str(sample_articles_dir()), "--source", "x", "-o", str(tmp_path / "out"))
    assert done.returncode == 2 and "--source names one article" in done.stderr.decode()


# ---------------------------------------------------------------------------------------------------------
# Output conventions (item 13)


def test_extract_one_file_into_a_folder(tmp_path: Path) -> None:
    article = str(sample_articles_dir() / "01_jinhe_zone.txt")
    (tmp_path / "existing").mkdir()
    for target in ("existing", "newdir/"):
        done = kg("extract", article, "-o", str(tmp_path / target) + ("/" if target.endswith("/") else ""))
        assert done.returncode == 0, done.stderr
        assert (tmp_path / target.rstrip("/") / "01_jinhe_zone.json").is_file()


def test_extract_of_a_directory_prints_a_summary_and_removes_stale_files(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    for name in ("a.txt", "b.txt"):
        (src / name).write_text(NEWS, encoding="utf-8")
    out = tmp_path / "out"
    done = kg("extract", str(src), "-o", str(out))
    assert done.returncode == 0 and "wrote 2 article graphs" in done.stderr.decode()
    (src / "b.txt").unlink()
    (out / "notes.md").write_text("mine", encoding="utf-8")  # the user's: kept
    done = kg("extract", str(src), "-o", str(out))
    assert done.returncode == 0
    assert sorted(p.name for p in out.iterdir()) == ["a.json", "notes.md"]


def test_quiet_build_prints_nothing_and_progress_stays_out_of_logs(tmp_path: Path) -> None:
    quiet = kg("build", "-q", "-o", str(tmp_path / "q"))
    assert quiet.returncode == 0 and quiet.stdout == b"" and quiet.stderr == b""
    loud = kg("build", "-o", str(tmp_path / "l"))  # stderr is a pipe here, as in a log file
    assert b"\r" not in loud.stderr and b"DevelopmentZone" in loud.stdout


def test_version_and_short_help() -> None:
    version = kg("--version")
    assert version.returncode == 0 and version.stdout.decode().startswith("kg ")
    for args in (("-h",), ("build", "-h"), ("neo4j", "start", "-h")):
        done = kg(*args)
        assert done.returncode == 0 and b"Usage" in done.stdout, args


@pytest.mark.parametrize("args", [("stats", "{g}", "--top", "-1"), ("stats", "{g}", "--top", "0")])
def test_nonsense_options_are_refused(tmp_path: Path, args: tuple[str, ...]) -> None:
    kg("build", "-q", "-o", str(tmp_path / "out"))
    done = kg(*(a.format(g=tmp_path / "out" / "graph.json") for a in args))
    assert done.returncode == 2 and b"Traceback" not in done.stderr


# ---------------------------------------------------------------------------------------------------------
# A run in which some files fail (item 3)


def test_a_failed_run_keeps_the_previous_output_unless_partial(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    for name in ("a.txt", "b.txt"):
        (src / name).write_text(NEWS, encoding="utf-8")
    out = tmp_path / "out"
    assert kg("build", str(src), "-o", str(out)).returncode == 0
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    (src / "b.txt").write_bytes(b"")  # b now fails
    (src / "c.txt").write_text(NEWS + "新的一篇。", encoding="utf-8")
    done = kg("build", str(src), "-o", str(out))
    assert done.returncode == 1 and "kept as it was" in done.stderr.decode()
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    done = kg("build", str(src), "-o", str(out), "--partial")
    assert done.returncode == 1
    assert sorted(p.name for p in (out / "docs").iterdir()) == ["a.json", "c.json"]  # b's stale graph is gone
    assert sorted(a["doc"] for a in articles_of(out / "graph.json")) == ["a.txt", "c.txt"]


def test_output_folders_that_would_be_damaged_are_refused(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(NEWS, encoding="utf-8")
    (tmp_path / "file").write_text("x", encoding="utf-8")
    for out, cwd, message in [
        (".", src, "is the current folder"),
        (str(src), None, "holds the input"),
        (str(tmp_path / "file"), None, "not a folder"),
    ]:
        done = kg("build", str(src), "-o", out, cwd=cwd)
        assert done.returncode == 2 and message in done.stderr.decode(), done.stderr
    assert sorted(p.name for p in src.iterdir()) == ["a.txt"]


def test_a_file_name_with_a_newline_stays_on_one_line(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "good.txt").write_text(NEWS, encoding="utf-8")
    (src / "bad\nname.txt").write_bytes(b"")
    done = kg("extract", str(src), "-o", str(tmp_path / "out"))
    errors = [line for line in done.stderr.decode().splitlines() if "empty file" in line]
    assert len(errors) == 1 and "bad\\nname.txt" in errors[0]


def test_a_single_bad_file_is_one_error_line_and_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    for args in (("build", str(tmp_path / "empty.txt"), "-o", str(tmp_path / "out")),
                 ("extract", str(tmp_path / "empty.txt"), "-o", str(tmp_path / "x.json"))):  # fmt: skip
        done = kg(*args)
        lines = done.stderr.decode().strip().splitlines()
        assert done.returncode == 2 and lines == [f"kg: error: {tmp_path / 'empty.txt'}: empty file"], lines
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.txt"]
