"""Repair newspaper layout: re-join lines broken mid-sentence, drop blank lines, find items and bylines.

Newspaper text arrives column-wrapped (a company name can be split across two lines), with blank lines
between every line, and several news items in one file, each closed by a byline (苗苗, ■ 梁栋摄,
陈勤 田浩东 王佳琪). The repaired text keeps every character of content; paragraphs are separated by one
newline and items by a blank line, so later stages can split items without knowing the layout rules.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# A line that ends like this closes a sentence or paragraph, so the next line starts a new one.
_TERMINAL = (*tuple("。！？!?；;”」』…"), "——")
# A line starting like this is a dateline, subtitle or photo credit: it never continues the line before.
_STARTS_NEW = re.compile(r"^(?:[\u4e00-\u9fff]{2,8}讯|本报|■|——|—{2,}|【|图为|记者|#|（记者|\(记者)")
# A line that is a heading or subtitle of its own: never continued by the next line.
_STANDS_ALONE = re.compile(r"^(?:——|—{2,}|#)")
# A byline: one to four Chinese names (2–4 characters each), optionally marked 记者/作者/通讯员/摄/文.
_NAME = r"[\u4e00-\u9fff·]{2,4}"
_BYLINE = re.compile(
    rf"^[（(]?(?:(?:记者|作者|通讯员|文|图|文/图|图/文)[:：/ ]?\s*)?{_NAME}(?:[ \u3000]+{_NAME}){{0,3}}(?:摄)?[）)]?$"
)
_PHOTO_CREDIT = re.compile(rf"^■\s*(?:{_NAME}(?:[ \u3000、]+{_NAME}){{0,2}})\s*摄$")
# A paragraph that ends with its byline: “…崛起！ 苗苗”.
_TRAILING_BYLINE = re.compile(rf"(?<=[。！？!?”])[ \u3000]+({_NAME}(?:[ \u3000]+{_NAME}){{0,3}})$")
# Words that end a heading-like short line but are not names (so 数智融合 is not a byline).
_NOT_A_NAME_END = re.compile(
    r"(?:开发区|经开区|高新区|园区|公司|集团|项目|工程|会议|建设|发展|融合|赋能|现场|体系|收尾|开工)$"
)


@dataclass(frozen=True)
class Segment:
    """A span [start, end) of the repaired text; `kind` is "body", "heading" or "byline"."""

    start: int
    end: int
    kind: str


def _width(line: str) -> float:
    """Display width: CJK characters count 1, narrow ones 1/2, as a newspaper column measures them."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.5 for ch in line)


def _column_width(lines: list[str]) -> float:
    """The width of the column lines were wrapped at, or 0 when they were not wrapped.

    Column-wrapped text (a newspaper page) has many lines of one width, the column's: at least a third of
    the lines (of eight or more) lie within one character of the most common width. Text copied from the
    web has one line per paragraph, of every length; its lines are never joined.
    """
    widths = [round(_width(line)) for line in lines]
    if len(widths) < 8:
        # Too few lines to see a column: a long line that stops mid-sentence is taken as wrapped.
        ordered = sorted(widths)
        return max(min(0.8 * ordered[len(ordered) // 2], 30.0), 16.0) + 1.5 if ordered else 0.0
    counts: dict[int, int] = {}
    for w in widths:
        counts[w] = counts.get(w, 0) + 1
    mode = max(sorted(counts), key=lambda w: counts[w])
    near = sum(1 for w in widths if abs(w - mode) <= 1)
    if mode < 12 or near * 3 < len(widths):
        return 0.0
    return float(mode)


def is_byline(line: str) -> bool:
    """A line that is only the names of the authors or a photo credit."""
    line = line.strip()
    if _PHOTO_CREDIT.match(line):
        return True
    if not _BYLINE.match(line) or _NOT_A_NAME_END.search(line):
        return False
    # A single 2–4 character run is a byline only when it looks like a name, not a heading word.
    return (
        " " in line
        or "\u3000" in line
        or len(line.strip("（()）")) <= 3
        or line.lstrip("（(").startswith(("记者", "作者", "通讯员"))
        or (line.startswith(("（", "(")) and line.endswith(("）", ")")))
    )


def _join(left: str, right: str) -> str:
    """Join a broken line; keep a space only between two Latin words so 'A356.2' stays intact."""
    if left and right and left[-1].isascii() and left[-1].isalpha() and right[0].isascii() and right[0].isalpha():
        return f"{left} {right}"
    return left + right


def _paragraphs(raw: str) -> list[str]:
    lines = [line.strip(" \t\u3000\r") for line in raw.split("\n")]
    lines = [line for line in lines if line]
    # Wrapped lines fill the column; a heading is shorter. Very short lines are never wrapped text.
    column = _column_width(lines)
    threshold = column - 1.5 if column else float("inf")
    paragraphs: list[str] = []
    current = ""
    for line in lines:
        if current:
            continues = (
                not current.endswith(_TERMINAL)
                and _width(current.rsplit("\n", 1)[-1]) >= threshold
                and not _STARTS_NEW.match(line)
                and not is_byline(line)
                and not is_byline(current)
                and not _TRAILING_BYLINE.search(current)
                and not _STANDS_ALONE.match(current.rsplit("\n", 1)[-1])
            )
            if continues:
                current = _join(current, line)
                continue
            paragraphs.append(current)
        current = line
    if current:
        paragraphs.append(current)
    return paragraphs


def repair(raw: str) -> str:
    """Repaired article text: paragraphs on their own lines, items separated by a blank line.

    An item ends after its byline; a paragraph that ends in a byline (“…崛起！ 苗苗”) is split so the
    byline stands on its own line.
    """
    raw = raw.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    items: list[list[str]] = [[]]
    for para in _paragraphs(raw):
        trailing = _TRAILING_BYLINE.search(para)
        if trailing and not _NOT_A_NAME_END.search(trailing.group(1)):
            items[-1].append(para[: trailing.start()].rstrip())
            items[-1].append(trailing.group(1))
            items.append([])
        elif is_byline(para):
            items[-1].append(para)
            items.append([])
        else:
            items[-1].append(para)
    # A photo caption's credit can follow a byline directly: keep empty items out.
    return "\n\n".join("\n".join(item) for item in items if item)


def segments(text: str) -> list[list[Segment]]:
    """Items of repaired text, each a list of its paragraphs with their kind and offsets."""
    result: list[list[Segment]] = []
    pos = 0
    for item_text in text.split("\n\n"):
        item: list[Segment] = []
        for para in item_text.split("\n"):
            kind = "byline" if is_byline(para) else "body"
            if kind == "body" and not para.endswith(_TERMINAL) and len(para) <= 30:
                kind = "heading"
            item.append(Segment(pos, pos + len(para), kind))
            pos += len(para) + 1
        pos += 1  # the blank line between items
        result.append(item)
    return result


def title_of(text: str) -> str:
    """The first heading of the article, or its first sentence cut to 60 characters."""
    first = text.split("\n", 1)[0]
    sentence = re.split(r"(?<=[。！？])", first, maxsplit=1)[0]
    return sentence[:60]
