"""Extraction quality: core-mode F1 floors on our sample articles and on ../shared/corpus, scored by kg eval.

The gold graphs of the samples (tests/fixtures/gold/) are hand-annotated by the annotation guidelines; the
first tests check they are well-formed, so a floor failure means the extraction, not the fixture, is off.
A failing floor prints every false positive and false negative, as `kg eval --details` does.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from kg.evaluate import ENTITY, RELATION, Evaluation, evaluate_graphs
from kg.io import read_article
from kg.pipeline import sample_articles_dir
from kg.schema import ENTITY_LABELS, FIGURES, RELATION_TYPES, TEXT_PROPS

FIXTURE_GOLD = Path(__file__).resolve().parent / "fixtures" / "gold"
DEV_SET = Path(__file__).resolve().parent / "fixtures" / "dev"
BLIND_SET = Path(__file__).resolve().parent / "fixtures" / "blind"

# Core mode, every article set: the targets (0.90 entities, 0.75 relations on the shared corpus).
FLOORS = {ENTITY: 0.90, RELATION: 0.75}


def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _pairs(articles: Path, gold_dir: Path) -> list[tuple[Path, Path]]:
    found = sorted(p for p in articles.iterdir() if p.suffix in (".txt", ".md"))
    return [(p, gold_dir / f"{p.stem}.json") for p in found]


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


# --- the fixtures themselves --------------------------------------------------------------------------


def test_every_sample_article_has_gold() -> None:
    pairs = _pairs(sample_articles_dir(), FIXTURE_GOLD)
    assert pairs, "no sample articles found"
    assert [g.name for _, g in pairs if not g.exists()] == []
    assert sorted(p.name for p in FIXTURE_GOLD.glob("*.json")) == sorted(g.name for _, g in pairs)


@pytest.mark.parametrize("article", sorted(sample_articles_dir().glob("*.txt")), ids=lambda p: p.name)
def test_fixture_gold_is_well_formed(article: Path) -> None:
    gold = _load(FIXTURE_GOLD / f"{article.stem}.json")
    text = _squeeze(read_article(article).text)
    assert gold["doc"] == article.name
    labels = {e["id"]: e["label"] for e in gold["entities"]}
    assert len(labels) == len(gold["entities"]), "duplicate entity ids"
    for e in gold["entities"]:
        assert e["label"] in ENTITY_LABELS, e
        assert e["confidence"] in ("core", "edge"), e
        assert set(e["props"]) <= set(FIGURES) | set(TEXT_PROPS), e
        # Every name is in the text (ignoring spaces), except a half-width bracket variant and a zone's
        # 管委会 named in full from "某某经济技术开发区党工委、管委会主任" (as the corpus gold does).
        for name in (e["name"], *e["aliases"]):
            constructed = "(" in name or (name.endswith("管委会") and "、管委会" in text)
            assert _squeeze(name) in text or constructed, (e["id"], name)
    seen = set()
    for r in gold["relations"]:
        rtype = RELATION_TYPES[r["type"]]
        assert rtype.allows(labels[r["head"]], labels[r["tail"]]), r
        assert r["confidence"] in ("core", "edge"), r
        assert _squeeze(r["evidence"]) in text, r["evidence"]
        key = (r["type"], r["head"], r["tail"])
        assert key not in seen, f"duplicate relation {key}"
        seen.add(key)


# --- extraction against gold --------------------------------------------------------------------------


def _evaluate(articles: Path, gold_dir: Path) -> Evaluation:
    from kg.pipeline import extract_file

    pairs = [(_load(gold), extract_file(article).to_dict()) for article, gold in _pairs(articles, gold_dir)]
    assert pairs, f"no articles in {articles}"
    return evaluate_graphs(pairs)


@pytest.fixture(scope="module")
def samples_evaluation() -> Evaluation:
    return _evaluate(sample_articles_dir(), FIXTURE_GOLD)


@pytest.fixture(scope="module")
def dev_evaluation() -> Evaluation:
    return _evaluate(DEV_SET, DEV_SET / "gold")


@pytest.fixture(scope="module")
def blind_evaluation() -> Evaluation:
    return _evaluate(BLIND_SET, BLIND_SET / "gold")


@pytest.fixture(scope="module")
def corpus_evaluation(shared_corpus: Path) -> Evaluation:
    return _evaluate(shared_corpus, shared_corpus / "gold")


def _errors(evaluation: Evaluation, item: str) -> str:
    lines = []
    for f in evaluation.files:
        for o in f.errors("core"):
            if o.item == item:
                note = f"  [{o.note}]" if o.note else ""
                lines.append(f"{f.doc}: {o.kind.upper()} {o.key} {o.text}{note}")
    return "\n".join(lines)


@pytest.mark.parametrize("item", [ENTITY, RELATION])
@pytest.mark.parametrize("articles", ["samples", "dev", "blind", "shared corpus"])
def test_core_f1_floor(articles: str, item: str, request: pytest.FixtureRequest) -> None:
    fixtures = {"samples": "samples_evaluation", "dev": "dev_evaluation", "blind": "blind_evaluation"}
    fixture = fixtures.get(articles, "corpus_evaluation")
    evaluation: Evaluation = request.getfixturevalue(fixture)
    scores = evaluation.table("core", item).overall
    assert scores.f1 >= FLOORS[item], (
        f"{articles}: core {item} F1 {scores.f1:.3f} < {FLOORS[item]} "
        f"(P {scores.precision:.3f}, R {scores.recall:.3f})\n{_errors(evaluation, item)}"
    )
