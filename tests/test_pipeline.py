"""One article never stops the others: an unexpected error in the extraction is that article's failure, in
one process or in several, and the command line says so in one line (the traceback only with --debug)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import kg.extract
from kg.pipeline import extract_input, extract_many, read_input

GOOD = "科学导报讯 近日，长平翼航智能科技有限公司入驻安平高新技术产业开发区。"
POISON = "毒丸"  # an article holding this word makes the stand-in extraction raise

# The stand-in for kg.extract.extract: raises for one article, delegates for the rest. Importable by the
# worker processes of -w N and by `python -c` below.
BOOM = f"""
import kg.extract
_real = kg.extract.extract
def _boom(article):
    if {POISON!r} in article.text:
        raise RuntimeError("generator raised StopIteration")
    return _real(article)
kg.extract.extract = _boom
"""


@pytest.fixture()
def articles(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(4):
        text = f"{GOOD}第{i}篇。" if i != 1 else f"{GOOD}{POISON}。"
        (folder / f"{i}.txt").write_text(text, encoding="utf-8")
    return folder


@pytest.fixture()
def boom(monkeypatch: pytest.MonkeyPatch) -> None:
    real = kg.extract.extract

    def extract(article):  # type: ignore[no-untyped-def]
        if POISON in article.text:
            raise RuntimeError("generator raised StopIteration")
        return real(article)

    monkeypatch.setattr(kg.extract, "extract", extract)


@pytest.mark.parametrize("workers", [1, 2])
def test_an_unexpected_error_fails_only_its_article(articles: Path, boom: None, workers: int) -> None:
    results = list(extract_many(sorted(articles.glob("*.txt")), workers=workers))
    assert [Path(r.path).name for r in results] == ["0.txt", "1.txt", "2.txt", "3.txt"]
    failed = [r for r in results if r.error]
    assert [Path(r.path).name for r in failed] == ["1.txt"]
    (bad,) = failed
    assert bad.error is not None and "\n" not in bad.error
    assert "1.txt" in bad.error and "RuntimeError: generator raised StopIteration" in bad.error
    assert bad.trace is not None and "Traceback" in bad.trace and "_boom" not in bad.error
    assert all(r.graph is not None and r.graph.entities for r in results if not r.error)


def test_the_corpus_is_built_from_the_other_articles(articles: Path, boom: None) -> None:
    got = read_input(articles)
    assert got.batch is not None and len(got.batch.failed) == 1
    assert len(got.corpus.articles) == 3


def test_a_single_article_failing_is_reported_not_raised(articles: Path, boom: None) -> None:
    batch = extract_input(articles / "1.txt")
    assert batch.results[0].graph is None and batch.results[0].trace


def kg_with_boom(*args: str) -> subprocess.CompletedProcess[str]:
    code = BOOM + "\nfrom kg.cli import main\nmain()\n"
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=300, check=False
    )


@pytest.mark.parametrize("workers", ["1", "2"])
def test_the_command_line_names_the_article_in_one_line(articles: Path, tmp_path: Path, workers: str) -> None:
    done = kg_with_boom("extract", str(articles), "-o", str(tmp_path / "out"), "-w", workers)
    assert done.returncode == 1
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["0.json", "2.json", "3.json"]
    errors = [line for line in done.stderr.splitlines() if line.startswith("kg: error:")]
    assert len(errors) == 1 and "1.txt" in errors[0] and "--debug" in errors[0]
    assert "Traceback" not in done.stderr
    assert "3 of 4 files processed" in done.stderr and "1 failed: 1.txt" in done.stderr


@pytest.mark.parametrize("where", ["global", "command"])
def test_debug_prints_the_traceback(articles: Path, tmp_path: Path, where: str) -> None:
    args = ["build", str(articles), "-o", str(tmp_path / "out")]
    args = ["--debug", *args] if where == "global" else [*args, "--debug"]
    done = kg_with_boom(*args)
    assert done.returncode == 1
    assert "Traceback (most recent call last)" in done.stderr and "_boom" in done.stderr
    assert (tmp_path / "out" / "graph.json").is_file()  # the first build writes what it could


def test_warnings_for_articles_that_are_probably_not_news(tmp_path: Path) -> None:
    (tmp_path / "english.txt").write_text("Quarterly report: revenue grew by 4 percent.", encoding="utf-8")
    (tmp_path / "page.txt").write_text("<html><body><p>近日，记者获悉。</p></body></html>", encoding="utf-8")
    (tmp_path / "news.txt").write_text(GOOD, encoding="utf-8")
    batch = extract_input(tmp_path)
    warnings = {Path(r.path).name: r.warnings for r in batch.results}
    assert any("no Chinese text" in w for w in warnings["english.txt"])
    assert any("looks like HTML" in w for w in warnings["page.txt"])
    assert warnings["news.txt"] == ()


# ---------------------------------------------------------------------------------------------------------
# Workers share what the parent loaded and write their own JSON (issue 9)


def _pipeline_was_inherited(_: int) -> bool:
    """In a worker: the pipeline's cache was filled before this process existed (its initializer then only
    hit it), i.e. the worker was forked from a parent that had loaded it."""
    from kg.nlp import make_nlp

    info = make_nlp.cache_info()
    return info.misses == 1 and info.hits >= 1


def test_workers_are_forked_with_the_pipeline_loaded() -> None:
    from kg.pipeline import run_many

    assert all(run_many(_pipeline_was_inherited, [(i,) for i in range(4)], workers=2))


@pytest.mark.parametrize("workers", [1, 2])
def test_workers_write_their_own_json_and_send_back_no_graph(articles: Path, tmp_path: Path, workers: int) -> None:
    import json

    from kg.build import doc_names, extract_files

    paths = sorted(articles.glob("*.txt"))
    got = list(extract_files(paths, tmp_path / "docs", doc_names(paths, articles), workers))
    assert [Path(x.result.path).name for x in got] == [p.name for p in paths]
    assert all(x.result.graph is None for x in got)  # graphs never travel back
    assert all(x.records is not None and x.records.article.text == "" for x in got)  # nor their text
    written = {p.name: json.loads(p.read_text(encoding="utf-8")) for p in (tmp_path / "docs").iterdir()}
    assert sorted(written) == ["0.json", "1.json", "2.json", "3.json"]
    assert all(doc["article"]["text"].startswith(GOOD) for doc in written.values())


def test_docs_names_come_from_the_listing_whatever_fails(tmp_path: Path) -> None:
    from kg.build import doc_names

    paths = [tmp_path / "a.txt", tmp_path / "a.md", tmp_path / "sub" / "b.txt"]
    assert doc_names(paths, tmp_path) == {
        str(tmp_path / "a.txt"): "a.txt.json",
        str(tmp_path / "a.md"): "a.md.json",
        str(tmp_path / "sub" / "b.txt"): "sub/b.json",
    }


def test_jieba_primed_from_its_cache_holds_what_jieba_loads_itself() -> None:
    """kg hands jieba its prefix dictionary read whole from jieba's cache (kg.nlp.prime_jieba): it must be
    the dictionary jieba's own initialisation loads, so segmentation is unchanged."""
    import jieba

    from kg.nlp import make_nlp, prime_jieba

    make_nlp()  # jieba's default tokenizer is initialised, and its cache written if it was not there
    own = jieba.Tokenizer()
    own.initialize()
    primed = jieba.Tokenizer()
    assert prime_jieba(primed)
    assert primed.initialized and not prime_jieba(primed)
    assert (primed.total, primed.FREQ) == (own.total, own.FREQ)
    text = "岚峰铝业有限公司年产5万吨铝合金杆项目落户青禾经济技术开发区。"
    assert list(primed.cut(text)) == list(own.cut(text))
