"""One entity per real thing per article: overlapping candidates, short names, declared abbreviations,
zone-name variants (经开区 = 经济技术开发区) and references (该公司, 公司, 该校, 该项目).

Works on plain candidates (offsets into the article text); knows nothing of spaCy.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from kg.model import normalize_name
from kg.nlp.shapes import Candidate, segment

_ZONE_VARIANTS = (
    ("经济技术开发区", "经济技术开发区"),
    ("经济开发区", "经济技术开发区"),
    ("经开区", "经济技术开发区"),
    ("高新技术产业开发区", "高新技术产业开发区"),
    ("高新技术开发区", "高新技术产业开发区"),
    ("高新区", "高新技术产业开发区"),
    ("综保区", "综合保税区"),
)
_LEGAL_SUFFIX = re.compile(r"(?:集团股份有限公司|股份有限公司|有限责任公司|集团有限公司|有限公司|集团公司|公司)$")
_PROJECT_TAIL = re.compile(r"(?:建设项目|道路工程|项目|工程|生产线)$")
_DECLARED = re.compile(r"[（(]\s*(?:以下简称|下称|简称)\s*[“\"]([^”\"]{2,20})[”\"]\s*[）)]")
_PRIORITY = {
    "shape": 3,
    "title": 3,
    "gazetteer": 2,
    "dateline": 3,
    "project": 3,
    "region": 1,
    "town": 2,
    "byline": 3,
    "product": 1,
    "project-product": 2,
    "ref": 0,
    "propagated": 1,
    "declared": 3,
}


@dataclass
class Draft:
    """An entity being assembled from mentions."""

    label: str
    key: str
    names: list[str] = field(default_factory=list)
    mentions: list[Candidate] = field(default_factory=list)
    props: dict[str, object] = field(default_factory=dict)
    _name_cache: tuple[int, str] | None = field(default=None, repr=False, compare=False)

    @property
    def name(self) -> str:
        """The longest official form. Names only ever grow, so the choice is cached by their count."""
        cached = self._name_cache
        if cached is not None and cached[0] == len(self.names):
            return cached[1]
        official = [n for n in self.names if n]
        name = max(official, key=lambda n: (len(normalize_name(n)), n)) if official else ""
        self._name_cache = (len(self.names), name)
        return name


def zone_key(name: str) -> str:
    n = normalize_name(name)
    for variant, full in _ZONE_VARIANTS:
        if variant in n:
            return n.replace(variant, full, 1)
    return n


def select(cands: list[Candidate]) -> list[Candidate]:
    """Non-overlapping candidates, longest and most reliable first; a zone inside an organization's name
    (洪洞经济技术开发区管委会) is kept as a nested mention of the zone."""
    ordered = sorted(cands, key=lambda c: (-(c.end - c.start), -_PRIORITY.get(c.source, 0), c.start))
    taken: list[Candidate] = []
    occupied: list[tuple[int, int]] = []
    nested: list[Candidate] = []
    for c in ordered:
        clash = [o for o in occupied if o[0] < c.end and c.start < o[1]]
        if not clash:
            taken.append(c)
            occupied.append((c.start, c.end))
        elif c.label in ("DevelopmentZone",) and all(o[0] <= c.start and c.end <= o[1] for o in clash):
            nested.append(c)
    keep_nested = [
        z
        for z in nested
        if any(t.label in ("Organization", "Project", "Park") and t.start == z.start and t.end > z.end for t in taken)
    ]
    # Products named inside a capacity project (10 万吨铝合金杆…项目) are mentions of their own.
    keep_nested += [
        c
        for c in cands
        if c.source == "project-product"
        and any(t.label == "Project" and t.start <= c.start and c.end <= t.end for t in taken)
    ]
    return sorted(taken + keep_nested, key=lambda c: (c.start, c.end))


class Resolver:
    """Groups an article's mentions into entities."""

    def __init__(self, text: str, region_codes: dict[str, str], region_names: dict[str, str]) -> None:
        self.text = text
        self.region_codes = region_codes
        self.region_names = region_names
        self.drafts: dict[tuple[str, str], Draft] = {}

    # -- keys ------------------------------------------------------------------------------------------
    def key_of(self, c: Candidate) -> str:
        name = c.text
        if c.label == "DevelopmentZone":
            return zone_key(name)
        if c.label == "Organization":
            return zone_key(name)
        if c.label == "Region":
            code = self.region_codes.get(name)
            if code:
                return f"adcode:{code}"
            return normalize_name(re.sub(r"地区$", "", name))
        if c.label == "Project":
            return normalize_name(_PROJECT_TAIL.sub("", c.extra.get("core", name)))
        return normalize_name(name)

    def add(self, c: Candidate) -> Draft:
        key = (c.label, self.key_of(c))
        draft = self.drafts.get(key)
        if draft is None:
            draft = self.drafts[key] = Draft(c.label, key[1])
        if c.source != "ref" and c.text not in draft.names:
            draft.names.append(c.text)
        draft.mentions.append(c)
        for prop in ("title", "role"):
            if prop in c.extra and prop not in draft.props:
                draft.props[prop] = c.extra[prop]
        return draft

    # -- company short names ---------------------------------------------------------------------------
    def merge_company_short_forms(self) -> None:
        """Short names join the longer name they abbreviate: same first characters, in order (元泰, 华为)."""
        companies = sorted(self._drafts_of("Company"), key=lambda d: -len(d.key))
        alive = {id(d) for d in companies}
        for short in sorted(companies, key=lambda d: len(d.key)):
            core = _LEGAL_SUFFIX.sub("", short.key) or short.key
            for long in companies:
                if long is short or id(long) not in alive or len(long.key) <= len(short.key):
                    continue
                if self._abbreviates(core, long.key):
                    self._merge(short, long)
                    alive.discard(id(short))
                    break

    def merge_zone_short_forms(self) -> None:
        """许昌禹川高新技术产业开发区 and 禹川高新区: a zone named with and without its city."""
        for label in ("DevelopmentZone", "Organization"):
            drafts = sorted(self._drafts_of(label), key=lambda d: len(d.key))
            alive = {id(d) for d in drafts}
            for short in drafts:
                for long in reversed(drafts):
                    if long is short or id(long) not in alive or len(long.key) <= len(short.key):
                        continue
                    if self._strip_region(long.key) == short.key:
                        self._merge(short, long)
                        alive.discard(id(short))
                        break

    def merge_park_short_forms(self) -> None:
        """One park written two ways: same place and core (兴县瓦塘铝镁新材料园区, 兴县铝镁新材料产业园区)."""
        parks = self._drafts_of("Park")
        alive = {id(d) for d in parks}
        for a in parks:
            for b in parks:
                if a is b or len(a.key) > len(b.key) or id(a) not in alive or id(b) not in alive:
                    continue
                ca, cb = _park_core(a.key), _park_core(b.key)
                ra = a.key[: len(a.key) - len(self._strip_region(a.key))]
                rb = b.key[: len(b.key) - len(self._strip_region(b.key))]
                same_core = min(len(ca), len(cb)) >= 4 and (_is_subsequence(ca, cb) or _is_subsequence(cb, ca))
                # 北湖园 for 北湖智能装备产业园: the place name and 园.
                short = re.fullmatch(r"(..)园", a.key) is not None and b.key.startswith(a.key[:2])
                if (ra and ra == rb and same_core) or short:
                    self._merge(a, b)
                    alive.discard(id(a))

    def _drafts_of(self, label: str) -> list[Draft]:
        return [d for d in self.drafts_list() if d.label == label]

    def _strip_region(self, name: str) -> str:
        for n in range(min(len(name) - 2, 6), 1, -1):
            if name[:n] in self.region_codes:
                return name[n:]
        return name

    def _abbreviates(self, core: str, long: str) -> bool:
        if len(core) < 2:
            return False
        for candidate in {long, self._strip_region(long), re.sub(r"[（(][^）)]*[）)]", "", long)}:
            if (
                candidate.startswith(core[:1])
                and _is_subsequence(core, candidate)
                and (core[:2] == candidate[:2] or len(core) >= 3)
            ):
                return True
        return False

    def _merge(self, src: Draft, dst: Draft) -> None:
        for n in src.names:
            if n not in dst.names:
                dst.names.append(n)
        dst.mentions.extend(src.mentions)
        for k, v in src.props.items():
            dst.props.setdefault(k, v)
        for key, draft in list(self.drafts.items()):
            if draft is src:
                self.drafts[key] = dst  # the short form's key now finds the merged entity

    # -- declared abbreviations ------------------------------------------------------------------------
    def declared_aliases(self, selected: list[Candidate]) -> list[Candidate]:
        """（以下简称“云网经开区”）: the quoted form is an alias of the name just before it."""
        extra = []
        for m in _DECLARED.finditer(self.text):
            before = [c for c in selected if c.end <= m.start() and m.start() - c.end <= 1 and c.source != "ref"]
            if not before:
                continue
            target = before[-1]
            alias = m.group(1)
            start = m.start(1)
            extra.append(
                Candidate(start, start + len(alias), target.label, alias, "declared", {"alias_of": target.text})
            )
        return extra

    def link_declared(self, declared: Candidate) -> None:
        target = next(
            (d for d in self.drafts.values() if declared.extra["alias_of"] in d.names and d.label == declared.label),
            None,
        )
        if target is None:
            return
        if declared.text not in target.names:
            target.names.append(declared.text)
        target.mentions.append(declared)
        key = (declared.label, self.key_of(declared))
        existing = self.drafts.get(key)
        if existing is not None and existing is not target:
            self._merge(existing, target)  # the short form was also written elsewhere: one entity
        self.drafts[key] = target

    def drafts_list(self) -> list[Draft]:
        """Each entity once (declared abbreviations add a second key for the same draft)."""
        return list({id(d): d for d in self.drafts.values()}.values())


def _park_core(key: str) -> str:
    return re.sub(r"(?:工业园区|产业园区|园区|工业园|产业园|园)$", "", key)


def _is_subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)


_GENERIC_TRADE_WORDS = ("科技", "实业", "发展", "有限", "控股", "投资", "国际", "集团")


def _company_short_forms(name: str, region_codes: dict[str, str]) -> set[str]:
    """How news shortens a firm's name: 潍坊金岳精密铸造有限公司 → 金岳精密铸造, 金岳精密, 金岳铸造;
    辽宁北辰汽车零部件股份有限公司 → 北辰股份; 博睿储能科技（江苏）有限公司 → 博睿储能."""
    forms: set[str] = set()
    legal = _LEGAL_SUFFIX.search(name)
    core = re.sub(r"[（(][^）)]*[）)]", "", _LEGAL_SUFFIX.sub("", name))
    if core != name and len(core) >= 2:
        forms.add(core)
    rest = core
    for k in range(min(len(core) - 2, 6), 1, -1):
        if core[:k] in region_codes:
            rest = core[k:]
            break
    while rest.endswith(_GENERIC_TRADE_WORDS) and len(rest) > 4:
        rest = rest[:-2]
    if len(rest) >= 2 and rest != core:
        forms.add(rest)
    if len(rest) > 4:
        trade = rest[:2]
        tokens = segment(rest[2:])
        forms.add(trade + tokens[0])  # 一禾铝业新材料科技 → 一禾铝业
        forms.update(trade + tok for tok in tokens[1:] if len(tok) >= 2)  # 金岳精密铸造 → 金岳铸造
    if legal and "股份" in legal.group(0) and len(rest) >= 2:
        forms.add(rest[:2] + "股份")  # 北辰股份
    return {f for f in forms if len(f) >= 3 or f == core}


def short_forms(draft: Draft, region_codes: dict[str, str]) -> list[str]:
    """Forms a name is also written in.

    山西一禾铝业新材料科技有限公司 → 一禾铝业; 潞北三路道路工程 → 潞北三路.
    """
    forms: set[str] = set()
    for name in draft.names:
        n = normalize_name(name)
        if draft.label == "Company":
            forms.update(_company_short_forms(n, region_codes))
        elif draft.label == "Park":
            # 北湖智能装备产业园 → 北湖园: the place name and 园.
            core = n
            for k in range(min(len(n) - 2, 6), 1, -1):
                if n[:k] in region_codes:
                    core = n[k:]
                    break
            if re.search(r"(产业园区|工业园区|产业园|工业园|科技园|物流园)$", core) and len(core) >= 6:
                forms.add(core[:2] + "园")
        elif draft.label == "Project":
            tail = _PROJECT_TAIL.sub("", n)
            if tail != n and len(tail) >= 4:
                forms.add(tail)
        elif draft.label == "Person":
            forms.add(n)
    return sorted(f for f in forms if len(f) >= 2)


def group_by_item(cands: list[Candidate], items: list[tuple[int, int]]) -> dict[int, list[Candidate]]:
    grouped: dict[int, list[Candidate]] = defaultdict(list)
    for c in cands:
        for i, (s, e) in enumerate(items):
            if s <= c.start < e:
                grouped[i].append(c)
                break
    return grouped
