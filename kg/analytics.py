"""Graph analytics on a CorpusGraph with networkx: no server needed.

The questions mirror the Cypher library (cypher/) so an analyst without Neo4j gets the same answers:
which firms and zones are hubs (degree, betweenness), how the graph falls apart into islands (connected
components), how deep supply chains go, and how much is invested in each zone, counting projects in the
zone's parks and projects run by the zone's firms.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import networkx as nx

from kg.model import CorpusGraph, Entity
from kg.schema import COMPANY, DEVELOPMENT_ZONE, PROJECT


def to_networkx(graph: CorpusGraph) -> nx.MultiDiGraph:
    """Nodes keyed by entity id (label, name, props as attributes); one edge per relation, keyed by its id."""
    g = nx.MultiDiGraph()
    for ent in graph.entities:
        g.add_node(ent.id, label=ent.label, name=ent.name, aliases=list(ent.aliases), **ent.props)
    for rel in graph.relations:
        g.add_edge(
            rel.head,
            rel.tail,
            key=rel.id,
            type=rel.type,
            confidence=rel.confidence,
            sentence=rel.evidence[0].sentence if rel.evidence else "",
            **rel.props,
        )
    return g


EXACT_BETWEENNESS_MAX = 500
BETWEENNESS_PIVOTS = 256


@dataclass(frozen=True)
class Centrality:
    """How connected one entity is: degree counts distinct neighbours, betweenness is normalised to [0, 1]."""

    id: str
    label: str
    name: str
    degree: int
    betweenness: float


def centrality(graph: CorpusGraph, labels: Iterable[str] = (COMPANY, DEVELOPMENT_ZONE)) -> list[Centrality]:
    """Degree and betweenness of entities with `labels`, most connected first.

    Both are taken on the undirected simple graph: a firm that supplies one firm and is supplied by another
    bridges them whatever the edge directions, and two relations between the same pair are one tie.
    """
    simple = nx.Graph(to_networkx(graph).to_undirected())
    n = simple.number_of_nodes()
    # Exact betweenness costs O(nodes × edges); past EXACT_BETWEENNESS_MAX nodes it is estimated from
    # BETWEENNESS_PIVOTS source nodes, with a fixed seed so the figures stay the same from run to run.
    pivots = None if n <= EXACT_BETWEENNESS_MAX else BETWEENNESS_PIVOTS
    between = nx.betweenness_centrality(simple, k=pivots, normalized=True, seed=0) if n else {}
    wanted = set(labels)
    rows = [
        Centrality(ent.id, ent.label, ent.name, simple.degree(ent.id), round(between.get(ent.id, 0.0), 6))
        for ent in graph.entities
        if ent.label in wanted
    ]
    return sorted(rows, key=lambda r: (-r.degree, -r.betweenness, r.name))


def components(graph: CorpusGraph) -> list[list[str]]:
    """Connected components, ignoring direction, as sorted lists of entity ids, largest first."""
    g = to_networkx(graph).to_undirected()
    parts = [sorted(c) for c in nx.connected_components(g)]
    return sorted(parts, key=lambda c: (-len(c), c[0]))


@dataclass(frozen=True)
class SupplyChain:
    """The deepest chain of SUPPLIES_TO edges: `depth` edges through the names in `chain`, upstream first."""

    depth: int
    chain: tuple[str, ...]
    depth_by_company: dict[str, int] = field(default_factory=dict)


def supply_chain_depth(graph: CorpusGraph) -> SupplyChain:
    """Longest supplier → customer chain; each firm's depth is how many tiers of suppliers stand behind it.

    Supply loops (A supplies B, B supplies A) are collapsed to one node first, so a loop never makes a chain
    infinitely long.
    """
    index = graph.entity_index()
    g = nx.DiGraph()
    for rel in graph.relations:
        if rel.type == "SUPPLIES_TO":
            g.add_edge(rel.head, rel.tail)
    if not g.number_of_nodes():
        return SupplyChain(0, ())
    dag = nx.condensation(g)
    members = nx.get_node_attributes(dag, "members")
    depth: dict[int, int] = {}
    best_pred: dict[int, int] = {}
    for node in nx.topological_sort(dag):
        preds = sorted(dag.predecessors(node), key=lambda p: (-depth[p], min(members[p])))
        depth[node] = depth[preds[0]] + 1 if preds else 0
        if preds:
            best_pred[node] = preds[0]
    end = max(depth, key=lambda n: (depth[n], sorted(members[n])))
    path = [end]
    while path[-1] in best_pred:
        path.append(best_pred[path[-1]])
    chain = tuple(index[min(members[n])].name for n in reversed(path))
    by_company = {index[eid].name: depth[node] for node in dag.nodes for eid in members[node]}
    return SupplyChain(depth[end], chain, dict(sorted(by_company.items())))


@dataclass(frozen=True)
class ZoneInvestment:
    """What a zone holds: distinct projects and firms, their summed investment, and the zone's own output."""

    id: str
    name: str
    projects: int
    companies: int
    investment_cny: int
    output_value_cny: int | None


class _Edges:
    """Relations indexed both ways by type: zone questions cost one pass over the graph, not one per zone."""

    def __init__(self, graph: CorpusGraph) -> None:
        self.into: dict[tuple[str, str], list[str]] = defaultdict(list)  # (type, tail) → heads
        self.out: dict[tuple[str, str], list[str]] = defaultdict(list)  # (type, head) → tails
        self.amounts: dict[str, list[int]] = defaultdict(list)  # project → stated INVESTS_IN amounts
        for rel in graph.relations:
            self.into[(rel.type, rel.tail)].append(rel.head)
            self.out[(rel.type, rel.head)].append(rel.tail)
            amount = rel.props.get("amount")
            if rel.type == "INVESTS_IN" and isinstance(amount, int | float):
                self.amounts[rel.tail].append(int(amount))

    def members(self, zone_id: str) -> set[str]:
        parks = set(self.into.get(("PART_OF", zone_id), ()))
        inside = set(parks)
        for place in (zone_id, *parks):
            inside.update(self.into.get(("LOCATED_IN", place), ()))
        for member in list(inside):
            for rtype in ("OPERATES", "INVESTS_IN"):
                inside.update(self.out.get((rtype, member), ()))
        inside.discard(zone_id)
        return inside

    def investment(self, project: Entity) -> int:
        """A project's stated investment_cny, else the largest INVESTS_IN amount stated for it."""
        stated = project.props.get("investment_cny")
        if isinstance(stated, int | float):
            return int(stated)
        return max(self.amounts.get(project.id, ()), default=0)


def zone_members(graph: CorpusGraph, zone_id: str) -> set[str]:
    """Entities in a zone: located in it or in one of its parks, plus the projects those firms run or fund.

    The same rule as cypher/companies_in_zone.cypher and cypher/zones_by_investment.cypher.
    """
    return _Edges(graph).members(zone_id)


def investment_by_zone(graph: CorpusGraph) -> list[ZoneInvestment]:
    """Zones ranked by the total investment of their distinct projects, then by output value."""
    index = graph.entity_index()
    edges = _Edges(graph)
    rows = []
    for zone in graph.entities:
        if zone.label != DEVELOPMENT_ZONE:
            continue
        inside = [index[i] for i in sorted(edges.members(zone.id))]
        projects = [e for e in inside if e.label == PROJECT]
        output = zone.props.get("output_value_cny")
        rows.append(
            ZoneInvestment(
                zone.id,
                zone.name,
                len(projects),
                sum(1 for e in inside if e.label == COMPANY),
                sum(edges.investment(p) for p in projects),
                int(output) if isinstance(output, int | float) else None,
            )
        )
    return sorted(rows, key=lambda r: (-r.investment_cny, -(r.output_value_cny or 0), r.name))


@dataclass(frozen=True)
class Stats:
    """Everything `kg stats` prints."""

    articles: int
    entities: dict[str, int]
    relations: dict[str, int]
    components: int
    largest_component: int
    centrality: list[Centrality]
    supply_chain: SupplyChain
    zones: list[ZoneInvestment]


def stats(graph: CorpusGraph) -> Stats:
    """Counts and every analysis above, in one call."""
    ent_counts: dict[str, int] = {}
    for ent in graph.entities:
        ent_counts[ent.label] = ent_counts.get(ent.label, 0) + 1
    rel_counts: dict[str, int] = {}
    for rel in graph.relations:
        rel_counts[rel.type] = rel_counts.get(rel.type, 0) + 1
    parts = components(graph)
    return Stats(
        articles=len(graph.articles),
        entities=dict(sorted(ent_counts.items())),
        relations=dict(sorted(rel_counts.items())),
        components=len(parts),
        largest_component=len(parts[0]) if parts else 0,
        centrality=centrality(graph),
        supply_chain=supply_chain_depth(graph),
        zones=investment_by_zone(graph),
    )


__all__ = [
    "Centrality",
    "Stats",
    "SupplyChain",
    "ZoneInvestment",
    "centrality",
    "components",
    "investment_by_zone",
    "stats",
    "supply_chain_depth",
    "to_networkx",
    "zone_members",
]
