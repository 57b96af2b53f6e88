"""The one byline reader: the names of reporters, correspondents, authors and photographers.

Bylines come in many formats (记者 甲; (记者/甲 通讯员/乙); □甲 乙 报道; ■甲摄; 本栏稿件由甲 乙供稿; (甲 乙 丙)
after a dateline; a line of names closing an item). They share one shape: a frame, then names separated by
spaces, 、 or /, each a surname and one to three characters. Frames are rules of kind `byline` (their
`pattern` finds where names start; `role` says 记者 or 作者); role words (`byline_role` rules: 记者, 通讯员,
实习记者) may also stand between the names and switch the role. Reading stops at the first run that is not a
name (a place, a verb, a date).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from kg.nlp.lexicon import Lexicon
from kg.nlp.rules import RuleBook

_SEPARATORS = " \u3000、/／·"
_TRAILERS = ("报道", "供稿", "摄影", "摄", "撰稿", "整理")


@dataclass(frozen=True)
class BylineName:
    start: int
    end: int
    role: str
    rule: str


@lru_cache(maxsize=4)
def _roles(book: RuleBook) -> tuple[tuple[str, str, str], ...]:
    """(word, role, rule id) of every role word, longest first."""
    rows = [(w, str(r.options.get("role", "作者")), r.id) for r in book.of_kind("byline_role") for w in r.words]
    return tuple(sorted(rows, key=lambda x: -len(x[0])))


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _surname(text: str, pos: int, lex: Lexicon) -> int:
    if text[pos : pos + 2] in lex.compound_surnames:
        return 2
    return 1 if pos < len(text) and text[pos] in lex.surnames else 0


def _name_like(run: str, lex: Lexicon) -> bool:
    """A run of 2–4 Han that can be a name: a surname first, not a place, not a common word."""
    if not 2 <= len(run) <= 4 or not _surname(run, 0, lex):
        return False
    if run in lex.regions or run in lex.place_words:
        return False
    entry = lex.word_tags.get(run)
    return entry is None or entry[1] in ("nr", "nrfg", "nrt") or entry[0] < 50


def read_names(text: str, pos: int, role: str, rule: str, lex: Lexicon, book: RuleBook, limit: int) -> list[BylineName]:
    """Names from `pos` on (at most to `limit`): separators and role words between them are skipped."""
    found: list[BylineName] = []
    roles = _roles(book)
    n = min(len(text), limit)
    while pos < n:
        while pos < n and text[pos] in _SEPARATORS:
            pos += 1
        if pos < n and text[pos] in "：:":
            pos += 1
            continue
        switched = next(((w, r, i) for w, r, i in roles if text.startswith(w, pos)), None)
        if switched is not None:
            pos += len(switched[0])
            role, rule = switched[1], switched[2]
            continue
        end = pos
        while end < n and _is_han(text[end]):
            end += 1
        run = text[pos:end]
        if not run:
            break
        for trailer in _TRAILERS:
            if run.endswith(trailer) and len(run) > len(trailer):
                run = run[: -len(trailer)]
                break
        # A run glued to the next role word (周瑞华通讯员陈瑶): cut it there.
        for w, _, _ in roles:
            k = run.find(w, 2)
            if k != -1:
                run = run[:k]
        if not _name_like(run, lex):
            break
        found.append(BylineName(pos, pos + len(run), role, rule))
        pos += len(run)
        if pos < n and not (text[pos] in _SEPARATORS or text[pos] in "：:" or _is_han(text[pos])):
            break
    return found


def bylines(text: str, lex: Lexicon, book: RuleBook) -> list[BylineName]:
    """Every byline name of the text, by the frames of `byline` rules and the role words."""
    found: list[BylineName] = []
    seen: set[int] = set()
    frames = list(book.of_kind("byline"))
    for rule in frames:
        role = str(rule.options.get("role", "作者"))
        reach = int(rule.options.get("reach", 40))
        for m in rule.regex.finditer(text):
            start = m.start("names")
            limit = m.end("names") if rule.options.get("bounded") else start + reach
            names = read_names(text, start, role, rule.id, lex, book, limit)
            if rule.options.get("all_names") and m.end("names") > (names[-1].end if names else start) + 1:
                continue  # a bracket or line holding something other than names is no byline
            for name in names:
                if name.start not in seen:
                    seen.add(name.start)
                    found.append(name)
    for word, role, rule_id in _roles(book):
        for m in re.finditer(re.escape(word), text):
            for name in read_names(text, m.end(), role, rule_id, lex, book, m.end() + 30):
                if name.start not in seen:
                    seen.add(name.start)
                    found.append(name)
    return sorted(found, key=lambda b: b.start)
