"""The one left-boundary mechanism: where a name that ends at a given point begins.

以元泰高导材料（山西）有限公司为代表 must give 元泰高导材料（山西）有限公司, 记者走进了某某铝业有限公司 must drop
记者走进了. `preferred_start` walks left from the end over name characters and stops at clause punctuation, at
words that introduce a name (`boundary_words.txt`: 走进, 位于, 与), at function characters (`stop_chars.txt`:
的, 了, 以) unless jieba's dictionary knows the character as part of a noun there (以色列), and before a verb
or conjunction once the name already has a proper part (串联王桥工业园区 → 王桥工业园区).

`alternatives` lists every other plausible start (each word start in reach, never across a clause break):
the trained scorer sees them all and the rule's own choice as a feature, so a wrong stop is corrected from
data rather than by another branch here.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

import ahocorasick

from kg.nlp.lexicon import Lexicon
from kg.nlp.tokens import CLAUSE_TAGS, NOUNISH_TAGS, PROPER_TAGS, TokenIndex

HAN = "\u4e00-\u9fff"
# Characters a name may hold besides Han: Latin letters and digits, brackets, middle dot, &, hyphen.
NAME_CHAR = re.compile(rf"[{HAN}（）·&A-Za-z0-9\-]")
# Clause punctuation: a name never runs across it (the normalised text has one form of each).
CLAUSE_BREAK = frozenset("，。；：、！？“”‘’《》【】\n…—|/")
# Counters stop a name only after a numeral or a demonstrative (一家, 这家, 多名); elsewhere they are name
# characters (铵家, 名城).
_COUNTERS = frozenset("家名位个批")
_COUNTED_BY = frozenset("一二两三四五六七八九十百千万几多数每这那该此某各首")
# What follows a line of business inside a firm's name (某某投资管理有限公司, 某某建设集团).
_FIRM_WORDS = (
    *("管理", "集团", "有限", "控股", "发展", "股份", "公司", "工程"),
    *("银行", "投资", "建设", "咨询", "开发", "基金", "实业"),
)
_BRACKETED = re.compile(r"（[^（）]*）")
_JOINING_DASHES = frozenset("—–－")
_STRONG_STOPS = frozenset("的了在与和及是为被把将从向对于由以等并或而也都又还就即这那该其说着过给让使")


@dataclass(frozen=True)
class _WordEnds:
    """Where one text's introducing words of two characters or more end, found in one pass."""

    text: str
    lengths: dict[int, tuple[int, ...]]  # end -> lengths of the words ending there, shortest first
    ends: list[int]  # the keys of `lengths`, in order


class Boundaries:
    """Left boundaries over one text and its tokens. Where the introducing words of the text last asked
    about end is kept (`_word_ends`): the generators ask about one piece's text many times in a row, each
    time about a few dozen characters of it."""

    def __init__(self, lex: Lexicon) -> None:
        self.lex = lex
        self.boundary_max = max(len(w) for w in lex.boundary_words)
        # The introducing words of two characters or more, all found in one pass over a text.
        self._words = ahocorasick.Automaton()
        for word in lex.boundary_words:
            if len(word) >= 2:
                self._words.add_word(word, len(word))
        self._words.make_automaton()
        self._last_word_ends = _WordEnds("", {}, [])

    def _word_ends(self, text: str) -> _WordEnds:
        """The introducing words' ends in `text`, found once while it is the text being read."""
        last = self._last_word_ends
        if last.text is not text:
            found: dict[int, list[int]] = {}
            for end, n in self._words.iter(text):
                found.setdefault(end + 1, []).append(n)
            lengths = {end: tuple(sorted(ns)) for end, ns in found.items()}
            last = self._last_word_ends = _WordEnds(text, lengths, sorted(lengths))
        return last

    def clause_start(self, text: str, pos: int, reach: int) -> int:
        """The first character after the last clause break before `pos`, looking back `reach` characters."""
        lo = max(0, pos - reach)
        for i in range(pos - 1, lo - 1, -1):
            if (text[i] in CLAUSE_BREAK and not in_figure(text, i)) or _spaced_words(text, i):
                return i + 1
        return lo

    def _opens_with_stop(self, text: str, s: int, index: TokenIndex) -> bool:
        """以元泰… / 为华翔…: a start on a function character that is no part of a noun there."""
        if text[s] not in _STRONG_STOPS:
            return False
        i = index.index_at(s)
        tok_start, tok_end = index.span(i)
        return not (tok_start == s and tok_end - tok_start >= 2 and index.tag(i) in NOUNISH_TAGS)

    def list_start(self, text: str, pos: int, reach: int) -> int:
        """Where a list that ends at `pos` begins: the first character after the last clause break other
        than 、 (the list's own separator)."""
        lo = max(0, pos - reach)
        for i in range(pos - 1, lo - 1, -1):
            if text[i] in CLAUSE_BREAK and text[i] != "、" and not in_figure(text, i):
                if text[i] == "\n" and text[i - 1 : i] == "、":
                    continue  # one item per line: 甲项目、\n乙项目、\n丙项目等一批项目
                return i + 1
        return lo

    def stops_before(self, text: str, pos: int, index: TokenIndex, floor: int) -> bool:
        """True when a name cannot extend left past `pos` (it would start at pos)."""
        ch = text[pos - 1]
        if not NAME_CHAR.match(ch) and not in_figure(text, pos - 1):
            return not self._joins_places(text, pos - 1)
        for n in self._word_ends(text).lengths.get(pos, ()):
            if pos - n < floor:
                break
            # 投资 before 管理有限公司, 建设 before 集团: a firm's line of business, not the verb
            return not text.startswith(_FIRM_WORDS, pos)
        if ch in self.lex.stop_chars:
            if self.inside_place(text, pos - 1):  # 都 of 尧都, 和 of 和田
                return False
            if ch in _COUNTERS and not (pos >= 2 and text[pos - 2] in _COUNTED_BY):
                return False  # 一家北车集团 ends at 家, 荣德铵家建材 does not
            i = index.index_at(pos - 1)
            tok_start, tok_end = index.span(i)
            if tok_end - tok_start < 2:
                return True
            tag = index.tag(i)
            if tok_start < pos - 1:
                # Inside a word: 批 of 审批 and 家 of 魏家滩 belong to it; 是 of an unknown 这是 does not.
                return ch in _STRONG_STOPS and tag == "?"
            return tag not in NOUNISH_TAGS  # 以色列 is a word; 以元 (以 + a name) is not
        return False

    def _joins_places(self, text: str, i: int) -> bool:
        """云南—南亚经济技术开发区: a dash after a place, inside a name, joins the two parts of its body."""
        if text[i] not in _JOINING_DASHES or i + 1 >= len(text) or not NAME_CHAR.match(text[i + 1]):
            return False
        lex = self.lex
        return any(text[i - n : i] in lex.regions or text[i - n : i] in lex.geo_names for n in (2, 3, 4) if i >= n)

    def inside_place(self, text: str, i: int) -> bool:
        for n in (2, 3, 4):
            for start in range(max(0, i - n + 1), i + 1):
                if start + n <= len(text) and text[start : start + n] in self.lex.place_words:
                    return True
        return False

    def has_proper_part(self, body: str, index: TokenIndex | None = None, offset: int = 0) -> bool:
        """A name body carries something proper: a place, an unknown (coined) word, a known brand."""
        from kg.nlp.generic import has_proper_part

        return has_proper_part(body, self.lex)

    def preferred_start(self, text: str, end: int, index: TokenIndex, max_len: int, floor: int = 0) -> int:
        """The rule's choice of where a name ending at `end` begins; never more than max_len characters."""
        pos = end
        limit = max(floor, end - max_len)
        starts, ends = index.starts, index.ends
        while pos > limit and not self.stops_before(text, pos, index, floor):
            i = max(0, bisect.bisect_right(starts, pos - 1) - 1)  # index.index_at(pos - 1), inlined
            # A verb, adverb or conjunction before a proper name ends it: 串联王桥工业园区 → 王桥工业园区.
            # The place in a legal name's brackets (（山西）有限公司) is where it is registered, not its
            # proper part: 岚峰高导材料（山西）有限公司 keeps its trade name.
            if (
                ends[i] == pos
                and index.tag(i) in CLAUSE_TAGS
                and self.has_proper_part(_BRACKETED.sub("", text[pos:end]))
            ):
                break
            pos -= 1
        # 沈阳市铁西区（经开区、中德园）: a bracket still open where the body ends is an aside the name is in.
        opened = text.rfind("（", pos, end)
        if opened != -1 and text.find("）", opened, end) == -1:
            pos = opened + 1
        # Never start inside a jieba word unless the word is unknown (a name jieba glued to a function char).
        while pos < end and not index.is_start(pos) and index.tag(index.index_at(pos)) != "?":
            pos += 1
        while pos < end and text[pos] in "（）·&- ":
            if text[pos] == "（" and not balanced(text, pos + 1, end):
                break  # （天津）国际教育示范园区 keeps its opening bracket
            pos += 1
        return self.drop_leading_word(text, pos, end, index)

    def drop_leading_word(self, text: str, start: int, end: int, index: TokenIndex) -> int:
        """串联王桥工业园区: a common word (not a place or brand) before a coined name is not part of it."""
        if start >= end or not index.is_start(start):
            return start
        i = index.index_at(start)
        tok_start, tok_end = index.span(i)
        word = text[tok_start:tok_end]
        if tok_end >= end or len(word) < 2 or word in self.lex.regions or word in self.lex.known_companies:
            return start
        tag = index.tag(i)
        placeish_word = tag == "ns" and word not in self.lex.place_words  # 串联 is tagged ns, but is no place
        if (tag in ("v", "vn", "d", "ad", "a", "t") or placeish_word) and self.lex.freq(word) >= 100:
            rest = text[tok_end:end]
            if self.has_proper_part(rest) and not any(tok in self.lex.regions for tok in _words(rest)):
                return tok_end
        return start

    def alternatives(self, text: str, end: int, index: TokenIndex, max_len: int, floor: int = 0) -> list[int]:
        """Every plausible start within reach of `end`, never across a clause break, nearest first: each
        word start, and each character after a function character or an introducing word even inside a
        word (jieba glues 为 to 华翔 in 为华翔集团, 家 to 北车 in 一家北车集团)."""
        lo = max(floor, self.clause_start(text, end, max_len))
        name_char = NAME_CHAR.match
        starts = {
            s for s in index.starts_between(lo, end) if name_char(text[s]) and not self._opens_with_stop(text, s, index)
        }
        stop_chars = self.lex.stop_chars
        for p in range(lo + 1, end):
            if text[p - 1] in stop_chars and name_char(text[p]):
                starts.add(p)
        words = self._word_ends(text)
        ends = words.ends
        for i in range(bisect.bisect_left(ends, lo + 2), bisect.bisect_left(ends, end)):
            p = ends[i]
            if p - words.lengths[p][0] >= lo:  # the shortest word ending at p starts in reach
                starts.add(p)
        if text.find("）", lo, end) < 0:  # no closing bracket: every start is balanced
            return sorted(starts, reverse=True)
        return sorted((s for s in starts if balanced(text, s, end)), reverse=True)


def in_figure(text: str, i: int) -> bool:
    """The slash of a figure (1000t/d, 100MW/200MWh) is part of a name, not a break between two."""
    return (
        text[i] == "/"
        and 0 < i < len(text) - 1
        and text[i - 1].isascii()
        and text[i - 1].isalnum()
        and text[i + 1].isascii()
        and text[i + 1].isalnum()
    )


def _spaced_words(text: str, i: int) -> bool:
    """长宁县 竞逐新赛道 储能产业园: a space between two Chinese characters parts the phrases of a headline."""
    return (
        text[i] == " "
        and 0 < i < len(text) - 1
        and "\u4e00" <= text[i - 1] <= "\u9fff"
        and "\u4e00" <= text[i + 1] <= "\u9fff"
    )


def balanced(text: str, start: int, end: int) -> bool:
    """A name never closes a bracket it did not open: 澄江）医疗器材有限公司 is the tail of 岚峰（澄江）医疗器材
    有限公司, not a name (an opening bracket whose closing one follows the name is allowed)."""
    depth = 0
    for ch in text[start:end]:
        if ch == "（":
            depth += 1
        elif ch == "）":
            depth -= 1
            if depth < 0:
                return False
    return True


@lru_cache(maxsize=4)
def boundaries_of(lex: Lexicon) -> Boundaries:
    """The one `Boundaries` of a lexicon: every Doc and article shares it (what it keeps of the text last
    read is looked up by that text, so it never answers for another)."""
    return Boundaries(lex)


MAX_ALTERNATIVES = 7


def nearest(starts: list[int] | set[int], preferred: int, keep: int = MAX_ALTERNATIVES) -> list[int]:
    """The `keep` starts nearest the rule's choice (which is always among them): the scorer rarely moves a
    boundary far, and every alternative costs time."""
    ranked = sorted(set(starts) | {preferred}, key=lambda p: (abs(p - preferred), p))
    return sorted(ranked[:keep])


def _words(body: str) -> tuple[str, ...]:
    from kg.nlp.generic import segment

    return segment(body)


PROPER = PROPER_TAGS
