"""Rules as data: every recognition and relation rule is a row of a table in `kg/nlp/patterns/` with an id.

A row names the mechanism that reads it (`kind`), what it makes (`label` or relation `type`), its words or
its regular expression, a description, and example sentences of ours (names made up): `pos` rows say what
the rule must find in a sentence, `neg` rows what it must not. The id travels with every candidate and
relation the rule makes, into the output JSON (`rule`) and into `kg eval --details`, which counts true and
false positives per rule.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache, cached_property, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import ahocorasick

from kg.errors import KgError


@dataclass(frozen=True)
class Example:
    """A sentence and the span (or relation "head>tail") the rule must, or must not, produce from it."""

    text: str
    expect: str = ""


@dataclass(frozen=True, eq=False)
class Rule:
    id: str
    kind: str
    description: str
    label: str = ""
    type: str = ""
    words: tuple[str, ...] = ()
    pattern: str = ""
    options: dict[str, Any] = field(default_factory=dict)
    pos: tuple[Example, ...] = ()
    neg: tuple[Example, ...] = ()

    @property
    def regex(self) -> re.Pattern[str]:
        return _compiled(self.pattern)


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _examples(raw: Any) -> tuple[Example, ...]:
    out = []
    for item in raw or ():
        if isinstance(item, str):
            out.append(Example(item))
        else:
            out.append(Example(str(item[0]), str(item[1]) if len(item) > 1 else ""))
    return tuple(out)


def patterns_dir() -> Path:
    return Path(str(resources.files("kg.nlp") / "patterns"))


_KNOWN_KEYS = {"id", "kind", "description", "label", "type", "words", "pattern", "options", "pos", "neg"}


def read_table(path: Path) -> tuple[Rule, ...]:
    """The rows of one table; a malformed row is an error naming the file and line."""
    rules = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("//"):
            continue
        try:
            row = json.loads(line)
            unknown = set(row) - _KNOWN_KEYS
            if unknown:
                raise ValueError(f"unknown keys {sorted(unknown)}")
            rule = Rule(
                id=str(row["id"]),
                kind=str(row["kind"]),
                description=str(row.get("description", "")),
                label=str(row.get("label", "")),
                type=str(row.get("type", "")),
                words=tuple(str(w) for w in row.get("words", ())),
                pattern=str(row.get("pattern", "")),
                options=dict(row.get("options") or {}),
                pos=_examples(row.get("pos")),
                neg=_examples(row.get("neg")),
            )
            if rule.pattern:
                re.compile(rule.pattern)
        except (ValueError, KeyError, TypeError, re.error) as e:
            raise KgError(f"{path}:{lineno}: bad rule row ({e})") from e
        rules.append(rule)
    return tuple(rules)


@dataclass(frozen=True, eq=False)
class RuleBook:
    """Every rule of every table, by id and by kind."""

    rules: tuple[Rule, ...]

    def of_kind(self, kind: str) -> tuple[Rule, ...]:
        return self._by_kind.get(kind, ())

    @cached_property
    def _by_kind(self) -> dict[str, tuple[Rule, ...]]:
        """The rules of each kind in table order, grouped once: generators ask for their kind per Doc."""
        kinds: dict[str, list[Rule]] = {}
        for r in self.rules:
            kinds.setdefault(r.kind, []).append(r)
        return {kind: tuple(rules) for kind, rules in kinds.items()}

    def get(self, rule_id: str) -> Rule:
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise KeyError(rule_id)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(r.id for r in self.rules)


TABLES = ("entity_rules.jsonl", "relation_rules.jsonl")


@lru_cache(maxsize=1)
def load_rules() -> RuleBook:
    rules: list[Rule] = []
    for name in TABLES:
        path = patterns_dir() / name
        if path.exists():
            rules.extend(read_table(path))
    ids = [r.id for r in rules]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise KgError(f"duplicate rule ids in {patterns_dir()}: {', '.join(dupes)}")
    return RuleBook(tuple(rules))


@lru_cache(maxsize=16)
def words_automaton(book: RuleBook, kind: str) -> ahocorasick.Automaton:
    """One Aho-Corasick automaton over the words of every rule of `kind`, each word mapped to (word, the
    first rule listing it): a recogniser finds all its cue words in one pass over the text."""
    auto = ahocorasick.Automaton()
    first: dict[str, Rule] = {}
    for rule in book.of_kind(kind):
        for word in rule.words:
            first.setdefault(word, rule)
    for word, rule in first.items():
        auto.add_word(word, (word, rule))
    auto.make_automaton()
    return auto


def longest_at(auto: ahocorasick.Automaton, text: str) -> dict[int, Any]:
    """The value of the longest word of `auto` starting at each position of `text`, for automata whose values
    are the word itself or (word, …). Matches come by increasing end, so of the words starting at one
    position the longest comes last and is the one kept."""
    return {end - len(v if isinstance(v, str) else v[0]) + 1: v for end, v in auto.iter(text)}
