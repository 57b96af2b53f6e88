"""kg's spaCy pipeline: a blank `zh` Language segmented by jieba, with registered, versioned components.

- `kg_sentences_v1` marks sentence starts after 。！？； (a closing quote stays with its sentence).
- `kg_mentions_v1` runs the shape, title, region, project, product and reference recognizers over the
  Doc and stores their candidates on `doc._.kg_candidates`; where a candidate aligns with jieba's tokens
  it is also put in `doc.spans["kg"]`, so displaCy and spaCy tooling can show it.

Word lists live in kg/nlp/patterns (data, not code) and are loaded once per process.
"""

from __future__ import annotations

import itertools
import logging
import re
from collections.abc import Callable
from functools import lru_cache

import jieba
import numpy
import spacy
from spacy.attrs import IDX, LENGTH
from spacy.language import Language
from spacy.tokens import Doc

from kg.nlp.lexicon import load_lexicon
from kg.nlp.recognize import Recognizer
from kg.nlp.shapes import Candidate, TokenIndex

jieba.setLogLevel(logging.WARNING)

if not Doc.has_extension("kg_candidates"):
    Doc.set_extension("kg_candidates", default=None)

_SENTENCE_END = re.compile(r"[。！？!?；;…]+[”’」』]?")


if not Doc.has_extension("kg_text"):
    Doc.set_extension("kg_text", default=None)
if not Doc.has_extension("kg_sentences"):
    Doc.set_extension("kg_sentences", default=None)


def sentence_bounds(text: str) -> list[tuple[int, int]]:
    """Character spans of sentences: after 。！？；… (with a closing quote) and at line breaks, trimmed."""
    cuts = sorted(
        {0, len(text)}
        | {m.end() for m in _SENTENCE_END.finditer(text)}
        | {i + 1 for i, ch in enumerate(text) if ch == "\n"}
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
    """Sentence starts after Chinese sentence punctuation and at line breaks (paragraphs).

    Set in one array operation: per-token assignment and walking doc.sents cost more than segmentation.
    """
    spans = sentence_bounds(doc_text(doc))
    doc._.kg_sentences = spans
    if len(doc):
        starts = {s for s, _ in spans} | {0}
        idx = doc.to_array("IDX")
        flags = numpy.where(numpy.isin(idx, list(starts)), 1, -1).astype("uint64")
        flags[0] = 1
        doc.from_array(["SENT_START"], flags.reshape(-1, 1))  # type: ignore[arg-type]
    return doc


class MentionRecognizer:
    """Stores every recognizer's candidates on the Doc; offsets are characters into doc.text."""

    def __init__(self) -> None:
        self.recognizer = load_recognizer()

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        index = TokenIndex(text, token_spans(doc, text))
        rec = self.recognizer
        found: list[Candidate] = []
        found += rec.shapes.find(text, index)
        found += rec.people(text)
        found += rec.regions(text, index)
        found += rec.known_companies(text)
        found += rec.newspaper(text)
        projects = rec.projects(text, index)
        found += projects
        for project in projects:
            found += rec.project_products(project.text, project.start)
        found += rec.products(text)
        found += rec.references(text)
        doc._.kg_candidates = found
        spans = []
        for c in found:
            span = doc.char_span(c.start, c.end, label=c.label)
            if span is not None:
                spans.append(span)
        doc.spans["kg"] = spans
        return doc


@Language.factory("kg_mentions_v1")
def make_mentions(nlp: Language, name: str) -> MentionRecognizer:
    return MentionRecognizer()


def doc_text(doc: Doc) -> str:
    """The text the Doc was made from. Doc.text rebuilds it from every token on each access, which costs
    more than the segmentation itself; the tokenizer wrapper keeps the original."""
    text = doc._.kg_text
    return text if text is not None else doc.text


def token_spans(doc: Doc, text: str) -> list[tuple[int, int]]:
    """Character spans of the tokens, with the whitespace between them as tokens of their own."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for start, length in doc.to_array([IDX, LENGTH]).tolist():
        if start > pos:
            spans.append((pos, start))
        spans.append((start, start + length))
        pos = start + length
    if pos < len(text):
        spans.append((pos, len(text)))
    return spans


class TextKeepingTokenizer:
    """Wraps the jieba tokenizer and remembers each Doc's text (see doc_text)."""

    def __init__(self, tokenizer: Callable[[str], Doc]) -> None:
        self.tokenizer = tokenizer

    def __call__(self, text: str) -> Doc:
        doc = self.tokenizer(text)
        doc._.kg_text = text
        return doc


@lru_cache(maxsize=1)
def load_recognizer() -> Recognizer:
    """The recognizers outside a pipeline run (bylines are read after layout, not per Doc)."""
    return Recognizer(load_lexicon())


@lru_cache(maxsize=1)
def make_nlp() -> Language:
    """The pipeline, built once per process (the lexicon and jieba's dictionary load once)."""
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    nlp.tokenizer = TextKeepingTokenizer(nlp.tokenizer)
    nlp.add_pipe("kg_sentences_v1")
    nlp.add_pipe("kg_mentions_v1")
    return nlp


def sentence_spans(doc: Doc) -> list[tuple[int, int]]:
    """Character spans of the Doc's sentences, as `kg_sentences_v1` found them."""
    spans = doc._.kg_sentences
    return list(spans) if spans is not None else sentence_bounds(doc.text)
