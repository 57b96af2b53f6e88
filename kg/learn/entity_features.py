"""Features of a candidate mention, for the entity scorer: what the rules said and what surrounds the span.

Each label has its own weight table, so feature names need not repeat the label. They describe the rule
(its id, whether it preferred this span, how far this alternative is from its choice), the span (length,
first and last characters and words, jieba's dictionary tags, unknown words, words inside), its edges (the
characters and words before and after, whether they are word boundaries, the clause's cue words before it)
and its neighbours (other preferred candidates it contains, is inside, or touches), so a wrong boundary or
a common word mistaken for a name is corrected from data.

Features of a start and of an end are computed once per item and shared by every candidate starting or
ending there: alternatives of one cue share most of them.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Sequence
from itertools import accumulate, chain, repeat
from operator import sub

from kg.learn.linear import LinearModel, weight_sum
from kg.nlp.candidates import Candidate, Context

# Features that say which alternative the rule chose: the span ranker judges alternatives without them.
RULE_CHOICE = ("rp|", "p|", "alt|", "altend|")

_PUNCT = frozenset("，。；：、！？“”‘’（）《》【】…—·")
_CONTEXT_CUES = (
    "生产", "产品", "制造", "年产", "加工", "研发", "销往", "供货", "产能", "产量", "主营", "配套", "供应",
    "落户", "入驻", "签约", "开工", "投产", "建设", "实施", "投资", "位于", "引进", "总投资", "项目",
    "企业", "公司", "集团", "园区", "开发区", "书记", "主任", "经理", "董事长", "记者", "说", "表示",
)  # fmt: skip
_REGION_TAILS = frozenset("省市县区州旗")


def _char_class(ch: str) -> str:
    if not ch:
        return "^"
    if ch in _PUNCT:
        return ch
    if ch == "\n":
        return "NL"
    if "\u4e00" <= ch <= "\u9fff":
        return "H"
    if ch.isdigit():
        return "D"
    if ch.isascii() and ch.isalpha():
        return "A"
    if ch.isspace():
        return "S"
    return "O"


_BUCKETS = (1, 2, 3, 4, 5, 6, 8, 10, 13, 17, 24)


def _bucket(n: int) -> int:
    for c in _BUCKETS:
        if n <= c:
            return c
    return 99


def _tables(size: int, fn: Callable[[int], str]) -> tuple[str, ...]:
    return tuple(fn(n) for n in range(size))


class _Formatted(dict[str, str]):
    """One template's features by value, each string made once (and its hash computed once)."""

    def __init__(self, template: str) -> None:
        super().__init__()
        self.template = template


def _formatted(table: _Formatted, value: str, of: Callable[[str], str] | None = None) -> str:
    feat = table.get(value)
    if feat is None:
        feat = table[value] = f"{table.template}|{of(value) if of else value}"
    return feat


_PCC, _NCC = _Formatted("pcc"), _Formatted("ncc")  # by the character, of its class
_FT, _PT, _LT, _NTG = _Formatted("ft"), _Formatted("pt"), _Formatted("lt"), _Formatted("ntg")  # by tag
_SB, _EB = ("sb|0", "sb|1"), ("eb|0", "eb|1")
# A token's inside-span features by (tag, word; "" when the word is too long to be one), made once.
_INNER: dict[tuple[str, str], tuple[str, ...]] = {}
# Neighbour features by (kind, label or rule), made once: every candidate has a few.
_PAIRS: dict[tuple[str, str], str] = {}


def _pair_feature(kind: str, value: str) -> str:
    """`kind|value`, one string per pair: a neighbour feature is asked for again and again."""
    feat = _PAIRS.get((kind, value))
    if feat is None:
        feat = _PAIRS[(kind, value)] = f"{kind}|{value}"
    return feat


_CUE_FEATURES = tuple((cue, f"lc|{cue}") for cue in _CONTEXT_CUES)

# Features of small counts, formatted once: spans and token runs rarely exceed these sizes.
_LEN = _tables(64, lambda n: f"len|{_bucket(n)}")
_NT = _tables(64, lambda n: f"nt|{_bucket(n)}")
_UNK = _tables(4, lambda n: f"unk|{n}")


class EntityFeaturizer:
    """Features of the candidates of one item (a piece of it).

    Per-token facts (the token holding each character, word starts, each token's inner-span features) are
    laid out once per piece, so a span's features are slices and array reads rather than searches; a
    score keeps the features' order (a float sum depends on it), so scores equal those of `features`.
    """

    def __init__(self, ctx: Context, cands: Sequence[Candidate]) -> None:
        self.ctx = ctx
        index = ctx.index
        self.tags = index.tags()
        text = index.text
        self.words = [text[a:b] for a, b in zip(index.starts, index.ends, strict=True)]
        self._layout(len(ctx.text), index.starts)
        # The cue words the piece holds at all: a clause before a span can hold no other.
        self.cues = tuple((cue, feat) for cue, feat in _CUE_FEATURES if cue in ctx.text)
        self.preferred = sorted(c for c in cands if c.preferred and not c.rule.startswith("ref."))
        self.pref_starts = [c.start for c in self.preferred]
        self.anchor_pref: dict[int, Candidate] = {}
        for c in cands:
            if c.preferred and c.anchor >= 0:
                self.anchor_pref.setdefault(c.anchor, c)
        self.texts: dict[str, int] = {}
        for c in self.preferred:
            t = ctx.text[c.start : c.end]
            self.texts[t] = self.texts.get(t, 0) + 1
        self._starts: dict[int, list[str]] = {}
        self._ends: dict[int, list[str]] = {}
        # Per class: the weight sums of the start and of the end features, by position.
        self._parts: dict[str, tuple[dict[int, float], dict[int, float]]] = {}
        # By the candidate's id, holding the candidate (so the id cannot be reused): hashing a Candidate
        # costs more than reading its features.
        self._spans: dict[int, tuple[Candidate, list[str]]] = {}
        self._rule_feats: dict[tuple[str, bool], tuple[str, str, str]] = {}

    def _layout(self, size: int, starts: list[int]) -> None:
        """`tok_at[pos]`: the token holding character pos (TokenIndex.index_at), so a token starts at pos
        when its start is pos (TokenIndex.is_start); `unknown[i]`: how many of the tokens before i jieba
        does not know. The inside-span features of a token (`_inner`) are made when a span holds it: most
        tokens are inside no candidate."""
        self.size, self.starts = size, starts
        bounds = [*starts[1:], size + 1]
        self.tok_at = [0] * starts[0] if starts else [0] * (size + 1)
        self.tok_at.extend(chain.from_iterable(map(repeat, range(len(starts)), map(sub, bounds, starts))))
        self.unknown = list(accumulate((t == "?" for t in self.tags), initial=0))

    def _inner(self, i: int) -> tuple[str, ...]:
        """The features token i gives a span it is inside of: its tag, and the word itself when short."""
        word = self.words[i]
        key = (self.tags[i], word if len(word) <= 3 else "")
        feats = _INNER.get(key)
        if feats is None:
            feats = _INNER[key] = (f"it|{key[0]}", f"iw|{key[1]}") if key[1] else (f"it|{key[0]}",)
        return feats

    def _is_start(self, pos: int) -> bool:
        return pos >= self.size or self.starts[self.tok_at[pos]] == pos

    def _neighbours(self, c: Candidate) -> list[Candidate]:
        lo = bisect_left(self.pref_starts, c.start - 40)
        hi = bisect_left(self.pref_starts, c.end + 1)
        return [o for o in self.preferred[lo:hi] if o.anchor != c.anchor and o.start <= c.end and o.end >= c.start]

    def _start_features(self, s: int) -> list[str]:
        cached = self._starts.get(s)
        if cached is not None:
            return cached
        ctx, text, tags, words = self.ctx, self.ctx.text, self.tags, self.words
        prev = text[s - 1] if s > 0 else ""
        i0 = self.tok_at[s]
        sb = self._is_start(s)
        f = [
            f"c0|{text[s : s + 1]}",
            f"c01|{text[s : s + 2]}",
            f"pc|{prev}",
            _formatted(_PCC, prev, _char_class),
            f"p2|{text[max(0, s - 2) : s]}",
            _SB[sb],
            _formatted(_FT, tags[i0]),
        ]
        if sb:
            w0 = words[i0]
            f.append(f"fw|{w0}" if len(w0) <= 4 else "fwl")
        if s > 0:
            ip = self.tok_at[s - 1]
            f.append(_formatted(_PT, tags[ip]))
            pw = words[ip]
            if len(pw) <= 4:
                f.append(f"pw|{pw}")
            if ip > 0:
                pw2 = words[ip - 1]
                if len(pw2) <= 4:
                    f.append(f"pw2|{pw2}")
        # The clause's cue words before the span (主要生产, 年产, 落户): what the sentence says of it.
        clause = ctx.bounds.clause_start(text, s, 30)
        left = text[max(0, clause - 1) : s]
        if left:
            f.extend(feat for cue, feat in self.cues if cue in left)
        line_start = text.rfind("\n", 0, s) + 1
        if s == line_start:
            f.append("linestart")
        if text.rfind("“", 0, s) > text.rfind("”", 0, s):
            f.append("quote")
        self._starts[s] = f
        return f

    def _end_features(self, e: int) -> list[str]:
        cached = self._ends.get(e)
        if cached is not None:
            return cached
        text, tags, words = self.ctx.text, self.tags, self.words
        size = len(text)
        nxt = text[e] if e < size else ""
        i1 = self.tok_at[e - 1]
        eb = e <= 0 or e >= size or self._is_start(e)
        f = [
            f"c-1|{text[e - 1 : e]}",
            f"c-2|{text[max(0, e - 2) : e]}",
            f"nc|{nxt}",
            _formatted(_NCC, nxt, _char_class),
            f"n2|{text[e : e + 2]}",
            _EB[eb],
            _formatted(_LT, tags[i1]),
        ]
        w1 = words[i1]
        if eb and len(w1) <= 4:
            f.append(f"lw|{w1}")
        if e < size:
            inx = self.tok_at[e]
            f.append(_formatted(_NTG, tags[inx]))
            nw = words[inx]
            if len(nw) <= 4:
                f.append(f"nw|{nw}")
            if inx + 1 < len(words):
                nw2 = words[inx + 1]
                if len(nw2) <= 4:
                    f.append(f"nw2|{nw2}")
        line_end = text.find("\n", e)
        line_end = size if line_end == -1 else line_end
        line_start = text.rfind("\n", 0, e) + 1
        if line_end - line_start <= 30 and not text[line_start:line_end].rstrip().endswith(("。", "！", "？")):
            f.append("headline")
        self._ends[e] = f
        return f

    def features(self, c: Candidate) -> list[str]:
        return [*self._start_features(c.start), *self._end_features(c.end), *self.span_features(c)]

    def score(
        self, model: LinearModel, cls: str, c: Candidate, extra: Sequence[str] = (), ranking: bool = False
    ) -> float:
        """`model`'s linear score of `c` for `cls`, the start and end parts summed once per position."""
        weights = model.weights.get(cls)
        if weights is None:
            return 0.0
        parts = self._parts.get(cls)
        if parts is None:
            parts = self._parts[cls] = ({}, {})
        by_start, by_end = parts
        s, e = c.start, c.end
        part_s = by_start.get(s)
        if part_s is None:
            part_s = by_start[s] = weight_sum(weights, self._start_features(s))
        part_e = by_end.get(e)
        if part_e is None:
            part_e = by_end[e] = weight_sum(weights, self._end_features(e))
        span = self._ranking_features(c) if ranking else self.span_features(c)
        return model.bias[cls] + part_s + part_e + weight_sum(weights, (*span, *extra) if extra else span)

    def span_features(self, c: Candidate) -> list[str]:
        """Features of the span itself; read once per candidate (the group's scorer and its ranker both ask)."""
        hit = self._spans.get(id(c))
        if hit is not None and hit[0] is c:
            return hit[1]
        feats = self._span_features(c)
        self._spans[id(c)] = (c, feats)
        return feats

    def _ranking_features(self, c: Candidate) -> list[str]:
        """The span features without those of the rule's choice (the span ranker's; asked once per candidate)."""
        return [f for f in self.span_features(c) if not f.startswith(RULE_CHOICE)]

    def _span_features(self, c: Candidate) -> list[str]:
        ctx, text, tags = self.ctx, self.ctx.text, self.tags
        s, e = c.start, c.end
        span = text[s:e]
        rule_feats = self._rule_feats.get((c.rule, c.preferred))
        if rule_feats is None:
            p = int(c.preferred)
            rule_feats = self._rule_feats[(c.rule, c.preferred)] = (f"r|{c.rule}", f"rp|{c.rule}|{p}", f"p|{p}")
        n = e - s
        f = ["b", *rule_feats, _LEN[n] if n < len(_LEN) else f"len|{_bucket(n)}"]
        i0 = self.tok_at[s]
        i1 = self.tok_at[e - 1]
        # Words and tags inside the span: a verb or function word inside (代表, 和, 为) marks a bad start.
        if i1 > i0:
            f.extend(chain.from_iterable(map(self._inner, range(i0 + 1, i1))))
            f.append(f"ft_lt|{tags[i0]}|{tags[i1]}")
            unknown = self.unknown[i1 + 1] - self.unknown[i0]
        else:
            unknown = 1 if tags[i0] == "?" else 0
        k = i1 - i0 + 1
        f.append(_NT[k] if 0 <= k < len(_NT) else f"nt|{_bucket(k)}")
        f.append(_UNK[min(unknown, 3)])
        lex = ctx.lex
        entry = lex.word_tags.get(span)
        if entry is not None:
            f.append(f"dict|{entry[1]}")
            f.append(f"dictf|{len(str(entry[0]))}")
        else:
            f.append("nodict")
        if span in lex.known_companies:
            f.append("gaz")
        if span in lex.regions:
            f.append("region")
        for k in range(min(len(span) - 1, 7), 1, -1):
            if span[:k] in lex.regions:
                tail = span[k - 1]
                f.append(f"rpre|{tail if tail in _REGION_TAILS else 'short'}")
                break
        pref = self.anchor_pref.get(c.anchor)
        if pref is None:
            f.append("alt|none")
        elif pref.start == s and pref.end == e:
            f.append("alt|same")
        else:
            ds = len(ctx.index.starts_between(min(s, pref.start), max(s, pref.start)))
            f.append(f"alt|{'L' if s < pref.start else 'R'}{min(ds, 3)}")
            if pref.end != e:
                f.append(f"altend|{'L' if e < pref.end else 'R'}")
        for o in self._neighbours(c):
            # Neighbours by label and by the rule that proposed them: a legal suffix around a place name
            # says more than a trade-name guess does.
            if o.start == s and o.end == e:
                kind = "same" if o.label != c.label else ""
            elif o.start >= s and o.end <= e:
                kind = "hasend" if o.end == e else "hasstart" if o.start == s else "has"
            elif o.start <= s and o.end >= e:
                kind = "in"
            elif o.end == s:
                kind = "after"
            elif o.start == e:
                kind = "before"
            else:
                kind = "cross"
            if kind:
                f.append(_pair_feature(kind, o.label))
                f.append(_pair_feature(kind, o.rule))
        if self.texts.get(span, 0) - (1 if c.preferred else 0) > 0:
            f.append("again")
        for key, value in c.props:
            if key == "title":
                f.append(f"title|{value[-2:]}")
            elif key == "role":
                f.append(f"role|{value}")
        if c.label == "Person":
            f.append(f"plen|{len(span)}")
            f.append(f"given|{span[1:]}")
        elif c.label in ("Product", "Project"):
            f.append(f"digit|{int(any(ch.isdigit() for ch in span))}")
            f.append(f"ascii|{int(any(ch.isascii() and ch.isalpha() for ch in span))}")
        return f
