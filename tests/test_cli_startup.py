"""What every `kg` call costs before it works (issue 9): the commands that do not talk to Neo4j, read RDF,
run analytics or train do not import the libraries for those; progress is a bar on a terminal only."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from kg.pipeline import sample_articles_dir

HEAVY = ("neo4j", "rdflib", "networkx", "sklearn", "distributed")


def imported_after(code: str) -> list[str]:
    probe = f"{code}\nimport sys\nprint('imported:', *(m for m in {HEAVY!r} if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True)
    return done.stdout.strip().splitlines()[-1].split()[1:]


@pytest.mark.parametrize(
    "code",
    [
        "import kg.cli",
        "import sys; sys.argv = ['kg', '--help']\nfrom kg.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass",
    ],
)
def test_the_cli_imports_no_driver_rdf_analytics_or_training_library(code: str) -> None:
    assert imported_after(code) == []


def test_the_neo4j_connection_settings_need_no_driver() -> None:
    assert imported_after("from kg.store.connection import Connection, DEFAULT_BATCH_SIZE") == []


def test_progress_is_a_bar_on_a_terminal(tmp_path: Path) -> None:
    parent, child = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "kg", "build", "-o", str(tmp_path / "out")],
                            stdout=subprocess.DEVNULL, stderr=child, env={**os.environ, "COLUMNS": "120"})  # fmt: skip
    os.close(child)
    seen = b""
    while True:
        try:
            chunk = os.read(parent, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    assert proc.wait(timeout=300) == 0
    os.close(parent)
    text = seen.decode("utf-8", "replace")
    count = len(list(sample_articles_dir().glob("*.txt")))
    assert f"{count}/{count}" in text and "articles/s" in text and "ETA" in text and "elapsed" in text, text


def test_progress_in_a_log_only_when_asked(tmp_path: Path) -> None:
    def build(*extra: str) -> str:
        done = subprocess.run([sys.executable, "-m", "kg", "build", "-o", str(tmp_path / "out"), *extra],
                              capture_output=True, text=True, timeout=300, check=True)  # fmt: skip
        return done.stderr

    count = len(list(sample_articles_dir().glob("*.txt")))
    assert "ETA" not in build()
    asked = build("--progress")
    lines = [line for line in asked.splitlines() if "ETA" in line]
    assert lines and lines[-1].startswith(f"kg: {count}/{count} articles (100%), ") and "\r" not in asked
    assert build("--progress", "-q") == ""
