"""The trained scorers kg ships (kg/trained/*.json) and how extraction finds them.

`kg train` rebuilds them from annotated articles; `KG_MODEL_DIR` points extraction at other model files;
`Models.rules_only()` scores nothing, so each rule's own choice is taken (the rules-only figures of
`kg eval --folds`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from kg.learn.linear import LinearModel

ENTITY_MODEL = "entity.json"
RELATION_MODEL = "relation.json"


@dataclass(frozen=True)
class Models:
    entity: LinearModel | None
    relation: LinearModel | None

    @staticmethod
    def rules_only() -> Models:
        return Models(None, None)


def shipped_dir() -> Path:
    return Path(str(resources.files("kg") / "trained"))


def model_dir() -> Path:
    return Path(os.environ["KG_MODEL_DIR"]) if os.environ.get("KG_MODEL_DIR") else shipped_dir()


def load_models(folder: Path) -> Models:
    entity = folder / ENTITY_MODEL
    relation = folder / RELATION_MODEL
    return Models(
        LinearModel.read(entity) if entity.exists() else None,
        LinearModel.read(relation) if relation.exists() else None,
    )


@lru_cache(maxsize=1)
def default_models() -> Models:
    return load_models(model_dir())
