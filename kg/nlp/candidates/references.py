"""References: words standing for an entity named elsewhere in the item (该公司, 我们公司, 该项目, 园区,
该区, 全区). Rules of kind `reference` give the word pattern and the label of what it stands for; they make
no entity, only a mention that resolution ties to the entity it refers to, so relations read through it."""

from __future__ import annotations

from kg.nlp.candidates.base import Candidate, Context


def references(ctx: Context) -> list[Candidate]:
    found: list[Candidate] = []
    for rule in ctx.rules.of_kind("reference"):
        group = 1 if rule.regex.groups else 0
        for m in rule.regex.finditer(ctx.text):
            found.append(Candidate(m.start(group), m.end(group), rule.label, rule.id, True, ctx.new_anchor()))
    return found
