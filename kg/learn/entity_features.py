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
from collections.abc import Sequence

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


class EntityFeaturizer:
    """Features of the candidates of one item (a piece of it)."""

    def __init__(self, ctx: Context, cands: Sequence[Candidate]) -> None:
        self.ctx = ctx
        index = ctx.index
        self.tags = [index.tag(i) for i in range(len(index))] if len(index) else []
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
        self._score_s: dict[tuple[str, int], float] = {}
        self._score_e: dict[tuple[str, int], float] = {}
        self._spans: dict[Candidate, list[str]] = {}

    def _neighbours(self, c: Candidate) -> list[Candidate]:
        lo = bisect_left(self.pref_starts, c.start - 40)
        hi = bisect_left(self.pref_starts, c.end + 1)
        return [o for o in self.preferred[lo:hi] if o.anchor != c.anchor and o.start <= c.end and o.end >= c.start]

    def _start_features(self, s: int) -> list[str]:
        cached = self._starts.get(s)
        if cached is not None:
            return cached
        ctx, text, index, tags = self.ctx, self.ctx.text, self.ctx.index, self.tags
        prev = text[s - 1] if s > 0 else ""
        i0 = index.index_at(s)
        sb = index.is_start(s)
        f = [
            f"c0|{text[s : s + 1]}",
            f"c01|{text[s : s + 2]}",
            f"pc|{prev}",
            f"pcc|{_char_class(prev)}",
            f"p2|{text[max(0, s - 2) : s]}",
            f"sb|{int(sb)}",
            f"ft|{tags[i0]}",
        ]
        if sb:
            w0 = index.word(i0)
            f.append(f"fw|{w0}" if len(w0) <= 4 else "fwl")
        if s > 0:
            ip = index.index_at(s - 1)
            f.append(f"pt|{tags[ip]}")
            pw = index.word(ip)
            if len(pw) <= 4:
                f.append(f"pw|{pw}")
            if ip > 0:
                pw2 = index.word(ip - 1)
                if len(pw2) <= 4:
                    f.append(f"pw2|{pw2}")
        # The clause's cue words before the span (主要生产, 年产, 落户): what the sentence says of it.
        clause = ctx.bounds.clause_start(text, s, 30)
        left = text[max(0, clause - 1) : s]
        if left:
            f.extend(f"lc|{cue}" for cue in _CONTEXT_CUES if cue in left)
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
        text, index, tags = self.ctx.text, self.ctx.index, self.tags
        nxt = text[e] if e < len(text) else ""
        i1 = index.index_at(e - 1)
        eb = index.is_end(e)
        f = [
            f"c-1|{text[e - 1 : e]}",
            f"c-2|{text[max(0, e - 2) : e]}",
            f"nc|{nxt}",
            f"ncc|{_char_class(nxt)}",
            f"n2|{text[e : e + 2]}",
            f"eb|{int(eb)}",
            f"lt|{tags[i1]}",
        ]
        w1 = index.word(i1)
        if eb and len(w1) <= 4:
            f.append(f"lw|{w1}")
        if e < len(text):
            inx = index.index_at(e)
            f.append(f"ntg|{tags[inx]}")
            nw = index.word(inx)
            if len(nw) <= 4:
                f.append(f"nw|{nw}")
            if inx + 1 < len(index):
                nw2 = index.word(inx + 1)
                if len(nw2) <= 4:
                    f.append(f"nw2|{nw2}")
        line_end = text.find("\n", e)
        line_end = len(text) if line_end == -1 else line_end
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
        key_s, key_e = (cls, c.start), (cls, c.end)
        part_s = self._score_s.get(key_s)
        if part_s is None:
            part_s = self._score_s[key_s] = weight_sum(weights, self._start_features(c.start))
        part_e = self._score_e.get(key_e)
        if part_e is None:
            part_e = self._score_e[key_e] = weight_sum(weights, self._end_features(c.end))
        span = self.span_features(c)
        if ranking:
            span = [f for f in span if not f.startswith(RULE_CHOICE)]
        return model.bias[cls] + part_s + part_e + weight_sum(weights, (*span, *extra) if extra else span)

    def span_features(self, c: Candidate) -> list[str]:
        """Features of the span itself; read once per candidate (the group's scorer and its ranker both ask)."""
        cached = self._spans.get(c)
        if cached is None:
            cached = self._spans[c] = self._span_features(c)
        return cached

    def _span_features(self, c: Candidate) -> list[str]:
        ctx, text, index, tags = self.ctx, self.ctx.text, self.ctx.index, self.tags
        s, e = c.start, c.end
        span = text[s:e]
        f = [
            "b",
            f"r|{c.rule}",
            f"rp|{c.rule}|{int(c.preferred)}",
            f"p|{int(c.preferred)}",
            f"len|{_bucket(e - s)}",
        ]
        i0 = index.index_at(s)
        i1 = index.index_at(e - 1)
        # Words and tags inside the span: a verb or function word inside (代表, 和, 为) marks a bad start.
        unknown = 1 if tags[i0] == "?" else 0
        for i in range(i0 + 1, i1):
            t = tags[i]
            unknown += t == "?"
            f.append(f"it|{t}")
            w = index.word(i)
            if len(w) <= 3:
                f.append(f"iw|{w}")
        if i1 > i0:
            unknown += tags[i1] == "?"
            f.append(f"ft_lt|{tags[i0]}|{tags[i1]}")
        f.append(f"nt|{_bucket(i1 - i0 + 1)}")

        f.append(f"unk|{min(unknown, 3)}")
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
            ds = len(index.starts_between(min(s, pref.start), max(s, pref.start)))
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
                f.append(f"{kind}|{o.label}")
                f.append(f"{kind}|{o.rule}")
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
