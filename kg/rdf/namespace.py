"""kg's closed RDF vocabulary, generated from kg/schema.py so the two cannot drift.

`KG` is an rdflib DefinedNamespace with `_fail = True`: `KG.Company` is a term, `KG.Compnay` raises
AttributeError, so a typo in the exporter or the shapes fails at once instead of minting a stray IRI.
The terms are made from the schema's names by fixed rules (`LOCATED_IN` → `locatedIn`,
`investment_cny` → `investmentCny`); the helpers below apply them.
"""

from __future__ import annotations

from typing import Final

from rdflib import URIRef
from rdflib.namespace import DefinedNamespace, DefinedNamespaceMeta, Namespace

from kg.schema import ENTITY_LABELS, FIGURES, RELATION_PROPS, RELATION_TYPES, TEXT_PROPS

VOCAB_IRI: Final = "https://kg.example.org/ontology#"
ONTOLOGY_IRI: Final = "https://kg.example.org/ontology"
SHAPES_IRI: Final = "https://kg.example.org/shapes#"

SDO: Final = Namespace("https://schema.org/")
ORG: Final = Namespace("http://www.w3.org/ns/org#")

# Terms that are not in kg/schema.py: articles, evidence and the annotations of the ontology itself.
EXTRA_CLASSES: Final[tuple[str, ...]] = ("Article", "Evidence")
EXTRA_OBJECT_PROPS: Final[tuple[str, ...]] = ("evidence",)
EXTRA_DATATYPE_PROPS: Final[tuple[str, ...]] = ("sentence", "start", "end", "confidence", "source", "chars")
ANNOTATION_PROPS: Final[tuple[str, ...]] = ("unit",)


def camel(name: str) -> str:
    """`LOCATED_IN` → `locatedIn`, `investment_cny` → `investmentCny`: RDF's usual property style."""
    first, *rest = name.lower().split("_")
    return first + "".join(part.capitalize() for part in rest)


def relation_term(rtype: str) -> str:
    """The local name of the object property for a relation type."""
    return camel(rtype)


def prop_term(name: str) -> str:
    """The local name of the datatype property for a figure, text or relation property."""
    return camel(name)


def _all_terms() -> tuple[str, ...]:
    terms: list[str] = [*ENTITY_LABELS, *EXTRA_CLASSES]
    terms += [relation_term(r) for r in RELATION_TYPES]
    terms += [prop_term(p) for p in (*FIGURES, *TEXT_PROPS, *RELATION_PROPS)]
    terms += [*EXTRA_OBJECT_PROPS, *EXTRA_DATATYPE_PROPS, *ANNOTATION_PROPS]
    return tuple(dict.fromkeys(terms))  # `title` is both a text and a relation property


TERMS: Final[tuple[str, ...]] = _all_terms()

KG: Final[DefinedNamespaceMeta] = DefinedNamespaceMeta(
    "KG",
    (DefinedNamespace,),
    {
        "__doc__": "kg's vocabulary (closed): see schema/ontology.ttl.",
        "__annotations__": dict.fromkeys(TERMS, URIRef),
        "__module__": __name__,
        "_NS": Namespace(VOCAB_IRI),
        "_fail": True,
    },
)


def class_iri(label: str) -> URIRef:
    return KG[label]


def relation_iri(rtype: str) -> URIRef:
    return KG[relation_term(rtype)]


def prop_iri(name: str) -> URIRef:
    return KG[prop_term(name)]
