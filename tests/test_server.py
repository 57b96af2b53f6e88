"""The local Neo4j server (kg.store.server, `kg neo4j …`) on its own ports and home, apart from the session's
server: start, status, a stop in the middle of a load, restart, and a clean stop with no process left."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from synthetic import chain_corpus, sample_like_corpus

from kg.errors import StoreError
from kg.store import neo4j as store
from kg.store import server

PASSWORD = "kg-own-server-pw"


def kg(*args: str, password: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    if password is not None:
        env["NEO4J_PASSWORD"] = password
    return subprocess.run(
        [sys.executable, "-m", "kg", *args], env=env, capture_output=True, text=True, timeout=600, check=False
    )


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}").exists() and "Z" not in Path(f"/proc/{pid}/stat").read_text().split()[2]


@pytest.fixture()
def own(tmp_path: Path) -> Iterator[server.ServerConfig]:
    """A server config of our own (not started); whatever a test starts is stopped afterwards."""
    config = server.ServerConfig(
        home=tmp_path / "home", bolt_port=server.free_port(), http_port=server.free_port(), pagecache="128m"
    )
    yield config
    server.stop(config.home)


def test_conf_is_localhost_only_with_fixed_memory(own: server.ServerConfig) -> None:
    text = server.write_conf(own).read_text(encoding="utf-8")
    assert "server.default_listen_address=127.0.0.1" in text
    assert f"server.bolt.listen_address=127.0.0.1:{own.bolt_port}" in text
    assert f"server.http.listen_address=127.0.0.1:{own.http_port}" in text
    assert "server.memory.heap.max_size=1g" in text and "server.memory.pagecache.size=128m" in text
    assert "0.0.0.0" not in text


def test_new_home_is_not_running(own: server.ServerConfig) -> None:
    status = server.status(own.home)
    assert not status.running and status.pid is None
    done = kg("neo4j", "status", "--home", str(own.home))
    assert done.returncode == 1 and "not running" in done.stdout
    done = kg("neo4j", "stop", "--home", str(own.home))
    assert done.returncode == 0 and "was not running" in done.stdout


@pytest.mark.parametrize("password", ["", "short"])
def test_new_home_needs_a_real_password(own: server.ServerConfig, password: str) -> None:
    done = kg(
        "neo4j",
        "start",
        "--home",
        str(own.home),
        "--bolt-port",
        str(own.bolt_port),
        "--http-port",
        str(own.http_port),
        password=password or None,
    )
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert lines[-1].startswith("kg: error:") and "password" in lines[-1]
    assert not server.status(own.home).running


def test_a_taken_port_is_reported(own: server.ServerConfig) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", own.bolt_port))
        sock.listen()
        with pytest.raises(StoreError, match=f"port {own.bolt_port}"):
            server.start(own, password=PASSWORD)


def test_bolt_answers_only_where_a_server_listens() -> None:
    assert not server.bolt_answers(f"bolt://127.0.0.1:{server.free_port()}")


def test_stop_in_the_middle_of_a_load_then_rerun_gives_exact_counts(own: server.ServerConfig) -> None:
    graph = chain_corpus(40)
    status = server.start(own, password=PASSWORD, die_with_parent=True)
    assert status.running and status.pid and alive(status.pid)
    assert server.start(own, password=PASSWORD).pid == status.pid  # already running: left alone
    conn = store.Connection(uri=own.bolt_uri, password=PASSWORD)

    def stop_after_three(done: int, total: int) -> None:
        if done == 3:
            server.stop(own.home)

    with pytest.raises(StoreError, match="stopped answering in the middle of the load") as caught:
        store.load(graph, conn, batch_size=5, on_batch=stop_after_three, retry_seconds=2)
    assert "\n" not in str(caught.value)
    assert not server.status(own.home).running and not alive(status.pid)

    # Restart through the CLI (the home exists, so no password is needed) and run the same load again.
    done = kg(
        "neo4j",
        "start",
        "--home",
        str(own.home),
        "--bolt-port",
        str(own.bolt_port),
        "--http-port",
        str(own.http_port),
    )
    assert done.returncode == 0, done.stderr
    assert "running" in done.stdout and own.bolt_uri in done.stdout
    store.load(graph, conn, batch_size=5)
    assert store.graph_counts(conn) == store.expected_counts(graph)
    store.load(sample_like_corpus(), conn)  # and the server keeps working
    pid = server.status(own.home).pid
    assert pid is not None

    done = kg("neo4j", "stop", "--home", str(own.home))
    assert done.returncode == 0 and "stopped" in done.stdout
    assert not alive(pid) and not server.status(own.home).running


# ---------------------------------------------------------------------------------------------------------
# A private server (issue 10, items 4, 5, 11) and a crash with kill -9 (the test above stops with SIGTERM)


def _cmdlines() -> list[str]:
    out = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                out.append((proc / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace"))
            except OSError:
                continue
    return out


def _start_args(config: server.ServerConfig) -> list[str]:
    return ["neo4j", "start", "--home", str(config.home), "--bolt-port", str(config.bolt_port),
            "--http-port", str(config.http_port), "--pagecache", config.pagecache]  # fmt: skip


def test_a_private_server_survives_kill_9_in_the_middle_of_a_load(own: server.ServerConfig) -> None:
    import threading

    password = "kg-secret-Zq7#pw"
    seen: list[str] = []
    stop = threading.Event()

    def watch() -> None:  # what `ps aux` shows every user, sampled all through the start
        while not stop.is_set():
            seen.extend(line for line in _cmdlines() if "java" in line or "kg" in line)
            time.sleep(0.02)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        done = kg(*_start_args(own), password=password)
    finally:
        stop.set()
        watcher.join()
    assert done.returncode == 0, done.stderr
    assert any("CommunityEntryPoint" in line for line in seen), "the JVM was never seen: the watch is broken"
    assert not [line for line in seen if password in line], "the password was on the process list"

    # The home and everything in it is the user's alone.
    assert own.home.stat().st_mode & 0o777 == 0o700
    exposed = [p for p in own.home.rglob("*") if not p.is_symlink() and p.stat().st_mode & 0o077]
    assert exposed == [], exposed
    assert (own.home / "data" / "dbms" / "auth.ini").exists() or (own.home / "data" / "databases" / "system").exists()

    # Starting the same home with another password says that the old one still holds.
    again = kg(*_start_args(own), password="another-password-1")
    assert again.returncode == 0 and "refuses this NEO4J_PASSWORD" in again.stderr

    # kill -9 of the JVM in the middle of a load, then a restart and the same load: exact counts.
    graph = chain_corpus(40)
    conn = store.Connection(uri=own.bolt_uri, password=password)
    pid = server.status(own.home).pid
    assert pid is not None

    def kill_after_three(done: int, total: int) -> None:
        if done == 3:
            os.kill(pid, signal.SIGKILL)

    with pytest.raises(StoreError, match="stopped answering in the middle of the load") as caught:
        store.load(graph, conn, batch_size=5, on_batch=kill_after_three, retry_seconds=2)
    assert "\n" not in str(caught.value)
    deadline = time.monotonic() + 30
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not server.status(own.home).running
    restarted = kg(*_start_args(own))
    assert restarted.returncode == 0, restarted.stderr
    store.load(graph, conn, batch_size=5)
    assert store.graph_counts(conn) == store.expected_counts(graph)
    store.load(graph, conn, batch_size=5)  # and once more: nothing changes
    assert store.graph_counts(conn) == store.expected_counts(graph)


def test_auth_line_is_what_neo4j_admin_writes() -> None:
    # From `neo4j-admin dbms set-initial-password abcdefgh1` (Neo4j 5.26), salt and all.
    expected = (
        "neo4j:SHA-256,00449870f255d376f4426b0a4c95b53bb89fc6f6b872fa8fdf5737770411a85c,"
        "5b8f3f087c0488d67e201e770991ea0d7aa8ac70cdd6c5aaa3f98476fa9d34a3,1024:\n"
    )
    salt = bytes.fromhex("5b8f3f087c0488d67e201e770991ea0d7aa8ac70cdd6c5aaa3f98476fa9d34a3")
    assert server.auth_line("neo4j", "abcdefgh1", salt) == expected


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--heap", "lots"], "--heap lots: expected a size such as 512m or 2g"),
        (["--pagecache", "1.5g"], "--pagecache 1.5g: expected a size"),
        (["--bolt-port", "70000"], "--bolt-port"),
    ],
)
def test_bad_server_options_are_one_line(own: server.ServerConfig, extra: list[str], message: str) -> None:
    done = kg(*_start_args(own), *extra, password=PASSWORD)
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 2 and message in done.stderr and "Traceback" not in done.stderr
    assert len(lines) <= 4  # typer's usage error is four lines; ours is one
    assert not server.status(own.home).running


@pytest.mark.parametrize("where", ["data", "home"])
def test_a_file_where_the_server_keeps_a_folder_is_one_line(own: server.ServerConfig, where: str) -> None:
    if where == "data":
        own.home.mkdir(parents=True)
        (own.home / "data").write_text("not a folder", encoding="utf-8")
    else:
        own.home.parent.mkdir(parents=True, exist_ok=True)
        own.home.write_text("not a folder", encoding="utf-8")
    done = kg(*_start_args(own), password=PASSWORD)
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 2 and len(lines) == 1 and "not a folder" in lines[0], done.stderr
