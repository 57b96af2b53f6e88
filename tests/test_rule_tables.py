"""Every rule of kg/nlp/patterns is tested by its own rows: `pos` sentences it must read, `neg` sentences it
must not, each also in the ASCII punctuation web copies use. Sentences are ours, names made up."""

from __future__ import annotations

import pytest

from kg.extract import extract
from kg.model import Article
from kg.models import Models
from kg.nlp.generic import generic_project, product_like
from kg.nlp.lexicon import load_lexicon
from kg.nlp.rules import Example, Rule, load_rules
from kg.reading import read

_ASCII = str.maketrans(
    {"，": ",", "：": ":", "；": ";", "（": "(", "）": ")", "！": "!", "？": "?", "“": '"', "”": '"'}
)
_FULL = str.maketrans({",": "，", ":": "：", ";": "；", "(": "（", ")": "）", "!": "！", "?": "？"})

RULES = load_rules().rules
ENTITY_RULES = [r for r in RULES if not r.type and r.kind not in ("project_generic", "product_generic")]
RELATION_RULES = [r for r in RULES if r.type]
WORD_RULES = [r for r in RULES if r.kind in ("project_generic", "product_generic")]


def variants(example: Example) -> list[tuple[str, str]]:
    """The sentence and expected span in full-width form and in ASCII form."""
    full = (example.text.translate(_FULL), example.expect.translate(_FULL))
    ascii_ = (example.text.translate(_ASCII), example.expect.translate(_ASCII))
    return [full] if full == ascii_ else [full, ascii_]


def preferred_spans(text: str, rule_id: str, any_candidate: bool = False) -> set[str]:
    """The spans `rule_id` prefers in `text` (or proposes at all), as written."""
    doc = read(Article.make("t.txt", text))
    out = set()
    for p in doc.pieces:
        for c in p.candidates:
            if c.rule == rule_id and (c.preferred or any_candidate):
                s, e = doc.norm.original_span(c.start + p.offset, c.end + p.offset)
                out.add(doc.article.text[s:e])
    return out


def relation_names(text: str, rule: Rule) -> set[tuple[str, str]]:
    """(head name, tail name) of every relation `rule` made in the rules-only graph of `text`."""
    graph = extract(Article.make("t.txt", text), Models.rules_only())
    by_id = {e.id: e for e in graph.entities}
    out = set()
    for r in graph.relations:
        if r.type != rule.type or rule.id not in r.rules:
            continue
        for h in by_id[r.head].names():
            for t in by_id[r.tail].names():
                out.add((h, t))
    return out


def _ids(rules: list[Rule]) -> list[str]:
    return [r.id for r in rules]


def test_rule_ids_are_unique_and_every_rule_has_examples() -> None:
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids))
    untested = [r.id for r in RULES if not r.pos]
    assert untested == [], f"rules without a positive example: {untested}"
    no_negative = [r.id for r in RULES if not r.neg]
    assert no_negative == [], f"rules without a negative example: {no_negative}"


@pytest.mark.parametrize("rule", ENTITY_RULES, ids=_ids(ENTITY_RULES))
def test_entity_rule_reads_its_positive_sentences(rule: Rule) -> None:
    target = str(rule.options.get("constrains", rule.id))  # a constraint row tests the rule it constrains
    for example in rule.pos:
        for text, expect in variants(example):
            found = preferred_spans(text, target)
            assert expect in found, f"{rule.id}: {text!r} should give {expect!r}, gave {sorted(found)}"


@pytest.mark.parametrize("rule", ENTITY_RULES, ids=_ids(ENTITY_RULES))
def test_entity_rule_leaves_its_negative_sentences(rule: Rule) -> None:
    target = str(rule.options.get("constrains", rule.id))
    for example in rule.neg:
        for text, expect in variants(example):
            found = preferred_spans(text, target, any_candidate=target != rule.id)
            assert expect not in found, f"{rule.id}: {text!r} should not give {expect!r}"


@pytest.mark.parametrize("rule", RELATION_RULES, ids=_ids(RELATION_RULES))
def test_relation_rule_reads_its_positive_sentences(rule: Rule) -> None:
    for example in rule.pos:
        head, tail = example.expect.split(">")
        for text, _ in variants(example):
            found = relation_names(text, rule)
            assert (head, tail) in found or (rule.type == "COOPERATES_WITH" and (tail, head) in found), (
                f"{rule.id}: {text!r} should give {head} → {tail}, gave {sorted(found)}"
            )


@pytest.mark.parametrize("rule", RELATION_RULES, ids=_ids(RELATION_RULES))
def test_relation_rule_leaves_its_negative_sentences(rule: Rule) -> None:
    for example in rule.neg:
        head, tail = example.expect.split(">")
        for text, _ in variants(example):
            assert (head, tail) not in relation_names(text, rule), f"{rule.id}: {text!r}"


@pytest.mark.parametrize("rule", WORD_RULES, ids=_ids(WORD_RULES))
def test_word_list_rules(rule: Rule) -> None:
    book, lex = load_rules(), load_lexicon()
    for example in rule.pos:
        if rule.kind == "project_generic":
            assert generic_project(example.text, book), example.text
        else:
            assert not product_like(example.text, lex, book), example.text
    for example in rule.neg:
        if rule.kind == "project_generic":
            assert not generic_project(example.text, book), example.text
        else:
            assert product_like(example.text, lex, book), example.text


def test_rules_for_a_kind_of_pair_are_those_a_pair_of_it_can_satisfy() -> None:
    """fired() tries only the rules `_rules_for` chooses per (type, labels, topic or not): those of the type
    naming both labels, topic rules for topic pairs and the others for sentence pairs (a kind that reads
    both, `named_after`, for either), in table order."""
    from kg.relations.rules import _ANY_PAIR_KINDS, _by_type, _rules_for
    from kg.schema import ENTITY_LABELS

    book = load_rules()
    for rtype, rules in _by_type(book).items():
        for head in ENTITY_LABELS:
            for tail in ENTITY_LABELS:
                for topic in (False, True):
                    plain = [
                        r
                        for r in rules
                        if head in r.options.get("heads", ())
                        and tail in r.options.get("tails", ())
                        and (r.kind in _ANY_PAIR_KINDS or (r.kind == "topic") == topic)
                    ]
                    assert list(_rules_for(book, rtype, head, tail, topic)) == plain
