"""The trained parts: gold projected onto text, the scorers' training (deterministic), cross-validation by
article, and the `kg train` / `kg eval --folds` / `kg eval --gold-entities` commands. Articles are ours."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kg.learn.crossval import folds_of
from kg.learn.gold import GoldEntity, GoldGraph, project
from kg.learn.linear import LinearModel, fit, fit_ranker
from kg.learn.train import TrainConfig, annotated_pairs, digest, read_annotated, train_models
from kg.pipeline import sample_articles_dir

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SAMPLES = (sample_articles_dir(), FIXTURES / "gold")


def _gold(*entities: tuple[str, str, str, tuple[str, ...]]) -> GoldGraph:
    return GoldGraph(
        "t.txt", tuple(GoldEntity(i, lab, name, aliases, True, {}) for i, lab, name, aliases in entities), ()
    )


def _spans(text: str, gold: GoldGraph) -> list[tuple[str, str]]:
    return [(text[m.start : m.end], m.label) for m in project(gold, text)]


def test_a_firm_then_project_alias_gives_way_to_its_parts() -> None:
    text = "岚峰铝业有限公司智能仓储项目开工。"
    gold = _gold(
        ("E1", "Company", "岚峰铝业有限公司", ()),
        ("E2", "Project", "智能仓储项目", ("岚峰铝业有限公司智能仓储项目",)),
    )
    assert _spans(text, gold) == [("岚峰铝业有限公司", "Company"), ("智能仓储项目", "Project")]


def test_a_name_holding_a_place_in_brackets_is_kept_whole() -> None:
    text = "以岚峰高导材料（山西）有限公司为代表"
    gold = _gold(("E1", "Company", "岚峰高导材料(山西)有限公司", ("岚峰高导",)), ("E2", "Region", "山西", ()))
    assert _spans(text, gold) == [("岚峰高导材料（山西）有限公司", "Company")]


def test_a_product_word_inside_a_firm_name_is_no_product_mention() -> None:
    text = "澄江化妆品有限公司生产化妆品。"
    gold = _gold(("E1", "Company", "澄江化妆品有限公司", ()), ("E2", "Product", "化妆品", ()))
    spans = _spans(text, gold)
    assert spans.count(("化妆品", "Product")) == 1
    assert ("澄江化妆品有限公司", "Company") in spans


def test_linear_fit_learns_a_separable_feature_and_round_trips() -> None:
    rows = [("a", "x"), ("a", "y"), ("b", "x"), ("b", "y")] * 5
    labels = [1, 1, 0, 0] * 5
    weights, bias = fit(rows, labels, c=10.0)
    model = LinearModel("entity", {"Company": weights}, {"Company": bias}, {"Company": 0.5})
    assert model.probability("Company", ["a"]) > 0.8 > 0.2 > model.probability("Company", ["b"])
    again = LinearModel.from_dict(json.loads(json.dumps(model.to_dict())))
    assert again.probability("Company", ["a"]) == pytest.approx(model.probability("Company", ["a"]), abs=1e-5)


def test_the_ranker_prefers_the_alternative_with_the_right_shape() -> None:
    groups = [([("c0|以", "len|8"), ("c0|岚", "len|6"), ("c0|峰", "len|5")], 1)] * 10
    weights = fit_ranker(groups, c=10.0)
    score = {alt: sum(weights.get(f, 0.0) for f in alt) for alt in groups[0][0]}
    assert max(score, key=score.__getitem__) == ("c0|岚", "len|6")


def test_folds_are_article_disjoint_and_cover_every_article() -> None:
    items = read_annotated(annotated_pairs(*SAMPLES) + annotated_pairs(FIXTURES / "dev"))
    folds = folds_of(items, 3)
    names = [it.name for fold in folds for it in fold]
    assert sorted(names) == sorted(it.name for it in items)
    assert len(names) == len(set(names))


def test_a_seeded_partition_deals_other_folds_of_the_same_articles() -> None:
    items = read_annotated(annotated_pairs(*SAMPLES) + annotated_pairs(FIXTURES / "dev"))
    by_name = [[it.name for it in fold] for fold in folds_of(items, 3)]
    shuffled = [[it.name for it in fold] for fold in folds_of(items, 3, seed=1)]
    assert sorted(n for f in shuffled for n in f) == sorted(n for f in by_name for n in f)
    assert shuffled != by_name
    assert shuffled == [[it.name for it in fold] for fold in folds_of(items, 3, seed=1)]  # the seed decides


def test_training_is_deterministic() -> None:
    pairs = annotated_pairs(*SAMPLES) + annotated_pairs(FIXTURES / "dev")
    items = read_annotated(pairs)
    config = TrainConfig(stacked=False)
    first = [m.to_dict() for m in train_models(items, config, digest(pairs))]
    second = [m.to_dict() for m in train_models(read_annotated(pairs), config, digest(pairs))]
    assert json.dumps(first, ensure_ascii=False) == json.dumps(second, ensure_ascii=False)
    assert first[0]["meta"]["data_digest"] == digest(pairs) and first[0]["meta"]["articles"] == len(items)
    assert first[0]["weights"] and first[1]["weights"]


def _kg(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kg", *args], capture_output=True, text=True, env=env, timeout=600)


def test_kg_train_writes_models_that_kg_extract_uses(tmp_path: Path) -> None:
    out = tmp_path / "models"
    done = _kg("train", f"{SAMPLES[0]}:{SAMPLES[1]}", str(FIXTURES / "dev"), "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert (out / "entity.json").exists() and (out / "relation.json").exists()
    meta = json.loads((out / "entity.json").read_text(encoding="utf-8"))["meta"]
    assert meta["config"]["entity_c"] == TrainConfig().entity_c and meta["articles"] == 9
    import os

    env = {**os.environ, "KG_MODEL_DIR": str(out)}
    article = next(SAMPLES[0].glob("*.txt"))
    extracted = _kg("extract", str(article), env=env)
    assert extracted.returncode == 0, extracted.stderr
    assert json.loads(extracted.stdout)["entities"]


def test_kg_eval_folds_prints_rules_only_and_trained_figures_side_by_side() -> None:
    done = _kg("eval", "--folds", "3", f"{SAMPLES[0]}:{SAMPLES[1]}", str(FIXTURES / "dev"), str(FIXTURES / "blind"))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("3-fold cross-validation by article over 14 annotated articles")
    summary = [x for x in lines if x.strip().startswith(("rules only", "trained"))]
    assert len(summary) == 4 and any("over gold entities" in x for x in summary)
    for line in summary:
        f1 = float(line.rsplit("F1", 1)[1])
        assert 0.0 < f1 <= 1.0


def test_kg_eval_folds_repeats_pools_partitions_and_shows_their_spread() -> None:
    sources = (f"{SAMPLES[0]}:{SAMPLES[1]}", str(FIXTURES / "dev"))
    done = _kg("eval", "--folds", "3", "--repeats", "2", *sources, "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["repeats"] == 2
    trained = data["runs"]["trained"]
    assert len(trained["partitions"]) == 2
    # Pooled: every article is scored once per partition, so twice the gold items of one partition.
    one = _kg("eval", "--folds", "3", *sources, "--json")
    single = json.loads(one.stdout)["runs"]["trained"]["end_to_end"]["core"]["entities"]["overall"]
    pooled = trained["end_to_end"]["core"]["entities"]["overall"]
    assert pooled["tp"] + pooled["fn"] == 2 * (single["tp"] + single["fn"])
    refused = _kg("eval", "--folds", "3", "--repeats", "0", *sources)
    assert refused.returncode == 2 and "--repeats 0" in refused.stderr and "Traceback" not in refused.stderr


def test_kg_eval_folds_refuses_more_folds_than_articles() -> None:
    done = _kg("eval", "--folds", "50", f"{SAMPLES[0]}:{SAMPLES[1]}")
    assert done.returncode == 2 and "--folds 50" in done.stderr and "Traceback" not in done.stderr


def test_kg_eval_gold_entities_reads_relations_over_the_gold_entities() -> None:
    done = _kg("eval", "--gold-entities", f"{SAMPLES[0]}:{SAMPLES[1]}", "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["core"]["entities"]["overall"]["f1"] == 1.0  # the gold entities themselves
    assert 0.0 < data["core"]["relations"]["overall"]["f1"] <= 1.0


def test_kg_eval_details_counts_true_and_false_positives_per_rule(tmp_path: Path) -> None:
    pred = tmp_path / "pred"
    assert _kg("extract", str(SAMPLES[0]), "-o", str(pred), "-q").returncode == 0
    done = _kg("eval", str(SAMPLES[1]), str(pred), "--details")
    assert done.returncode == 0, done.stderr
    block = done.stdout.split("== core: true and false positives per rule ==", 1)[1]
    rows = [x.split() for x in block.splitlines()[1:] if x.startswith("  ") and x.split()[0].count(".") >= 1]
    assert rows and all(len(r) == 4 for r in rows[:5])
    assert any(r[0].startswith("name.") and int(r[1]) > 0 for r in rows)


def test_a_type_the_articles_state_rarely_is_left_to_its_rules_however_many_examples_it_makes() -> None:
    """One approval read in five sentences, and again over predicted mentions, is still one approval."""
    from kg.learn.train import RelationExample, train_relation

    examples = [RelationExample("APPROVED", ("rule|approved.cue", f"s|{i}"), True) for i in range(20)]
    examples += [RelationExample("APPROVED", (f"s|{i}",), False) for i in range(20)]
    by_examples = train_relation(examples, TrainConfig(), {})
    assert "APPROVED" not in by_examples.meta["rule_types"]
    by_gold = train_relation(examples, TrainConfig(), {}, {"APPROVED": 3})
    assert "APPROVED" in by_gold.meta["rule_types"]
    assert "LOCATED_IN" in by_gold.meta["rule_types"]  # no gold relation of it at all
