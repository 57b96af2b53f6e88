"""kg's spaCy pipeline: a blank `zh` Language segmented by jieba, with registered, versioned components.

- `kg_sentences_v1` marks sentence starts after 。！？； (a closing quote stays with its sentence).
- `kg_mentions_v1` runs the shape, title, region, project, product and reference recognizers over the
  Doc and stores their candidates on `doc._.kg_candidates`; where a candidate aligns with jieba's tokens
  it is also put in `doc.spans["kg"]`, so displaCy and spaCy tooling can show it.

Word lists live in kg/nlp/patterns (data, not code) and are loaded once per process.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache

import jieba
import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.nlp.lexicon import load_lexicon
from kg.nlp.recognize import Recognizer
from kg.nlp.shapes import Candidate, TokenIndex

jieba.setLogLevel(logging.WARNING)

if not Doc.has_extension("kg_candidates"):
    Doc.set_extension("kg_candidates", default=None)

_SENTENCE_END = re.compile(r"[。！？!?；;…]+[”’」』]?")


@Language.component("kg_sentences_v1")
def sentences(doc: Doc) -> Doc:
    """Sentence starts after Chinese sentence punctuation and at line breaks (paragraphs)."""
    ends = {m.end() for m in _SENTENCE_END.finditer(doc.text)}
    ends |= {i + 1 for i, ch in enumerate(doc.text) if ch == "\n"}
    for i, token in enumerate(doc):
        token.is_sent_start = i == 0 or token.idx in ends
    return doc


class MentionRecognizer:
    """Stores every recognizer's candidates on the Doc; offsets are characters into doc.text."""

    def __init__(self) -> None:
        self.recognizer = Recognizer(load_lexicon())

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        index = TokenIndex(text, [(t.idx, t.idx + len(t.text)) for t in doc])
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


@lru_cache(maxsize=1)
def make_nlp() -> Language:
    """The pipeline, built once per process (the lexicon and jieba's dictionary load once)."""
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    nlp.add_pipe("kg_sentences_v1")
    nlp.add_pipe("kg_mentions_v1")
    return nlp


def sentence_spans(doc: Doc) -> list[tuple[int, int]]:
    """Character spans of the Doc's sentences, trimmed of surrounding whitespace."""
    spans = []
    for sent in doc.sents:
        start, end = _trim(doc.text, sent)
        if end > start:
            spans.append((start, end))
    return spans


def _trim(text: str, sent: Span) -> tuple[int, int]:
    start, end = sent.start_char, sent.end_char
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
