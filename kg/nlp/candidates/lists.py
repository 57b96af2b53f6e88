"""Items of a list under a collective head (rules of kind `collective_list`): A、B、C等一批项目, 包括A、B在内的
N 个项目, 甲、乙、丙等一批锂电企业. The head names what the items are; the row's `label` says which label that
is, `max_item` how long an item may be, `skip_ending` which items another rule already finds (…项目)."""

from __future__ import annotations

from kg.nlp.candidates.base import Candidate, Context
from kg.nlp.generic import generic_project


def collective_lists(ctx: Context) -> list[Candidate]:
    text = ctx.text
    found: list[Candidate] = []
    for rule in ctx.rules.of_kind("collective_list"):
        max_item = int(rule.options.get("max_item", 24))
        skip = tuple(rule.options.get("skip_ending", ()))
        for m in rule.regex.finditer(text):
            start = ctx.bounds.list_start(text, m.start(), int(rule.options.get("reach", 120)))
            parts = text[start : m.start()].split("、")
            if len(parts) < 2:
                continue
            pos = start
            for k, part in enumerate(parts):
                s, e = pos, pos + len(part)
                pos = e + 1
                if skip and part.endswith(skip):
                    continue
                if k == 0:  # the first item starts where a name would, not at the clause
                    s = ctx.bounds.preferred_start(text, e, ctx.index, max_item, start)
                if not 2 <= e - s <= max_item:
                    continue
                if rule.label == "Project" and (e - s < 3 or generic_project(text[s:e], ctx.rules)):
                    continue
                found.append(Candidate(s, e, rule.label, rule.id, True, ctx.new_anchor()))
    return found
