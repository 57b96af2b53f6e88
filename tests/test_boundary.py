"""The left-boundary mechanism on sentences of its own (names made up): where a name ending at a suffix
begins, with the cases it must not cut beside the ones it must."""

from __future__ import annotations

import jieba
import pytest

from kg.nlp.boundary import NAME_CHAR, Boundaries, balanced, in_figure
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


TEXTS = [
    "记者走进了山西蓝屿铝业新材料科技有限公司，位于青禾经济技术开发区的岚峰（澄江）医疗器材有限公司与澄江汽车签约。",
    "据介绍，由岚峰投资管理有限公司投资建设的年产5万吨铝合金杆项目落户于澄江工业园区）和青禾高新区。",
]


def _plain_word_ends(text: str) -> dict[int, tuple[int, ...]]:
    """Where introducing words of two characters or more end in `text`, one slice at a time."""
    words = LEX.boundary_words
    lengths = sorted({len(w) for w in words if len(w) >= 2})
    found = {p: tuple(n for n in lengths if p >= n and text[p - n : p] in words) for p in range(len(text) + 1)}
    return {p: ns for p, ns in found.items() if ns}


def _plain_alternatives(
    bounds: Boundaries, text: str, end: int, index: TokenIndex, reach: int, floor: int
) -> list[int]:
    """Boundaries.alternatives as it read the text before it kept the word ends: a slice per length and
    position, every start's brackets counted."""
    lo = max(floor, bounds.clause_start(text, end, reach))
    starts = {
        s
        for s in index.starts_between(lo, end)
        if NAME_CHAR.match(text[s]) and not bounds._opens_with_stop(text, s, index)
    }
    starts.update(p for p in range(lo + 1, end) if text[p - 1] in LEX.stop_chars and NAME_CHAR.match(text[p]))
    lengths = sorted({len(w) for w in LEX.boundary_words if len(w) >= 2})
    starts.update(p for n in lengths for p in range(lo + n, end) if text[p - n : p] in LEX.boundary_words)
    return sorted((s for s in starts if balanced(text, s, end)), reverse=True)


def test_word_ends_found_once_per_text_equal_a_slice_by_slice_search() -> None:
    """Boundaries finds where introducing words end once per text and keeps it for the text last read:
    what it keeps always belongs to the text asked about, texts read in turn."""
    bounds = Boundaries(LEX)
    for _ in range(2):
        for text in TEXTS:
            got = bounds._word_ends(text)
            assert got.lengths == _plain_word_ends(text)
            assert got.ends == sorted(got.lengths)


@pytest.mark.parametrize("reach", [4, 16, 40])
def test_alternatives_equal_the_plain_search(reach: int) -> None:
    bounds = Boundaries(LEX)
    indexes = [token_index(t) for t in TEXTS]
    for text, index in zip(TEXTS, indexes, strict=True):
        for end in range(1, len(text) + 1):
            for floor in (0, max(0, end - 5)):
                assert bounds.alternatives(text, end, index, reach, floor) == _plain_alternatives(
                    bounds, text, end, index, reach, floor
                ), (end, floor)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("这条新线也让公司产能翻番", "公司"),
        ("新设备提高了公司的效率", "公司"),
        ("把岚峰公司的产品运往各地", "公司"),
    ],
)
def test_no_candidate_name_holds_an_aspect_particle_or_也_把_被(text: str, name: str) -> None:
    from tests.test_rule_tables import preferred_spans

    found = preferred_spans(text, "name.company.short", any_candidate=True)
    assert all(not any(ch in span for ch in "了着也把被") for span in found), found


def test_a_name_beside_such_a_word_is_still_read() -> None:
    from tests.test_rule_tables import preferred_spans

    assert "岚峰公司" in preferred_spans("这条新线也让岚峰公司产能翻番", "name.company.short")


@pytest.mark.parametrize(
    ("text", "wrong"),
    [
        ("工厂今年和岚峰公司签了长单", "和岚峰公司"),
        ("今年与澄江集团签约", "与澄江集团"),
        ("企业为蔚山集团配套生产", "为蔚山集团"),
    ],
)
def test_no_candidate_name_opens_with_a_conjunction_or_preposition(text: str, wrong: str) -> None:
    from tests.test_rule_tables import preferred_spans

    found = preferred_spans(text, "name.company.short", any_candidate=True)
    assert wrong not in found
    assert wrong[1:] in found


def test_a_place_may_open_a_name_with_such_a_character() -> None:
    from tests.test_rule_tables import preferred_spans

    assert "和县岚峰公司" in preferred_spans("今年和县岚峰公司投产", "name.company.short", any_candidate=True)
