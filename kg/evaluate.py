"""Score predicted per-article graphs against gold graphs: precision, recall, F1 per label and type.

Matching follows the annotation guidelines. Entities match by label and any shared name or alias after
`normalize_name` (NFKC, no whitespace, no quotes); relations match by type and matched endpoints, with
COOPERATES_WITH matching in either direction. Both matchings are one to one: every gold item is credited
to at most one prediction, so a duplicate prediction is a false positive.

Every item ends as one `Outcome` (tp, fp or fn, with the gold item's confidence), and a scoring mode is a
filter over outcomes: "all" counts everything; "core" drops true positives on edge gold items (neither
credited nor penalised) and edge gold items left unmatched (not false negatives). A relation's confidence
is its own, whatever the confidence of the entities at its ends.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from kg.errors import GraphFormatError, InputError
from kg.model import normalize_name
from kg.schema import RELATION_TYPES

MODES: tuple[str, ...] = ("all", "core")
ENTITY, RELATION = "entity", "relation"

Kind = Literal["tp", "fp", "fn"]


@dataclass(frozen=True)
class GraphEntity:
    """An entity as the scorer sees it: label, display name and its set of normalised names."""

    id: str
    label: str
    name: str
    keys: frozenset[str]
    core: bool = True
    rules: tuple[str, ...] = ()


@dataclass(frozen=True)
class GraphRelation:
    type: str
    head: str
    tail: str
    evidence: str = ""
    core: bool = True
    rules: tuple[str, ...] = ()


@dataclass(frozen=True)
class Graph:
    """The comparable part of a gold file or of a `kg extract` output file."""

    doc: str
    entities: tuple[GraphEntity, ...]
    relations: tuple[GraphRelation, ...]


@dataclass(frozen=True)
class Outcome:
    """What became of one gold or predicted item; `core` is the gold item's confidence (True for fp)."""

    kind: Kind
    item: str  # ENTITY or RELATION
    key: str  # label or relation type
    text: str  # a readable rendering: name, or "head → tail"
    core: bool = True
    note: str = ""
    evidence: str = ""
    rules: tuple[str, ...] = ()  # of the prediction (tp, fp): the rules that made it

    def counts_in(self, mode: str) -> bool:
        """Core mode ignores matches to edge items and edge items left unmatched; fps always count."""
        return mode == "all" or self.kind == "fp" or self.core

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind, "key": self.key, "text": self.text}
        data["confidence"] = "core" if self.core else "edge"
        if self.note:
            data["note"] = self.note
        if self.evidence:
            data["evidence"] = self.evidence
        return data


@dataclass(frozen=True)
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


def _count(outcomes: Iterable[Outcome]) -> Counts:
    tp = fp = fn = 0
    for o in outcomes:
        tp += o.kind == "tp"
        fp += o.kind == "fp"
        fn += o.kind == "fn"
    return Counts(tp, fp, fn)


@dataclass(frozen=True)
class Table:
    """Scores of one item kind (entities or relations) in one mode: per key and micro overall."""

    per_key: dict[str, Counts]
    overall: Counts

    def to_dict(self) -> dict[str, Any]:
        return {
            "per_key": {k: c.to_dict() for k, c in self.per_key.items()},
            "overall": self.overall.to_dict(),
        }


@dataclass(frozen=True)
class FileResult:
    """The outcomes of one gold file paired with its prediction (or with nothing, when it is missing)."""

    doc: str
    outcomes: tuple[Outcome, ...]
    missing_prediction: bool = False

    def selected(self, mode: str, item: str) -> list[Outcome]:
        return [o for o in self.outcomes if o.item == item and o.counts_in(mode)]

    def errors(self, mode: str) -> list[Outcome]:
        """The false positives and false negatives that count in `mode`, entities first."""
        return [o for item in (ENTITY, RELATION) for o in self.selected(mode, item) if o.kind != "tp"]


@dataclass(frozen=True)
class Evaluation:
    files: tuple[FileResult, ...]
    unpaired_predictions: tuple[str, ...] = ()
    tables: dict[tuple[str, str], Table] = field(default_factory=dict)

    @property
    def missing_predictions(self) -> tuple[str, ...]:
        return tuple(f.doc for f in self.files if f.missing_prediction)

    def table(self, mode: str, item: str) -> Table:
        return self.tables[(mode, item)]

    def to_dict(self, details: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {
            "files": [f.doc for f in self.files],
            "missing_predictions": list(self.missing_predictions),
            "unpaired_predictions": list(self.unpaired_predictions),
        }
        for mode in MODES:
            data[mode] = {
                "entities": self.table(mode, ENTITY).to_dict(),
                "relations": self.table(mode, RELATION).to_dict(),
            }
        if details:
            data["details"] = {
                f.doc: {mode: [o.to_dict() for o in f.errors(mode)] for mode in MODES} for f in self.files
            }
        return data


# --- reading -----------------------------------------------------------------------------------------


def _is_core(raw: dict[str, Any]) -> bool:
    """Gold items carry "core" or "edge"; predictions carry a float confidence or nothing (always core)."""
    return raw.get("confidence") != "edge"


def _evidence_text(raw: Any) -> str:
    if isinstance(raw, str):
        return raw
    if isinstance(raw, list) and raw and isinstance(raw[0], dict):
        return str(raw[0].get("sentence", ""))
    return ""


def graph_from_dict(data: Any, source: str) -> Graph:
    """Read a gold file or a DocGraph.to_dict output; only entities and relations are compared."""
    if not isinstance(data, dict) or not isinstance(data.get("entities"), list):
        raise GraphFormatError(f'{source}: not a per-article graph (expected an object with "entities")')
    if data.get("format") == "kg.corpusgraph":
        raise GraphFormatError(
            f"{source}: is a corpus graph (kg build); kg eval compares per-article graphs (kg extract DIR -o OUT)"
        )
    try:
        entities = tuple(
            GraphEntity(
                id=str(e["id"]),
                label=str(e["label"]),
                name=str(e["name"]),
                keys=frozenset(
                    k for k in (normalize_name(str(n)) for n in (e["name"], *(e.get("aliases") or ()))) if k
                ),
                core=_is_core(e),
                rules=tuple(str(r) for r in e.get("rule") or ()),
            )
            for e in data["entities"]
        )
        relations = tuple(
            GraphRelation(
                type=str(r["type"]),
                head=str(r["head"]),
                tail=str(r["tail"]),
                evidence=_evidence_text(r.get("evidence")),
                core=_is_core(r),
                rules=tuple(str(x) for x in r.get("rule") or ()),
            )
            for r in data.get("relations") or ()
        )
    except (KeyError, TypeError) as e:
        raise GraphFormatError(f"{source}: malformed entity or relation (missing or bad field {e})") from e
    doc = str(data.get("doc") or Path(source).stem)
    return Graph(doc=doc, entities=entities, relations=relations)


def read_graph(path: Path) -> Graph:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError as e:
        raise InputError(f"{path}: no such file") from e
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise GraphFormatError(f"{path}: not valid UTF-8 JSON ({e})") from e
    return graph_from_dict(data, str(path))


# --- matching ----------------------------------------------------------------------------------------


def assign(candidates: dict[int, list[int]], n_right: int) -> dict[int, int]:
    """One-to-one assignment left → right, each left's candidates listed best first.

    Greedy in order (lefts in index order take their best free candidate), then augmenting paths
    (Kuhn's algorithm) to reach maximum cardinality: a later left whose only candidate was taken gets it
    back when the earlier left can move to another one. Deterministic for a given input order.
    """
    match_right: list[int | None] = [None] * n_right
    match_left: dict[int, int] = {}
    for left in sorted(candidates):
        for right in candidates[left]:
            if match_right[right] is None:
                match_right[right] = left
                match_left[left] = right
                break

    def augment(left: int, seen: set[int]) -> bool:
        for right in candidates[left]:
            if right in seen:
                continue
            seen.add(right)
            owner = match_right[right]
            if owner is None or augment(owner, seen):
                match_right[right] = left
                match_left[left] = right
                return True
        return False

    for left in sorted(candidates):
        if left not in match_left:
            augment(left, set())
    return match_left


def match_entities(gold: Sequence[GraphEntity], pred: Sequence[GraphEntity]) -> dict[int, int]:
    """Predicted index → gold index. A prediction prefers the gold item it shares most names with,
    then one whose canonical name is the same, then a core one, then the earlier one."""
    candidates: dict[int, list[int]] = {}
    for p, pe in enumerate(pred):
        ranked = [
            (-len(pe.keys & ge.keys), normalize_name(pe.name) != normalize_name(ge.name), not ge.core, g)
            for g, ge in enumerate(gold)
            if ge.label == pe.label and pe.keys & ge.keys
        ]
        if ranked:
            candidates[p] = [g for *_, g in sorted(ranked)]
    # Predictions with a stronger best candidate choose first.
    order = sorted(candidates, key=lambda p: (-len(pred[p].keys & gold[candidates[p][0]].keys), p))
    renumbered = {i: candidates[p] for i, p in enumerate(order)}
    return {order[i]: g for i, g in assign(renumbered, len(gold)).items()}


def _relation_key(rtype: str, head: str, tail: str) -> tuple[str, str, str]:
    if RELATION_TYPES.get(rtype) is not None and RELATION_TYPES[rtype].symmetric:
        head, tail = sorted((head, tail))
    return (rtype, head, tail)


def match_relations(
    gold: Sequence[GraphRelation], pred: Sequence[GraphRelation], pred_to_gold_id: dict[str, str]
) -> dict[int, int]:
    """Predicted index → gold index: same type, endpoints mapped through the entity matching."""
    by_key: dict[tuple[str, str, str], list[int]] = {}
    for g, gr in enumerate(gold):
        by_key.setdefault(_relation_key(gr.type, gr.head, gr.tail), []).append(g)
    candidates: dict[int, list[int]] = {}
    for p, pr in enumerate(pred):
        head, tail = pred_to_gold_id.get(pr.head), pred_to_gold_id.get(pr.tail)
        if head is None or tail is None:
            continue
        found = by_key.get(_relation_key(pr.type, head, tail))
        if found:
            # Core gold items first, so a duplicate of a core fact is not spent on an edge twin.
            candidates[p] = sorted(found, key=lambda g: (not gold[g].core, g))
    return assign(candidates, len(gold))


# --- scoring -----------------------------------------------------------------------------------------


def _entity_notes(gold: Graph, pred: Graph, matched: dict[int, int]) -> tuple[dict[int, str], dict[int, str]]:
    """Hints for the unmatched: a name the other side has under another label, or a duplicate."""
    taken = set(matched.values())
    pred_notes: dict[int, str] = {}
    gold_notes: dict[int, str] = {}
    for p, pe in enumerate(pred.entities):
        if p in matched:
            continue
        for g, ge in enumerate(gold.entities):
            if pe.keys & ge.keys:
                if ge.label != pe.label:
                    pred_notes[p] = f"gold has {ge.name!r} as {ge.label}"
                    gold_notes.setdefault(g, f"predicted as {pe.label}")
                elif g in taken:
                    pred_notes[p] = f"duplicate: {ge.name!r} already matched"
                break
    return pred_notes, gold_notes


def _relation_note(pr: GraphRelation, gold: Graph, pred_names: dict[str, str], to_gold: dict[str, str]) -> str:
    head, tail = to_gold.get(pr.head), to_gold.get(pr.tail)
    missing = [
        f"{end} {pred_names.get(eid, eid)!r}"
        for end, eid, g in (("head", pr.head, head), ("tail", pr.tail, tail))
        if g is None
    ]
    if missing:
        return " and ".join(missing) + " not matched to gold"
    for gr in gold.relations:
        if (gr.head, gr.tail) == (head, tail) and gr.type != pr.type:
            return f"gold type is {gr.type}"
        if (gr.head, gr.tail) == (tail, head) and gr.type == pr.type:
            return "gold has the reverse direction"
    return ""


def score_graphs(gold: Graph, pred: Graph | None) -> FileResult:
    """Match one article's prediction against its gold and record an outcome per item."""
    if pred is None:
        pred = Graph(doc=gold.doc, entities=(), relations=())
    ematch = match_entities(gold.entities, pred.entities)
    to_gold = {pred.entities[p].id: gold.entities[g].id for p, g in ematch.items()}
    gold_names = {e.id: e.name for e in gold.entities}
    pred_names = {e.id: e.name for e in pred.entities}
    pred_notes, gold_notes = _entity_notes(gold, pred, ematch)

    outcomes: list[Outcome] = []
    gold_hit = {g: p for p, g in ematch.items()}
    for g, ge in enumerate(gold.entities):
        if g in gold_hit:
            rules = pred.entities[gold_hit[g]].rules
            outcomes.append(Outcome("tp", ENTITY, ge.label, ge.name, ge.core, rules=rules))
        else:
            outcomes.append(Outcome("fn", ENTITY, ge.label, ge.name, ge.core, gold_notes.get(g, "")))
    for p, pe in enumerate(pred.entities):
        if p not in ematch:
            outcomes.append(Outcome("fp", ENTITY, pe.label, pe.name, True, pred_notes.get(p, ""), rules=pe.rules))

    rmatch = match_relations(gold.relations, pred.relations, to_gold)
    rgold_hit = {g: p for p, g in rmatch.items()}

    def show(names: dict[str, str], rel: GraphRelation) -> str:
        arrow = "↔" if RELATION_TYPES.get(rel.type) and RELATION_TYPES[rel.type].symmetric else "→"
        return f"{names.get(rel.head, rel.head)} {arrow} {names.get(rel.tail, rel.tail)}"

    for g, gr in enumerate(gold.relations):
        kind: Kind = "tp" if g in rgold_hit else "fn"
        rules = pred.relations[rgold_hit[g]].rules if g in rgold_hit else ()
        outcomes.append(
            Outcome(kind, RELATION, gr.type, show(gold_names, gr), gr.core, evidence=gr.evidence, rules=rules)
        )
    for p, pr in enumerate(pred.relations):
        if p not in rmatch:
            note = _relation_note(pr, gold, pred_names, to_gold)
            outcomes.append(Outcome("fp", RELATION, pr.type, show(pred_names, pr), True, note, pr.evidence, pr.rules))
    return FileResult(doc=gold.doc, outcomes=tuple(outcomes))


def rule_counts(files: Iterable[FileResult], mode: str, item: str) -> dict[str, Counts]:
    """True and false positives per rule id: every prediction counts for each rule that made it."""
    counts: dict[str, Counts] = {}
    for f in files:
        for o in f.selected(mode, item):
            if o.kind == "fn":
                continue
            for rule in o.rules or ("(none)",):
                c = counts.get(rule, Counts())
                counts[rule] = c + (Counts(tp=1) if o.kind == "tp" else Counts(fp=1))
    return dict(sorted(counts.items()))


def tabulate(files: Iterable[FileResult], mode: str, item: str) -> Table:
    selected = [o for f in files for o in f.selected(mode, item)]
    keys = sorted({o.key for o in selected})
    per_key = {k: _count(o for o in selected if o.key == k) for k in keys}
    return Table(per_key=per_key, overall=_count(selected))


def evaluate_results(files: Sequence[FileResult], unpaired: Sequence[str] = ()) -> Evaluation:
    tables = {(mode, item): tabulate(files, mode, item) for mode in MODES for item in (ENTITY, RELATION)}
    return Evaluation(files=tuple(files), unpaired_predictions=tuple(unpaired), tables=tables)


def _json_files(path: Path, role: str) -> dict[str, Path]:
    if not path.exists():
        raise InputError(f"{path}: no such file or directory ({role})")
    if path.is_file():
        return {path.stem: path}
    found = {p.stem: p for p in sorted(path.glob("*.json"))}
    if not found:
        raise InputError(f"{path}: no .json files in this directory ({role})")
    return found


def evaluate_paths(gold_path: Path | str, pred_path: Path | str) -> Evaluation:
    """Pair gold and prediction files by stem and score them all.

    Two files are compared directly whatever their names. A gold file without a prediction counts as an
    empty prediction (all its items are false negatives) and is listed in `missing_predictions`;
    predictions without gold are listed in `unpaired_predictions` and not scored.
    """
    gold_files = _json_files(Path(gold_path), "gold")
    pred_files = _json_files(Path(pred_path), "predictions")
    if Path(gold_path).is_file() and Path(pred_path).is_file():
        pred_files = {next(iter(gold_files)): next(iter(pred_files.values()))}
    common = sorted(gold_files.keys() & pred_files.keys())
    if not common:
        raise InputError(
            f"no prediction file in {pred_path} has the name of a gold file in {gold_path} "
            f"(gold: {', '.join(sorted(gold_files)[:3])}…; predictions: {', '.join(sorted(pred_files)[:3])}…)"
        )
    results = []
    for stem in sorted(gold_files):
        gold = read_graph(gold_files[stem])
        pred = read_graph(pred_files[stem]) if stem in pred_files else None
        result = score_graphs(gold, pred)
        if pred is None:
            result = FileResult(doc=result.doc, outcomes=result.outcomes, missing_prediction=True)
        results.append(result)
    unpaired = sorted(str(pred_files[s]) for s in pred_files.keys() - gold_files.keys())
    return evaluate_results(results, unpaired)


def evaluate_graphs(pairs: Iterable[tuple[dict[str, Any], dict[str, Any]]]) -> Evaluation:
    """Score (gold, prediction) dicts held in memory, as tests and the quality checks do."""
    results = [
        score_graphs(graph_from_dict(g, f"gold #{i}"), graph_from_dict(p, f"prediction #{i}"))
        for i, (g, p) in enumerate(pairs)
    ]
    return evaluate_results(results)
