"""Names by their shape: a suffix (有限公司, 经开区, 工业园) and a left boundary found by language rules.

The hard part of Chinese names is where they start: 以元泰高导材料（山西）有限公司为代表 must give
元泰高导材料（山西）有限公司, 记者走进了山西一禾铝业新材料科技有限公司 must drop 记者走进了. We walk left from
the suffix over name characters and stop at punctuation, at words that introduce a name (走进, 位于, 与)
and at function characters (的, 了, 以), unless jieba's dictionary knows the character as part of a noun
there (以色列, 朝阳). The body before the suffix must not be generic (该公司, 运营公司, 重点项目).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import jieba

from kg.nlp.lexicon import Lexicon

HAN = "\u4e00-\u9fff"
NAME_CHAR = re.compile(rf"[{HAN}（）()·&A-Za-z]")
_PROPER_TAGS = frozenset({"ns", "nr", "nz", "nrt", "nt", "j", "nrfg", "eng"})
_NAME_GOES_ON = re.compile(r"[\u4e00-\u9fff]{0,10}?(?:有限公司|公司|集团|产业园|工业园|园区|开发区|经开区|高新区)")
_STRONG_STOPS = frozenset("的了在与和及是为被把将从向对于由以等并或而也都又还就即这那该其说着过给让使")
_CLAUSE_TAGS = frozenset({"v", "vd", "vi", "d", "ad", "p", "c", "r", "u", "uj", "ul"})
_NOUNISH_TAGS = frozenset({"n", "ns", "nr", "nz", "nrt", "nt", "j", "nrfg", "ng", "eng"})
# Suffixes strong enough that any non-generic body of two or more characters makes a name.
STRONG_SUFFIXES = frozenset(
    {
        "股份有限公司",
        "有限责任公司",
        "集团有限公司",
        "集团股份有限公司",
        "有限公司",
        "集团公司",
        "经济技术开发区",
        "高新技术产业开发区",
        "高新技术开发区",
        "经济开发区",
        "综合保税区",
        "产业开发区",
        "工业开发区",
        "人民政府",
        "管委会",
        "党工委",
        "经开区",
        "高新区",
        "综保区",
        "发展和改革委员会",
    }
)
MAX_BODY = {"Company": 24, "DevelopmentZone": 10, "Park": 16, "Organization": 20}


@lru_cache(maxsize=65536)
def segment(text: str) -> tuple[str, ...]:
    """jieba's words of a short name body; the same bodies recur across an article and a corpus."""
    return tuple(jieba.cut(text))


@dataclass
class Candidate:
    """A mention found by shape, before resolution: [start, end) in the paragraph text."""

    start: int
    end: int
    label: str
    text: str
    source: str = "shape"
    extra: dict[str, str] = field(default_factory=dict)


class TokenIndex:
    """jieba tokens of one text with a character → token lookup, to test word boundaries cheaply."""

    def __init__(self, text: str, tokens: list[tuple[int, int]] | None = None) -> None:
        self.text = text
        if tokens is None:
            tokens = []
            pos = 0
            for tok in jieba.cut(text):
                tokens.append((pos, pos + len(tok)))
                pos += len(tok)
        self.tokens = tokens
        self.owner = [0] * (len(text) + 1)
        for i, (s, e) in enumerate(tokens):
            self.owner[s:e] = [i] * (e - s)

    def token_at(self, pos: int) -> tuple[int, int]:
        return self.tokens[self.owner[pos]]

    def word_at(self, pos: int) -> str:
        s, e = self.token_at(pos)
        return self.text[s:e]

    def is_start(self, pos: int) -> bool:
        return pos >= len(self.text) or self.token_at(pos)[0] == pos


class ShapeRecognizer:
    """Finds zone, park, company and organization names by suffix, and their left boundary."""

    def __init__(self, lex: Lexicon) -> None:
        self.lex = lex
        self.title_re = re.compile("(?:" + "|".join(re.escape(t) for t in lex.titles) + ")")
        alternation = "|".join(re.escape(s) for s, _ in lex.suffixes)
        self.suffix_re = re.compile(alternation)
        self.labels = dict(lex.suffixes)
        self.boundary_max = max(len(w) for w in lex.boundary_words)

    # -- boundaries -------------------------------------------------------------------------------------
    def _stops_before(self, text: str, pos: int, index: TokenIndex, floor: int) -> bool:
        """True when a name cannot extend left past `pos` (the name would start at pos)."""
        ch = text[pos - 1]
        if not NAME_CHAR.match(ch):
            return True
        for n in range(2, self.boundary_max + 1):
            if pos - n >= floor and text[pos - n : pos] in self.lex.boundary_words:
                return True
        if ch in self.lex.stop_chars:
            if self._inside_region(text, pos - 1):  # 都 of 尧都, 和 of 和田
                return False
            tok_start, tok_end = index.token_at(pos - 1)
            word = text[tok_start:tok_end]
            if len(word) < 2:
                return True
            tag = self.lex.tag(word)
            if tok_start < pos - 1:
                # Inside a word: 批 of 审批 and 家 of 魏家滩 belong to it; 是 of an unknown 这是 does not.
                return ch in _STRONG_STOPS and tag is None
            return tag not in _NOUNISH_TAGS  # 以色列 is a word; 以元 (以 + a name) is not
        return False

    def _inside_region(self, text: str, i: int) -> bool:
        for n in (2, 3, 4):
            for start in range(max(0, i - n + 1), i + 1):
                if text[start : start + n] in self.lex.place_words and start + n <= len(text):
                    return True
        return False

    def left_boundary(self, text: str, end: int, index: TokenIndex, max_len: int, floor: int = 0) -> int:
        """Where a name ending at `end` begins: walk left until a stop; never more than max_len chars."""
        pos = end
        limit = max(floor, end - max_len)
        while pos > limit and not self._stops_before(text, pos, index, floor):
            tok_start, tok_end = index.token_at(pos - 1)
            # A verb, adverb or conjunction before a proper name ends it: 串联王桥工业园区 → 王桥工业园区.
            if (
                tok_end == pos
                and self.lex.tag(text[tok_start:tok_end]) in _CLAUSE_TAGS
                and self.has_proper_part(text[pos:end])
            ):
                break
            pos -= 1
        # Never start inside a jieba word unless the word is unknown (a name jieba glued to a function char).
        while pos < end and not index.is_start(pos) and self.lex.tag(index.word_at(pos)) is not None:
            pos += 1
        # Leading brackets or a half of 以…为 are not part of a name.
        while pos < end and text[pos] in "（(）)·&":
            pos += 1
        return pos

    # -- generic bodies -----------------------------------------------------------------------------------
    def has_proper_part(self, body: str) -> bool:
        """A name body carries something proper: a place, an unknown (coined) word, a known brand."""
        if body in self.lex.known_companies:
            return True
        for tok in segment(body):
            if not re.search(rf"[{HAN}A-Za-z]", tok):
                continue
            if tok in self.lex.place_words or tok in self.lex.known_companies:
                return True
            tag = self.lex.tag(tok)
            if tag is None and len(tok) >= 2:
                return True
            if tag in _PROPER_TAGS:
                return True
        return False

    def is_generic(self, body: str, suffix: str) -> bool:
        if len(body) < 2 or body in self.lex.generic_names:
            return True
        stripped = body.strip("（）()")
        if any(stripped.startswith(g) for g in ("该", "本", "我", "其", "这", "那", "各", "每")):
            return True
        if suffix in STRONG_SUFFIXES:
            return False
        return not self.has_proper_part(body)

    # -- recognition --------------------------------------------------------------------------------------
    def _drop_leading_word(self, text: str, start: int, end: int, index: TokenIndex) -> int:
        """串联王桥工业园区: a common word (not a place or brand) before a coined name is not part of it."""
        if start >= end or not index.is_start(start):
            return start
        tok_start, tok_end = index.token_at(start)
        word = text[tok_start:tok_end]
        if tok_end >= end or len(word) < 2 or word in self.lex.regions or word in self.lex.known_companies:
            return start
        tag = self.lex.tag(word)
        placeish_word = tag == "ns" and word not in self.lex.place_words  # 串联 is tagged ns, but is no place
        if (tag in ("v", "vn", "d", "ad", "a", "t") or placeish_word) and self.lex.freq(word) >= 100:
            rest = text[tok_end:end]
            if self.has_proper_part(rest) and not self.has_place(word):
                return tok_end
        return start

    def _org_prefix(self, name: str) -> str:
        for suffix, label in self.lex.suffixes:
            if label == "Organization" and name.endswith(suffix) and len(name) > len(suffix):
                return name[: -len(suffix)]
        return ""

    def has_place(self, body: str) -> bool:
        return any(tok in self.lex.regions for tok in segment(body))

    def _is_suffix(self, text: str, m: re.Match[str]) -> bool:
        """Whether a suffix-shaped match really ends a name here."""
        if any(text[max(0, m.start() - k) : m.end()] in self.lex.suffix_lookalikes for k in (1, 2)):
            return False  # 总体布局 is not a 局
        if len(m.group(0)) == 1 and text[m.end() : m.end() + 1] == "长":
            return False  # 局长, 厅长: a post, not a body
        # 临汾开园智能科技有限公司: 园 inside a longer name.
        return not (len(m.group(0)) == 1 and _NAME_GOES_ON.match(text, m.end()))

    def find(self, text: str, index: TokenIndex) -> list[Candidate]:
        found: list[Candidate] = []
        matches = [m for m in self.suffix_re.finditer(text) if self._is_suffix(text, m)]
        # Ends of zone/park/company names: the next name starts after them (洪洞经济技术开发区秦壁工业园),
        # except for a body of the zone (洪洞经济技术开发区管委会), which includes it.
        name_ends = {m.end() for m in matches if self.labels[m.group(0)] != "Organization"}
        zone_ends = {m.end() for m in matches if self.labels[m.group(0)] == "DevelopmentZone"}
        for m in matches:
            suffix = m.group(0)
            label = self.labels[suffix]
            floor = 0
            if label != "Organization":
                floor = max((e for e in name_ends if e <= m.start()), default=0)
            start = self.left_boundary(text, m.start(), index, MAX_BODY[label], floor)
            start = self._drop_leading_word(text, start, m.start(), index)
            body = text[start : m.start()]
            if label == "Organization" and not body and m.start() > 0 and text[m.start() - 1] == "、" and found:
                # 兴县县委、县政府: the second body shares the first's place.
                prev = found[-1]
                gap = text[prev.end : m.start() - 1]
                if prev.label == "Organization" and (not gap or self.title_re.fullmatch(gap)):
                    prefix = self._org_prefix(prev.text)
                    if prefix:
                        found.append(Candidate(m.start(), m.end(), label, prefix + suffix, "shape"))
                continue
            if label == "Park" and start == floor and floor in zone_ends and body and self.is_generic(body, suffix):
                # 安平高新区无人机产业园: a zone's park named by its industry carries the zone's name.
                zone = next(c for c in reversed(found) if c.end == floor and c.label == "DevelopmentZone")
                found.append(Candidate(zone.start, m.end(), label, text[zone.start : m.end()]))
                continue
            if self.is_generic(body, suffix):
                continue
            if label == "Park" and suffix == "园区" and not self.has_place(body):
                continue
            if label in ("DevelopmentZone", "Park"):
                start = self._split_city(text, start, m.start(), found)
            if label == "Organization":
                university = re.match(r"(.{2,12}?大学)(?=.{2,10}(?:学院|系|研究院|研究所)$)", text[start : m.end()])
                if university:  # 陇原理工大学食品学院: a department of the university, which is the entity
                    found.append(Candidate(start, m.end(), label, university.group(1)))
                    continue
            found.append(Candidate(start, m.end(), label, text[start : m.end()]))
        return found

    def _split_city(self, text: str, start: int, body_end: int, found: list[Candidate]) -> int:
        """潍坊市澄河经济技术开发区: the city is a region of its own and the zone is 澄河经济技术开发区; a county
        (兴县经济技术开发区) stays part of the name."""
        for n in range(min(body_end - start - 2, 7), 2, -1):
            head = text[start : start + n]
            if head.endswith(("市", "省")) and head in self.lex.regions:
                found.append(Candidate(start, start + n, "Region", head, "region"))
                return start + n
        return start
