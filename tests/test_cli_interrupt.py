"""Killing or interrupting kg while it writes: the previous output stays whole, temporary files go, and
Ctrl-C says "kg: interrupted" (issue 10, item 3)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from synthetic import chain_corpus

from kg.io import read_article, write_json
from kg.pipeline import sample_articles_dir


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def corpus(folder: Path, version: str, n: int = 24) -> Path:
    """`n` articles made from the samples; `version` changes every text, so every output file changes."""
    folder.mkdir(parents=True, exist_ok=True)
    texts = [read_article(p).text for p in sorted(sample_articles_dir().glob("*.txt"))]
    for i in range(n):
        (folder / f"{i:02d}.txt").write_text(f"第{version}版第{i}篇。\n" + texts[i % len(texts)], encoding="utf-8")
    return folder


def start(*args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "kg", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
    )


def wait_for_writing(proc: subprocess.Popen[bytes], out: Path, before: dict[str, bytes], timeout: float = 240) -> bool:
    """Poll until the run starts writing: a temporary sibling of `out` appears, or `out` itself changes (what a
    non-atomic writer does). False when the run ended first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        if any(p.name.startswith(f".{out.name}.") for p in out.parent.iterdir()):
            return True
        try:
            if snapshot(out) != before:
                return True
        except OSError:
            return True
        time.sleep(0.001)
    return False


def consistent(out: Path) -> bool:
    """graph.json and docs/ belong to one run: the graph's articles are exactly the docs."""
    graph = json.loads((out / "graph.json").read_text(encoding="utf-8"))
    docs = {json.loads(p.read_text(encoding="utf-8"))["article"]["id"] for p in (out / "docs").iterdir()}
    return {a["id"] for a in graph["articles"]} == docs


def test_kill_9_during_build_leaves_the_previous_output_intact(tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = subprocess.run([sys.executable, "-m", "kg", "build", str(corpus(tmp_path / "v1", "一")), "-o", str(out)],
                           capture_output=True, timeout=600)  # fmt: skip
    assert first.returncode == 0, first.stderr
    before = snapshot(out)
    src = corpus(tmp_path / "v2", "二")
    proc = start("build", str(src), "-o", str(out))
    try:
        writing = wait_for_writing(proc, out, before)
        os.killpg(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=60)
    assert writing, "the build ended before it was seen writing"
    after = snapshot(out)
    assert after == before or consistent(out), "a mixture of the old and the new output"
    assert consistent(out)
    # The next run cleans up what the killed one left and switches its own output in.
    done = subprocess.run([sys.executable, "-m", "kg", "build", str(src), "-o", str(out), "-q"], capture_output=True,
                          timeout=600)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "v1", "v2"]
    assert consistent(out) and snapshot(out) != before


@pytest.mark.parametrize("workers", ["1", "2"])
def test_ctrl_c_says_interrupted_and_leaves_no_temporary_files(tmp_path: Path, workers: str) -> None:
    out = tmp_path / "out"
    src = corpus(tmp_path / "in", "一", n=4000)
    proc = start("build", str(src), "-o", str(out), "-w", workers)
    time.sleep(3)  # into the extraction: the pipeline loads in about 2 s, the articles take 10 s or more
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in a terminal does: the whole process group
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert err.decode().strip().splitlines()[-1] == "kg: interrupted"
    assert "Traceback" not in err.decode()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in"]
    leftover = subprocess.run(["pgrep", "-s", str(proc.pid)], capture_output=True, text=True)
    assert leftover.stdout.strip() == "", "worker processes outlived the interrupt"


def test_ctrl_c_while_writing_keeps_the_old_output(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert subprocess.run([sys.executable, "-m", "kg", "build", str(corpus(tmp_path / "v1", "一")), "-o", str(out)],
                          capture_output=True, timeout=600).returncode == 0  # fmt: skip
    before = snapshot(out)
    proc = start("build", str(corpus(tmp_path / "v2", "二")), "-o", str(out))
    assert wait_for_writing(proc, out, before)
    os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    if proc.returncode == 0:  # the switch was done before the signal arrived: then the new output is whole
        assert consistent(out) and snapshot(out) != before
    else:
        assert proc.returncode == 130 and b"kg: interrupted" in err
        assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "v1", "v2"]


@pytest.mark.parametrize("fmt", ["turtle", "neo4j-import"])
def test_kill_9_during_export_leaves_the_previous_file(tmp_path: Path, fmt: str) -> None:
    graph = tmp_path / "graph.json"
    write_json(graph, chain_corpus(3000).to_dict())
    target = tmp_path / ("g.ttl" if fmt == "turtle" else "csv")
    target_args = ["export", str(graph), "-f", fmt, "-o", str(target)]
    first = subprocess.run([sys.executable, "-m", "kg", *target_args], capture_output=True, timeout=600)
    assert first.returncode == 0, first.stderr
    if target.is_dir():
        (target / "import.args").write_text("previous", encoding="utf-8")
        before = snapshot(target)
    else:
        target.write_text("previous", encoding="utf-8")
    proc = start(*target_args)
    try:
        deadline = time.monotonic() + 120
        while proc.poll() is None and time.monotonic() < deadline:
            if any(p.name.startswith(f".{target.name}.") for p in tmp_path.iterdir()):
                break
            time.sleep(0.001)
        os.killpg(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=60)
    if target.is_dir():
        after = snapshot(target)
        assert after == before or after["import.args"] != b"previous"  # the old set, or a whole new one
    else:
        text = target.read_text(encoding="utf-8")
        assert text == "previous" or text.rstrip().endswith("void:entities 3000 .")
