"""docker-compose.yml: the official Neo4j 5 LTS Community image with APOC, a volume, a healthcheck and the
password from the environment; `docker compose config` accepts it where Compose is installed (no engine
needed), and refuses to run without NEO4J_PASSWORD."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

COMPOSE_FILE = Path(__file__).resolve().parent.parent / "docker-compose.yml"


def compose_command() -> list[str] | None:
    """`docker compose` (the v2 plugin) if installed, else the standalone `docker-compose`, else None."""
    if shutil.which("docker"):
        done = subprocess.run(["docker", "compose", "version"], capture_output=True, text=True, check=False)
        if done.returncode == 0:
            return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    return None


def published_host(port: object) -> str:
    """The host address a Compose port mapping publishes on; "0.0.0.0" (every interface) when none is given.

    Short syntax: "CONTAINER", "HOST:CONTAINER", "IP:HOST:CONTAINER" (IPv6 in brackets); long syntax: a map.
    """
    if isinstance(port, dict):
        return str(port.get("host_ip", "0.0.0.0"))
    parts = str(port).rsplit(":", 2)
    return parts[0].strip("[]") if len(parts) == 3 else "0.0.0.0"


@pytest.mark.parametrize(
    ("port", "host"),
    [
        ("127.0.0.1:7687:7687", "127.0.0.1"),
        ("0.0.0.0:7687:7687", "0.0.0.0"),
        ("7687:7687", "0.0.0.0"),
        ("7687", "0.0.0.0"),
        ("[::1]:7687:7687", "::1"),
        ({"target": 7687, "published": 7687}, "0.0.0.0"),
    ],
)
def test_published_host_reads_every_port_syntax(port: object, host: str) -> None:
    assert published_host(port) == host


def test_compose_file_declares_what_users_expect() -> None:
    yaml = pytest.importorskip("yaml", reason="PyYAML is not installed")
    spec = yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))
    neo4j = spec["services"]["neo4j"]
    assert neo4j["image"].startswith("neo4j:5.26") and neo4j["image"].endswith("-community")
    assert {p.rsplit(":", 1)[-1] for p in neo4j["ports"]} == {"7474", "7687"}
    assert [published_host(p) for p in neo4j["ports"]] == ["127.0.0.1", "127.0.0.1"], (
        "the server must be reachable from this machine only: publish as 127.0.0.1:HOST:CONTAINER"
    )
    env = neo4j["environment"]
    assert "apoc" in env["NEO4J_PLUGINS"]
    assert env["NEO4J_AUTH"].startswith("neo4j/${NEO4J_PASSWORD:?")
    assert any(v.endswith(":/data") for v in neo4j["volumes"])
    assert neo4j["healthcheck"]["test"]


@pytest.mark.parametrize("with_password", [True, False])
def test_docker_compose_config(with_password: bool) -> None:
    command = compose_command()
    if command is None:
        pytest.skip("Docker Compose is not installed (neither the `docker compose` plugin nor docker-compose)")
    env = {k: v for k, v in os.environ.items() if k != "NEO4J_PASSWORD"}
    if with_password:
        env["NEO4J_PASSWORD"] = "compose-test-password"
    done = subprocess.run(
        [*command, "-f", str(COMPOSE_FILE), "config"], env=env, capture_output=True, text=True, check=False
    )
    if with_password:
        assert done.returncode == 0, done.stderr
        assert "neo4j:5.26-community" in done.stdout and "neo4j/compose-test-password" in done.stdout
        yaml = pytest.importorskip("yaml", reason="PyYAML is not installed")
        resolved = yaml.safe_load(done.stdout)["services"]["neo4j"]["ports"]
        assert [published_host(p) for p in resolved] == ["127.0.0.1", "127.0.0.1"]
    else:
        assert done.returncode != 0 and "NEO4J_PASSWORD" in done.stderr
