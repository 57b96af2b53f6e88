"""Features of pairs read through an item's topic: what stands around the firm's list in its own sentence
(为甲、乙等企业供货: the firms are clients, not residents). Articles are ours, names made up."""

from __future__ import annotations

from kg.mentions import mentions
from kg.model import Article
from kg.models import default_models
from kg.nlp.lexicon import load_lexicon
from kg.reading import read
from kg.relations import Candidates, candidates
from kg.resolve import Resolution, Resolver


def _read(text: str) -> tuple[str, Resolution, Candidates]:
    """The normalised text, the entities and the candidate relations of an article of ours."""
    doc = read(Article.make("t.txt", text))
    found = mentions(doc, default_models().entity)
    resolution = Resolver(doc.text, load_lexicon()).resolve(found)
    return doc.text, resolution, candidates(doc, found, resolution)


def _topic_features(text: str, firm: str) -> list[str]:
    norm, _, cands = _read(text)
    for pair, feats in zip(cands.pairs, cands.features, strict=True):
        if pair.topic and pair.rank >= 0 and norm[pair.head.start : pair.head.end] == firm:
            return list(feats)
    raise AssertionError(f"no topic pair for {firm}: {[norm[p.head.start:p.head.end] for p in cands.pairs]}")


HEAD = "青禾经济技术开发区推进汽车零部件产业集聚。"


def test_a_firm_listed_after_为_carries_the_word_before_its_list() -> None:
    feats = _topic_features(HEAD + "该公司为澄江汽车有限公司、蔚山重工有限公司等企业供货。", "蔚山重工有限公司")
    assert "lpre|为" in feats
    assert "llist|1" in feats


def test_a_firm_written_alone_has_no_list() -> None:
    feats = _topic_features(HEAD + "今年,蔚山重工有限公司新上两条生产线。", "蔚山重工有限公司")
    assert "llist|0" in feats
    assert "lpre|为" not in feats


def _firm_pair_types(text: str, partner: str) -> set[str]:
    norm, _, cands = _read(text)
    return {p.type for p in cands.pairs if p.topic and p.rank == -1 and norm[p.tail.start : p.tail.end] == partner}


def test_a_partner_named_where_the_firm_is_left_out_is_paired_with_the_items_firm() -> None:
    text = "岚峰铝业有限公司年产5万吨铝杆项目投产。今年,公司与蔚山大学联合成立了研发中心。"
    assert "COOPERATES_WITH" in _firm_pair_types(text, "蔚山大学")


def test_no_partner_pair_when_the_firm_is_named_in_the_sentence() -> None:
    text = "岚峰铝业有限公司年产5万吨铝杆项目投产。今年,岚峰铝业有限公司与蔚山大学联合成立了研发中心。"
    assert _firm_pair_types(text, "蔚山大学") == set()


def _firm_pairs_of(text: str, person: str) -> set[str]:
    """The firms a person is paired with through a sentence that names no firm (WORKS_FOR candidates)."""
    norm, resolution, cands = _read(text)
    return {
        resolution.entities[p.tail.entity].name
        for p in cands.pairs
        if p.type == "WORKS_FOR" and p.rank == -1 and norm[p.head.start : p.head.end] == person
    }


ITEM_FIRM = "岚峰铝业有限公司年产铝杆5万吨。岚峰铝业有限公司总投资5亿元。\n"


def test_a_person_of_a_sentence_naming_no_firm_works_for_the_firm_of_the_paragraph() -> None:
    text = ITEM_FIRM + "澄江精密机械有限公司是蔚山重工集团有限公司的供应商。厂长柴明远介绍,订单已排到年底。"
    assert _firm_pairs_of(text, "柴明远") == {"澄江精密机械有限公司"}


def test_in_a_paragraph_naming_no_firm_the_person_is_paired_with_the_items_firm() -> None:
    text = ITEM_FIRM + "厂长柴明远介绍,订单已排到年底。"
    assert _firm_pairs_of(text, "柴明远") == {"岚峰铝业有限公司"}
