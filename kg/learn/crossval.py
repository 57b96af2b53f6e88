"""Honest figures for the trained parts: K-fold cross-validation by article (`kg eval --folds K`).

Articles are dealt into K folds by name (the i-th article of the sorted names goes to fold i mod K); each
fold is extracted by scorers trained on the other K-1, so no article is scored by a model that saw it.
Rules-only figures (each rule's own choice, no scorer) and trained figures are computed on the same
folds, each also with relations read over the gold entities, which tells entity errors from relation
errors. A learning curve retrains on a share of the training folds (a fixed, seeded subset).
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from kg.evaluate import Evaluation, evaluate_graphs
from kg.extract import build_graph, graph_of
from kg.learn.train import (
    Annotated,
    EntityExample,
    RelationExample,
    TrainConfig,
    entity_examples,
    fit_models,
    gold_mentions,
    relation_examples,
)
from kg.mentions import mentions
from kg.models import Models
from kg.properties import attach_figures
from kg.relations import read_relations


@dataclass(frozen=True)
class FoldRun:
    """The figures of one setting: `name` (rules-only, trained, trained on a share), end to end and over
    gold entities."""

    name: str
    share: float
    end_to_end: Evaluation
    gold_entities: Evaluation


def folds_of(items: Sequence[Annotated], k: int) -> list[list[Annotated]]:
    ordered = sorted(items, key=lambda x: x.name)
    folds: list[list[Annotated]] = [[] for _ in range(k)]
    for i, item in enumerate(ordered):
        folds[i % k].append(item)
    return folds


def _gold_dict(item: Annotated) -> dict[str, object]:
    data: dict[str, object] = json.loads(item.gold_path.read_text(encoding="utf-8"))
    return data


def _score(folds: list[list[Annotated]], models_for: Callable[[int], Models], gold_entities: bool) -> Evaluation:
    pairs = []
    for k, fold in enumerate(folds):
        models = models_for(k)
        for item in fold:
            if gold_entities:
                found, resolution = gold_mentions(item.doc, item.gold)
                rels = read_relations(item.doc, found, resolution, models.relation)
                graph = build_graph(item.doc, found, resolution, rels, attach_figures(item.doc, found, resolution))
            else:
                found = mentions(item.doc, models.entity)
                graph = graph_of(item.doc, found, models)
            pairs.append((_gold_dict(item), graph.to_dict()))
    return evaluate_graphs(pairs)


def cross_validate(
    items: Sequence[Annotated],
    k: int,
    config: TrainConfig,
    shares: Sequence[float] = (1.0,),
    rules_only: bool = True,
    on_step: Callable[[str], None] | None = None,
) -> list[FoldRun]:
    if k < 2 or k > len(items):
        raise ValueError(f"--folds must be between 2 and the number of annotated articles ({len(items)})")
    folds = folds_of(items, k)
    entity_rows: dict[str, list[EntityExample]] = {}
    relation_rows: dict[str, list[RelationExample]] = {}
    for item in items:
        entity_rows[item.name] = entity_examples(item, config.edge_weight)
        relation_rows[item.name] = relation_examples(item, config.edge_weight)
    runs: list[FoldRun] = []
    if rules_only:
        if on_step:
            on_step("rules only")
        none = Models.rules_only()
        runs.append(
            FoldRun("rules only", 0.0, _score(folds, lambda _: none, False), _score(folds, lambda _: none, True))
        )
    for share in shares:
        cache: dict[int, Models] = {}

        def trained(fold: int, share: float = share, cache: dict[int, Models] = cache) -> Models:
            if fold not in cache:
                train = [it for j, f in enumerate(folds) if j != fold for it in f]
                if share < 1.0:
                    train = sorted(
                        random.Random(fold).sample(train, max(1, round(len(train) * share))), key=lambda x: x.name
                    )
                cache[fold] = Models(*fit_models(train, config, entity_rows, {}, relation_rows))
            return cache[fold]

        name = "trained" if share == 1.0 else f"trained, {share:.0%} of training folds"
        if on_step:
            on_step(name)
        runs.append(FoldRun(name, share, _score(folds, trained, False), _score(folds, trained, True)))
    return runs
