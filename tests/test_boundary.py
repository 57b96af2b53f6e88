"""The left-boundary mechanism on sentences of its own (names made up): where a name ending at a suffix
begins, with the cases it must not cut beside the ones it must."""

from __future__ import annotations

import jieba
import pytest

from kg.nlp.boundary import Boundaries
from kg.nlp.lexicon import load_lexicon
from kg.nlp.tokens import TokenIndex

LEX = load_lexicon()


def preferred_name(text: str, suffix: str) -> str:
    end = text.index(suffix) + len(suffix)
    spans, pos = [], 0
    for word in jieba.cut(text, HMM=True):
        spans.append((pos, pos + len(word)))
        pos += len(word)
    index = TokenIndex(text, spans, LEX)
    start = Boundaries(LEX).preferred_start(text, end, index, max_len=40)
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
    ],
)
def test_preferred_start(text: str, suffix: str, name: str) -> None:
    assert preferred_name(text, suffix) == name
