"""`kg train`: rebuild the entity and relation scorers from annotated articles."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from kg.cli import app
from kg.errors import InputError

SOURCES_HELP = (
    "Annotated articles: a directory of articles with their gold graphs in gold/ beside them "
    "(as ../shared/corpus), or ARTICLES:GOLD for two directories. Several may be given."
)


def parse_sources(values: list[str]) -> list[tuple[Path, Path | None]]:
    out: list[tuple[Path, Path | None]] = []
    for v in values:
        if ":" in v and not Path(v).exists():
            articles, gold = v.split(":", 1)
            out.append((Path(articles), Path(gold)))
        else:
            out.append((Path(v), None))
    return out


def read_exclude(path: Path | None) -> frozenset[str]:
    """Article names (file stems), one per line, '#' comments: a held-out batch kept out of training."""
    if path is None:
        return frozenset()
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as e:
        raise InputError(f"{path}: cannot read ({e.strerror})") from e
    return frozenset(x.strip() for x in lines if x.strip() and not x.startswith("#"))


def load_annotated(sources: list[str], exclude: Path | None):  # type: ignore[no-untyped-def]
    from kg.learn.train import annotated_pairs, read_annotated

    skip = read_exclude(exclude)
    pairs: list[tuple[Path, Path]] = []
    seen: set[str] = set()
    for articles, gold in parse_sources(sources):
        for a, g in annotated_pairs(articles, gold):
            if a.stem in skip:
                continue
            if a.stem in seen:
                raise InputError(f"{a}: two annotated articles are called {a.stem!r}")
            seen.add(a.stem)
            pairs.append((a, g))
    if not pairs:
        raise InputError("no annotated article left (all excluded?)")
    return pairs, read_annotated(pairs)


@app.command()
def train(
    sources: Annotated[list[str], typer.Argument(help=SOURCES_HELP)],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Directory for entity.json and relation.json.")
    ] = None,
    config: Annotated[
        Path | None, typer.Option("--config", help="Training configuration (JSON, the keys of TrainConfig).")
    ] = None,
    exclude: Annotated[
        Path | None, typer.Option("--exclude", help="File of article names (stems) to leave out.")
    ] = None,
) -> None:
    """Train the entity and relation scorers from annotated articles (default output: the shipped models)."""
    from kg.learn.train import config_from_file, digest, train_models
    from kg.models import ENTITY_MODEL, RELATION_MODEL, shipped_dir

    cfg = config_from_file(config)
    pairs, items = load_annotated(sources, exclude)
    entity, relation = train_models(items, cfg, digest(pairs))
    out = output or shipped_dir()
    entity.write(out / ENTITY_MODEL)
    relation.write(out / RELATION_MODEL)
    n_feats = sum(len(w) for w in entity.weights.values()) + sum(len(w) for w in relation.weights.values())
    print(
        f"trained on {len(items)} articles (data digest {entity.meta['data_digest']}): "
        f"{n_feats} weights; wrote {out / ENTITY_MODEL} and {out / RELATION_MODEL}",
        file=sys.stderr,
    )
