"""What 该公司 stands for: the firm the last sentence naming one is about (its first firm), not the last firm
that sentence names (a client or partner). Articles are ours, names made up."""

from __future__ import annotations

from kg.mentions import mentions
from kg.model import Article
from kg.models import default_models
from kg.nlp.lexicon import load_lexicon
from kg.reading import read
from kg.relations import candidates
from kg.resolve import Resolver


def _referent(text: str, ref: str = "该公司") -> str:
    """The entity the reference written where `ref` first starts stands for."""
    doc = read(Article.make("t.txt", text))
    found = mentions(doc, default_models().entity)
    resolution = Resolver(doc.text, load_lexicon()).resolve(found)
    slots = candidates(doc, found, resolution).slots
    at = doc.text.index(ref)
    slot = next(x for x in slots if x.is_ref and x.start == at)
    return resolution.entities[slot.entity].name


def test_the_subject_of_the_last_sentence_not_its_client() -> None:
    text = "澄江精密机械有限公司是蔚山重工集团有限公司的一级配套商。该公司为蔚山重工供应铝合金轮毂。"
    assert _referent(text) == "澄江精密机械有限公司"


def test_the_firm_of_the_last_sentence_that_names_one() -> None:
    text = "澄江精密机械有限公司年产铝合金轮毂10万件。岚峰铝业有限公司总投资5亿元。该公司今年投产。"
    assert _referent(text) == "岚峰铝业有限公司"


def test_该项目_is_the_project_the_last_sentence_is_about() -> None:
    text = "年产5万吨铝杆项目开工,岚峰智能装备制造项目同步建设。该项目总投资3亿元。"
    assert _referent(text, "该项目") == "年产5万吨铝杆项目"


def test_公司_alone_is_the_firm_its_paragraph_is_about() -> None:
    text = (
        "岚峰铝业有限公司年产铝杆5万吨。岚峰铝业有限公司总投资5亿元。\n"
        "澄江精密机械有限公司是蔚山重工集团有限公司的供应商。公司总经理柴明远表示,订单饱满。"
    )
    assert _referent(text, "公司总经理") == "澄江精密机械有限公司"


def test_公司_alone_in_a_paragraph_naming_no_firm_is_the_items_firm() -> None:
    text = "岚峰铝业有限公司年产铝杆5万吨。岚峰铝业有限公司总投资5亿元。\n公司总经理柴明远表示,订单饱满。"
    assert _referent(text, "公司总经理") == "岚峰铝业有限公司"



def test_我们_outside_a_quote_is_the_firm_its_sentence_named_before() -> None:
    text = (
        "岚峰铝业有限公司年产铝杆5万吨。岚峰铝业有限公司总投资5亿元。\n"
        "澄江精密机械有限公司总经理柴明远说,我们2018年入驻青禾经开区以来,产值翻番。"
    )
    assert _referent(text, "我们") == "澄江精密机械有限公司"


def test_我们_in_a_sentence_naming_no_firm_is_the_items_firm() -> None:
    text = "岚峰铝业有限公司年产铝杆5万吨。岚峰铝业有限公司总投资5亿元。\n厂长柴明远说,我们2018年投产以来,产值翻番。"
    assert _referent(text, "我们") == "岚峰铝业有限公司"
