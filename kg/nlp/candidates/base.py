"""The candidate type, what every generator reads (`Context`), and the order generators run in."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from kg.nlp.boundary import Boundaries
from kg.nlp.lexicon import Lexicon
from kg.nlp.rules import RuleBook
from kg.nlp.tokens import TokenIndex


@dataclass(frozen=True, order=True)
class Candidate:
    """A proposed mention [start, end) of `label`, made by rule `rule`.

    `preferred` is the rule's own decision (rules-only mode keeps exactly these); `anchor` groups the
    alternatives one rule proposed for one cue (the left boundaries of one suffix), so features can say how
    far an alternative is from the rule's choice.
    """

    start: int
    end: int
    label: str
    rule: str
    preferred: bool = True
    anchor: int = -1
    props: tuple[tuple[str, str], ...] = ()

    def shifted(self, delta: int) -> Candidate:
        return replace(self, start=self.start + delta, end=self.end + delta)

    def prop(self, key: str) -> str:
        return dict(self.props).get(key, "")


@dataclass
class Context:
    """One item's normalised text with its tokens and sentences, and the language data rules read."""

    text: str
    index: TokenIndex
    sentences: list[tuple[int, int]]
    lex: Lexicon
    rules: RuleBook
    bounds: Boundaries
    headings: list[tuple[int, int]] = field(default_factory=list)
    bylines: list[tuple[int, int]] = field(default_factory=list)
    memo: dict[str, object] = field(default_factory=dict)  # results several generators share
    _anchor: int = 0

    def new_anchor(self) -> int:
        self._anchor += 1
        return self._anchor


Generator = Callable[[Context], list[Candidate]]


def generators() -> list[Generator]:
    """Every generator, in a fixed order (the output does not depend on it; candidates are sorted)."""
    from kg.nlp.candidates import (
        companies,
        lists,
        names,
        organizations,
        people,
        places,
        products,
        projects,
        references,
    )

    return [
        names.suffix_names,
        names.source_lines,
        companies.known_companies,
        companies.trade_names,
        organizations.known_organizations,
        people.people,
        people.name_tags,
        people.bylines,
        places.regions,
        projects.projects,
        lists.collective_lists,
        products.products,
        references.references,
    ]


def generate(ctx: Context) -> list[Candidate]:
    """Every candidate of the item: the generators that read the text, then those that read what the
    first ones found (short forms of firms named in full, the other items of a list of firms)."""
    from kg.nlp.candidates import companies, products

    found: list[Candidate] = []
    for gen in generators():
        found.extend(gen(ctx))
    found.extend(companies.short_names(ctx, found))
    found.extend(companies.list_items(ctx, found))
    found.extend(products.list_items(ctx, found))
    unique = {(c.start, c.end, c.label, c.rule, c.preferred, c.anchor, c.props): c for c in found}
    return [unique[k] for k in sorted(unique)]
