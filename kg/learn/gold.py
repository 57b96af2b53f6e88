"""Gold graphs projected onto their article's text: where each gold entity is written.

Gold files list entities by name and aliases, without offsets (annotation guidelines). Training the
scorers and reading relations over gold entities (`kg eval --gold-entities`) need positions, so every name
and alias is searched in the normalised text. Where occurrences overlap, the tiling the guidelines ask for
wins: 某公司智慧调度平台项目 is the firm followed by the project, not the project's full-form alias, and a
region inside a zone's name (兴县 of 兴县经济技术开发区) is no mention of its own. Products are a layer of their
own, since they sit inside project names (年产 10 万吨铝合金杆项目).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.errors import GraphFormatError
from kg.mentions import MAIN_LAYER, PRODUCT_LAYER, layer_of
from kg.textnorm import normalize


@dataclass(frozen=True)
class GoldEntity:
    id: str
    label: str
    name: str
    aliases: tuple[str, ...]
    core: bool
    props: dict[str, Any]

    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class GoldRelation:
    type: str
    head: str
    tail: str
    core: bool
    evidence: str
    props: dict[str, Any]


@dataclass(frozen=True)
class GoldMention:
    """[start, end) in the normalised text of the article, and the gold entity written there."""

    start: int
    end: int
    label: str
    entity: str


@dataclass(frozen=True)
class GoldGraph:
    doc: str
    entities: tuple[GoldEntity, ...]
    relations: tuple[GoldRelation, ...]

    def entity(self, eid: str) -> GoldEntity:
        for e in self.entities:
            if e.id == eid:
                return e
        raise KeyError(eid)


def read_gold(path: Path) -> GoldGraph:
    """A gold file of the annotation guidelines' format."""
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
        entities = tuple(
            GoldEntity(
                id=str(e["id"]),
                label=str(e["label"]),
                name=str(e["name"]),
                aliases=tuple(str(a) for a in e.get("aliases") or ()),
                core=e.get("confidence") != "edge",
                props=dict(e.get("props") or {}),
            )
            for e in data["entities"]
        )
        relations = tuple(
            GoldRelation(
                type=str(r["type"]),
                head=str(r["head"]),
                tail=str(r["tail"]),
                core=r.get("confidence") != "edge",
                evidence=str(r.get("evidence") or ""),
                props=dict(r.get("props") or {}),
            )
            for r in data.get("relations") or ()
        )
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise GraphFormatError(f"{path}: not a gold graph ({e})") from e
    return GoldGraph(doc=str(data.get("doc") or path.stem), entities=entities, relations=relations)


def _occurrences(text: str, name: str) -> list[tuple[int, int]]:
    """Where `name` is written, after the same folding as the text; spaces inside the name are optional."""
    form = normalize(name).text.strip()
    if not form:
        return []
    found = [(m.start(), m.end()) for m in re.finditer(re.escape(form), text)]
    if found or (" " not in form and "\u3000" not in form):
        if found:
            return found
        # A name written with a space the gold dropped (折叠屏手机 X5 / 折叠屏手机X5).
        pattern = r"\s?".join(re.escape(ch) for ch in form)
        return [(m.start(), m.end()) for m in re.finditer(pattern, text)] if len(form) <= 40 else []
    pattern = r"\s*".join(re.escape(part) for part in form.split())
    return [(m.start(), m.end()) for m in re.finditer(pattern, text)]


def project(gold: GoldGraph, text: str) -> list[GoldMention]:
    """Every place a gold entity is written in `text` (the normalised article text), one tiling per layer."""
    raw: list[tuple[int, int, GoldEntity, bool]] = []  # start, end, entity, is one of its names' own spans
    for ent in gold.entities:
        for name in dict.fromkeys(ent.names()):
            for s, e in _occurrences(text, name):
                raw.append((s, e, ent, True))
    mentions: list[GoldMention] = []
    for layer in (MAIN_LAYER, PRODUCT_LAYER):
        spans = [r for r in raw if layer_of(r[2].label) == layer]
        # The firm-then-project alias gives way to its parts: drop a span that is another entity's span
        # followed by a span of its own entity (某公司 + 智慧调度平台项目), nothing but spaces between.
        keep = []
        for s, e, ent, _ in spans:
            inner = [(s2, e2, x) for s2, e2, x, _ in spans if s <= s2 and e2 <= e and (s2, e2) != (s, e)]
            heads = [e2 for s2, e2, x in inner if s2 == s and x.id != ent.id]
            tails = [s2 for s2, e2, x in inner if e2 == e and x.id == ent.id]
            split = any(not text[h:t].strip() for h in heads for t in tails if h <= t)
            if not split:
                keep.append((s, e, ent))
        keep.sort(key=lambda r: (-(r[1] - r[0]), r[0], r[2].id))
        taken: list[tuple[int, int, GoldEntity]] = []
        occupied = bytearray(len(text) + 1)
        for s, e, ent in keep:
            if any(occupied[s:e]):
                continue
            occupied[s:e] = b"\x01" * (e - s)
            taken.append((s, e, ent))
        if layer == PRODUCT_LAYER:
            # A product word inside a firm's or a body's name (某某化妆品有限公司) is no product mention.
            names = [(m.start, m.end) for m in mentions if m.label not in ("Project",)]
            taken = [t for t in taken if not any(s <= t[0] and t[1] <= e and (s, e) != t[:2] for s, e in names)]
        mentions.extend(GoldMention(s, e, ent.label, ent.id) for s, e, ent in taken)
    return sorted(mentions, key=lambda m: (m.start, m.end, m.label))


def unplaced(gold: GoldGraph, mentions: list[GoldMention]) -> list[GoldEntity]:
    """Gold entities written nowhere in the text (constructed names): they cannot be found by reading."""
    placed = {m.entity for m in mentions}
    return [e for e in gold.entities if e.id not in placed]
