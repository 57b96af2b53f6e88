"""Figures normalised to base units."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.nlp import figures as fig


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("总投资 2468 万元", 24_680_000),
        ("总投资 2 亿元", 200_000_000),
        ("年产值可达 34.5 亿元", 3_450_000_000),
        ("完成产值 388.33 亿元", 38_833_000_000),
        ("投资两亿元", 200_000_000),
        ("共 3000 元", 3000),
    ],
)
def test_money(text: str, expected: int) -> None:
    assert fig.money(text)[0][2] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("4 万吨铸造合金项目", 40_000), ("144 万吨/年", 1_440_000), ("年产 8 万吨", 80_000), ("300 吨", 300)],
)
def test_tonnes(text: str, expected: int) -> None:
    assert fig.tonnes(text)[0][2] == expected


def test_area_and_jobs() -> None:
    assert fig.area_km2("核定面积 19.78 平方公里")[0][2] == 19.78
    assert fig.jobs("可提供 260 个就业岗位")[0][2] == 260
    assert fig.jobs("提供了 150 多个就业岗位")[0][2] == 150


@given(st.integers(min_value=0, max_value=10**9), st.sampled_from(["", "万", "亿"]))
def test_scaling_is_exact(n: int, mult: str) -> None:
    factor = {"": 1, "万": 10_000, "亿": 100_000_000}[mult]
    assert fig.scaled(str(n), mult) == Decimal(n) * factor
    assert fig.as_json_number(fig.scaled(str(n), mult)) == n * factor
