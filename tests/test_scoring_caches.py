"""The scorers' caches and shortcuts change no result: features do not depend on the order candidates are
asked in, and reading relations in one pass when a second would read the same candidates gives what two
passes give. Articles are ours (names made up), with quotes, 我们 and posts so that both passes matter."""

from __future__ import annotations

import random

import pytest

from kg.learn.entity_features import EntityFeaturizer
from kg.mentions import Mention, mentions
from kg.model import Article
from kg.models import default_models
from kg.nlp.lexicon import load_lexicon
from kg.nlp.rules import load_rules
from kg.reading import ReadArticle, read
from kg.relations import RelationFeaturizer, _decide, candidates, read_relations
from kg.resolve import Resolution, Resolver

ARTICLES = [
    "岚峰铝业有限公司总经理柴明远介绍，公司主要生产铝合金杆。“我们的产品销往华东，客户包括澄江汽车。”柴明远说。",
    "青禾经济技术开发区党工委书记蔺舟表示，将为企业做好服务。“我们开发区引进了岚峰铝业有限公司、澄江新材料有限公司。”",
    "“我们今年投产两条生产线。”蔚山电池有限公司董事长贺岚说，公司为澄江汽车配套生产电池模组。",
    "澄江新材料有限公司年产5万吨铝合金杆项目落户青禾经济技术开发区，总投资6.5亿元。",
]


def _read(text: str) -> tuple[ReadArticle, list[Mention], Resolution]:
    doc = read(Article.make("t.txt", text))
    found = mentions(doc, default_models().entity)
    resolution = Resolver(doc.text, load_lexicon()).resolve(found)
    return doc, found, resolution


@pytest.mark.parametrize("text", ARTICLES)
def test_entity_features_do_not_depend_on_the_order_they_are_asked_in(text: str) -> None:
    doc = read(Article.make("t.txt", text))
    for piece in doc.pieces:
        cands = list(piece.candidates)
        in_order = EntityFeaturizer(piece.ctx, piece.candidates)
        expected = {c: in_order.features(c) for c in cands}
        shuffled = list(cands)
        random.Random(7).shuffle(shuffled)
        again = EntityFeaturizer(piece.ctx, piece.candidates)
        for c in shuffled:
            assert again.features(c) == expected[c], c
        model = default_models().entity
        assert model is not None
        scores = {c: in_order.score(model, c.label, c) for c in cands}
        fresh = EntityFeaturizer(piece.ctx, piece.candidates)
        assert {c: fresh.score(model, c.label, c) for c in reversed(cands)} == scores


@pytest.mark.parametrize("text", ARTICLES)
def test_relation_features_do_not_depend_on_the_order_of_the_pairs(text: str) -> None:
    doc, found, resolution = _read(text)
    one = candidates(doc, found, resolution)
    two = candidates(doc, found, resolution)
    assert one.features == two.features
    # Features of each pair read in reverse order by a fresh featurizer equal those read in order.
    topic_entities = set(range(len(resolution.entities)))
    forward = RelationFeaturizer(doc.text, one.slots, load_rules(), topic_entities)
    backward = RelationFeaturizer(doc.text, one.slots, load_rules(), topic_entities)
    got_forward = [forward.features(p, fr) for p, fr in zip(one.pairs, one.fired, strict=True)]
    got_backward = [backward.features(p, fr) for p, fr in reversed(list(zip(one.pairs, one.fired, strict=True)))]
    assert got_forward == list(reversed(got_backward))


def test_the_articles_exercise_both_passes() -> None:
    assert sum(any(m.rule == "ref.we" for m in _read(t)[1]) for t in ARTICLES) >= 2


@pytest.mark.parametrize("text", ARTICLES)
def test_one_pass_when_a_second_would_read_the_same_gives_what_two_passes_give(text: str) -> None:
    doc, found, resolution = _read(text)
    model = default_models().relation
    first = _decide(candidates(doc, found, resolution), model)
    employers: dict[int, int] = {}
    for r in sorted(first, key=lambda r: -r.confidence):
        if r.type == "WORKS_FOR" and resolution.entities[r.tail].label == "Company":
            employers.setdefault(r.head, r.tail)
    two_passes = _decide(candidates(doc, found, resolution, employers), model) if any(
        m.rule == "ref.we" for m in found
    ) else first
    assert read_relations(doc, found, resolution, model) == two_passes


@pytest.mark.parametrize("text", ARTICLES)
def test_token_features_made_once_equal_those_made_afresh(text: str) -> None:
    """The inside-span features of a token come from a table shared by every piece; the cue words from
    those the piece holds: both are what formatting them for this token and clause would give."""
    from kg.learn.entity_features import _CUE_FEATURES

    doc = read(Article.make("t.txt", text))
    for piece in doc.pieces:
        feats = EntityFeaturizer(piece.ctx, piece.candidates)
        for i, (tag, word) in enumerate(zip(feats.tags, feats.words, strict=True)):
            assert feats._inner(i) == ((f"it|{tag}", f"iw|{word}") if len(word) <= 3 else (f"it|{tag}",))
        for s in range(len(piece.ctx.text)):
            clause = piece.ctx.bounds.clause_start(piece.ctx.text, s, 30)
            left = piece.ctx.text[max(0, clause - 1) : s]
            cues = [feat for cue, feat in _CUE_FEATURES if left and cue in left]
            assert [x for x in feats._start_features(s) if x.startswith("lc|")] == cues
