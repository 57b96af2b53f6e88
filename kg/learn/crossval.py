"""Honest figures for the trained parts: K-fold cross-validation by article (`kg eval --folds K`).

Articles are dealt into K folds by name (the i-th article of the sorted names goes to fold i mod K), or, for
a repeat with a seed, in a seeded shuffled order; each fold is extracted by scorers trained on the other K-1,
so no article is scored by a model that saw it. One partition's figure moves by a few points with the
partition (relations more than entities), so `repeated` runs several and pools them.
Rules-only figures (each rule's own choice, no scorer) and trained figures are computed on the same
folds, each also with relations read over the gold entities, which tells entity errors from relation
errors. A learning curve retrains on a share of the training folds (a fixed, seeded subset).
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from kg.evaluate import Evaluation, evaluate_graphs, evaluate_results
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


def folds_of(items: Sequence[Annotated], k: int, seed: int = 0) -> list[list[Annotated]]:
    """Seed 0 deals the articles in name order; another seed deals them in an order shuffled by it."""
    ordered = sorted(items, key=lambda x: x.name)
    if seed:
        random.Random(seed).shuffle(ordered)
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


def training_rows(
    items: Sequence[Annotated], config: TrainConfig
) -> tuple[dict[str, list[EntityExample]], dict[str, list[RelationExample]]]:
    """Every article's entity and relation training rows, by name."""
    entity_rows = {item.name: entity_examples(item, config.edge_weight) for item in items}
    relation_rows = {item.name: relation_examples(item, config.edge_weight) for item in items}
    return entity_rows, relation_rows


def cross_validate(
    items: Sequence[Annotated],
    k: int,
    config: TrainConfig,
    shares: Sequence[float] = (1.0,),
    rules_only: bool = True,
    on_step: Callable[[str], None] | None = None,
    seed: int = 0,
    rows: tuple[dict[str, list[EntityExample]], dict[str, list[RelationExample]]] | None = None,
) -> list[FoldRun]:
    """The runs of one partition (`seed`, see `folds_of`). `rows` are the articles' training rows when
    already read (they do not depend on the partition)."""
    if k < 2 or k > len(items):
        raise ValueError(f"--folds must be between 2 and the number of annotated articles ({len(items)})")
    folds = folds_of(items, k, seed)
    entity_rows, relation_rows = rows if rows is not None else training_rows(items, config)
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


@dataclass(frozen=True)
class RepeatedRun:
    """One setting over several partitions: each partition's run, and all of them pooled (every article
    scored once per partition, micro-averaged)."""

    name: str
    share: float
    runs: tuple[FoldRun, ...]
    pooled: FoldRun


def repeated(
    items: Sequence[Annotated],
    k: int,
    config: TrainConfig,
    repeats: int,
    shares: Sequence[float] = (1.0,),
    on_step: Callable[[str], None] | None = None,
) -> list[RepeatedRun]:
    """`cross_validate` over partitions 0 .. repeats-1 (partition 0 is the name-order one). Rules-only
    reading trains nothing, so its figures are the same in every partition: it is run once."""
    rows = training_rows(items, config)
    by_name: dict[str, list[FoldRun]] = {}
    for seed in range(repeats):

        def step(what: str, seed: int = seed) -> None:
            if on_step is not None:
                on_step(what if repeats == 1 else f"{what}, partition {seed}")

        for run in cross_validate(items, k, config, shares, rules_only=seed == 0, on_step=step, seed=seed, rows=rows):
            by_name.setdefault(run.name, []).append(run)
    out = []
    for name, runs in by_name.items():
        pooled = FoldRun(
            name,
            runs[0].share,
            evaluate_results([f for r in runs for f in r.end_to_end.files]),
            evaluate_results([f for r in runs for f in r.gold_entities.files]),
        )
        out.append(RepeatedRun(name, runs[0].share, tuple(runs), pooled))
    return out
