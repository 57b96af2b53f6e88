"""kg's spaCy pipeline: a blank `zh` Language segmented by jieba, with registered, versioned components.

- `kg_sentences_v1` marks sentence starts after 。！？； (a closing quote stays with its sentence) and at
  line breaks, and keeps the sentence spans on `doc._.kg_sentences`.
- `kg_candidates_v1` runs every candidate generator of `kg.nlp.candidates` (rules read from the tables in
  `kg/nlp/patterns/`) and keeps their candidates on `doc._.kg_candidates`; a preferred candidate that
  aligns with jieba's tokens is also put in `doc.spans["kg"]` with its rule id as `span.id_`, so displaCy
  and spaCy tooling can show it.

The Doc is made from the normalised text (`kg.textnorm`): one form of punctuation for every rule.
"""

from __future__ import annotations

import bisect
import itertools
import logging
import marshal
import os
import re
import tempfile
from collections.abc import Callable
from functools import lru_cache

import jieba
import numpy
import spacy
from spacy.attrs import IDX, LENGTH
from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.nlp.boundary import boundaries_of
from kg.nlp.candidates import Candidate, Context, generate
from kg.nlp.lexicon import gc_paused, load_lexicon
from kg.nlp.rules import load_rules
from kg.nlp.tokens import TokenIndex

jieba.setLogLevel(logging.WARNING)

for _ext in ("kg_candidates", "kg_text", "kg_sentences", "kg_tokens"):
    if not Doc.has_extension(_ext):
        Doc.set_extension(_ext, default=None)

_SENTENCE_END = re.compile(r"[。！？；…]+[”’」』]?")


def sentence_bounds(text: str) -> list[tuple[int, int]]:
    """Character spans of sentences: after 。！？；… (with a closing quote) and at line breaks, trimmed."""
    cuts = sorted(
        {0, len(text)} | {m.end() for m in _SENTENCE_END.finditer(text)} | {m.end() for m in re.finditer("\n", text)}
    )
    spans = []
    for start, end in itertools.pairwise(cuts):
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            spans.append((start, end))
    return spans


@Language.component("kg_sentences_v1")
def sentences(doc: Doc) -> Doc:
    """Sentence starts after Chinese sentence punctuation and at line breaks (paragraphs), set in one array
    operation: per-token assignment and walking doc.sents cost more than segmentation."""
    spans = sentence_bounds(doc_text(doc))
    doc._.kg_sentences = spans
    if len(doc):
        starts = {s for s, _ in spans} | {0}
        idx = doc.to_array("IDX")
        flags = numpy.where(numpy.isin(idx, list(starts)), 1, -1).astype("uint64")
        flags[0] = 1
        doc.from_array(["SENT_START"], flags.reshape(-1, 1))  # type: ignore[arg-type]
    return doc


class CandidateRecognizer:
    """Runs every generator over the Doc's text; candidates are character offsets into it."""

    def __init__(self) -> None:
        self.lex = load_lexicon()
        self.rules = load_rules()
        self.bounds = boundaries_of(self.lex)

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        index = TokenIndex.from_bounds(text, *token_bounds(doc, text), self.lex)
        sents = doc._.kg_sentences or sentence_bounds(text)
        ctx = Context(text, index, sents, self.lex, self.rules, self.bounds)
        found = generate(ctx)
        doc._.kg_candidates = found
        doc._.kg_tokens = index
        doc.spans["kg"] = preferred_spans(doc, index, found)
        return doc


def preferred_spans(doc: Doc, index: TokenIndex, found: list[Candidate]) -> list[Span]:
    """The preferred candidates that align with the Doc's tokens, as Spans. When the index's tokens are
    the Doc's own (no whitespace between them, the common case), token numbers come from the index by
    bisection: `Doc.char_span` makes four Token objects per span to check the same alignment."""
    same = len(index.starts) == len(doc)
    starts, ends = index.starts, index.ends
    spans = []
    for c in found:
        if not c.preferred:
            continue
        if same and c.end > c.start:
            i, j = bisect.bisect_left(starts, c.start), bisect.bisect_left(ends, c.end)
            if i < len(starts) and starts[i] == c.start and j < len(ends) and ends[j] == c.end:
                spans.append(Span(doc, i, j + 1, label=c.label, span_id=c.rule))
            continue
        span = doc.char_span(c.start, c.end, label=c.label, span_id=c.rule)
        if span is not None:
            spans.append(span)
    return spans


@Language.factory("kg_candidates_v1")
def make_candidates(nlp: Language, name: str) -> CandidateRecognizer:
    return CandidateRecognizer()


def doc_text(doc: Doc) -> str:
    """The text the Doc was made from. Doc.text rebuilds it from every token on each access, which costs
    more than the segmentation itself; the tokenizer wrapper keeps the original."""
    text = doc._.kg_text
    return text if text is not None else doc.text


def token_bounds(doc: Doc, text: str) -> tuple[list[int], list[int]]:
    """Starts and ends of the tokens, with the whitespace between them as tokens of their own. Most Docs
    have no such whitespace, and then both lists come straight from the Doc's arrays."""
    if not len(doc):
        return ([0], [len(text)]) if text else ([], [])
    arr = doc.to_array([IDX, LENGTH]).astype("int64")
    starts, ends = arr[:, 0], arr[:, 0] + arr[:, 1]
    if int(starts[0]) == 0 and int(ends[-1]) == len(text) and bool((starts[1:] == ends[:-1]).all()):
        return starts.tolist(), ends.tolist()
    out_starts: list[int] = []
    out_ends: list[int] = []
    pos = 0
    for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
        if start > pos:
            out_starts.append(pos)
            out_ends.append(start)
        out_starts.append(start)
        out_ends.append(end)
        pos = end
    if pos < len(text):
        out_starts.append(pos)
        out_ends.append(len(text))
    return out_starts, out_ends


class TextKeepingTokenizer:
    """Wraps the jieba tokenizer and remembers each Doc's text (see doc_text)."""

    def __init__(self, tokenizer: Callable[[str], Doc]) -> None:
        self.tokenizer = tokenizer

    def __call__(self, text: str) -> Doc:
        doc = self.tokenizer(text)
        doc._.kg_text = text
        return doc


def prime_jieba(dt: jieba.Tokenizer | None = None) -> bool:
    """Give jieba its prefix dictionary from its own cache file, read whole: jieba's `initialize` reads the
    file with `marshal.load`, which fetches it in hundreds of thousands of small reads (0.3 s of every
    start-up more than `marshal.loads` on the bytes). Only for jieba's default dictionary and an existing,
    readable cache, as jieba itself would load it; otherwise jieba initialises itself as usual. True when
    the dictionary was given here. `dt`: the tokenizer to prime, jieba's default one unless given."""
    dt = jieba.dt if dt is None else dt
    if dt.initialized or dt.dictionary is not None:
        return False
    path = os.path.join(dt.tmp_dir or tempfile.gettempdir(), dt.cache_file or "jieba.cache")
    try:
        with open(path, "rb") as fh:
            freq, total = marshal.loads(fh.read())
    except (OSError, ValueError, EOFError, TypeError):
        return False
    with dt.lock:
        if dt.initialized:
            return False
        dt.FREQ, dt.total = freq, total
        dt.initialized = True
    return True


@lru_cache(maxsize=1)
def make_nlp() -> Language:
    """The pipeline, built once per process (the lexicon and jieba's dictionary load once)."""
    with gc_paused():
        prime_jieba()
        nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
        nlp.tokenizer = TextKeepingTokenizer(nlp.tokenizer)
        nlp.add_pipe("kg_sentences_v1")
        nlp.add_pipe("kg_candidates_v1")
    return nlp


def sentence_spans(doc: Doc) -> list[tuple[int, int]]:
    """Character spans of the Doc's sentences, as `kg_sentences_v1` found them."""
    spans = doc._.kg_sentences
    return list(spans) if spans is not None else sentence_bounds(doc_text(doc))
