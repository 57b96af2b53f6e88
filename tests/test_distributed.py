"""`kg build --scheduler`: on a Dask LocalCluster of 2 processes, the same graph.json byte for byte as the
one-process build, whatever the batches and partitions; a killed worker, a bad article and an unreachable
scheduler (issue 9). Skipped when Dask is not installed (pip install 'kg[dask]')."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("distributed", reason="Dask is not installed: pip install 'kg[dask]' to run these tests")

from kg.build import build, doc_names
from kg.distributed import build_on_dask
from kg.io import list_articles, read_article
from kg.pipeline import sample_articles_dir
from kg.store.server import free_port


@pytest.fixture(scope="module")
def client() -> Iterator[object]:
    import distributed

    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0")
    with distributed.Client(cluster) as made:
        yield made
    cluster.close()


def one_process(root: Path, tmp: Path) -> tuple[bytes, dict[str, bytes]]:
    paths = list(list_articles(root).paths)
    stage = tmp / "local"
    built = build(paths, stage / "docs", doc_names(paths, root))
    built.write_graph(stage / "graph.json")
    return (stage / "graph.json").read_bytes(), docs_of(stage)


def on_dask(client: object, root: Path, tmp: Path, batch: int, parts: int, on_done=None):  # type: ignore[no-untyped-def]
    paths = list(list_articles(root).paths)
    stage = tmp / f"dask-{batch}-{parts}"
    built = build_on_dask(paths, stage, doc_names(paths, root), "", on_done=on_done, batch_size=batch,
                          partitions=parts, client=client)  # fmt: skip
    built.write_graph(stage / "graph.json")
    return (stage / "graph.json").read_bytes(), docs_of(stage), built


def docs_of(stage: Path) -> dict[str, bytes]:
    return {p.relative_to(stage).as_posix(): p.read_bytes() for p in sorted((stage / "docs").rglob("*.json"))}


def recombined(folder: Path, n: int) -> Path:
    """`n` articles made from the samples, each with a line of its own, so every article differs."""
    folder.mkdir(parents=True, exist_ok=True)
    texts = [read_article(p).text for p in sorted(sample_articles_dir().glob("*.txt"))]
    for i in range(n):
        (folder / f"{i:03d}.txt").write_text(f"第{i}篇。\n" + texts[i % len(texts)], encoding="utf-8")
    return folder


@pytest.mark.parametrize(("batch", "parts"), [(1, 1), (2, 3), (50, 7)])
def test_samples_on_two_processes_give_the_one_process_graph(client, tmp_path: Path, batch: int, parts: int) -> None:  # type: ignore[no-untyped-def]
    expected = one_process(sample_articles_dir(), tmp_path)
    got = on_dask(client, sample_articles_dir(), tmp_path, batch, parts)
    assert got[0] == expected[0]
    assert got[1] == expected[1]


def test_the_shared_corpus_on_two_processes_gives_the_one_process_graph(  # type: ignore[no-untyped-def]
    client, tmp_path: Path, shared_corpus: Path
) -> None:
    expected = one_process(shared_corpus, tmp_path)
    for batch, parts in ((7, 5), (40, 2)):
        graph, docs, _ = on_dask(client, shared_corpus, tmp_path, batch, parts)
        assert graph == expected[0], (batch, parts)
        assert docs == expected[1]


def test_a_worker_killed_mid_build_changes_nothing(client, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = recombined(tmp_path / "in", 40)
    expected = one_process(root, tmp_path)
    killed: list[int] = []

    def kill_one(result: object) -> None:
        if not killed:
            pids = sorted(client.run(os.getpid).values())
            os.kill(pids[0], signal.SIGKILL)
            killed.append(pids[0])

    graph, docs, built = on_dask(client, root, tmp_path, 2, 3, on_done=kill_one)
    assert killed, "no worker was killed"
    assert graph == expected[0] and docs == expected[1]
    assert not [r for r in built.results if r.error]
    client.wait_for_workers(2, timeout=60)


def kg(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kg", *args], capture_output=True, text=True, timeout=600,
                          env={**os.environ, **(env or {})}, check=False)  # fmt: skip


def test_a_bad_article_is_named_and_the_others_go_on(tmp_path: Path) -> None:
    root = recombined(tmp_path / "in", 4)
    (root / "empty.txt").write_bytes(b"")
    (root / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    done = kg("build", str(root), "-o", str(tmp_path / "out"), "--scheduler", "local:2")
    assert done.returncode == 1, done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("kg: error:")]
    assert len(errors) == 2 and any("empty.txt: empty file" in e for e in errors), done.stderr
    assert "4 of 6 files processed; 2 failed: binary.txt, empty.txt" in done.stderr
    assert "Traceback" not in done.stderr
    assert sorted(p.name for p in (tmp_path / "out" / "docs").iterdir()) == [f"{i:03d}.json" for i in range(4)]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["docs", "graph.json"]  # no scratch files
    local = kg("build", str(root), "-o", str(tmp_path / "local"), "-q")
    assert local.returncode == 1
    assert (tmp_path / "local" / "graph.json").read_bytes() == (tmp_path / "out" / "graph.json").read_bytes()


@pytest.mark.parametrize("how", ["option", "environment"])
def test_an_unreachable_scheduler_is_one_line(tmp_path: Path, how: str) -> None:
    address = f"tcp://127.0.0.1:{free_port()}"
    args = ["build", "-o", str(tmp_path / "out")]
    done = kg(*args, "--scheduler", address) if how == "option" else kg(*args, env={"KG_DASK_SCHEDULER": address})
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 2 and len(lines) == 1, done.stderr
    assert lines[0].startswith(f"kg: error: cannot reach the Dask scheduler at {address}")
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_an_address_that_is_not_a_dask_scheduler_is_one_line(tmp_path: Path) -> None:
    """A web server (or the dashboard's port) answers bytes that Dask would read as a frame length of exabytes."""
    import socket
    import threading

    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]

    def answer() -> None:
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            with conn:
                conn.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")

    threading.Thread(target=answer, daemon=True).start()
    try:
        done = kg("build", "-o", str(tmp_path / "out"), "--scheduler", f"tcp://127.0.0.1:{port}")
    finally:
        server.close()
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 2 and len(lines) == 1, done.stderr
    assert "is not a Dask scheduler" in lines[0] and "a bug in kg" not in lines[0]
    assert not (tmp_path / "out").exists()


def test_a_local_cluster_prints_its_dashboard(tmp_path: Path) -> None:
    done = kg("build", "-o", str(tmp_path / "out"), "--scheduler", "local:1")
    assert done.returncode == 0, done.stderr
    assert "kg: Dask dashboard at http://127.0.0.1:" in done.stderr
    assert "DevelopmentZone" in done.stdout


def test_stdin_and_a_named_single_file_give_the_local_graph(tmp_path: Path) -> None:
    """stdin is read by kg itself, not by the workers (whose stdin is empty); --source names the article of
    a single-file build on Dask as it does in a local one."""
    article = sorted(sample_articles_dir().glob("*.txt"))[0]
    text = article.read_bytes()

    def built(name: str, *args: str, stdin: bytes | None = None) -> bytes:
        done = subprocess.run([sys.executable, "-m", "kg", "build", *args, "-o", str(tmp_path / name), "-q"],
                              input=stdin, capture_output=True, timeout=600, check=False)  # fmt: skip
        assert done.returncode == 0, done.stderr.decode()
        return (tmp_path / name / "graph.json").read_bytes()

    assert built("a", "-", "--scheduler", "local:1", stdin=text) == built("b", "-", stdin=text)
    named = ("--source", "金河新闻")
    on_dask = built("c", str(article), *named, "--scheduler", "local:1")
    assert on_dask == built("d", str(article), *named) and "金河新闻".encode() in on_dask


# ---------------------------------------------------------------------------------------------------------
# fsspec URLs: listed by the client, read by the workers (issue 9)


def test_a_file_url_on_the_cluster_gives_the_local_graph(client, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """file:///abs/dir read by the workers with fsspec: the same graph.json and docs/ as a local build of
    the folder (a file:// article's identity is its path, as in a local build)."""
    from kg.io import list_url_articles, url_doc_names

    root = recombined(tmp_path / "in", 6)
    (root / "sub").mkdir()
    (root / "sub" / "gbk.txt").write_bytes(read_article(sorted(sample_articles_dir().glob("*.txt"))[0]).text
                                           .encode("gb18030"))  # fmt: skip
    (root / ".hidden.txt").write_text("不是文章", encoding="utf-8")
    local = one_process(root, tmp_path)
    urls, base = list_url_articles(root.as_uri())
    assert len(urls) == 7 and all(u.startswith("file:///") for u in urls)
    stage = tmp_path / "url"
    built = build_on_dask(urls, stage, url_doc_names(urls, base), "", batch_size=2, partitions=3, client=client)
    built.write_graph(stage / "graph.json")
    assert ((stage / "graph.json").read_bytes(), docs_of(stage)) == local


def test_a_file_url_from_the_command_line_gives_the_local_graph(tmp_path: Path) -> None:
    root = recombined(tmp_path / "in", 3)
    dask = kg("build", root.as_uri(), "-o", str(tmp_path / "a"), "-q", "--scheduler", "local:1")
    assert dask.returncode == 0, dask.stderr
    here = kg("build", root.as_uri(), "-o", str(tmp_path / "b"), "-q")  # a URL without --scheduler: read here
    assert here.returncode == 0, here.stderr
    assert kg("build", str(root), "-o", str(tmp_path / "c"), "-q").returncode == 0
    graphs = {(tmp_path / d / "graph.json").read_bytes() for d in "abc"}
    assert len(graphs) == 1
    missing = kg("build", (tmp_path / "nowhere").as_uri(), "-o", str(tmp_path / "d"))
    assert missing.returncode == 2 and len(missing.stderr.strip().splitlines()) == 1, missing.stderr
    assert "no such file or directory" in missing.stderr


def test_memory_urls_are_listed_and_read_like_files() -> None:
    """The listing and the reading on an fsspec filesystem of another kind (in process: LocalCluster's
    workers cannot see this process's memory://): bytes decoded by the same decoder as local files."""
    import fsspec

    from kg.io import list_url_articles, read_article, url_doc_names

    fs = fsspec.filesystem("memory")
    text = read_article(sorted(sample_articles_dir().glob("*.txt"))[0]).text
    fs.pipe({"/kgtest/a.txt": text.encode("utf-8"), "/kgtest/b/c.md": text.encode("gb18030"),
             "/kgtest/a.md": b"x", "/kgtest/.git/x.txt": b"x", "/kgtest/notes.csv": b"x"})  # fmt: skip
    try:
        urls, base = list_url_articles("memory://kgtest")
        assert urls == ["memory://kgtest/a.md", "memory://kgtest/a.txt", "memory://kgtest/b/c.md"]
        assert url_doc_names(urls, base) == {
            "memory://kgtest/a.md": "a.md.json", "memory://kgtest/a.txt": "a.txt.json",
            "memory://kgtest/b/c.md": "b/c.json"}  # fmt: skip
        a, c = read_article(urls[1]), read_article(urls[2])
        assert a.text == c.text == text and a.source == "memory://kgtest/a.txt" and a.id != c.id
        assert list_url_articles("memory://kgtest/a.txt") == (["memory://kgtest/a.txt"], "memory://kgtest")
    finally:
        fs.rm("/kgtest", recursive=True)
