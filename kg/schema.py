"""kg's vocabulary: entity labels, relation types, allowed endpoints and figure units.

This module is the one source of truth. The Neo4j constraints, the RDF ontology and SHACL shapes, the JSON
Schema and the checks on Cypher files are all generated from or tested against it, so they cannot drift.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

DEVELOPMENT_ZONE: Final = "DevelopmentZone"
PARK: Final = "Park"
COMPANY: Final = "Company"
ORGANIZATION: Final = "Organization"
PERSON: Final = "Person"
PRODUCT: Final = "Product"
PROJECT: Final = "Project"
REGION: Final = "Region"

ENTITY_LABELS: Final[tuple[str, ...]] = (
    DEVELOPMENT_ZONE,
    PARK,
    COMPANY,
    ORGANIZATION,
    PERSON,
    PRODUCT,
    PROJECT,
    REGION,
)

LABEL_DESCRIPTIONS: Final[dict[str, str]] = {
    DEVELOPMENT_ZONE: "A state-designated zone: 经济技术开发区, 高新技术产业开发区, 经开区, 综合保税区.",
    PARK: "An industrial park, usually inside a zone: 工业园区, 产业园, a named 园区.",
    COMPANY: "A firm or group: 有限公司, 集团, 股份, or a firm known by its short name.",
    ORGANIZATION: "A non-firm body: government office, party committee, management committee, school.",
    PERSON: "A named person: an official, a manager, a reporter.",
    PRODUCT: "A named product, material or service a firm makes or sells.",
    PROJECT: "A named investment or construction project.",
    REGION: "A named administrative or geographic place.",
}


@dataclass(frozen=True)
class RelationType:
    """A relation type with the labels its endpoints may carry."""

    name: str
    heads: tuple[str, ...]
    tails: tuple[str, ...]
    description: str
    symmetric: bool = False

    def allows(self, head_label: str, tail_label: str) -> bool:
        if head_label in self.heads and tail_label in self.tails:
            return True
        return self.symmetric and tail_label in self.heads and head_label in self.tails


_ZONE_ORG_COMPANY = (COMPANY, ORGANIZATION, DEVELOPMENT_ZONE)

RELATION_TYPES: Final[dict[str, RelationType]] = {
    rel.name: rel
    for rel in (
        RelationType(
            "LOCATED_IN",
            (COMPANY, PARK, DEVELOPMENT_ZONE, PROJECT, ORGANIZATION),
            (DEVELOPMENT_ZONE, PARK, REGION),
            "Head is situated in tail (位于, 落户, 入驻, 在…园区内).",
        ),
        RelationType(
            "PART_OF",
            (PARK, ORGANIZATION),
            (DEVELOPMENT_ZONE, ORGANIZATION),
            "Head is a component of tail (一区两园, 由…组成, a zone's 管委会).",
        ),
        RelationType("SUPPLIES_TO", (COMPANY,), (COMPANY,), "Head supplies goods to tail (为…供货, 配套)."),
        RelationType("INVESTS_IN", (COMPANY, ORGANIZATION), (PROJECT,), "Head invests in the project (总投资 …)."),
        RelationType("OPERATES", (COMPANY,), (PROJECT,), "Head runs the project (某公司 3 万吨项目)."),
        RelationType("PRODUCES", (COMPANY, PROJECT), (PRODUCT,), "Head makes the product (生产, 产品)."),
        RelationType(
            "WORKS_FOR",
            (PERSON,),
            (COMPANY, ORGANIZATION, DEVELOPMENT_ZONE),
            "A person holds a post at tail (厂长蒋斌).",
        ),
        RelationType(
            "COOPERATES_WITH",
            _ZONE_ORG_COMPANY,
            (COMPANY, ORGANIZATION),
            "Head and tail work together (签订合同, 座谈, 合作); undirected.",
            symmetric=True,
        ),
        RelationType("RELOCATED_FROM", (COMPANY,), (REGION,), "Head moved from the region (从…搬迁到)."),
        RelationType("APPROVED", (ORGANIZATION, COMPANY), (PROJECT,), "Head approved the project (批复)."),
    )
}


@dataclass(frozen=True)
class Figure:
    """A normalised numeric property and the unit it is stored in."""

    name: str
    unit: str
    datatype: str  # "integer" or "decimal": how RDF and JSON Schema type it
    description: str


FIGURES: Final[dict[str, Figure]] = {
    fig.name: fig
    for fig in (
        Figure("investment_cny", "CNY", "integer", "Total investment in 元."),
        Figure("capacity_t", "t/a", "decimal", "Production capacity in 吨 per year."),
        Figure("area_km2", "km2", "decimal", "Area in square kilometres."),
        Figure("output_value_cny", "CNY", "integer", "Annual output value in 元."),
        Figure("jobs", "jobs", "integer", "Number of jobs provided."),
        Figure("year_started", "year", "integer", "Year founded, started or put into production."),
    )
}

# String-valued properties: a person's post, a byline's role.
TEXT_PROPS: Final[dict[str, str]] = {
    "title": "A person's post, e.g. 厂长, 管委会主任.",
    "role": "A byline's role: 记者 or 作者.",
}

# Relation properties beyond evidence.
RELATION_PROPS: Final[dict[str, str]] = {
    "amount": "Investment amount in 元 (INVESTS_IN).",
    "title": "The post held (WORKS_FOR).",
}

ENTITY_PROPS: Final[tuple[str, ...]] = (*FIGURES, *TEXT_PROPS)


def check_label(label: str) -> str:
    """Return `label` if it is one of ours; raise ValueError naming the allowed ones otherwise."""
    if label not in ENTITY_LABELS:
        raise ValueError(f"unknown entity label {label!r}; expected one of {', '.join(ENTITY_LABELS)}")
    return label


def check_relation_type(name: str) -> RelationType:
    """Return the relation type called `name`; raise ValueError naming the allowed ones otherwise."""
    try:
        return RELATION_TYPES[name]
    except KeyError:
        raise ValueError(f"unknown relation type {name!r}; expected one of {', '.join(RELATION_TYPES)}") from None
