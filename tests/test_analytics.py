"""kg.analytics on graphs with known answers: hubs, components, supply-chain depth, investment per zone."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from synthetic import BYD, FOIL, FOIL_PROJECT, PARK_A, ZONE, chain_corpus, doc_graph, sample_like_corpus
from typer.testing import CliRunner

from kg import analytics
from kg.cli import app
from kg.io import write_json
from kg.merge import merge

GRAPH = sample_like_corpus()


def names(ids: list[str]) -> set[str]:
    index = GRAPH.entity_index()
    return {index[i].name for i in ids}


def test_networkx_graph_has_every_entity_and_relation() -> None:
    g = analytics.to_networkx(GRAPH)
    assert g.number_of_nodes() == len(GRAPH.entities)
    assert g.number_of_edges() == len(GRAPH.relations)
    types = {d["type"] for _, _, d in g.edges(data=True)}
    assert "SUPPLIES_TO" in types


def test_centrality_ranks_the_hub_firm_first() -> None:
    rows = analytics.centrality(GRAPH)
    assert {r.label for r in rows} == {"Company", "DevelopmentZone"}
    top = rows[0]
    assert (top.name, top.degree) == (FOIL, 8)
    assert top.betweenness == max(r.betweenness for r in rows) > 0
    assert next(r for r in rows if r.name == BYD).betweenness == 0


@pytest.mark.parametrize(
    ("labels", "expected"), [(("Park",), {PARK_A, "柳湾物流园区"}), (("Person",), {"韩立军", "邓慧明"})]
)
def test_centrality_takes_any_labels(labels: tuple[str, ...], expected: set[str]) -> None:
    assert {r.name for r in analytics.centrality(GRAPH, labels)} == expected


def test_components_largest_first() -> None:
    parts = analytics.components(GRAPH)
    assert [len(p) for p in parts] == [16, 3, 1]
    assert {FOIL, ZONE, BYD} <= names(parts[0])
    assert names(parts[1]) == {"长平翼航智能科技有限公司", "安平高新技术产业开发区", "长平职业技术学院"}
    assert names(parts[2]) == {"山西沁阳县"}  # mentioned, in no relation


@pytest.mark.parametrize("length", [1, 2, 3, 5])
def test_supply_chain_depth_follows_the_chain(length: int) -> None:
    chain = analytics.supply_chain_depth(chain_corpus(length))
    assert chain.depth == length
    assert chain.chain == tuple(f"链条企业{i}有限公司" for i in range(length + 1))
    assert chain.depth_by_company["链条企业0有限公司"] == 0


def test_supply_chain_depth_of_the_sample_like_graph() -> None:
    chain = analytics.supply_chain_depth(GRAPH)
    assert (chain.depth, chain.chain) == (2, ("蓝桥科技", FOIL, BYD))


def test_supply_loop_does_not_make_an_infinite_chain() -> None:
    text = "甲公司为乙公司供货。乙公司为甲公司供货。乙公司为丙公司供货。"
    ents = [("Company", n, (), {}) for n in ("甲公司", "乙公司", "丙公司")]
    rels = [
        ("SUPPLIES_TO", "甲公司", "乙公司", {}, "甲公司为乙公司供货。"),
        ("SUPPLIES_TO", "乙公司", "甲公司", {}, "乙公司为甲公司供货。"),
        ("SUPPLIES_TO", "乙公司", "丙公司", {}, "乙公司为丙公司供货。"),
    ]
    chain = analytics.supply_chain_depth(merge([doc_graph("loop.txt", text, ents, rels)]))
    assert chain.depth == 1
    assert chain.chain[-1] == "丙公司"


def test_no_supply_relations_means_depth_zero() -> None:
    only_zone = merge([doc_graph("z.txt", "金河经济技术开发区。", [("DevelopmentZone", ZONE, (), {})], [])])
    assert analytics.supply_chain_depth(only_zone) == analytics.SupplyChain(0, ())


def test_investment_by_zone_counts_projects_of_firms_in_its_parks() -> None:
    rows = analytics.investment_by_zone(GRAPH)
    assert [(r.name, r.projects, r.companies, r.investment_cny, r.output_value_cny) for r in rows] == [
        (ZONE, 1, 1, 650000000, 12650000000),
        ("安平高新技术产业开发区", 0, 1, 0, None),
    ]


def test_zone_members_reach_through_parks() -> None:
    zone_id = next(e.id for e in GRAPH.entities if e.name == ZONE)
    assert names(sorted(analytics.zone_members(GRAPH, zone_id))) == {
        PARK_A, "柳湾物流园区", FOIL, FOIL_PROJECT,
    }  # fmt: skip


def test_stats_counts() -> None:
    result = analytics.stats(GRAPH)
    assert result.articles == 3
    assert sum(result.entities.values()) == len(GRAPH.entities)
    assert result.relations["SUPPLIES_TO"] == 2
    assert (result.components, result.largest_component) == (3, 16)


@pytest.fixture()
def graph_file(tmp_path: Path) -> Path:
    path = tmp_path / "graph.json"
    write_json(path, GRAPH.to_dict())
    return path


def test_kg_stats_prints_every_analysis(graph_file: Path) -> None:
    result = CliRunner().invoke(app, ["stats", str(graph_file)])
    assert result.exit_code == 0, result.output
    for expected in [
        "articles: 3",
        "connected components: 3 (largest: 16 nodes)",
        f"supply-chain depth: 2 (蓝桥科技 → {FOIL} → {BYD})",
        FOIL,
        "650000000",
    ]:
        assert expected in result.output


def test_kg_stats_json(graph_file: Path) -> None:
    result = CliRunner().invoke(app, ["stats", str(graph_file), "--format", "json", "--top", "2"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert len(data["centrality"]) == 2
    assert data["zones"][0]["name"] == ZONE


def test_stats_on_the_sample_articles(sample_corpus: Any) -> None:
    """The graph kg builds from its own samples: the zone and its stated output are there."""
    result = analytics.stats(sample_corpus)
    assert result.articles == 3
    zone = next(z for z in result.zones if z.name == ZONE)
    assert zone.output_value_cny == 12650000000


def test_betweenness_of_large_graphs_is_estimated_the_same_way_every_run() -> None:
    """Past EXACT_BETWEENNESS_MAX nodes betweenness is sampled; a fixed seed keeps the figures stable."""
    long_chain = chain_corpus(analytics.EXACT_BETWEENNESS_MAX + 100)
    first, second = analytics.centrality(long_chain), analytics.centrality(long_chain)
    assert first == second
    middle = f"链条企业{(analytics.EXACT_BETWEENNESS_MAX + 100) // 2}有限公司"
    ranked = sorted(first, key=lambda r: -r.betweenness)
    assert middle in {r.name for r in ranked[:60]}, "the middle of a chain bridges the most pairs"
    assert {r.name for r in ranked[-2:]} <= {
        "链条企业0有限公司",
        f"链条企业{analytics.EXACT_BETWEENNESS_MAX + 100}有限公司",
    }
