"""The left-boundary mechanism on sentences of its own (names made up): where a name ending at a suffix
begins, with the cases it must not cut beside the ones it must."""

from __future__ import annotations

import jieba
import pytest

from kg.nlp.boundary import Boundaries, balanced, in_figure
from kg.nlp.lexicon import load_lexicon
from kg.nlp.tokens import TokenIndex

LEX = load_lexicon()


def token_index(text: str) -> TokenIndex:
    """jieba's words of `text` as the pipeline indexes them."""
    spans, pos = [], 0
    for word in jieba.cut(text, HMM=True):
        spans.append((pos, pos + len(word)))
        pos += len(word)
    return TokenIndex(text, spans, LEX)


def preferred_name(text: str, suffix: str) -> str:
    end = text.index(suffix) + len(suffix)
    start = Boundaries(LEX).preferred_start(text, end, token_index(text), max_len=40)
    return text[start:end]


@pytest.mark.parametrize(
    ("text", "suffix", "name"),
    [
        # A lone verb jieba guesses inside a coined name does not end it when the only place is bracketed.
        ("以岚峰高导材料（山西）有限公司为代表的一批企业", "有限公司", "岚峰高导材料（山西）有限公司"),
        ("记者走进了山西蓝屿铝业新材料科技有限公司", "有限公司", "山西蓝屿铝业新材料科技有限公司"),
        # A verb before a proper name still ends it.
        ("串联王桥工业园区和澄江工业园区", "王桥工业园区", "王桥工业园区"),
        ("为华翔集团配套的企业", "华翔集团", "华翔集团"),
        # A line of business inside a firm's name is no introducing verb; before a project it is.
        ("柴明远和北京澄岚博展投资管理有限公司董事长", "有限公司", "北京澄岚博展投资管理有限公司"),
        ("计划投资建设岚峰智能仓储项目", "项目", "岚峰智能仓储项目"),
        # Counters end a name only after a numeral or a demonstrative.
        ("与岚德铵家（上海）建材股份有限公司签约", "建材股份有限公司", "岚德铵家（上海）建材股份有限公司"),
        ("园区引进了一家澄屿新材集团", "澄屿新材集团", "澄屿新材集团"),
        ("紧邻之处，正岚新材料（内江）有限公司开工", "有限公司", "正岚新材料（内江）有限公司"),
        # A name holds whole brackets: an opening one is kept when its closing one is inside.
        ("位于（澄江）国际教育示范园区的学校", "示范园区", "（澄江）国际教育示范园区"),
        ("位于澄江国际教育示范园区（一期）的学校", "示范园区", "澄江国际教育示范园区"),
    ],
)
def test_preferred_start(text: str, suffix: str, name: str) -> None:
    assert preferred_name(text, suffix) == name


def alternative_names(text: str, suffix: str) -> list[str]:
    end = text.index(suffix) + len(suffix)
    return [text[s:end] for s in Boundaries(LEX).alternatives(text, end, token_index(text), max_len=40)]


def test_alternatives_never_cut_inside_brackets() -> None:
    names = alternative_names("日前，岚峰（澄江）医疗器材有限公司开工", "有限公司")
    assert "岚峰（澄江）医疗器材有限公司" in names
    assert "医疗器材有限公司" in names  # a start after the brackets is still an alternative
    assert not any(n.startswith(("澄江）", "江）")) for n in names)


@pytest.mark.parametrize(
    ("text", "start", "end", "whole"),
    [
        ("岚峰（澄江）医疗", 0, 8, True),
        ("岚峰（澄江）医疗", 3, 8, False),
        ("（澄江", 0, 3, True),
        ("澄江）（", 0, 4, False),
    ],
)
def test_balanced(text: str, start: int, end: int, whole: bool) -> None:
    assert balanced(text, start, end) is whole


@pytest.mark.parametrize(
    ("text", "slash_is_figure"),
    [("100MW/200MWh光伏储能", True), ("1000t/d熟料", True), ("记者/柴明远", False), ("光伏/储能", False)],
)
def test_a_figure_s_slash_is_no_break(text: str, slash_is_figure: bool) -> None:
    assert in_figure(text, text.index("/")) is slash_is_figure


def test_a_project_name_runs_over_a_figure_s_slash() -> None:
    assert preferred_name("建设岚储源100MW/200MWh光伏储能项目", "项目").endswith("100MW/200MWh光伏储能项目")
