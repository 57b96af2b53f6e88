"""The genericity tests, in one place: is a suffix-shaped phrase a name (某某铝业有限公司) or a common noun
(该公司, 运营公司)? Does a project body name something (重点项目 does not)? Can a phrase name a product?

A name's body (what precedes its suffix) carries something proper: a place, a word jieba does not know (a
coined trade name), a proper-noun tag, Latin letters, or a known brand. Bodies listed in
`generic_names.txt` and bodies opening with a demonstrative (该, 本, 这, 各) never make a name.
"""

from __future__ import annotations

import re
from functools import lru_cache

import jieba

from kg.nlp.lexicon import Lexicon
from kg.nlp.rules import RuleBook
from kg.nlp.tokens import PROPER_TAGS

_LETTERS = re.compile(r"[A-Za-z\u4e00-\u9fff]")
# A government body named by its level alone (省发改委, 县政协, 市经信委): a name the gold keeps as edge.
LEVEL_BODIES = frozenset("省市县区镇乡")
_DEMONSTRATIVE = ("该", "本", "我", "其", "这", "那", "各", "每", "此", "上述", "有关", "相关")
# Compiled once: the tests below run for every proposed boundary of every name.
_FIGURE = re.compile(r"[\d.]+")
_COUNTING = re.compile(r"^[\d一二两三四五六七八九十百千]+(?:个|批|项|大)")
_NOT_A_PRODUCT = re.compile(r"[了着过吗呢吧]|\d+%")
_ENDS_LIKE_A_NAME = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]$")


@lru_cache(maxsize=65536)
def segment(text: str) -> tuple[str, ...]:
    """jieba's words of a short name body; the same bodies recur across an article and a corpus."""
    return tuple(jieba.cut(text))


def has_proper_part(body: str, lex: Lexicon) -> bool:
    if body in lex.known_companies:
        return True
    for tok in segment(body):
        if not _LETTERS.search(tok):
            continue
        if tok.isascii():
            return True
        if tok in lex.place_words or tok in lex.known_companies:
            return True
        entry = lex.word_tags.get(tok)
        if entry is None:
            if len(tok) >= 2:
                return True
            continue
        if entry[1] in PROPER_TAGS and entry[0] < 3000:
            return True  # a rare proper noun; jieba tags common words such as 城市 ns too
        if len(tok) >= 2 and entry[0] < RARE:
            return True  # a word jieba saw only in a name (特变 of 特变电工)
    return False


RARE = 30  # dictionary frequency below which a word is more likely part of a name than common usage


_CLAUSE_WORD_TAGS = frozenset({"v", "vd", "d", "ad", "t", "r", "p", "c"})


def is_generic(body: str, lex: Lexicon, strong_suffix: bool) -> bool:
    """True when `body` + suffix is a common noun, not a name. Strong suffixes (有限公司, 经济技术开发区) make
    a name of any specific body; weak ones (公司, 园区, 中心) need a proper part."""
    stripped = body.strip("（）() ·")
    if strong_suffix and stripped in LEVEL_BODIES:
        return False
    if len(stripped) < 2 or stripped in lex.generic_names:
        return True
    if stripped.startswith(_DEMONSTRATIVE):
        return True
    if _FIGURE.fullmatch(stripped):
        return True
    entry = lex.word_tags.get(stripped)
    if entry is not None and entry[1] in _CLAUSE_WORD_TAGS and entry[0] >= 1000:
        return True  # 提起工业园区, 目前工业园区: a common verb or adverb before the suffix names nothing
    if strong_suffix:
        return False
    return not has_proper_part(stripped, lex)


@lru_cache(maxsize=16)
def _rule_words(book: RuleBook, kind: str, option: str = "", present: bool = True) -> frozenset[str]:
    """The words of the rules of `kind`; with `option`, of those where it is set (`present`) or not."""
    words: set[str] = set()
    for rule in book.of_kind(kind):
        if not option or bool(rule.options.get(option)) == present:
            words.update(rule.words)
    return frozenset(words)


def _generic_words(book: RuleBook) -> frozenset[str]:
    return _rule_words(book, "project_generic")


@lru_cache(maxsize=65536)
def generic_project(body: str, book: RuleBook) -> bool:
    """重点项目, 42个产业项目, 这些项目: a body of only counting, status and category words names nothing;
    nor does one that ends in a category (某市重点招商项目, 某某行业龙头项目: which kind of project, not
    which project) or opens with a rank (首个…项目, 又一批…项目). Cached: a body is asked about for every
    boundary proposed around it, and the same bodies recur across articles."""
    body = _AMOUNT.sub("", _COUNTING.sub("", body.strip(" （）")))
    if len(body) < 2 or body.startswith(("该", "本", "这", "那", "各", "其", "此", "上述", "我们")):
        return True
    if body.startswith(_RANKS):
        return True
    generic = _generic_words(book)
    if _only_words(body, generic):
        return True
    category, lengths = _category_words(book), _category_lengths(book)
    return any(
        any(body[i : i + n] in category for n in lengths) and _only_words(body[i:], generic)
        for i in range(1, len(body) - 1)
    )


def _only_words(text: str, words: frozenset[str]) -> bool:
    """Whether `text` is a run of `words`, read longest word first from the left."""
    rest = text
    while rest:
        for n in range(min(len(rest), 6), 0, -1):
            if rest[:n] in words:
                rest = rest[n:]
                break
        else:
            return False
    return True


_RANKS = ("首个", "首批", "第一个", "一批", "又一批", "新一批")
_AMOUNT = re.compile(r"[\d.]+\s*[万亿]元?")


def _category_words(book: RuleBook) -> frozenset[str]:
    return _rule_words(book, "project_generic", "category")


@lru_cache(maxsize=4)
def _category_lengths(book: RuleBook) -> tuple[int, ...]:
    """The lengths of the category words: a body is searched for them by slices of these lengths, a set
    lookup each, rather than by every word in turn."""
    return tuple(sorted({len(w) for w in _category_words(book)}))


@lru_cache(maxsize=4)
def _not_products(book: RuleBook) -> re.Pattern[str]:
    words = _rule_words(book, "product_generic", "whole", present=False)
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w))) or "(?!)")


def _not_products_whole(book: RuleBook) -> frozenset[str]:
    """Words that are no product when they are the whole phrase (中心, 基地), though a product's name may
    hold them (数控加工中心)."""
    return _rule_words(book, "product_generic", "whole")


def product_like(phrase: str, lex: Lexicon, book: RuleBook) -> bool:
    """A phrase that can name a product: not a place, a state, a quantity or a business term."""
    if len(phrase) < 2 or len(phrase) > 24:
        return False
    if phrase[0] in lex.stop_chars or phrase in lex.regions:
        return False
    if phrase.startswith(("我们", "其", "这", "该", "产品", "企业", "公司")):
        return False
    if _not_products(book).search(phrase) or phrase in _not_products_whole(book):
        return False
    if lex.tag(phrase) in ("v", "vd", "a", "ad", "d", "i", "l", "r", "p", "c"):
        return False
    if _NOT_A_PRODUCT.search(phrase):
        return False
    return bool(_ENDS_LIKE_A_NAME.search(phrase))
