"""`kg train`: the scorers rebuilt from annotated articles, deterministically.

Annotated articles are pairs of an article file and its gold graph (the annotation guidelines' format): a
directory holding `*.txt` / `*.md` articles with their gold in `gold/` beside them (as ../shared/corpus),
or an articles directory and a gold directory given apart. For each article the candidates are read
once; the entity scorer learns which candidates are gold mentions (gold projected onto the text,
`kg.learn.gold`), the relation scorer which pairs of gold mentions the gold relates, and how.

The configuration (`TrainConfig`) names every setting; with the same annotated articles and the same
configuration the model files are byte-identical (liblinear with a fixed seed, sorted features).
"""

from __future__ import annotations

import bisect
import hashlib
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from kg import relations
from kg.errors import InputError
from kg.io import ARTICLE_SUFFIXES, read_article
from kg.learn.entity_features import EntityFeaturizer
from kg.learn.gold import GoldGraph, project, read_gold
from kg.learn.linear import LinearModel, fit, fit_ranker
from kg.mentions import Mention, anchor_groups, representative, span_class, span_features
from kg.reading import ReadArticle, read
from kg.resolve import EntityDraft, Resolution
from kg.schema import ENTITY_LABELS, RELATION_TYPES
from kg.textnorm import normalize

MODEL_VERSION = 1


@dataclass(frozen=True)
class TrainConfig:
    """Every setting of training; written into the model files beside the data digest."""

    entity_c: float = 1.0
    relation_c: float = 0.2
    min_count: int = 1
    entity_threshold: float = 0.35
    relation_threshold: float = 0.5
    edge_weight: float = 1.0
    stacked: bool = True  # relation examples also over out-of-fold predicted mentions
    tune_thresholds: bool = False  # entity thresholds per label from out-of-fold mention F1 (off: it cost 0.01)
    rule_fallback_below: int = 15  # relation types with fewer core gold relations are decided by their rules
    # Relation types the scorer only confirms: a pair no rule fired on is not one. Chosen by cross-validation:
    # of these types' readings with no rule, about one in five was right (LOCATED_IN's and PRODUCES' pay).
    rule_required: tuple[str, ...] = ("COOPERATES_WITH", "INVESTS_IN", "OPERATES", "WORKS_FOR")
    thresholds: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Annotated:
    """One annotated article, read: its candidates and its gold graph."""

    name: str
    path: Path
    gold_path: Path
    doc: ReadArticle
    gold: GoldGraph


def annotated_pairs(articles: Path, gold_dir: Path | None = None) -> list[tuple[Path, Path]]:
    """(article, gold) pairs: gold files pair with articles by stem; articles without gold are skipped."""
    gold_dir = gold_dir or articles / "gold"
    if not articles.is_dir():
        raise InputError(f"{articles}: not a directory of annotated articles")
    if not gold_dir.is_dir():
        raise InputError(f"{gold_dir}: no gold directory (expected the gold graphs there)")
    pairs = []
    for p in sorted(articles.iterdir()):
        if p.suffix.lower() in ARTICLE_SUFFIXES and (gold_dir / f"{p.stem}.json").exists():
            pairs.append((p, gold_dir / f"{p.stem}.json"))
    if not pairs:
        raise InputError(f"{articles}: no article has a gold graph in {gold_dir}")
    return pairs


def read_annotated(pairs: Sequence[tuple[Path, Path]]) -> list[Annotated]:
    return [Annotated(a.stem, a, g, read(read_article(a)), read_gold(g)) for a, g in pairs]


def digest(pairs: Sequence[tuple[Path, Path]]) -> str:
    """The training data's identity: a hash of every article's and gold file's bytes, in name order."""
    h = hashlib.sha256()
    for a, g in sorted(pairs, key=lambda p: p[0].name):
        h.update(a.name.encode())
        h.update(a.read_bytes())
        h.update(g.read_bytes())
    return h.hexdigest()[:16]


# -- entity examples ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class EntityExample:
    """One training row: `cls` is a label (does this cue name a mention?) or `label/span` (is this the
    right alternative of a cue that does?)."""

    cls: str
    features: tuple[str, ...]
    positive: bool
    weight: float = 1.0
    alternatives: tuple[tuple[str, ...], ...] = ()  # for a ranking row: every alternative's features
    right: int = -1  # and which one is the gold span


def entity_examples(item: Annotated, edge_weight: float = 1.0) -> list[EntityExample]:
    """Rows of both questions for every group of alternatives of the article (see kg.mentions)."""
    doc = item.doc
    core = {e.id: e.core for e in item.gold.entities}
    gold_spans = {(m.start, m.end, m.label): core.get(m.entity, True) for m in project(item.gold, doc.text)}
    out: list[EntityExample] = []
    for piece in doc.pieces:
        feats = EntityFeaturizer(piece.ctx, piece.candidates)
        cands = [c for c in piece.candidates if not c.rule.startswith("ref.")]
        for group in anchor_groups(cands):
            keys = [(c.start + piece.offset, c.end + piece.offset, c.label) for c in group]
            hits = [k in gold_spans for k in keys]
            rep = representative(group)
            any_hit = any(hits)
            weight = 1.0
            if any_hit and not any(gold_spans[k] for k, h in zip(keys, hits, strict=True) if h):
                weight = edge_weight
            rep_feats = (*feats.features(rep), f"nalt|{min(len(group), 6)}")
            out.append(EntityExample(rep.label, rep_feats, any_hit, weight))
            if any_hit and len(group) > 1:
                alts = tuple(tuple(span_features(feats.features(c))) for c in group)
                out.append(EntityExample(span_class(rep.label), (), True, weight, alts, hits.index(True)))
    return out


def _fit_class(
    rows: Sequence[EntityExample | RelationExample], c: float, min_count: int
) -> tuple[dict[str, float], float] | None:
    """One class's binary scorer from its rows (None when it has none)."""
    if not rows:
        return None
    return fit(
        [x.features for x in rows],
        [int(x.positive) for x in rows],
        c=c,
        weights=[x.weight for x in rows],
        min_count=min_count,
    )


def train_entity(examples: Sequence[EntityExample], config: TrainConfig, meta: dict[str, object]) -> LinearModel:
    weights: dict[str, dict[str, float]] = {}
    bias: dict[str, float] = {}
    for label in ENTITY_LABELS:
        groups = [(x.alternatives, x.right) for x in examples if x.cls == span_class(label)]
        if groups:
            weights[span_class(label)] = fit_ranker(groups, c=config.entity_c, min_count=config.min_count)
            bias[span_class(label)] = 0.0
    for cls in ENTITY_LABELS:
        fitted = _fit_class([x for x in examples if x.cls == cls], config.entity_c, config.min_count)
        if fitted is not None:
            weights[cls], bias[cls] = fitted
    thresholds = {label: config.thresholds.get(label, config.entity_threshold) for label in ENTITY_LABELS}
    return LinearModel("entity", weights, bias, thresholds, dict(meta))


def config_meta(config: TrainConfig, data_digest: str, articles: int) -> dict[str, object]:
    return {
        "version": MODEL_VERSION,
        "config": asdict(config),
        "data_digest": data_digest,
        "articles": articles,
    }


def config_from_file(path: Path | None) -> TrainConfig:
    if path is None:
        return TrainConfig()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return TrainConfig(**data)
    except (OSError, ValueError, TypeError) as e:
        raise InputError(f"{path}: not a training configuration ({e})") from e


# -- gold mentions and relation examples ----------------------------------------------------------------


def gold_mentions(doc: ReadArticle, gold: GoldGraph) -> tuple[list[Mention], Resolution]:
    """The gold entities as decided mentions of the article (plus its references), resolved to themselves:
    what relations are read over in training and in `kg eval --gold-entities`."""
    items = doc.items
    item_starts = [s for s, _ in items]

    def item_of(pos: int) -> int:
        return max(0, bisect.bisect_right(item_starts, pos) - 1)

    index = {e.id: k for k, e in enumerate(gold.entities)}
    # Each gold mention carries the rule of the candidate with its span, as a decided mention would.
    rule_of: dict[tuple[int, int, str], str] = {}
    for piece in doc.pieces:
        for c in sorted(piece.candidates, key=lambda c: (not c.preferred, c.rule)):
            rule_of.setdefault((c.start + piece.offset, c.end + piece.offset, c.label), c.rule)
    found: list[Mention] = []
    for m in project(gold, doc.text):
        rule = rule_of.get((m.start, m.end, m.label), "gold")
        found.append(Mention(m.start, m.end, m.label, rule, 1.0, item_of(m.start)))
    for piece in doc.pieces:
        for c in piece.candidates:
            if c.rule.startswith("ref."):
                s = c.start + piece.offset
                found.append(Mention(s, c.end + piece.offset, c.label, c.rule, 1.0, piece.item, (), True))
    found.sort()
    owner: dict[int, int] = {}
    drafts = [
        EntityDraft(e.label, e.id, list(dict.fromkeys(e.names())), [], dict(e.props), {"gold"}) for e in gold.entities
    ]
    spans = {(m.start, m.end, m.label): m.entity for m in project(gold, doc.text)}
    for i, mention in enumerate(found):
        if mention.is_ref:
            continue
        k = index[spans[(mention.start, mention.end, mention.label)]]
        owner[i] = k
        drafts[k].mentions.append(i)
    return found, Resolution(tuple(drafts), owner)


@dataclass(frozen=True)
class RelationExample:
    type: str
    features: tuple[str, ...]
    positive: bool
    weight: float = 1.0


def gold_relation_keys(gold: GoldGraph) -> dict[tuple[str, int, int], bool]:
    """(type, head index, tail index) → core, COOPERATES_WITH in both directions."""
    index = {e.id: k for k, e in enumerate(gold.entities)}
    keys: dict[tuple[str, int, int], bool] = {}
    for r in gold.relations:
        if r.head not in index or r.tail not in index:
            continue
        h, t = index[r.head], index[r.tail]
        keys[(r.type, h, t)] = keys.get((r.type, h, t), False) or r.core
        if r.type == "COOPERATES_WITH":
            keys[(r.type, t, h)] = keys.get((r.type, t, h), False) or r.core
    return keys


def _squeeze(text: str) -> str:
    return "".join(normalize(text).text.split())


def relation_examples(item: Annotated, edge_weight: float = 1.0) -> list[RelationExample]:
    """Candidate relations over the gold mentions, positive when the gold relates the two entities so.

    A related pair read in a sentence other than the gold's evidence sentence is left out rather than
    counted either way: the gold names one evidence sentence per relation, and another sentence naming
    both entities may or may not state it."""
    found, resolution = gold_mentions(item.doc, item.gold)
    index = {e.id: k for k, e in enumerate(item.gold.entities)}
    employers = {
        index[r.head]: index[r.tail]
        for r in item.gold.relations
        if r.type == "WORKS_FOR"
        and r.head in index
        and r.tail in index
        and resolution.entities[index[r.tail]].label == "Company"
    }
    cands = relations.candidates(item.doc, found, resolution, employers)
    keys = gold_relation_keys(item.gold)
    evidence: dict[tuple[str, int, int], set[str]] = {}
    for r in item.gold.relations:
        if r.head in index and r.tail in index:
            ev = _squeeze(r.evidence)
            for key in ((r.type, index[r.head], index[r.tail]), (r.type, index[r.tail], index[r.head])):
                evidence.setdefault(key, set()).add(ev)
    text = item.doc.text
    out = []
    for pair, feats in zip(cands.pairs, cands.features, strict=True):
        key = (pair.type, pair.head.entity, pair.tail.entity)
        positive = key in keys
        if positive:
            sent = "".join(text[pair.sentence[0] : pair.sentence[1]].split())
            stated = any(sent and (sent in ev or ev in sent) for ev in evidence.get(key, ()))
            if not stated:
                continue
        weight = 1.0 if not positive or keys[key] else edge_weight
        out.append(RelationExample(pair.type, feats, positive, weight))
    return out


def predicted_relation_examples(
    item: Annotated, entity: LinearModel, edge_weight: float = 1.0
) -> list[RelationExample]:
    """Candidate relations over the mentions an entity scorer that never saw the article decides, labelled
    through the predicted entities that match gold ones (by name, as `kg eval` matches): the relation scorer
    learns what doubtful or wrong mentions look like."""
    from kg.evaluate import GraphEntity, match_entities
    from kg.mentions import mentions
    from kg.model import normalize_name
    from kg.nlp.lexicon import load_lexicon
    from kg.resolve import Resolver

    doc = item.doc
    found = mentions(doc, entity)
    resolution = Resolver(doc.text, load_lexicon()).resolve(found)
    cands = relations.candidates(doc, found, resolution)
    gold_entities = [
        GraphEntity(e.id, e.label, e.name, frozenset(normalize_name(n) for n in e.names()), e.core)
        for e in item.gold.entities
    ]
    pred_entities = [
        GraphEntity(str(k), d.label, d.name, frozenset(normalize_name(n) for n in d.names), True)
        for k, d in enumerate(resolution.entities)
    ]
    to_gold = match_entities(gold_entities, pred_entities)
    keys = gold_relation_keys(item.gold)
    out = []
    for pair, feats in zip(cands.pairs, cands.features, strict=True):
        h, t = to_gold.get(pair.head.entity), to_gold.get(pair.tail.entity)
        key = (pair.type, h, t) if h is not None and t is not None else None
        positive = key in keys if key is not None else False
        weight = 1.0 if not positive or keys[key] else edge_weight  # type: ignore[index]
        out.append(RelationExample(pair.type, feats, positive, weight))
    return out


def out_of_fold(
    items: Sequence[Annotated], config: TrainConfig, entity_rows: dict[str, list[EntityExample]], folds: int = 4
) -> list[tuple[LinearModel, list[Annotated]]]:
    """Entity scorers trained on all but one inner fold (by article), each with the articles it never saw."""
    ordered = sorted(items, key=lambda x: x.name)
    if len(ordered) < folds:
        return []
    out = []
    for k in range(folds):
        train = [x for i, it in enumerate(ordered) if i % folds != k for x in entity_rows[it.name]]
        held = [it for i, it in enumerate(ordered) if i % folds == k]
        out.append((train_entity(train, config, {}), held))
    return out


def stacked_relation_examples(
    oof: Sequence[tuple[LinearModel, list[Annotated]]], config: TrainConfig
) -> list[RelationExample]:
    """Relation examples over the mentions out-of-fold entity scorers decide."""
    return [x for model, held in oof for it in held for x in predicted_relation_examples(it, model, config.edge_weight)]


THRESHOLD_GRID = (0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5)


def tuned_thresholds(oof: Sequence[tuple[LinearModel, list[Annotated]]], config: TrainConfig) -> dict[str, float]:
    """Per label, the threshold that gives the best mention F1 on articles the scorer never saw (every other
    label at the configured threshold); ties go to the configured one."""
    from kg.mentions import decode, score_piece

    scored = []
    for model, held in oof:
        low = replace(model, thresholds={label: THRESHOLD_GRID[0] for label in ENTITY_LABELS})
        for it in held:
            gold = {(m.start, m.end, m.label) for m in project(it.gold, it.doc.text)}
            for piece in it.doc.pieces:
                inside = {g for g in gold if piece.offset <= g[0] < piece.end}
                scored.append((piece.offset, score_piece(piece, low), inside))
    best: dict[str, float] = {}
    for label in ENTITY_LABELS:
        results = []
        for t in THRESHOLD_GRID:
            th = {x: config.entity_threshold for x in ENTITY_LABELS} | {label: t}
            probe = LinearModel("entity", {}, {}, th)
            tp = fp = fn = 0
            for offset, cands, gold in scored:
                kept = {(x.start + offset, x.end + offset, x.label) for x in decode(cands, probe) if x.label == label}
                want = {g for g in gold if g[2] == label}
                tp += len(kept & want)
                fp += len(kept - want)
                fn += len(want - kept)
            f1 = 2 * tp / (2 * tp + fp + fn or 1)
            results.append((round(f1, 4), -abs(t - config.entity_threshold), t))
        best[label] = max(results)[2]
    return best


def train_relation(
    examples: Sequence[RelationExample],
    config: TrainConfig,
    meta: dict[str, object],
    gold_counts: dict[str, int] | None = None,
) -> LinearModel:
    """One scorer per relation type. A type the training articles state fewer than `rule_fallback_below`
    times (`gold_counts`, core gold relations, not candidate pairs: one relation read in several sentences and
    over predicted mentions too makes many examples) is decided by its rules."""
    weights: dict[str, dict[str, float]] = {}
    bias: dict[str, float] = {}
    for rtype in RELATION_TYPES:
        fitted = _fit_class([x for x in examples if x.type == rtype], config.relation_c, config.min_count)
        if fitted is not None:
            weights[rtype], bias[rtype] = fitted
    thresholds = {t: config.thresholds.get(t, config.relation_threshold) for t in bias}
    positives = {t: sum(1 for x in examples if x.type == t and x.positive) for t in RELATION_TYPES}
    meta = {**meta, "positives": positives}
    counts = positives if gold_counts is None else gold_counts
    meta["rule_types"] = sorted(t for t in RELATION_TYPES if counts.get(t, 0) < config.rule_fallback_below)
    meta["rule_required"] = sorted(config.rule_required)
    return LinearModel("relation", weights, bias, thresholds, meta)


def train_models(items: Sequence[Annotated], config: TrainConfig, data_digest: str) -> tuple[LinearModel, LinearModel]:
    """Both scorers from every annotated article given."""
    meta = config_meta(config, data_digest, len(items))
    entity_rows = {it.name: entity_examples(it, config.edge_weight) for it in items}
    return fit_models(items, config, entity_rows, meta)


def fit_models(
    items: Sequence[Annotated],
    config: TrainConfig,
    entity_rows: dict[str, list[EntityExample]],
    meta: dict[str, object],
    relation_rows: dict[str, list[RelationExample]] | None = None,
) -> tuple[LinearModel, LinearModel]:
    """Both scorers from these articles; out-of-fold entity scorers give the relation scorer its examples
    over predicted mentions and the entity scorer its thresholds (when configured)."""
    ents = [x for it in items for x in entity_rows[it.name]]
    if relation_rows is None:
        relation_rows = {it.name: relation_examples(it, config.edge_weight) for it in items}
    rels = [x for it in items for x in relation_rows[it.name]]
    oof = out_of_fold(items, config, entity_rows) if (config.stacked or config.tune_thresholds) else []
    if config.stacked:
        rels += stacked_relation_examples(oof, config)
    if config.tune_thresholds and oof:
        config = replace(config, thresholds={**tuned_thresholds(oof, config), **config.thresholds})
    # Core relations only: edge ones (debatable readings) teach a scorer little about what is stated.
    core = [r.type for it in items for r in it.gold.relations if r.core]
    gold_counts = {t: core.count(t) for t in RELATION_TYPES}
    return train_entity(ents, config, meta), train_relation(rels, config, meta, gold_counts)
