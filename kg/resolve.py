"""Mentions → entities: one entity per real thing per article.

Mentions of the same label group by a key that folds the variants news uses for one thing: 经开区 =
经济开发区 = 经济技术开发区 (a zone named with and without its city is one zone), a division's full and short
form (山西省 = 山西), and for firms the short forms of a full name (元泰 of 元泰高导材料（山西）有限公司; by
subsequence of the name without its region and legal suffix). A form declared in the text (（以下简称
“云网经开区”）) joins the name before it. The name of an entity is its longest form, the others are aliases.
References (该公司, 该项目, 园区) resolve to an entity inside their item; they add no name.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from kg.mentions import Mention
from kg.model import normalize_name
from kg.nlp.lexicon import Lexicon, strip_leading_region

_ZONE_VARIANTS = (
    ("经济技术开发区", "经济技术开发区"),
    ("经济开发区", "经济技术开发区"),
    ("经开区", "经济技术开发区"),
    ("高新技术产业开发区", "高新技术产业开发区"),
    ("高新技术开发区", "高新技术产业开发区"),
    ("高新区", "高新技术产业开发区"),
    ("综保区", "综合保税区"),
)
_LEGAL_SUFFIX = re.compile(
    r"(?:集团股份有限公司|股份有限公司|有限责任公司|集团有限公司|有限公司|集团公司|股份公司|公司)$"
)
_DECLARED = re.compile(r"（\s*(?:以下简称|以下称|下称|简称)\s*[“]?([^”）]{2,20}?)[”]?\s*）")


_ZONE_TYPE_WORD = re.compile(r"经济|高新|制造|工业|产业")
_BARE_ZONE = re.compile(r"^(.{2,}?)[县市区]?(?:经济技术|高新技术产业|高新技术|先进制造业|经济|工业|产业)?开发区$")


# A project's capacity (350万套, 10万吨): two names of one project write the same one.
_CAPACITY = re.compile(r"(?<![\d.])[\d.]+[万千亿]?(?:吨|套|台|辆|件|片|条|只|组|平方米|立方米|GWh|gwh|MWh|mwh|kta|t)")


def bare_zone(key: str) -> str:
    """沧州开发区 = 沧州经济开发区, 封丘县开发区 = 封丘县先进制造业开发区: a zone named by its place and
    开发区 alone is the article's zone of that place, whatever its type words."""
    m = _BARE_ZONE.match(key)
    return m.group(1) + "开发区" if m else ""


def plain_zone(key: str) -> bool:
    """A zone written as its place and 开发区 only (沧州开发区, 封丘县开发区), no type words."""
    return bool(bare_zone(key)) and not _ZONE_TYPE_WORD.search(key[:-3])


def zone_key(name: str) -> str:
    n = normalize_name(name)
    for variant, full in _ZONE_VARIANTS:
        if variant in n:
            return n.replace(variant, full, 1)
    return n


def region_key(name: str, lex: Lexicon) -> str:
    """山西省 = 山西, 宜宾 = 宜宾市: a division's code, whichever form is written; other places by name."""
    code = lex.regions.get(name)
    if code is None:
        for suffix in ("市", "省", "县", "区"):
            code = lex.regions.get(name + suffix)
            if code is not None:
                break
    if code is None:
        stripped = re.sub(r"(?:地区|片区)$", "", name)
        code = lex.regions.get(stripped) if stripped != name else None
        if code is None:
            return stripped
    return f"adcode:{code}"


@dataclass
class EntityDraft:
    """An entity being assembled; `mentions` index into the mention list the resolver was given."""

    label: str
    key: str
    names: list[str] = field(default_factory=list)
    mentions: list[int] = field(default_factory=list)
    props: dict[str, object] = field(default_factory=dict)
    rules: set[str] = field(default_factory=set)

    @property
    def name(self) -> str:
        return max(self.names, key=lambda n: (len(normalize_name(n)), n)) if self.names else ""


@dataclass(frozen=True)
class Resolution:
    entities: tuple[EntityDraft, ...]
    owner: dict[int, int]  # mention index → entity index (references included)


class Resolver:
    """Keys come from the normalised text; names are written as in the original (`written`)."""

    def __init__(self, text: str, lex: Lexicon, written: Callable[[int, int], str] | None = None) -> None:
        self.text = text
        self.lex = lex
        self.written = written or (lambda s, e: text[s:e])

    def strip_region(self, name: str) -> str:
        return strip_leading_region(name, self.lex.regions)

    def place_shortened(self, name: str) -> str:
        """吉林市经济技术开发区 → 吉林经济技术开发区: the name with its leading division written short (its
        市, 县, 区 or 省 dropped), as a zone is often named; "" when it does not open with one."""
        for n in range(min(len(name) - 2, 7), 2, -1):
            head = name[:n]
            if head[-1] in "市县区省" and head in self.lex.regions and head[:-1] in self.lex.place_words:
                return head[:-1] + name[n:]
        return ""

    def without_a_region(self, name: str) -> set[str]:
        """北车台州产业园 → 北车产业园, 江苏溧阳中关村科技产业园 → 江苏中关村科技产业园: the name with one
        place word taken out anywhere (a park is often written without the city inside its name)."""
        out = set()
        for k in range(1, len(name) - 3):
            for n in (2, 3):
                if name[k : k + n] in self.lex.regions:
                    out.add(name[:k] + name[k + n :])
        return out

    def key_of(self, m: Mention) -> str:
        name = self.text[m.start : m.end]
        if m.label in ("DevelopmentZone", "Organization"):
            return zone_key(name)
        if m.label == "Region":
            return region_key(normalize_name(name), self.lex)
        return normalize_name(name)

    def resolve(self, mentions: list[Mention]) -> Resolution:
        drafts: dict[tuple[str, str], EntityDraft] = {}
        owner: dict[int, int] = {}
        order: list[EntityDraft] = []
        for i, m in enumerate(mentions):
            if m.is_ref:
                continue
            key = (m.label, self.key_of(m))
            d = drafts.get(key)
            if d is None:
                d = drafts[key] = EntityDraft(m.label, key[1])
                order.append(d)
            name = self.written(m.start, m.end)
            if name not in d.names:
                d.names.append(name)
            d.mentions.append(i)
            d.rules.add(m.rule)
            for k, v in m.props:
                d.props.setdefault(k, v)
        merged = self._merge_variants(order, mentions)
        self._declared(merged, mentions)
        index = {id(d): k for k, d in enumerate(merged)}
        for d in merged:
            for i in d.mentions:
                owner[i] = index[id(d)]
        return Resolution(tuple(merged), owner)

    # -- variants of one name --------------------------------------------------------------------------
    def _merge_variants(self, drafts: list[EntityDraft], mentions: list[Mention]) -> list[EntityDraft]:
        """Fold each short form into the longest name it is a variant of. Longer names are found through
        an index of the forms a short name can match (the name without its region, its endings, its first
        character), so the work grows with the names, not with their pairs."""
        dead: set[int] = set()
        for label in ("Company", "DevelopmentZone", "Organization", "Park", "Project"):
            group = sorted((d for d in drafts if d.label == label), key=lambda d: (-len(d.key), d.key))
            rank = {id(d): k for k, d in enumerate(group)}
            index: dict[str, list[EntityDraft]] = {}
            for long in group:
                for probe in self._probes(label, long.key):
                    index.setdefault(probe, []).append(long)
            for short in sorted(group, key=lambda d: (len(d.key), d.key)):
                if id(short) in dead:
                    continue
                found = {id(x): x for probe in self._short_probes(label, short.key) for x in index.get(probe, ())}
                for long in sorted(found.values(), key=lambda d: rank[id(d)]):
                    if long is short or len(long.key) <= len(short.key) or id(long) in dead:
                        continue
                    if self._same_thing(label, short.key, long.key):
                        self._absorb(long, short)
                        dead.add(id(short))
                        break
        self._fold_short_projects([d for d in drafts if d.label == "Project" and id(d) not in dead], dead)
        return [d for d in drafts if id(d) not in dead]

    def _fold_short_projects(self, projects: list[EntityDraft], dead: set[int]) -> None:
        """速冻水饺项目 (a headline) = 年产3万吨速冻水饺生产加工项目: a project named by a few words of one other
        project's name (its place before them or not: 某县净菜加工中心项目) is that project, when no other
        project's name holds them; a place alone (某市项目) names none."""
        for short in sorted(projects, key=lambda d: (len(d.key), d.key)):
            core = short.key.removesuffix("项目").removesuffix("工程")
            if core == short.key or len(core) < 2 or id(short) in dead or not self.strip_region(core):
                continue
            if core in self.lex.regions or self.strip_region(core) in self.lex.regions:
                continue
            local = self.strip_region(core)  # 某县净菜加工中心项目 of 年产8万吨蔬菜净菜加工中心项目
            words = {core} | ({local} if len(local) >= 3 else set())
            holders = [d for d in projects if d is not short and id(d) not in dead and len(d.key) > len(short.key)]
            holders = [d for d in holders if any(w in d.key for w in words)]
            if len(holders) == 1:
                self._absorb(holders[0], short)
                dead.add(id(short))

    def _probes(self, label: str, key: str) -> set[str]:
        """The keys under which a longer name is indexed for the short forms that may match it."""
        if label == "DevelopmentZone":
            local = self.strip_region(key)
            bare = {bare_zone(key), bare_zone(local)} - {""}
            shortened = {self.place_shortened(key)} - {""}
            return {local} | {key[k:] for k in range(1, len(key) - 3)} | bare | shortened
        if label == "Organization":
            return {self.strip_region(key)} | {key[k:] for k in range(1, len(key) - 3)}
        if label == "Park":
            probes = {self.strip_region(key), *self.without_a_region(key)} | {key[k:] for k in range(1, len(key) - 4)}
            return probes | ({key[:-1]} if key.endswith("园区") else set())
        if label == "Project":
            return {key[k:] for k in range(1, len(key) - 5)} | set(_CAPACITY.findall(key))
        forms = {key, self.strip_region(key), re.sub(r"（[^）]*）", "", key)}
        return {f[:1] for f in forms if f}

    @staticmethod
    def _short_probes(label: str, key: str) -> set[str]:
        if label == "Company":
            core = _LEGAL_SUFFIX.sub("", key) or key
            return {core[:1]}
        if label == "DevelopmentZone" and plain_zone(key):
            return {key, bare_zone(key)}
        if label == "Project":
            return {key, *_CAPACITY.findall(key)}
        return {key}

    def _same_thing(self, label: str, short: str, long: str) -> bool:
        if label in ("DevelopmentZone", "Organization"):
            if self.strip_region(long) == short or (long.endswith(short) and len(short) >= 4):
                return True
            if label == "DevelopmentZone" and self.place_shortened(long) == short:
                return True
            if label != "DevelopmentZone" or not plain_zone(short):
                return False
            return bare_zone(short) in (bare_zone(long), bare_zone(self.strip_region(long)))
        if label == "Company":
            core = _LEGAL_SUFFIX.sub("", short) or short
            if len(core) < 2:
                return False
            for form in {long, self.strip_region(long), re.sub(r"（[^）]*）", "", long)}:
                if (
                    form.startswith(core[:1])
                    and _is_subsequence(core, form)
                    and (core[:2] == form[:2] or len(core) >= 3)
                ):
                    return True
            return False
        if label == "Park":
            if self.strip_region(long) == short or short in self.without_a_region(long):
                return True
            if long.endswith("园区") and long[:-1] == short:
                return True  # 某某产业园区 = 某某产业园
            # 东升科技园 of 北京中关村东升科技园: the park's own name at the end of its full name
            return long.endswith(short) and len(short) >= 5 and self.lex.word_tags.get(short) is None
        if label == "Project":
            if long.endswith(short) and len(short) >= 6:
                return True
            # 年产350万套高端装备及零部件项目 = 年产350万套高端汽车装备及零部件项目: one capacity, and the
            # shorter name written inside the longer one (not 正极材料 against 负极材料)
            if not set(_CAPACITY.findall(short)) & set(_CAPACITY.findall(long)):
                return False
            a, b = sorted((short.removeprefix("年产"), long.removeprefix("年产")), key=len)
            return _is_subsequence(a, b)
        return False

    @staticmethod
    def _absorb(dst: EntityDraft, src: EntityDraft) -> None:
        for n in src.names:
            if n not in dst.names:
                dst.names.append(n)
        dst.mentions.extend(src.mentions)
        dst.rules |= src.rules
        for k, v in src.props.items():
            dst.props.setdefault(k, v)

    def _declared(self, drafts: list[EntityDraft], mentions: list[Mention]) -> None:
        """（以下简称“云网经开区”）: the declared form names the entity mentioned right before it."""
        ending: dict[int, EntityDraft] = {}
        for d in drafts:
            for i in d.mentions:
                ending[mentions[i].end] = d
        by_name: dict[tuple[str, str], list[EntityDraft]] = {}
        for d in drafts:
            for n in d.names:
                by_name.setdefault((d.label, n), []).append(d)
        gone: set[int] = set()
        for m in _DECLARED.finditer(self.text):
            target = ending.get(m.start()) or ending.get(m.start() - 1)
            alias = self.written(m.start(1), m.end(1)).strip("“”\"' ")
            if target is None or id(target) in gone or len(alias) < 2:
                continue
            if alias not in target.names:
                target.names.append(alias)
            target.rules.add("resolve.declared")
            # The short form written elsewhere was its own entity: fold it in.
            for other in by_name.get((target.label, alias), []):
                if other is not target and id(other) not in gone:
                    self._absorb(target, other)
                    gone.add(id(other))
        drafts[:] = [d for d in drafts if id(d) not in gone]


def _is_subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)
