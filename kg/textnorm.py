"""One normalised text for the rules, with an offset map back to the text as written.

Copies of news from the web mix ASCII and full-width punctuation (`元泰(山西)有限公司,位于…`), full-width
digits and letters, non-breaking and ideographic spaces. Every rule and the trained scorers read one form:

- ASCII `, : ; ! ? ( )` become `，：；！？（）` (a comma or colon between two digits stays: 1,000 and 10:30);
  ASCII double quotes become `“`/`”` alternately within a paragraph; middle dots become `·`, and the
  radical 丨 that headlines use as a separator becomes `|`;
- every other character takes its NFKC form when that is one character (full-width `２０` → `20`,
  `ｋｇ` → `kg`, U+3000 and U+00A0 → space), so `～`, `－` and friends have one form too;
- zero-width characters (U+200B–U+200D, U+2060, U+FEFF) are dropped.

The map `origin[i]` gives, for each character of the normalised text, its offset in the original, with one
extra entry for the end; mentions and evidence found in the normalised text are reported in the original.
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from dataclasses import dataclass
from functools import lru_cache

# Full-width forms the rules are written in: NFKC would turn them back into ASCII, so they are kept.
_TARGETS = frozenset("，：；！？（）“”‘’、。《》【】…—·")
_ASCII_FOLD = {",": "，", ":": "：", ";": "；", "!": "！", "?": "？", "(": "（", ")": "）"}
_MIDDLE_DOTS = frozenset("·・･•‧∙")
_ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff")


@lru_cache(maxsize=4096)
def _nfkc_char(ch: str) -> str:
    folded = unicodedata.normalize("NFKC", ch)
    return folded if len(folded) == 1 else ch


@dataclass(frozen=True)
class NormalizedText:
    """The text the rules see and where each of its characters came from."""

    text: str
    origin: array | None  # type: ignore[type-arg]  # array('l') of len(text) + 1 offsets; None: each kept its place

    def original_offset(self, pos: int) -> int:
        return pos if self.origin is None else int(self.origin[pos])

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """[start, end) of the normalised text as offsets into the original."""
        if self.origin is None:
            return start, max(start, end)
        if end <= start:
            o = int(self.origin[start])
            return o, o
        return int(self.origin[start]), int(self.origin[end - 1]) + 1

    @property
    def identity(self) -> bool:
        """True when every character kept its place (the common case: folding is one to one)."""
        return self.origin is None


def _is_digit(ch: str) -> bool:
    return "0" <= ch <= "9"


# One-to-one folds that need no context, as one translate table (built once).
_SIMPLE = {ord(k): v for k, v in _ASCII_FOLD.items()}
_SIMPLE.update({ord(ch): "·" for ch in _MIDDLE_DOTS})
# 丨 (a radical no word uses) separates a headline's parts in web copies (某某网丨某某产业基地): a bar.
_SIMPLE[ord("丨")] = "|"
# Characters that may have a one-character NFKC form (spaces, full-width and enclosed forms, …).
_WIDE = re.compile(
    "(?![" + re.escape("".join(sorted(_TARGETS))) + "])"
    "[\u00a0-\u036f\u2000-\u2bff\u3000\u3200-\u33ff\uf900-\ufaff\ufe10-\ufe6f\uff00-\uffef]"
)


def _fold_wide(m: re.Match[str]) -> str:
    ch = m.group(0)
    return ch if ch in _TARGETS else _nfkc_char(ch)


_CONTEXT = re.compile(r'(?<=\d)[,:](?=\d)|:(?=//)|["＂]|[\u200b\u200c\u200d\u2060\ufeff]')


def normalize(raw: str) -> NormalizedText:
    """Fold punctuation and width variants to one form; see the module docstring for the rules.

    Most text needs only one-to-one folds (a translate table, then NFKC for the few characters outside
    ASCII and CJK that have a one-character form); quotes, digit groups and zero-width characters are
    handled where they occur."""
    text = raw.translate(_SIMPLE)
    if _WIDE.search(text):
        text = _WIDE.sub(_fold_wide, text).translate(_SIMPLE)
    if not _CONTEXT.search(raw):
        return NormalizedText(text, None)
    out: list[str] = []
    origin = array("l")
    open_quote = True
    last = 0
    for m in _CONTEXT.finditer(raw):
        k = m.start()
        chunk = text[last:k]
        if "\n" in chunk:  # quotes pair within a paragraph
            open_quote = True
        out.append(chunk)
        origin.extend(range(last, k))
        ch = raw[k]
        if ch in ",:":
            out.append(ch)  # 1,000 / 10:30 / http://
            origin.append(k)
        elif ch in '"＂':
            out.append("“" if open_quote else "”")
            open_quote = not open_quote
            origin.append(k)
        # zero-width characters are dropped
        last = k + 1
    out.append(text[last:])
    origin.extend(range(last, len(raw)))
    origin.append(len(raw))
    return NormalizedText("".join(out), origin)
