"""The README's examples, run as a user would run them (datasette's tested docs): every ```bash line and every
```python block, in order, in a scratch folder laid out like the repository. Commands that need Neo4j run
against the test session's server; the few that cannot run here are listed in SKIP with the reason, so a
new example is run unless someone says why not.

Outputs are checked for their shape, not for figures the extraction rules decide (those change as the rules
improve); where the README states a count that follows from the data (articles loaded), the test derives it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
CORPUS = ROOT.parent / "shared" / "corpus"

# (pattern, why the command is not run here)
SKIP = [
    (r"^pip install", "installs packages"),
    (r"python -m pytest", "the test suite itself"),
    (r"^(ruff|mypy)\b", "lint and types: .ci/run runs them"),
    (r"^bash \.ci/run", "the whole CI run"),
    (r"^python bench/", "benchmarks print timings; they are not tests"),
    (r"docker compose", "needs a Docker engine; tests/test_docker_compose.py checks the file with compose config"),
    (r"^kg neo4j (start|stop|status)", "would use the default home and ports; tests/test_server.py runs them"),
    (r"^export NEO4J_PASSWORD=\S+$", "the test session's server and password are used instead"),
    (r"AdminTool|neo4j-admin", "tests/test_neo4j_import.py runs neo4j-admin on an export"),
    (
        r"^kg train (?!.*(?:-o|--output) )",
        "rewrites the shipped model files; tests/test_learn.py trains into a temporary folder",
    ),
]
NEEDS_NEO4J = re.compile(r"^kg (load|unload)\b|^kg query (?!--list)|kg\.queries|\bask\(")


@dataclass(frozen=True)
class Example:
    kind: str  # "bash" (one command line) or "python" (a whole block)
    code: str
    line: int  # where it is in README.md

    def skip_reason(self) -> str | None:
        for pattern, why in SKIP:
            if re.search(pattern, self.code):
                return why
        if "../shared/corpus" in self.code and not (CORPUS / "gold").is_dir():
            return f"the shared corpus is not at {CORPUS}"
        return None


def examples(text: str) -> Iterator[Example]:
    """Every bash line (continuation lines joined) and python block of the README, in order."""
    for block in re.finditer(r"^```(bash|python)\n(.*?)^```", text, re.M | re.S):
        first = text[: block.start()].count("\n") + 2
        if block.group(1) == "python":
            yield Example("python", block.group(2), first - 1)
            continue
        pending, start = "", first
        for offset, raw in enumerate(block.group(2).splitlines()):
            if not pending:
                start = first + offset
            if raw.rstrip().endswith("\\"):
                pending += raw.rstrip()[:-1] + " "
                continue
            line = (pending + raw).strip()
            pending = ""
            if line and not line.startswith("#"):
                yield Example("bash", line, start)


def output_block_after(text: str, command: str) -> list[str]:
    """The plain ``` block (example output) that follows the bash block holding `command`."""
    at = text.index(command)
    block = re.compile(r"^```\n(.*?)^```", re.M | re.S).search(text, at)
    assert block, f"no example output after {command!r}"
    return block.group(1).splitlines()


def shape(line: str) -> re.Pattern[str]:
    """A README output line as a pattern: numbers and parenthesised names may be anything."""
    text = re.sub(r"\s+", " ", line.strip())
    pattern = re.escape(text)
    pattern = re.sub(r"\\\([^)]*[\u4e00-\u9fff][^)]*\\\)", r"\\(.*\\)", pattern)
    pattern = re.sub(r"\d+(?:\\\.\d+)?", r"\\d+(?:\\.\\d+)?", pattern)
    return re.compile(pattern)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder laid out like the repository (kg/, tests/, cypher/, schema/ linked in), with the example
    files the README names (article.txt, articles/), ../shared/corpus when it exists, and a `kg` command."""
    base = tmp_path_factory.mktemp("readme")
    ws = base / "main"
    ws.mkdir()
    for name in ("kg", "tests", "cypher", "schema", "notebooks", "bench"):
        (ws / name).symlink_to(ROOT / name)
    samples = ROOT / "kg" / "samples" / "articles"
    shutil.copytree(samples, ws / "articles")
    shutil.copy(samples / "01_jinhe_zone.txt", ws / "article.txt")
    if CORPUS.is_dir():
        (base / "shared").mkdir()
        (base / "shared" / "corpus").symlink_to(CORPUS)
    (base / "bin").mkdir()
    wrapper = base / "bin" / "kg"
    wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m kg "$@"\n', encoding="utf-8")
    wrapper.chmod(0o755)
    (base / "tmp").mkdir()
    return ws


def test_the_readme_has_examples() -> None:
    found = list(examples(README.read_text(encoding="utf-8")))
    assert len([e for e in found if e.kind == "bash"]) > 30
    assert {e.kind for e in found} == {"bash", "python"}


def test_every_readme_example_runs(workspace: Path, neo4j) -> None:  # type: ignore[no-untyped-def]
    from kg.store.neo4j import clear

    clear(neo4j)
    text = README.read_text(encoding="utf-8")
    tmp = workspace.parent / "tmp"
    env = {
        **os.environ,
        "PATH": f"{workspace.parent / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
        "NEO4J_URI": neo4j.uri,
        "NEO4J_USER": neo4j.user,
        "NEO4J_PASSWORD": neo4j.password,
        "NEO4J_DATABASE": neo4j.database,
    }
    samples = len(list((ROOT / "kg" / "samples" / "articles").glob("*.txt")))
    ran: list[str] = []
    for example in examples(text):
        if example.skip_reason():
            continue
        code = example.code.replace("/tmp/", f"{tmp}/")
        where = f"README.md:{example.line}: {example.code}"
        if example.kind == "python":
            done = subprocess.run([sys.executable, "-c", code], cwd=workspace, env=env, capture_output=True,
                                  text=True, timeout=600, check=False)  # fmt: skip
        else:
            done = subprocess.run(["bash", "-c", code], cwd=workspace, env=env, capture_output=True, text=True,
                                  timeout=1200, check=False)  # fmt: skip
        assert done.returncode == 0, f"{where}\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
        assert "Traceback" not in done.stderr, where
        check_output(example, done, workspace, samples, text)
        ran.append(example.code)
    assert any(c.startswith("kg load") for c in ran) and any(c.startswith("kg query") for c in ran)
    clear(neo4j)


def check_output(example: Example, done: subprocess.CompletedProcess[str], ws: Path, samples: int, text: str) -> None:
    """What the README says each kind of command gives, in shape."""
    code, out = example.code, done.stdout
    where = f"README.md:{example.line}"
    if re.match(r"kg build( -o out)?\s*(#|$)", code) or code.startswith("kg build kg/samples/articles -o out "):
        assert out.startswith(f"{samples} articles, "), where  # the table counts what was read
        assert "DevelopmentZone" in out and "LOCATED_IN" in out, where
    if code.startswith("kg load kg/samples/articles"):
        assert out.startswith(f"loaded {samples} articles, "), where
    if code.startswith("kg unload "):
        assert out.startswith("unloaded A"), where
    if code.startswith("kg query") and "--format json" in code:
        assert isinstance(json.loads(out), list), where
    elif code.startswith("kg query") and "--format csv" in code and ">" in code:
        target = ws / code.split(">", 1)[1].split()[0]
        assert target.read_text(encoding="utf-8").splitlines()[0].count(",") >= 1, where
    elif code.startswith("kg query --list"):
        assert "companies_in_zone: " in out, where
    elif code.startswith("kg query"):
        assert re.search(r"\((\d+ rows|1 row|no rows)\)$", out.strip()), where
    if code.startswith("kg validate"):
        assert "conforms" in out, where
    if code.startswith("kg viz"):
        target = ws / code.split("-o", 1)[1].split()[0]
        assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>"), where
    if code.startswith("kg stats out/graph.json"):
        for line in output_block_after(text, "kg stats out/graph.json"):
            if line.strip() and "…" not in line and not re.match(r"\s*[\u4e00-\u9fff]", line):
                assert shape(line).search(re.sub(r" +", " ", out)), f"{where}: no line like {line!r}"
    if example.kind == "python" and "rdflib" in code:
        for line in out.splitlines():
            assert re.fullmatch(r".+ → .+ \| .+", line), where
    if code.startswith("kg --version"):
        assert out.startswith("kg "), where


def test_the_query_table_lists_the_library() -> None:
    """Every question in cypher/ is in the README's table, and the table names no other."""
    text = README.read_text(encoding="utf-8")
    section = text[text.index("| query | question |") : text.index("A parameter declared")]
    first_cells = [line.split("|")[1] for line in section.splitlines()[2:] if line.startswith("|")]
    listed = set(re.findall(r"`(\w+)`", "\n".join(first_cells)))
    assert listed == {p.stem for p in (ROOT / "cypher").glob("*.cypher")}
