"""The scorer's own tests: small gold/prediction tables with the counts they must give."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.errors import GraphFormatError, InputError
from kg.evaluate import ENTITY, RELATION, Counts, evaluate_graphs, evaluate_paths


def ent(eid: str, label: str, name: str, *aliases: str, confidence: str = "core") -> dict[str, Any]:
    return {
        "id": eid,
        "label": label,
        "name": name,
        "aliases": list(aliases),
        "props": {},
        "confidence": confidence,
    }


def rel(rtype: str, head: str, tail: str, confidence: str = "core") -> dict[str, Any]:
    return {
        "type": rtype,
        "head": head,
        "tail": tail,
        "props": {},
        "evidence": "句子。",
        "confidence": confidence,
    }


def graph(entities: list[dict[str, Any]], relations: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"doc": "a.txt", "entities": entities, "relations": relations or []}


ZONE = ent("E1", "DevelopmentZone", "兴县经济技术开发区", "兴县经开区")
FIRM = ent("E2", "Company", "元泰高导材料（山西）有限公司", "元泰高导", "元泰")
PARK = ent("E3", "Park", "瓦塘铝工业园区")
PERSON = ent("E4", "Person", "蒋斌")
EDGE_REGION = ent("E5", "Region", "兴县", confidence="edge")
HUAWEI = ent("E6", "Company", "华为公司", "华为")

GOLD = graph(
    [ZONE, FIRM, PARK, PERSON, EDGE_REGION, HUAWEI],
    [
        rel("LOCATED_IN", "E2", "E3"),
        rel("PART_OF", "E3", "E1"),
        rel("WORKS_FOR", "E4", "E2"),
        rel("LOCATED_IN", "E1", "E5", confidence="edge"),
        rel("COOPERATES_WITH", "E2", "E6"),
    ],
)


def p_ent(eid: str, label: str, name: str, *aliases: str) -> dict[str, Any]:
    """A prediction as kg extract writes it: no core/edge, extra fields the scorer ignores."""
    return {"id": eid, "label": label, "name": name, "aliases": list(aliases), "props": {}, "mentions": []}


def p_rel(rtype: str, head: str, tail: str) -> dict[str, Any]:
    return {
        "id": "R",
        "type": rtype,
        "head": head,
        "tail": tail,
        "props": {},
        "evidence": "句子。",
        "evidence_span": [0, 3],
        "confidence": 0.9,
    }


PERFECT_ENTS = [
    p_ent("P1", "DevelopmentZone", "兴县经济技术开发区"),
    p_ent("P2", "Company", "元泰高导材料（山西）有限公司"),
    p_ent("P3", "Park", "瓦塘铝工业园区"),
    p_ent("P4", "Person", "蒋斌"),
    p_ent("P5", "Region", "兴县"),
    p_ent("P6", "Company", "华为"),
]
PERFECT_RELS = [
    p_rel("LOCATED_IN", "P2", "P3"),
    p_rel("PART_OF", "P3", "P1"),
    p_rel("WORKS_FOR", "P4", "P2"),
    p_rel("LOCATED_IN", "P1", "P5"),
    p_rel("COOPERATES_WITH", "P2", "P6"),
]


def replace(items: list[dict[str, Any]], index: int, new: dict[str, Any] | None) -> list[dict[str, Any]]:
    out = list(items)
    if new is None:
        del out[index]
    else:
        out[index] = new
    return out


# (case, predicted entities, predicted relations, (mode, item) → expected (tp, fp, fn))
CASES: list[
    tuple[str, list[dict[str, Any]], list[dict[str, Any]], dict[tuple[str, str], tuple[int, int, int]]]
] = [
    (
        "perfect",
        PERFECT_ENTS,
        PERFECT_RELS,
        {
            ("all", ENTITY): (6, 0, 0),
            ("core", ENTITY): (5, 0, 0),
            ("all", RELATION): (5, 0, 0),
            ("core", RELATION): (4, 0, 0),
        },
    ),
    (
        "missing entity loses it and its relations",
        replace(PERFECT_ENTS, 3, None),
        replace(PERFECT_RELS, 2, None),
        {
            ("all", ENTITY): (5, 0, 1),
            ("core", ENTITY): (4, 0, 1),
            ("all", RELATION): (4, 0, 1),
            ("core", RELATION): (3, 0, 1),
        },
    ),
    (
        "alias matches the gold canonical name's entity",
        replace(PERFECT_ENTS, 1, p_ent("P2", "Company", "元泰", "元泰高导")),
        PERFECT_RELS,
        {("all", ENTITY): (6, 0, 0), ("all", RELATION): (5, 0, 0)},
    ),
    (
        "NFKC: half-width brackets and spaces match full-width",
        replace(PERFECT_ENTS, 1, p_ent("P2", "Company", "元泰高导材料 (山西) 有限公司")),
        PERFECT_RELS,
        {("all", ENTITY): (6, 0, 0), ("all", RELATION): (5, 0, 0)},
    ),
    (
        "quotes are ignored",
        replace(PERFECT_ENTS, 2, p_ent("P3", "Park", "“瓦塘铝工业园区”")),
        PERFECT_RELS,
        {("all", ENTITY): (6, 0, 0)},
    ),
    (
        "one to one: a second prediction for the same gold is a false positive",
        [*PERFECT_ENTS, p_ent("P7", "Company", "元泰高导")],
        PERFECT_RELS,
        {("all", ENTITY): (6, 1, 0), ("core", ENTITY): (5, 1, 0), ("all", RELATION): (5, 0, 0)},
    ),
    (
        "relation through the duplicate entity is a false positive",
        [*PERFECT_ENTS, p_ent("P7", "Company", "元泰高导")],
        [*PERFECT_RELS, p_rel("LOCATED_IN", "P7", "P3")],
        {("all", ENTITY): (6, 1, 0), ("all", RELATION): (5, 1, 0)},
    ),
    (
        "duplicate relation: one credited, one false positive",
        PERFECT_ENTS,
        [*PERFECT_RELS, p_rel("PART_OF", "P3", "P1")],
        {("all", RELATION): (5, 1, 0), ("core", RELATION): (4, 1, 0)},
    ),
    (
        "wrong label does not match",
        replace(PERFECT_ENTS, 2, p_ent("P3", "DevelopmentZone", "瓦塘铝工业园区")),
        PERFECT_RELS,
        {("all", ENTITY): (5, 1, 1), ("all", RELATION): (3, 2, 2)},
    ),
    (
        "core mode: edge items neither credited nor penalised",
        PERFECT_ENTS,
        PERFECT_RELS,
        {("core", ENTITY): (5, 0, 0), ("core", RELATION): (4, 0, 0)},
    ),
    (
        "core mode: edge items missed are not false negatives",
        replace(PERFECT_ENTS, 4, None),
        replace(PERFECT_RELS, 3, None),
        {
            ("all", ENTITY): (5, 0, 1),
            ("core", ENTITY): (5, 0, 0),
            ("all", RELATION): (4, 0, 1),
            ("core", RELATION): (4, 0, 0),
        },
    ),
    (
        "core relation whose endpoint is an edge entity still counts as core",
        PERFECT_ENTS,
        [*PERFECT_RELS, p_rel("LOCATED_IN", "P2", "P5")],
        {("core", RELATION): (4, 1, 0), ("all", RELATION): (5, 1, 0)},
    ),
    (
        "COOPERATES_WITH reversed matches",
        PERFECT_ENTS,
        replace(PERFECT_RELS, 4, p_rel("COOPERATES_WITH", "P6", "P2")),
        {("all", RELATION): (5, 0, 0)},
    ),
    (
        "a directed relation reversed does not match",
        PERFECT_ENTS,
        replace(PERFECT_RELS, 1, p_rel("PART_OF", "P1", "P3")),
        {("all", RELATION): (4, 1, 1)},
    ),
    (
        "relation with a wrong endpoint",
        PERFECT_ENTS,
        replace(PERFECT_RELS, 2, p_rel("WORKS_FOR", "P4", "P1")),
        {("all", RELATION): (4, 1, 1), ("core", RELATION): (3, 1, 1)},
    ),
    (
        "relation of the wrong type",
        PERFECT_ENTS,
        replace(PERFECT_RELS, 0, p_rel("PART_OF", "P2", "P3")),
        {("all", RELATION): (4, 1, 1)},
    ),
    (
        "empty prediction",
        [],
        [],
        {
            ("all", ENTITY): (0, 0, 6),
            ("core", ENTITY): (0, 0, 5),
            ("all", RELATION): (0, 0, 5),
            ("core", RELATION): (0, 0, 4),
        },
    ),
]


@pytest.mark.parametrize(("case", "entities", "relations", "expected"), CASES, ids=[c[0] for c in CASES])
def test_scores(
    case: str,
    entities: list[dict[str, Any]],
    relations: list[dict[str, Any]],
    expected: dict[tuple[str, str], tuple[int, int, int]],
) -> None:
    evaluation = evaluate_graphs([(GOLD, graph(entities, relations))])
    for (mode, item), (tp, fp, fn) in expected.items():
        assert evaluation.table(mode, item).overall == Counts(tp, fp, fn), (case, mode, item)


def test_gold_against_itself_is_perfect() -> None:
    evaluation = evaluate_graphs([(GOLD, GOLD)])
    for mode in ("all", "core"):
        for item in (ENTITY, RELATION):
            assert evaluation.table(mode, item).overall.f1 == 1.0


def test_one_to_one_assignment_finds_the_maximum() -> None:
    # P1 shares two names with G2 and one with G1; P2 only one with G2. Greedy alone gives P1 → G2 and
    # leaves P2 unmatched; the assignment must find P1 → G1, P2 → G2.
    gold = graph(
        [ent("G1", "Company", "甲乙公司", "甲乙"), ent("G2", "Company", "甲乙集团", "乙集团", "甲乙")]
    )
    pred = graph([p_ent("P1", "Company", "甲乙集团", "甲乙"), p_ent("P2", "Company", "乙集团")])
    assert evaluate_graphs([(gold, pred)]).table("all", ENTITY).overall == Counts(2, 0, 0)


def test_per_label_counts_and_scores() -> None:
    pred = graph(replace(PERFECT_ENTS, 3, p_ent("P4", "Person", "王渊")), PERFECT_RELS)
    table = evaluate_graphs([(GOLD, pred)]).table("all", ENTITY)
    assert table.per_key["Person"] == Counts(0, 1, 1)
    assert table.per_key["Company"] == Counts(2, 0, 0)
    overall = table.overall
    assert (overall.precision, overall.recall) == (5 / 6, 5 / 6)
    assert overall.f1 == pytest.approx(5 / 6)


@pytest.mark.parametrize(
    ("counts", "precision", "recall", "f1"),
    [
        (Counts(0, 0, 0), 0.0, 0.0, 0.0),
        (Counts(1, 1, 0), 0.5, 1.0, 2 / 3),
        (Counts(3, 0, 1), 1.0, 0.75, 6 / 7),
    ],
)
def test_counts_arithmetic(counts: Counts, precision: float, recall: float, f1: float) -> None:
    assert (counts.precision, counts.recall) == (precision, recall)
    assert counts.f1 == pytest.approx(f1)


def test_details_name_the_errors_and_give_hints() -> None:
    pred = graph(
        [
            *replace(PERFECT_ENTS, 2, p_ent("P3", "DevelopmentZone", "瓦塘铝工业园区")),
            p_ent("P9", "Person", "王渊"),
        ],
        PERFECT_RELS,
    )
    (result,) = evaluate_graphs([(GOLD, pred)]).files
    errors = {(o.kind, o.item, o.text): o.note for o in result.errors("all")}
    assert ("fn", ENTITY, "瓦塘铝工业园区") in errors
    assert errors[("fp", ENTITY, "瓦塘铝工业园区")] == "gold has '瓦塘铝工业园区' as Park"
    assert ("fp", ENTITY, "王渊") in errors
    assert "not matched to gold" in errors[("fp", RELATION, "元泰高导材料（山西）有限公司 → 瓦塘铝工业园区")]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([1, 2], "not a per-article graph"),
        ({"entities": [{"id": "E1"}]}, "malformed"),
        ({"format": "kg.corpusgraph", "entities": []}, "corpus graph"),
    ],
)
def test_bad_graphs_are_format_errors(data: Any, message: str) -> None:
    with pytest.raises(GraphFormatError, match=message):
        evaluate_graphs([(GOLD, data)])


# --- files and the CLI ------------------------------------------------------------------------------


def write(path: Path, data: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def dirs(tmp_path: Path) -> tuple[Path, Path]:
    gold, pred = tmp_path / "gold", tmp_path / "pred"
    write(gold / "a.json", GOLD)
    write(gold / "b.json", {**GOLD, "doc": "b.txt"})
    write(pred / "a.json", graph(PERFECT_ENTS, PERFECT_RELS))
    write(pred / "c.json", graph(PERFECT_ENTS, PERFECT_RELS))
    return gold, pred


def test_paths_pair_by_stem_and_report_the_unpaired(dirs: tuple[Path, Path]) -> None:
    gold, pred = dirs
    evaluation = evaluate_paths(gold, pred)
    assert evaluation.missing_predictions == ("b.txt",)
    assert evaluation.unpaired_predictions == (str(pred / "c.json"),)
    # b has no prediction: scored as empty, so all its gold items are false negatives.
    assert evaluation.table("all", ENTITY).overall == Counts(6, 0, 6)


@pytest.mark.parametrize(
    ("gold_name", "pred_name", "message"),
    [
        ("gold", "nowhere", "no such file"),
        ("gold", "empty", "no .json files"),
        ("gold", "other", "no prediction file"),
    ],
)
def test_paths_errors(tmp_path: Path, gold_name: str, pred_name: str, message: str) -> None:
    write(tmp_path / "gold" / "a.json", GOLD)
    (tmp_path / "empty").mkdir()
    write(tmp_path / "other" / "z.json", GOLD)
    with pytest.raises(InputError, match=message):
        evaluate_paths(tmp_path / gold_name, tmp_path / pred_name)


def test_two_files_compare_whatever_their_names(tmp_path: Path) -> None:
    gold = write(tmp_path / "gold.json", GOLD)
    pred = write(tmp_path / "out.json", graph(PERFECT_ENTS, PERFECT_RELS))
    assert evaluate_paths(gold, pred).table("core", RELATION).overall == Counts(4, 0, 0)


def _invoke(*args: str) -> Any:
    """Run `kg eval …` whether or not other commands are registered (a one-command app has no name)."""
    runner = CliRunner()
    result = runner.invoke(app, ["eval", *args])
    if result.exit_code == 2 and "unexpected extra argument" in str(result.output) + str(result.exception):
        result = runner.invoke(app, list(args))
    return result


def test_cli_prints_both_blocks(dirs: tuple[Path, Path]) -> None:
    gold, pred = dirs
    result = _invoke(str(gold), str(pred))
    assert result.exit_code == 0, result.output
    assert "== all: all gold items ==" in result.stdout
    assert "== core: core items only" in result.stdout
    assert "overall (micro)" in result.stdout
    assert "no prediction for gold b.txt" in result.stderr


def test_cli_details(dirs: tuple[Path, Path]) -> None:
    gold, pred = dirs
    result = _invoke(str(gold), str(pred), "--details")
    assert result.exit_code == 0, result.output
    assert "FN entity   Person           蒋斌" in result.stdout
    assert "-- a.txt [core]: 0 errors --" in result.stdout


def test_cli_json(dirs: tuple[Path, Path]) -> None:
    gold, pred = dirs
    result = _invoke(str(gold), str(pred), "--json", "--details")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["core"]["entities"]["overall"] == {
        "tp": 5,
        "fp": 0,
        "fn": 5,
        "precision": 1.0,
        "recall": 0.5,
        "f1": 0.6667,
    }
    assert data["missing_predictions"] == ["b.txt"]
    assert data["details"]["a.txt"]["all"] == []
    assert {o["text"] for o in data["details"]["b.txt"]["all"]} >= {"蒋斌", "兴县"}
    assert "兴县" not in {o["text"] for o in data["details"]["b.txt"]["core"]}


def test_cli_missing_dir_is_an_error_not_a_crash(tmp_path: Path) -> None:
    write(tmp_path / "gold" / "a.json", GOLD)
    result = _invoke(str(tmp_path / "gold"), str(tmp_path / "nowhere"))
    assert result.exit_code != 0
    assert isinstance(result.exception, InputError | SystemExit)
