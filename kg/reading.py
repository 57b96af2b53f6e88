"""Article → normalised text → items → spaCy Docs → candidates: what every later stage reads.

An article is read item by item (a file can hold several news items, each closed by its byline), and an
item longer than `MAX_PIECE` characters is read in pieces cut at paragraph, then sentence, ends, so no
Doc exceeds spaCy's limit and no rule scans more than one piece (time stays linear in the input).
"""

from __future__ import annotations

from dataclasses import dataclass

from kg.layout import segments
from kg.model import Article
from kg.nlp import make_nlp, sentence_spans
from kg.nlp.boundary import boundaries_of
from kg.nlp.candidates import Candidate, Context
from kg.nlp.lexicon import load_lexicon
from kg.nlp.rules import load_rules
from kg.textnorm import NormalizedText, normalize

MAX_PIECE = 20_000


@dataclass(frozen=True)
class Piece:
    """One Doc's worth of an item: its offset in the article's normalised text, context and candidates."""

    offset: int
    item: int
    ctx: Context
    candidates: tuple[Candidate, ...]

    @property
    def end(self) -> int:
        return self.offset + len(self.ctx.text)


@dataclass(frozen=True)
class ReadArticle:
    article: Article
    norm: NormalizedText
    items: tuple[tuple[int, int], ...]
    pieces: tuple[Piece, ...]

    @property
    def text(self) -> str:
        return self.norm.text

    def sentences(self) -> list[tuple[int, int]]:
        """Sentence spans in the article's normalised text."""
        return [(p.offset + s, p.offset + e) for p in self.pieces for s, e in p.ctx.sentences]


def _cut(text: str, start: int, end: int, limit: int) -> list[tuple[int, int]]:
    """[start, end) cut into pieces of at most `limit` characters, at a newline, else after 。, else hard."""
    pieces = []
    while end - start > limit:
        window = text[start : start + limit]
        cut = window.rfind("\n")
        if cut < limit // 4:
            cut = max(window.rfind("。"), window.rfind("；"), window.rfind("，"))
        cut = start + (cut + 1 if cut >= limit // 4 else limit)
        pieces.append((start, cut))
        start = cut
    pieces.append((start, end))
    return pieces


def item_spans(text: str) -> list[tuple[int, int]]:
    """Items of the (repaired, normalised) text: layout separates them by a blank line."""
    return [(item[0].start, item[-1].end) for item in segments(text) if item]


def read(article: Article) -> ReadArticle:
    norm = normalize(article.text)
    text = norm.text
    items = item_spans(text)
    spans: list[tuple[int, int, int]] = []
    for k, (s, e) in enumerate(items):
        spans.extend((ps, pe, k) for ps, pe in _cut(text, s, e, MAX_PIECE))
    nlp = make_nlp()
    lex, rules = load_lexicon(), load_rules()
    bounds = boundaries_of(lex)
    pieces = []
    for (s, _, k), doc in zip(spans, nlp.pipe(text[s:e] for s, e, _ in spans), strict=True):
        ctx = Context(doc._.kg_text, doc._.kg_tokens, sentence_spans(doc), lex, rules, bounds)
        pieces.append(Piece(s, k, ctx, tuple(doc._.kg_candidates)))
    return ReadArticle(article, norm, tuple(items), tuple(pieces))
