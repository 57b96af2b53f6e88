"""Figures in Chinese text normalised to base units with cn2an: 2468 万元 → 24680000, 4 万吨 → 40000.

cn2an reads Chinese numerals (一千二百三十三, 两亿); the multipliers 万/亿 and the units are ours.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

NUMBER = r"(?:\d+(?:,\d{3})*(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+(?:点[零〇一二三四五六七八九]+)?)"
_MULTIPLIERS = {
    "": 1,
    "十": 10,
    "百": 100,
    "千": 1000,
    "万": 10_000,
    "十万": 100_000,
    "百万": 1_000_000,
    "千万": 10_000_000,
    "亿": 100_000_000,
    "万亿": 1_000_000_000_000,
}
_MULT = r"(?:万亿|千万|百万|十万|万|亿|千|百)?"

MONEY = re.compile(rf"({NUMBER})\s*({_MULT})\s*(?:元|人民币)")
TONNES = re.compile(rf"({NUMBER})\s*({_MULT})\s*(?:吨|t(?![a-z]))")
AREA = re.compile(rf"({NUMBER})\s*({_MULT})\s*(?:平方公里|平方千米|km2|km²)")
MU = re.compile(rf"({NUMBER})\s*({_MULT})\s*亩")
JOBS = re.compile(rf"({NUMBER})\s*({_MULT})\s*(?:多|余)?\s*个?\s*(?:就业岗位|岗位|就业机会)")
YEAR = re.compile(r"((?:19|20)\d{2})\s*年")


def to_number(digits: str) -> Decimal:
    """A number written in Arabic or Chinese numerals, exactly (no float rounding: 34.5 亿 stays exact)."""
    digits = digits.replace(",", "")
    try:
        return Decimal(digits)
    except InvalidOperation:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            # Imported here: loading cn2an compiles its patterns (a tenth of a second of start-up), and most
            # figures are written in Arabic numerals.
            import cn2an

            return Decimal(str(cn2an.cn2an(digits, "smart")))


def scaled(digits: str, multiplier: str) -> Decimal:
    return to_number(digits) * _MULTIPLIERS[multiplier]


def as_json_number(value: Decimal) -> int | float:
    """Integers stay integers (200000000, not 2e8); fractions stay decimals (19.78)."""
    if value == value.to_integral_value():
        return int(value)
    return float(value)


@dataclass(frozen=True)
class FigureMatch:
    name: str
    value: int | float
    start: int
    end: int


def money(text: str) -> list[tuple[int, int, int | float]]:
    return [(m.start(), m.end(), as_json_number(scaled(m.group(1), m.group(2)))) for m in MONEY.finditer(text)]


def tonnes(text: str) -> list[tuple[int, int, int | float]]:
    return [(m.start(), m.end(), as_json_number(scaled(m.group(1), m.group(2)))) for m in TONNES.finditer(text)]


def area_km2(text: str) -> list[tuple[int, int, int | float]]:
    return [(m.start(), m.end(), as_json_number(scaled(m.group(1), m.group(2)))) for m in AREA.finditer(text)]


def jobs(text: str) -> list[tuple[int, int, int | float]]:
    return [(m.start(), m.end(), as_json_number(scaled(m.group(1), m.group(2)))) for m in JOBS.finditer(text)]
