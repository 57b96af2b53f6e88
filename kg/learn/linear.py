"""A linear scorer over string features, as a plain weight table: what the shipped models are.

Training uses scikit-learn's LogisticRegression (kg/learn/train.py); the fitted coefficients are written
as a JSON table of feature → weight per class, so extraction needs neither scikit-learn nor numpy to
score, starts fast, and the model file is readable and diffable. Scoring a candidate is a sum of a few
dozen dictionary lookups.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import repeat
from pathlib import Path
from typing import Any

from kg.errors import KgError


def weight_sum(weights: dict[str, float], features: Iterable[str]) -> float:
    """The sum of the features' weights (0 for an unknown feature), in the features' order: scoring runs
    for every candidate, and `map` over the dict's `get` is about twice as fast as a generator."""
    return sum(map(weights.get, features, repeat(0.0)))


@dataclass(frozen=True)
class LinearModel:
    """One binary logistic scorer per class (an entity label or a relation type)."""

    kind: str
    weights: dict[str, dict[str, float]]
    bias: dict[str, float]
    thresholds: dict[str, float] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)

    def classes(self) -> tuple[str, ...]:
        return tuple(sorted(self.bias))

    def score(self, cls: str, features: Iterable[str]) -> float:
        """The linear score (a ranker's utility, or a scorer's log-odds)."""
        w = self.weights.get(cls)
        if w is None:
            return 0.0
        return self.bias[cls] + weight_sum(w, features)

    def probability(self, cls: str, features: Iterable[str]) -> float:
        w = self.weights.get(cls)
        if w is None:
            return 0.0
        z = self.bias[cls] + weight_sum(w, features)
        if z >= 0:
            return 1.0 / (1.0 + math.exp(-z))
        ez = math.exp(z)
        return ez / (1.0 + ez)

    def threshold(self, cls: str) -> float:
        return self.thresholds.get(cls, 0.5)

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": "kg.linear",
            "kind": self.kind,
            "meta": self.meta,
            "thresholds": dict(sorted(self.thresholds.items())),
            "bias": {c: round(b, 6) for c, b in sorted(self.bias.items())},
            "weights": {c: {f: round(v, 6) for f, v in sorted(ws.items())} for c, ws in sorted(self.weights.items())},
        }

    @staticmethod
    def from_dict(data: dict[str, Any], source: str = "model") -> LinearModel:
        if data.get("format") != "kg.linear":
            raise KgError(f"{source}: not a kg model file")
        return LinearModel(
            kind=str(data["kind"]),
            weights={c: {f: float(v) for f, v in ws.items()} for c, ws in data["weights"].items()},
            bias={c: float(b) for c, b in data["bias"].items()},
            thresholds={c: float(t) for c, t in data.get("thresholds", {}).items()},
            meta=dict(data.get("meta") or {}),
        )

    def write(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(self.to_dict(), ensure_ascii=False, indent=0, sort_keys=False)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(text + "\n", encoding="utf-8")
        tmp.replace(path)

    @staticmethod
    def read(path: Path) -> LinearModel:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            raise KgError(f"{path}: cannot read model ({e})") from e
        return LinearModel.from_dict(data, str(path))


def fit(
    rows: Sequence[Sequence[str]],
    labels: Sequence[int],
    c: float = 1.0,
    weights: Sequence[float] | None = None,
    min_count: int = 1,
) -> tuple[dict[str, float], float]:
    """Fit one binary logistic regression (scikit-learn, liblinear: deterministic) over string features.

    Features seen fewer than `min_count` times are dropped. Returns the weight table and the bias.
    """
    from collections import Counter

    import numpy as np
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    counts: Counter[str] = Counter(f for row in rows for f in set(row))
    vocab = {f: i for i, f in enumerate(sorted(f for f, n in counts.items() if n >= min_count))}
    if not rows or len(set(labels)) < 2:
        return {}, (20.0 if labels and labels[0] else -20.0)
    indptr = [0]
    indices: list[int] = []
    for row in rows:
        cols = sorted({vocab[f] for f in row if f in vocab})
        indices.extend(cols)
        indptr.append(len(indices))
    x = csr_matrix((np.ones(len(indices)), indices, indptr), shape=(len(rows), len(vocab)))
    model = LogisticRegression(C=c, solver="liblinear", random_state=0, max_iter=2000)
    model.fit(x, np.asarray(labels), sample_weight=None if weights is None else np.asarray(weights))
    coef = model.coef_[0]
    names = sorted(vocab, key=vocab.__getitem__)
    table = {f: float(coef[i]) for i, f in enumerate(names) if abs(coef[i]) >= 1e-4}
    return table, float(model.intercept_[0])


def fit_ranker(
    groups: Sequence[tuple[Sequence[Sequence[str]], int]], c: float = 1.0, min_count: int = 1
) -> dict[str, float]:
    """Learn to rank alternatives: each group is (the alternatives' features, the index of the right one).

    A conditional choice model fitted as pairwise logistic regression (liblinear, no intercept) on the
    difference of the right alternative's features and each wrong one's, both ways round; scores are then
    compared within a group (softmax), so only differences matter.
    """
    from collections import Counter

    import numpy as np
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    counts: Counter[str] = Counter(f for alts, _ in groups for row in alts for f in set(row))
    vocab = {f: i for i, f in enumerate(sorted(f for f, n in counts.items() if n >= min_count))}
    data: list[float] = []
    indices: list[int] = []
    indptr = [0]
    labels: list[int] = []
    for alts, right in groups:
        good = {vocab[f] for f in alts[right] if f in vocab}
        for j, row in enumerate(alts):
            if j == right:
                continue
            bad = {vocab[f] for f in row if f in vocab}
            diff = sorted((good - bad) | (bad - good))
            if not diff:
                continue
            for sign, label in ((1.0, 1), (-1.0, 0)):
                for col in diff:
                    indices.append(col)
                    data.append(sign if col in good else -sign)
                indptr.append(len(indices))
                labels.append(label)
    if len(set(labels)) < 2:
        return {}
    x = csr_matrix((np.asarray(data), indices, indptr), shape=(len(labels), len(vocab)))
    model = LogisticRegression(C=c, solver="liblinear", random_state=0, max_iter=2000, fit_intercept=False)
    model.fit(x, np.asarray(labels))
    coef = model.coef_[0]
    names = sorted(vocab, key=vocab.__getitem__)
    return {f: float(coef[i]) for i, f in enumerate(names) if abs(coef[i]) >= 1e-4}
