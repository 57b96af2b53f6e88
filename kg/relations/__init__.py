"""Relations between an article's entities: candidate pairs, rule ids, the relation scorer, decoding.

Pairs come from sentences and from each item's topic (`kg.relations.pairs`); references (该公司, 园区) take
part as the entity they stand for (`kg.relations.references`). The rules of `relation_rules.jsonl` say
which pairs they read as a relation (`kg.relations.rules`): in rules-only mode those are the relations;
with the relation scorer every pair is scored, the fired rule ids among its features, and a relation is
kept when its best-scored pair clears the type's threshold. The evidence is that pair's sentence.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from kg.learn.linear import LinearModel
from kg.learn.relation_features import RelationFeaturizer
from kg.mentions import Mention
from kg.nlp import figures as fig
from kg.nlp.lexicon import load_lexicon, strip_leading_region
from kg.nlp.rules import load_rules
from kg.reading import ReadArticle
from kg.relations.pairs import Pair, firm_pairs, sentence_pairs, topic_pairs
from kg.relations.references import Slot, named_slots, paragraph_firm, resolve_references, topic_companies, topics
from kg.relations.rules import fired
from kg.resolve import Resolution


@dataclass(frozen=True)
class RelationFound:
    """A relation between entities (indices into the resolution), with its evidence sentence."""

    type: str
    head: int
    tail: int
    sentence: tuple[int, int]
    confidence: float
    props: dict[str, object] = field(default_factory=dict)
    rules: tuple[str, ...] = ()


@dataclass(frozen=True)
class Candidates:
    """An article's candidate relations, each with the rule ids that fired and its features."""

    pairs: tuple[Pair, ...]
    fired: tuple[tuple[str, ...], ...]
    features: tuple[tuple[str, ...], ...]
    text: str
    resolution: Resolution
    slots: tuple[Slot, ...] = ()  # every mention and resolved reference the pairs were made of


def candidates(
    doc: ReadArticle,
    found: Sequence[Mention],
    resolution: Resolution,
    employers: dict[int, int] | None = None,
    with_features: bool = True,
    rule_required: frozenset[str] = frozenset(),
) -> Candidates:
    """Every candidate relation of the article. `employers` (person → firm, from WORKS_FOR read before)
    tell whom 我们 in a quote stands for; rules-only reading needs no features, and neither does a pair of
    a `rule_required` type no rule fired on (the scorer would not be asked about it: a third of the pairs)."""
    text = doc.text
    book = load_rules()
    lex = load_lexicon()
    read = _slots(doc, found, resolution, employers)
    named, labels, topic, firms = read.named, read.labels, read.topic, read.firms
    slots = list(read.slots)
    sentences = doc.sentences()
    pairs = (
        sentence_pairs(slots, sentences)
        + topic_pairs(named, topic, labels, sentences)
        + firm_pairs(named, firms, sentences, paragraph_firm(text, named))
    )
    written: dict[int, set[str]] = {}
    for x in named:
        written.setdefault(x.entity, set()).add(text[x.start : x.end])

    def names_of(entity: int) -> tuple[str, ...]:
        return tuple(sorted(written.get(entity, ())))

    topic_entities = {e for es in topic.values() for e in es}
    # Rules-only reading scores nothing: no featurizer (it finds every cue word of the text) is made.
    featurizer = RelationFeaturizer(text, slots, book, topic_entities) if with_features else None
    titles = lex.titles
    fired_all = []
    feats: list[tuple[str, ...]] = []
    starts = [x.start for x in slots]

    def starting_in(start: int, end: int) -> list[Slot]:
        """The slots that start in [start, end) (they are sorted by start)."""
        return slots[bisect.bisect_left(starts, start) : bisect.bisect_left(starts, end)]

    def placed_elsewhere(pair: Pair) -> bool:
        zones = ("DevelopmentZone", "Park")
        return any(x.label in zones and x.entity != pair.tail.entity for x in starting_in(*pair.sentence))

    def title_of(entity: int) -> str:
        return str(resolution.entities[entity].props.get("title", ""))

    def slots_between(start: int, end: int) -> list[Slot]:
        return [x for x in starting_in(start, end) if x.end <= end]

    for p in pairs:
        fr = tuple(fired(p, text, book, titles, names_of, placed_elsewhere, title_of, slots_between))
        fired_all.append(fr)
        if featurizer is None or (not fr and p.type in rule_required):
            feats.append(())
            continue
        title = title_of(p.head.entity) if p.type == "WORKS_FOR" else ""
        feats.append(tuple(featurizer.features(p, fr, title)))
    return Candidates(tuple(pairs), tuple(fired_all), tuple(feats), text, resolution, read.slots)


def read_relations(
    doc: ReadArticle, found: Sequence[Mention], resolution: Resolution, model: LinearModel | None
) -> list[RelationFound]:
    """Two passes: posts first (who works for which firm), then everything, so that 我们 in a quote can be
    the firm of the person quoted."""
    scored = model is not None
    required = frozenset(model.meta.get("rule_required", ())) if model is not None else frozenset()
    read_first = candidates(doc, found, resolution, with_features=scored, rule_required=required)
    first = _decide(read_first, model)
    if not any(m.rule == "ref.we" for m in found):
        return first
    employers: dict[int, int] = {}
    for r in sorted(first, key=lambda r: -r.confidence):
        if r.type == "WORKS_FOR" and resolution.entities[r.tail].label == "Company":
            employers.setdefault(r.head, r.tail)
    if not employers:
        return first  # the second pass would read exactly the first one's candidates
    if _slots(doc, found, resolution, employers).slots == read_first.slots:
        return first  # no 我们 stands for another entity now: the same slots give the same candidates
    return _decide(candidates(doc, found, resolution, employers, scored, required), model)


@dataclass(frozen=True)
class _Slots:
    """What an article's pairs are made of: its mentions and references, its items' topics and firms."""

    named: list[Slot]
    labels: dict[int, str]
    topic: dict[int, list[int]]
    firms: dict[int, int]
    slots: tuple[Slot, ...]  # the named and the references, by position


def _slots(
    doc: ReadArticle, found: Sequence[Mention], resolution: Resolution, employers: dict[int, int] | None
) -> _Slots:
    text = doc.text
    named = named_slots(found, resolution)
    labels = {k: e.label for k, e in enumerate(resolution.entities)}
    topic = topics(text, named, doc.items)
    firms = topic_companies(text, named, doc.items)
    refs = resolve_references(text, found, named, topic, labels, firms, employers)
    return _Slots(named, labels, topic, firms, tuple(sorted(named + refs, key=lambda s: (s.start, s.end))))


RULE_SCORE = 0.75


def _decide(cands: Candidates, model: LinearModel | None) -> list[RelationFound]:
    rule_types = set(model.meta.get("rule_types", ())) if model is not None else set()
    rule_required = set(model.meta.get("rule_required", ())) if model is not None else set()
    best: dict[tuple[str, int, int], tuple[float, Pair, tuple[str, ...]]] = {}
    for pair, fr, feats in zip(cands.pairs, cands.fired, cands.features, strict=True):
        if model is None:
            if not fr:
                continue
            score = 1.0
        else:
            if not fr and pair.type in rule_required:
                continue  # the scorer only confirms what a rule read
            score = model.probability(pair.type, feats)
            if fr and pair.type in rule_types:
                score = max(score, RULE_SCORE)  # too few examples to learn the type: its rules decide
            if score < model.threshold(pair.type):
                continue
        key = (pair.type, pair.head.entity, pair.tail.entity)
        if pair.type == "COOPERATES_WITH" and key not in best:
            rev = (pair.type, pair.tail.entity, pair.head.entity)
            if rev in best:
                key = rev
        current = best.get(key)
        if current is None or score > current[0]:
            merged_rules = tuple(sorted(set(fr) | set(current[2] if current else ())))
            best[key] = (score, pair, merged_rules)
        else:
            best[key] = (current[0], current[1], tuple(sorted(set(fr) | set(current[2]))))
    best = _parks_part_of_zones(best, cands.resolution)
    if model is not None:
        best = _one_per_end(best, cands.resolution)
    best.update(_elliptic_bodies(best, cands))
    best.update(_operators_investing(best, cands))
    out = []
    for (rtype, h, t), (score, pair, rules) in sorted(best.items()):
        props = _props(rtype, pair, cands.text, cands.resolution)
        out.append(RelationFound(rtype, h, t, pair.sentence, score, props, rules or ("scorer",)))
    return out


# The end that usually takes part once per type: a project has one operator, a person one employer, a park
# one zone; the other end of the best-scored pair wins, others only when the scorer is sure of them too.
_DEPENDENT = {
    "LOCATED_IN": "head",
    "WORKS_FOR": "head",
    "PART_OF": "head",
    "OPERATES": "tail",
    "INVESTS_IN": "tail",
    "PRODUCES": "tail",
    "APPROVED": "tail",
}
SURE = 0.85


def _parks_part_of_zones(
    best: dict[tuple[str, int, int], tuple[float, Pair, tuple[str, ...]]], resolution: Resolution
) -> dict[tuple[str, int, int], tuple[float, Pair, tuple[str, ...]]]:
    """A park read as located in a development zone is a part of it (the guidelines' PART_OF, Park →
    DevelopmentZone): the two readings are one fact, so it is stated once, as PART_OF, with the better score."""
    out: dict[tuple[str, int, int], tuple[float, Pair, tuple[str, ...]]] = {}
    labels = [e.label for e in resolution.entities]
    for key, value in best.items():
        rtype, h, t = key
        if rtype == "LOCATED_IN" and labels[h] == "Park" and labels[t] == "DevelopmentZone":
            key = ("PART_OF", h, t)
            held = out.get(key) or best.get(key)
            if held is not None and held[0] >= value[0]:
                value = (held[0], held[1], tuple(sorted(set(held[2]) | set(value[2]))))
            else:
                value = (value[0], value[1], tuple(sorted(set(value[2]) | set(held[2] if held else ()))))
        elif key in out:
            continue  # the PART_OF of a park's LOCATED_IN, merged above
        out[key] = value
    return out


def _one_per_end(
    best: dict[tuple[str, int, int], tuple[float, Pair, tuple[str, ...]]], resolution: Resolution
) -> dict[tuple[str, int, int], tuple[float, Pair, tuple[str, ...]]]:
    groups: dict[tuple[str, int, str], list[tuple[str, int, int]]] = {}
    for key in best:
        rtype, h, t = key
        side = _DEPENDENT.get(rtype)
        if side is None:
            continue
        own, other = (h, t) if side == "head" else (t, h)
        groups.setdefault((rtype, own, resolution.entities[other].label), []).append(key)
    drop: set[tuple[str, int, int]] = set()
    for keys in groups.values():
        if len(keys) < 2:
            continue
        top = max(keys, key=lambda k: best[k][0])
        # 甲公司总经理、乙公司总经理某某: a person named after a list of posts holds each of them.
        drop.update(k for k in keys if k != top and best[k][0] < SURE and "works_for.title" not in best[k][2])
    return {k: v for k, v in best.items() if k not in drop}


_ELLIPTIC_POST = re.compile(r"^[^，。；]{0,24}?、(?:管委会|管理委员会)")


def _elliptic_bodies(
    best: dict[tuple[str, int, int], tuple[float, Pair, tuple[str, ...]]], cands: Candidates
) -> dict[tuple[str, int, int], tuple[float, Pair, tuple[str, ...]]]:
    """某某开发区党工委书记、管委会主任某某: the 管委会 post names no body of its own, so the person works for
    the zone whose party committee the post list opens with, or for the zone's 管委会 when the article names
    it elsewhere (rule `works_for.elliptic_body`)."""
    entities = cands.resolution.entities
    zones = [(i, e.key) for i, e in enumerate(entities) if e.label == "DevelopmentZone" and e.key]
    out: dict[tuple[str, int, int], tuple[float, Pair, tuple[str, ...]]] = {}
    committees = {
        z: i
        for i, e in enumerate(entities)
        if e.label == "Organization"
        for z in (e.key.removesuffix("管委会").removesuffix("管理委员会"),)
        if z != e.key
    }
    for (rtype, h, t), (score, pair, _rules) in best.items():
        if rtype != "WORKS_FOR" or entities[t].label != "Organization" or pair.topic:
            continue
        body, person = pair.tail, pair.head
        if body.end > person.start or not _ELLIPTIC_POST.match(cands.text[body.end : person.start]):
            continue
        key = entities[t].key
        zone = max((z for z in zones if _opens_with(key, z[1])), key=lambda z: len(z[1]), default=None)
        # The zone's management committee, when the article names it elsewhere, is the body of the post.
        committee = committees.get(re.sub("(?:党工委|工委|党委)$", "", key))
        target = committee if committee is not None else zone[0] if zone is not None else None
        if target is not None and ("WORKS_FOR", h, target) not in best:
            out[("WORKS_FOR", h, target)] = (score, pair, ("works_for.elliptic_body",))
    return out


def _opens_with(body: str, zone: str) -> bool:
    """A body's name opens with its zone's, the province the zone's name opens with left out or not
    (青禾新区党工委 of 云南青禾新区)."""
    if body == zone:
        return False
    short = strip_leading_region(zone, load_lexicon().regions)
    return body.startswith(zone) or (short != zone and len(short) >= 3 and body.startswith(short))


_INVEST = re.compile(r"(?:总投资|投资总额|计划投资|拟投资|投资)\s*(?:约|达|为|近|超)?\s*")


def _stated_investment(sentence: str) -> dict[str, object]:
    """The sum a sentence says is invested (总投资 2 亿元), as the INVESTS_IN amount property."""
    for m in _INVEST.finditer(sentence):
        amounts = fig.money(sentence[m.end() : m.end() + 24])
        if amounts and amounts[0][0] == 0:
            return {"amount": amounts[0][2]}
    return {}


INVESTMENT_REACH = 30  # characters around a project within which the sum stated is its own


def _other_project_between(cands: Candidates, project: Slot, s: int, e: int) -> bool:
    """Whether the sentence names another project within reach of this one (a list of projects whose sum
    is their total: 这次开工项目为甲项目、乙项目…, 总投资30亿元)."""
    lo, hi = max(s, project.start - INVESTMENT_REACH), min(e, project.end + INVESTMENT_REACH)
    return any(
        x.label == "Project" and x.entity != project.entity and lo <= x.start < hi for x in cands.slots
    )


def _operators_investing(
    best: dict[tuple[str, int, int], tuple[float, Pair, tuple[str, ...]]], cands: Candidates
) -> dict[tuple[str, int, int], tuple[float, Pair, tuple[str, ...]]]:
    """甲公司乙项目总投资 2 亿元: the firm that runs a project is its investor when the sum invested is
    stated right around the project, with no other project there (rule `invests.operator_amount`); the
    guidelines make such a firm both, and the annotated articles do so two times in three."""
    out: dict[tuple[str, int, int], tuple[float, Pair, tuple[str, ...]]] = {}
    for (rtype, h, t), (score, pair, _rules) in best.items():
        if rtype != "OPERATES" or ("INVESTS_IN", h, t) in best or pair.topic:
            continue
        s, e = pair.sentence
        project = pair.tail
        near = cands.text[max(s, project.start - INVESTMENT_REACH) : min(e, project.end + INVESTMENT_REACH)]
        if _stated_investment(near) and not _other_project_between(cands, project, s, e):
            invests = Pair("INVESTS_IN", pair.head, pair.tail, pair.sentence)
            out[("INVESTS_IN", h, t)] = (score, invests, ("invests.operator_amount",))
    return out


def _props(rtype: str, pair: Pair, text: str, resolution: Resolution) -> dict[str, object]:
    if rtype == "WORKS_FOR":
        title = resolution.entities[pair.head.entity].props.get("title")
        return {"title": title} if title else {}
    if rtype == "INVESTS_IN":
        s, e = pair.sentence
        return _stated_investment(text[s:e])
    return {}
