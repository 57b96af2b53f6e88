"""Every notebook in notebooks/ runs top to bottom (nbclient) and is kept in git with outputs stripped."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

nbformat = pytest.importorskip("nbformat", reason="nbformat is a dev dependency: pip install -e '.[dev]'")
nbclient = pytest.importorskip("nbclient", reason="nbclient is a dev dependency: pip install -e '.[dev]'")

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
ALL = sorted(NOTEBOOKS.glob("*.ipynb"))


def test_the_three_notebooks_are_there() -> None:
    assert [p.name for p in ALL] == [
        "01_extract_article.ipynb",
        "02_corpus_analytics.ipynb",
        "03_neo4j_cypher.ipynb",
    ]


@pytest.mark.parametrize("path", ALL, ids=[p.stem for p in ALL])
def test_outputs_are_stripped(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, (
                f"{path.name}: strip outputs before commit"
            )


def execute(path: Path, tmp_path: Path) -> Any:
    """Run a notebook in a fresh kernel (which inherits this process's environment) and return it run."""
    nb = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    )
    client.execute()
    return nb


def text_of(nb: Any) -> str:
    parts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            parts.append(out.get("text", ""))
            parts.append(str(out.get("data", {}).get("text/plain", "")))
    return "\n".join(parts)


def images_of(nb: Any) -> int:
    return sum("image/png" in out.get("data", {}) for cell in nb.cells for out in cell.get("outputs", []))


def test_extract_article_notebook(tmp_path: Path) -> None:
    nb = execute(NOTEBOOKS / "01_extract_article.ipynb", tmp_path)
    text = text_of(nb)
    assert "01_jinhe_zone.txt" in text
    assert "金河经济技术开发区" in text
    assert "—LOCATED_IN→" in text


def test_corpus_analytics_notebook(tmp_path: Path) -> None:
    nb = execute(NOTEBOOKS / "02_corpus_analytics.ipynb", tmp_path)
    text = text_of(nb)
    assert "connected components:" in text and "deepest supply chain:" in text
    assert images_of(nb) >= 3, "the bar charts and the network drawing are rendered"


def test_neo4j_cypher_notebook(tmp_path: Path, neo4j: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from kg.store.neo4j import clear

    clear(neo4j)
    for name, value in [
        ("NEO4J_URI", neo4j.uri),
        ("NEO4J_USER", neo4j.user),
        ("NEO4J_PASSWORD", neo4j.password),
        ("NEO4J_DATABASE", neo4j.database),
    ]:
        monkeypatch.setenv(name, value)
    nb = execute(NOTEBOOKS / "03_neo4j_cypher.ipynb", tmp_path)
    text = text_of(nb)
    assert "loaded 3 articles" in text
    assert "星岚精密材料（山西）有限公司" in text
    assert neo4j.password not in text
    clear(neo4j)
