"""One normalised text for the rules, with an offset map back to the text as written."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.extract import extract
from kg.model import Article
from kg.textnorm import normalize


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("元泰(山西)有限公司,位于兴县", "元泰（山西）有限公司，位于兴县"),
        ("他说:项目已开工;投资2亿元!", "他说：项目已开工；投资2亿元！"),
        ("总投资1,000万元,10:30开工", "总投资1,000万元，10:30开工"),  # digit grouping and times stay
        ('他说"好"', "他说“好”"),
        ("２０２４年，ＡＢＣ公司", "2024年，ABC公司"),  # full-width digits and letters
        ("网址 http://a.cn/x", "网址 http://a.cn/x"),
        ("川渝合作(达州・大竹)示范园", "川渝合作（达州·大竹）示范园"),
        ("已经全角，：；（）“”不变", "已经全角，：；（）“”不变"),
    ],
)
def test_punctuation_and_width_fold_to_one_form(raw: str, folded: str) -> None:
    assert normalize(raw).text == folded


def test_zero_width_characters_are_dropped_and_offsets_still_point_into_the_original() -> None:
    raw = "岚峰\u200b铝业(集团)有限公司"
    norm = normalize(raw)
    assert norm.text == "岚峰铝业（集团）有限公司"
    s, e = norm.original_span(0, len(norm.text))
    assert raw[s:e] == raw
    k = norm.text.index("铝")
    assert raw[norm.original_offset(k)] == "铝"
    assert not norm.identity


@given(st.text(alphabet='岚峰铝业公司,:;()!?"，。 0123456789abc\n', max_size=60))
def test_the_offset_map_is_monotone_and_every_character_maps_back(raw: str) -> None:
    norm = normalize(raw)
    offsets = [norm.original_offset(i) for i in range(len(norm.text) + 1)]
    assert offsets == sorted(offsets) and offsets[-1] == len(raw)
    for i, ch in enumerate(norm.text):
        orig = raw[offsets[i]]
        assert ch == orig or normalize(orig).text in (ch, "") or orig in ',:;()!?"'


def test_mentions_and_evidence_of_an_ascii_copy_point_into_the_text_as_written() -> None:
    text = "据悉,岚峰铝业(澄江)有限公司落户青禾经济技术开发区,总经理柴明远说:产量翻番。"
    graph = extract(Article.make("t.txt", text))
    names = {e.name for e in graph.entities}
    assert "岚峰铝业(澄江)有限公司" in names  # the name as written, ASCII brackets included
    for entity in graph.entities:
        for m in entity.mentions:
            assert text[m.start : m.end] == m.text
    for rel in graph.relations:
        ev = rel.evidence[0]
        assert text[ev.start : ev.end] == ev.sentence


def test_the_radical_headlines_use_as_a_separator_is_a_bar() -> None:
    norm = normalize("岚峰网丨青禾纺织产业基地投产")
    assert norm.text == "岚峰网|青禾纺织产业基地投产"
    assert norm.original_span(4, 12) == (4, 12)  # one to one: offsets stay


def test_a_name_does_not_run_across_the_bar() -> None:
    from tests.test_rule_tables import preferred_spans

    assert "青禾纺织产业基地" in preferred_spans("岚峰网丨青禾纺织产业基地投产", "name.park")
