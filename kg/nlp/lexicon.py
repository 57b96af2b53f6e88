"""Language data the recognizers read: pattern files shipped in kg/nlp/patterns, jieba's dictionary and the
administrative divisions of cpca.

Everything here is general knowledge of Chinese (suffixes, titles, surnames, function words, divisions,
well-known brands); nothing lists the names of any particular article.
"""

from __future__ import annotations

import csv
import gc
import hashlib
import importlib.util
import marshal
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path


@contextmanager
def gc_paused() -> Iterator[None]:
    """No garbage collection while loading dictionaries and modules: loading makes hundreds of thousands of
    objects that live as long as the process, and the collector would walk them all several times over (a
    tenth of start-up) without finding garbage among them. What was loaded is then frozen (`gc.freeze`): no
    later collection walks it either, and forked workers do not copy its pages by touching them."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def _pattern_file(name: str) -> Path:
    return Path(str(resources.files("kg.nlp") / "patterns" / name))


def _lines(name: str) -> list[str]:
    text = _pattern_file(name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


@dataclass(frozen=True, eq=False)
class Lexicon:
    """All word lists, loaded once per process."""

    boundary_words: frozenset[str]
    stop_chars: frozenset[str]
    titles: tuple[str, ...]  # longest first
    surnames: frozenset[str]
    compound_surnames: frozenset[str]
    known_companies: frozenset[str]
    ordinary_brands: frozenset[str]  # known companies that are also ordinary words (美的, 大众)
    geo_names: frozenset[str]
    generic_names: frozenset[str]
    suffix_lookalikes: frozenset[str]
    regions: dict[str, str]  # surface form -> adcode (full names and short forms)
    place_words: frozenset[str]  # every division's short form, districts too (尧都 of 尧都高新区)
    region_full: dict[str, str]  # adcode -> full official name
    word_tags: dict[str, tuple[int, str]]  # jieba dictionary: word -> (frequency, POS tag)
    # Token tags as kg.nlp.tokens reads them, by word: every token of every article asks, mostly for the same
    # few thousand words, and this small table answers faster than jieba's whole dictionary.
    token_tags: dict[str, str] = field(default_factory=dict, repr=False)

    def tag(self, word: str) -> str | None:
        entry = self.word_tags.get(word)
        return entry[1] if entry else None

    def freq(self, word: str) -> int:
        entry = self.word_tags.get(word)
        return entry[0] if entry else 0


def strip_leading_region(name: str, regions: dict[str, str] | frozenset[str]) -> str:
    """The name without the division it opens with (四川某某 → 某某; up to seven characters of place, and two
    of name left), or the name itself."""
    for n in range(min(len(name) - 2, 7), 1, -1):
        if name[:n] in regions:
            return name[n:]
    return name


def names_open_alike(firm: str, project: str, regions: dict[str, str] | frozenset[str]) -> bool:
    """青禾岚峰铝业有限公司 and 岚峰铝杆项目: the two names open with the same two characters past the place
    either opens with, as a project named after its firm does."""
    a, b = strip_leading_region(firm, regions), strip_leading_region(project, regions)
    return len(a) >= 2 and a[:2] == b[:2]


_ETHNIC = re.compile(
    r"(?:壮族|回族|维吾尔|藏族|蒙古族|满族|苗族|彝族|土家族|侗族|瑶族|白族|哈尼族|傣族|黎族|畲族|羌族)"
)


def _short_region_forms(name: str, code: str, word_tags: dict[str, tuple[int, str]]) -> list[str]:
    """Short forms a division is written with: 山西省 → 山西, 新疆维吾尔自治区 → 新疆, 襄垣县 → 襄垣.

    A short form that is a common word of another kind (城区, 通道, 平原) would produce false regions, so only
    forms of two or more characters that jieba does not know as a non-place word are kept, and a county's or
    a city district's only when rare (望城 of 望城区, 武进 of 武进区; not 新城 of 新城区).
    """
    forms: list[str] = []
    m = re.match(r"^(.+?)(?:特别行政区|自治区|自治州|自治县|地区|盟|省|市|县|区|旗)$", name)
    if not m:
        return forms
    county_level = not code.endswith("00")
    short = _ETHNIC.split(m.group(1))[0] if "自治" in name else m.group(1)
    if len(short) < 2 or short == name:
        return forms
    entry = word_tags.get(short)
    if county_level and entry is not None and entry[0] >= (1000 if not name.endswith("区") else 200):
        return forms
    if county_level and name.endswith("区") and entry is not None and entry[1] not in ("ns", "nz", "j"):
        return forms  # 城区, 新区: a district's short form that is a word of another kind
    placeish = entry is None or entry[1] in ("ns", "nr", "nz", "nrt", "j")
    if placeish or entry[0] < (2000 if not county_level else 50):  # type: ignore[index]
        forms.append(short)
    return forms


def _cpca_divisions_file() -> Path:
    """cpca's table of divisions, found without importing cpca (its import pulls in pandas and the
    deprecated pkg_resources, neither of which kg needs)."""
    spec = importlib.util.find_spec("cpca")
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError("cpca is not installed: pip install cpca")
    return Path(spec.origin).parent / "resources" / "adcodes.csv"


def _load_regions(
    word_tags: dict[str, tuple[int, str]],
) -> tuple[dict[str, str], dict[str, str], frozenset[str]]:
    surface: dict[str, str] = {}
    full: dict[str, str] = {}
    words: set[str] = set()
    path = _cpca_divisions_file()
    with path.open(encoding="utf-8") as fh:
        rows = [(row["name"], row["adcode"][:6]) for row in csv.DictReader(fh)]
    # Provinces first, then cities, then counties (the file is in no such order), so that a short form
    # shared by levels is the higher one's: 宜宾 is 宜宾市, not the former 宜宾县.
    rows.sort(key=lambda r: (not r[1].endswith("0000"), not r[1].endswith("00"), r[1]))
    for name, code in rows:
        if name in ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划") or len(name) < 2:
            continue
        full.setdefault(code, name)
        short_name = re.sub(r"(?:省|市|县|区|自治区|自治州|自治县|盟|旗)$", "", name)
        if len(short_name) >= 2:
            words.add(short_name)
        entry = word_tags.get(name)
        if not code.endswith("00") and entry and entry[1] not in ("ns", "nr", "nz") and entry[0] >= 1000:
            continue  # 城区 is a district's name and a common word: not a place on its own
        # A province or city wins over a county of the same short name.
        surface.setdefault(name, code)
        for short in _short_region_forms(name, code, word_tags):
            surface.setdefault(short, code)
    return surface, full, frozenset(words | set(surface))


def _load_word_tags() -> dict[str, tuple[int, str]]:
    import jieba

    path = Path(jieba.__file__).parent / "dict.txt"
    tags: dict[str, tuple[int, str]] = {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) == 3:
                tags[parts[0]] = (int(parts[1]), parts[2])
    return tags


def _cache_file() -> Path:
    """Where the parsed dictionary and divisions are kept between runs: keyed by the files they come from,
    so a new jieba, cpca or kg version parses afresh (KG_CACHE_DIR, default ~/.cache/kg)."""
    import jieba

    h = hashlib.sha256()
    for path in (Path(jieba.__file__).parent / "dict.txt", _cpca_divisions_file(), Path(__file__)):
        st = path.stat()
        h.update(f"{path}:{st.st_size}:{st.st_mtime_ns}".encode())
    root = Path(os.environ.get("KG_CACHE_DIR") or Path.home() / ".cache" / "kg")
    return root / f"lexicon-{h.hexdigest()[:16]}.marshal"


def _dictionary_and_divisions() -> tuple[dict[str, tuple[int, str]], dict[str, str], dict[str, str], frozenset[str]]:
    """jieba's word tags and cpca's divisions, parsed once and cached (parsing costs a third of a second)."""
    try:
        cache = _cache_file()
        data = marshal.loads(cache.read_bytes())
        return data[0], data[1], data[2], frozenset(data[3])
    except (OSError, ValueError, EOFError, TypeError, IndexError):
        pass
    word_tags = _load_word_tags()
    regions, region_full, place_words = _load_regions(word_tags)
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_name(f"{cache.name}.{os.getpid()}.tmp")
        tmp.write_bytes(marshal.dumps((word_tags, regions, region_full, sorted(place_words))))
        tmp.replace(cache)
    except OSError:
        pass  # a read-only home: parse every time
    return word_tags, regions, region_full, place_words


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    with gc_paused():
        return _load_lexicon()


def _load_lexicon() -> Lexicon:
    word_tags, regions, region_full, place_words = _dictionary_and_divisions()
    surnames = _lines("surnames.txt")
    return Lexicon(
        boundary_words=frozenset(_lines("boundary_words.txt")),
        stop_chars=frozenset(_lines("stop_chars.txt")),
        titles=tuple(sorted(_lines("titles.txt"), key=len, reverse=True)),
        surnames=frozenset(s for s in surnames if len(s) == 1),
        compound_surnames=frozenset(s for s in surnames if len(s) == 2),
        known_companies=frozenset(x.removesuffix(" *").strip() for x in _lines("known_companies.txt")),
        ordinary_brands=frozenset(
            x.removesuffix(" *").strip() for x in _lines("known_companies.txt") if x.endswith(" *")
        ),
        geo_names=frozenset(_lines("geo_names.txt")),
        generic_names=frozenset(_lines("generic_names.txt")),
        suffix_lookalikes=frozenset(_lines("suffix_lookalikes.txt")),
        regions=regions,
        place_words=place_words,
        region_full=region_full,
        word_tags=word_tags,
    )
