"""jieba's words of one text with a character → word lookup, so rules and features test word boundaries and
dictionary tags cheaply. Built from the spaCy Doc's tokens (no second segmentation)."""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from kg.nlp.lexicon import Lexicon

# Tags of jieba's dictionary that mark proper nouns (places, people, brands, organisations, abbreviations).
PROPER_TAGS = frozenset({"ns", "nr", "nz", "nrt", "nt", "j", "nrfg", "eng"})
NOUNISH_TAGS = frozenset({"n", "ns", "nr", "nz", "nrt", "nt", "j", "nrfg", "ng", "eng", "vn", "an"})
# Words whose tags a lexicon memoises (see TokenIndex._all_tags): a corpus's common words, a few MB at most.
TAG_MEMO = 200_000
CLAUSE_TAGS = frozenset({"v", "vd", "vi", "d", "ad", "p", "c", "r", "u", "uj", "ul", "uz", "ug", "y"})


class TokenIndex:
    """Tokens [start, end) of `text`, covering it (whitespace runs are tokens of their own)."""

    def __init__(self, text: str, spans: Sequence[tuple[int, int]], lex: Lexicon) -> None:
        self.text = text
        self.lex = lex
        self.starts = [s for s, _ in spans]
        self.ends = [e for _, e in spans]
        self._tags: list[str] | None = None

    @classmethod
    def from_bounds(cls, text: str, starts: list[int], ends: list[int], lex: Lexicon) -> TokenIndex:
        """The index of tokens given as parallel lists of starts and ends (the Doc's arrays), without
        building a list of pairs first: every article pays this once per token."""
        index = cls.__new__(cls)
        index.text = text
        index.lex = lex
        index.starts = starts
        index.ends = ends
        index._tags = None
        return index

    def __len__(self) -> int:
        return len(self.starts)

    def index_at(self, pos: int) -> int:
        """The token holding character `pos`."""
        return max(0, bisect.bisect_right(self.starts, pos) - 1)

    def span(self, i: int) -> tuple[int, int]:
        return self.starts[i], self.ends[i]

    def word(self, i: int) -> str:
        return self.text[self.starts[i] : self.ends[i]]

    def word_at(self, pos: int) -> str:
        return self.word(self.index_at(pos))

    def is_start(self, pos: int) -> bool:
        if pos >= len(self.text):
            return True
        i = bisect.bisect_left(self.starts, pos)
        return i < len(self.starts) and self.starts[i] == pos

    def is_end(self, pos: int) -> bool:
        if pos <= 0 or pos >= len(self.text):
            return True
        return self.is_start(pos)

    def tag(self, i: int) -> str:
        """The token's dictionary tag; "x" for punctuation and spaces, "?" for a word jieba does not know.
        Every token's tag is looked up once, the first time one is asked for."""
        tags = self._tags
        if tags is None:
            tags = self._tags = self._all_tags()
        return tags[i]

    def tags(self) -> list[str]:
        """Every token's tag (see `tag`), as a new list: a featurizer reads them all, by index."""
        if self._tags is None:
            self._tags = self._all_tags()
        return list(self._tags)

    def _all_tags(self) -> list[str]:
        # One loop with local names: a method call per token cost more than the dictionary look-ups. Tags
        # are memoised in the lexicon's `token_tags` (up to TAG_MEMO words; a word's tag never changes).
        text, memo = self.text, self.lex.token_tags
        known, lookup = memo.get, self.lex.word_tags.get
        tags = []
        for s, e in zip(self.starts, self.ends, strict=True):
            word = text[s:e]
            tag = known(word)
            if tag is None:
                entry = lookup(word)
                tag = entry[1] if entry is not None else _unknown_tag(word)
                if len(memo) < TAG_MEMO:
                    memo[word] = tag
            tags.append(tag)
        return tags

    def starts_between(self, lo: int, hi: int) -> list[int]:
        """Token starts in [lo, hi)."""
        a = bisect.bisect_left(self.starts, lo)
        b = bisect.bisect_left(self.starts, hi)
        return self.starts[a:b]

    def tokens_in(self, lo: int, hi: int) -> range:
        """Indices of tokens starting in [lo, hi)."""
        return range(bisect.bisect_left(self.starts, lo), bisect.bisect_left(self.starts, hi))


def _unknown_tag(word: str) -> str:
    """The tag of a word missing from jieba's dictionary: "x" for punctuation and spaces, "m" and "eng" for
    ASCII numbers and words, "?" otherwise."""
    if not word.strip() or not any(ch.isalnum() for ch in word):
        return "x"
    if word.isascii():
        return "m" if word.replace(".", "").isdigit() else "eng"
    return "?"
