"""Candidates → mentions: the entity scorer rates every candidate and a decoder keeps a consistent set.

With a model, each candidate gets the probability that it is a mention of its label; those above the
label's threshold are taken best first, never overlapping another kept mention of the same layer
(products form a layer of their own, since they sit inside project names). Without a model (rules-only
mode), the rules' preferred candidates are taken, longest first. References (该公司) are kept apart: they
make no entity of their own.
"""

from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass, replace

import ahocorasick

from kg.learn.entity_features import RULE_CHOICE, EntityFeaturizer
from kg.learn.linear import LinearModel
from kg.nlp.candidates import Candidate
from kg.reading import Piece, ReadArticle

PRODUCT_LAYER = "product"
MAIN_LAYER = "main"


def layer_of(label: str) -> str:
    return PRODUCT_LAYER if label == "Product" else MAIN_LAYER


@dataclass(frozen=True, order=True)
class Mention:
    """A decided mention [start, end) of the article's normalised text."""

    start: int
    end: int
    label: str
    rule: str
    score: float
    item: int
    props: tuple[tuple[str, str], ...] = ()
    is_ref: bool = False

    def prop(self, key: str) -> str:
        return dict(self.props).get(key, "")


@dataclass(frozen=True)
class Scored:
    start: int
    end: int
    label: str
    rule: str
    score: float
    item: int
    props: tuple[tuple[str, str], ...]
    preferred: bool


def _logistic(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    ez = math.exp(z)
    return ez / (1.0 + ez)


def anchor_groups(cands: list[Candidate]) -> list[list[Candidate]]:
    """Candidates grouped by the cue that proposed them (the alternatives of one suffix, one title)."""
    groups: dict[tuple[str, int], list[Candidate]] = {}
    for c in cands:
        key = (c.label, c.anchor) if c.anchor >= 0 else (c.label, -1 - len(groups))
        groups.setdefault(key, []).append(c)
    return list(groups.values())


def representative(group: list[Candidate]) -> Candidate:
    """The alternative that stands for its group when asking whether the cue names anything at all: the
    rule's choice, else the shortest (the cue itself plus the least context, so that a group whose rule
    found no good start is judged by its name, not by the clause it could swallow)."""
    for c in group:
        if c.preferred:
            return c
    return min(group, key=lambda c: c.end - c.start)


def span_class(label: str) -> str:
    return f"{label}/span"


def span_features(features: list[str]) -> list[str]:
    """The span ranker judges alternatives by their own shape, not by which one the rule chose."""
    return [f for f in features if not f.startswith(RULE_CHOICE)]


def score_piece(piece: Piece, model: LinearModel | None) -> list[Scored]:
    """Two questions per group of alternatives: does the cue name a mention (the label's scorer, on the
    group's representative), and which alternative is it (the label's span ranker, a softmax over the
    group)? A candidate's score is the product; those below their label's threshold are left out (no
    decoder keeps them)."""
    cands = [c for c in piece.candidates if not c.rule.startswith("ref.")]
    out: list[Scored] = []
    if model is None:
        for c in cands:
            if c.preferred:
                out.append(Scored(c.start, c.end, c.label, c.rule, 1.0, piece.item, c.props, True))
        return out
    feats = EntityFeaturizer(piece.ctx, piece.candidates)
    for group in anchor_groups(cands):
        rep = representative(group)
        label = rep.label
        p_any = _logistic(feats.score(model, label, rep, (f"nalt|{min(len(group), 6)}",)))
        threshold = model.threshold(label)
        if p_any < threshold:
            continue  # a candidate scores at most its group's p_any: none of these could be kept
        if len(group) == 1 or span_class(label) not in model.bias:
            shares = [1.0] * len(group)
        else:
            raw = [feats.score(model, span_class(label), c, ranking=True) for c in group]
            top = max(raw)
            exps = [math.exp(r - top) for r in raw]
            total = sum(exps)
            shares = [x / total for x in exps]
        for c, share in zip(group, shares, strict=True):
            score = p_any * share
            if score >= threshold:  # decode drops the others
                out.append(Scored(c.start, c.end, c.label, c.rule, score, piece.item, c.props, c.preferred))
    return out


def decode(scored: list[Scored], model: LinearModel | None) -> list[Scored]:
    """A consistent set of mentions per layer. Rules-only: longest first. With a model: candidates above
    their label's threshold, best first; a later candidate that contains every kept mention it overlaps,
    each of another label, replaces them (a name is read whole: 福清海丝电影港项目, not the place 福清
    inside it; but two firms are not one longer firm); one that crosses a kept mention is dropped."""
    if model is None:
        ranked = sorted(scored, key=lambda x: (-(x.end - x.start), x.start, x.label, x.rule))
    else:
        scored = [x for x in scored if x.score >= model.threshold(x.label)]
        ranked = sorted(scored, key=lambda x: (-x.score, -(x.end - x.start), x.start, x.label, x.rule))
    kept: dict[str, list[Scored]] = {}
    for x in ranked:
        layer = kept.setdefault(layer_of(x.label), [])
        clash = [y for y in layer if y.start < x.end and x.start < y.end]
        if not clash:
            layer.append(x)
        elif model is not None and all(
            x.start <= y.start and y.end <= x.end and (y.start, y.end) != (x.start, x.end) and y.label != x.label
            for y in clash
        ):
            for y in clash:
                layer.remove(y)
            layer.append(x)
    # Candidates of the same span and label pool their properties (the post a title rule read stays with
    # the name even when the speech-verb rule's candidate was kept).
    props: dict[tuple[int, int, str], dict[str, str]] = {}
    for x in scored:
        pooled = props.setdefault((x.start, x.end, x.label), {})
        for k, v in x.props:
            pooled.setdefault(k, v)
    out = []
    for layer in kept.values():
        for x in layer:
            merged = tuple(sorted(props.get((x.start, x.end, x.label), {}).items()))
            out.append(x if merged == x.props else replace(x, props=merged))
    return out


def propagate(
    text: str, found: list[Mention], items: tuple[tuple[int, int], ...], products: bool = False
) -> list[Mention]:
    """Every other place the article writes a name it decided on (the firm named in the headline is the
    firm of the third paragraph too), where no other mention stands: more sentences to read relations in.
    One Aho-Corasick pass finds every name at once. Products propagate in their own layer (`products`),
    names of three characters or more only (a two-character product word is too often a plain word)."""
    occupied = bytearray(len(text) + 1)
    for m in found:
        if (m.label == "Product") == products:
            occupied[m.start : m.end] = b"\x01" * (m.end - m.start)
    names: dict[str, Mention] = {}
    for m in sorted(found, key=lambda m: -m.score):
        name = text[m.start : m.end]
        if len(name) >= (3 if products else 2) and (m.label == "Product") == products:
            names.setdefault(name, m)
    if not names:
        return []
    auto = ahocorasick.Automaton()
    for name in names:
        auto.add_word(name, name)
    auto.make_automaton()
    hits = sorted(((end - len(name) + 1, -len(name), name) for end, name in auto.iter(text)))
    starts = [s for s, _ in items]
    extra: list[Mention] = []
    for pos, neg_len, name in sorted(hits, key=lambda h: (h[1], h[0])):  # longest names first
        end = pos - neg_len
        if any(occupied[pos:end]):
            continue
        occupied[pos:end] = b"\x01" * (end - pos)
        m = names[name]
        item = max(0, bisect.bisect_right(starts, pos) - 1)
        extra.append(Mention(pos, end, m.label, "propagate", m.score, item, m.props))
    return extra


_OWNER_REACH = 10
_NAME_CHAR = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")


def project_owners(text: str, found: list[Mention]) -> list[Mention]:
    """四川某某年产10万吨铜箔项目, where the article names 四川某某电子材料科技有限公司 elsewhere: the words
    right before a project that open the name of a firm the article decided on are that firm, written short
    (the guidelines keep a firm before a project as its own entity, which then operates it). Only the
    article's own firms are read so: a trade name alone is too often a common word."""
    firms = sorted({text[m.start : m.end] for m in found if m.label == "Company" and not m.is_ref}, key=len)
    if not firms:
        return []
    occupied = bytearray(len(text) + 1)
    for m in found:
        if m.label not in ("Product", "Region"):  # 四川 of 四川某某 is read whole, as in any firm's name
            occupied[m.start : m.end] = b"\x01" * (m.end - m.start)
    out: list[Mention] = []
    for m in found:
        if m.label != "Project" or m.is_ref:
            continue
        for k in range(min(_OWNER_REACH, m.start), 1, -1):
            start = m.start - k
            owner = text[start : m.start]
            if any(occupied[start : m.start]) or not _NAME_CHAR.fullmatch(owner[0]):
                continue
            if any(f.startswith(owner) and len(f) > len(owner) for f in firms):
                out.append(Mention(start, m.start, "Company", "company.project_owner", m.score, m.item))
                break
    return out


def mentions(read: ReadArticle, model: LinearModel | None) -> list[Mention]:
    """The article's mentions (offsets into its normalised text) and its references."""
    found: list[Mention] = []
    for piece in read.pieces:
        kept = decode(score_piece(piece, model), model)
        for x in kept:
            found.append(
                Mention(x.start + piece.offset, x.end + piece.offset, x.label, x.rule, x.score, x.item, x.props)
            )
    main = [m for m in found if m.label != "Product"]
    products = [m for m in found if m.label == "Product"]
    found.extend(propagate(read.text, main, read.items))
    found.extend(propagate(read.text, products, read.items, products=True))
    owners = project_owners(read.text, found)
    if owners:  # the place an owner opens with is part of its name (四川某某), as in any firm's
        found = [m for m in found if m.label != "Region" or not any(o.start <= m.start < o.end for o in owners)]
        found.extend(owners)
    for piece in read.pieces:
        for c in piece.candidates:
            if c.rule.startswith("ref."):
                found.append(
                    Mention(c.start + piece.offset, c.end + piece.offset, c.label, c.rule, 1.0, piece.item, (), True)
                )
    return sorted(found)
