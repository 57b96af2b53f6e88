"""Read articles (txt/md files, directories, stdin; UTF-8, UTF-8-BOM, UTF-16 with BOM, GB18030) and read/write
graph JSON.

Decoding is strict: text that is neither valid UTF-8 nor valid GB18030 is an error naming the file and the
offending byte, never silently mangled text. A file mixing the two encodings line by line is read line by
line, each line in the encoding that gives real text; UTF-8 inside a GB18030 line is refused (decoding it
either way would garble one of them).

Every article has one identity, its `source`: the resolved absolute path of its file, so that two spellings
of one path (relative, absolute, through a symlink) name the same article and two files with the same text
stay two articles. Standard input has no path: its source is the name given with `--source`, else one made
from its content (`stdin:1a2b…`), so two different texts piped in one after the other stay apart.
"""

from __future__ import annotations

import codecs
import errno
import json
import os
import re
import stat
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, TextIO

from kg import atomic
from kg.errors import ExportError, GraphFormatError, InputError, shown
from kg.layout import repair, title_of
from kg.model import FORMAT_VERSION, Article, CorpusGraph, DocGraph, stable_id

ARTICLE_SUFFIXES = (".txt", ".md")
STDIN = "-"
STDIN_PREFIX = "stdin:"

_UTF8_CHAR = re.compile(rb"(?=([\xe0-\xef][\x80-\xbf]{2}))")  # where a 3-byte UTF-8 character could start
_GB_CHAR = re.compile(rb"[\x00-\x80\xff]|[\x81-\xfe][\x30-\x39][\x81-\xfe][\x30-\x39]|[\x81-\xfe][\x40-\xfe]")
_SIGNATURES = (
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (a .docx or .xlsx?)"),
    (b"\xd0\xcf\x11\xe0", "an old Office document (.doc)"),
    (b"{\\rtf", "an RTF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
)


# ---------------------------------------------------------------------------------------------------------
# Decoding


def decode(data: bytes, source: str) -> str:
    """Decode article bytes: a UTF-16/UTF-32 BOM, else UTF-8 (with or without BOM), else GB18030 (a superset
    of GBK), line by line when the file mixes UTF-8 and GB18030 lines."""
    name = shown(source)
    for bom, codec in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as e:
                raise InputError(f"{name}: undecodable {codec.upper()} at byte offset {e.start}") from e
            return _checked(text, data, name)
    if not data.strip():
        raise InputError(f"{name}: empty file")
    for magic, kind in _SIGNATURES:
        if data.startswith(magic):
            raise InputError(f"{name}: {kind}, not a text file; save the article as .txt (UTF-8)")
    if b"\x00" in data[:4096]:
        odd, even = data[1:4096:2].count(0), data[0:4096:2].count(0)
        if max(odd, even) >= 2 and 4 * min(odd, even) <= max(odd, even):  # NULs on one side: ASCII in UTF-16
            raise InputError(f"{name}: looks like UTF-16 without a byte-order mark; re-save the file as UTF-8")
        raise InputError(f"{name}: binary file (contains NUL bytes), expected UTF-8 or GB18030 text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = _decode_lines(data, name)
    return _checked(text, data, name)


def _checked(text: str, data: bytes, name: str) -> str:
    if not text.strip():
        raise InputError(f"{name}: empty file")
    if _looks_like_binary(text):
        raise InputError(f"{name}: binary or undecodable content, expected UTF-8 or GB18030 text")
    return text


@cache
def _common_chars() -> frozenset[str]:
    """The 3,755 most frequent hanzi (GB2312 level 1), CJK punctuation and full-width forms: what real
    Chinese text is mostly made of, and what bytes decoded in the wrong encoding are mostly not."""
    chars = {bytes([hi, lo]).decode("gb2312", errors="ignore") for hi in range(0xB0, 0xD8) for lo in range(0xA1, 0xFF)}
    chars |= {chr(c) for c in range(0x3000, 0x3040)} | {chr(c) for c in range(0xFF01, 0xFF5F)}
    chars |= {chr(c) for c in range(0x20, 0x7F)} | set("\n\r\t“”‘’—…·")
    chars.discard("")
    return frozenset(chars)


def _plausibility(text: str) -> int:
    common = _common_chars()
    return sum(1 if ch in common else -1 for ch in text)


def _decode_lines(data: bytes, name: str) -> str:
    """Decode a file that is not UTF-8 as a whole: each line as UTF-8 or GB18030, whichever is valid and
    gives common Chinese (a GB18030 line of two characters can be valid UTF-8 by chance, as mojibake).
    Line breaks are safe split points: 0x0A and 0x0D are never part of a GB18030 character."""
    parts: list[str] = []
    offset = 0
    for number, raw in enumerate(data.splitlines(keepends=True), start=1):
        utf8: str | None = None
        gb: str | None = None
        try:
            utf8 = raw.decode("utf-8-sig" if offset == 0 else "utf-8")
        except UnicodeDecodeError as e:
            bad = offset + e.start
        try:
            gb = raw.decode("gb18030")
        except UnicodeDecodeError:
            if utf8 is None:
                raise InputError(
                    f"{name}: undecodable bytes at offset {bad} (line {number}; neither UTF-8 nor GB18030; "
                    "re-save the file as UTF-8)"
                ) from None
        if utf8 is not None and (gb is None or _plausibility(utf8) >= _plausibility(gb)):
            parts.append(utf8)
        else:
            assert gb is not None
            embedded = _utf8_inside(raw)
            if embedded is not None:
                raise InputError(
                    f"{name}: mixed encodings: UTF-8 text at byte offset {offset + embedded} (line {number}) "
                    "inside GB18030/GBK text; re-save the file in one encoding (UTF-8)"
                )
            parts.append(gb)
        offset += len(raw)
    return "".join(parts)


def _utf8_inside(raw: bytes) -> int | None:
    """Where UTF-8 Chinese sits inside a line that decodes as GB18030, or None.

    GB18030 decodes UTF-8 bytes without complaint, into rare characters. A run of UTF-8 characters starting
    where a GB18030 character starts, that reads as common Chinese in UTF-8 and as rarer characters in
    GB18030, is UTF-8. Genuine GB18030 text forms such runs only by chance, and then reads better as GB18030.
    """
    starts = {m.start(1) for m in _UTF8_CHAR.finditer(raw)}
    if not starts:
        return None
    bounds = [m.start() for m in _GB_CHAR.finditer(raw)] + [len(raw)]
    common = _common_chars()
    for i, b in enumerate(bounds[:-1]):
        if b not in starts:
            continue
        end = b
        while end in starts:
            end += 3
        utf8 = raw[b:end].decode("utf-8", errors="replace")
        if not all(ch in common for ch in utf8):
            continue
        j = i
        while j < len(bounds) - 1 and bounds[j] < end:
            j += 1
        gb = raw[b : bounds[j]].decode("gb18030", errors="replace")
        if _plausibility(utf8) > _plausibility(gb):
            return b
    return None


# Control characters other than \n, \r and \t, C1 controls, and the private use area (what stray bytes
# decode to): one regex pass instead of a Python test per character.
_ODD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x80-\x9f\ue000-\uf8ff]")


def _looks_like_binary(text: str) -> bool:
    """GB18030 maps almost any byte pair to some character; real text is mostly CJK, ASCII and punctuation."""
    sample = text[:4000]
    odd = len(_ODD_CHARS.findall(sample))
    return odd > max(2, len(sample) // 50)


# ---------------------------------------------------------------------------------------------------------
# Paths and identity


def _stat(path: Path, what: str = "") -> os.stat_result:
    """os.stat with every failure as a one-line InputError saying what is wrong with the path."""
    name = shown(what or path)
    try:
        return path.stat()
    except OSError as e:
        if e.errno == errno.ENOENT and path.is_symlink():
            raise InputError(f"{name}: dangling symbolic link (points at {shown(os.readlink(path))})") from None
        if e.errno == errno.ENOENT:
            raise InputError(f"{name}: no such file or directory") from None
        if e.errno == errno.ELOOP:
            raise InputError(f"{name}: symbolic link loop") from None
        if e.errno == errno.ENAMETOOLONG:
            raise InputError(f"{name}: path too long") from None
        raise InputError(f"{name}: cannot read ({e.strerror or e})") from None


def canonical_source(path: Path | str) -> str:
    """The identity of an article file: its resolved absolute path (symlinks followed)."""
    try:
        return str(Path(path).resolve())
    except (OSError, RuntimeError) as e:  # RuntimeError: a symlink loop (Python 3.11)
        raise InputError(f"{shown(path)}: cannot resolve the path ({e})") from None


def stdin_source(text: str) -> str:
    """The source of a nameless article read from standard input: made from its text."""
    return STDIN_PREFIX + stable_id("", text)


def _is_stable_path(path: Path) -> bool:
    """False for a pipe named by the process (`<(cat a.txt)` → /dev/fd/63): its path means nothing later."""
    text = str(path)
    return not (text.startswith(("/dev/fd/", "/proc/")) or text in ("/dev/stdin", "/dev/tty"))


# ---------------------------------------------------------------------------------------------------------
# Articles behind fsspec URLs (s3://bucket/prefix, file:///abs/dir, memory://…): `kg build --scheduler`'s
# workers read them themselves (issue 9). fsspec comes with kg[dask].

_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+://")


def is_url(text: Path | str) -> bool:
    """An fsspec URL (scheme://…), not a path: a Path would fold its // into one slash."""
    return isinstance(text, str) and bool(_URL.match(text))


def _filesystem(url: str) -> tuple[Any, str]:
    try:
        from fsspec.core import url_to_fs
    except ImportError:
        raise InputError(f"{shown(url)}: reading URLs needs fsspec: pip install 'kg[dask]'") from None
    try:
        return url_to_fs(url)
    except (ImportError, ValueError) as e:  # an unknown protocol, or its package (s3fs, gcsfs) missing
        raise InputError(f"{shown(url)}: cannot open this URL ({_first(e)})") from None


def _first(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def list_url_articles(url: str) -> tuple[list[str], str]:
    """The article URLs an INPUT URL names, sorted, and the folder URL their docs/ names are relative to:
    the URL itself when it is a file, else every .txt/.md under it (hidden files and folders passed over)."""
    fs, root = _filesystem(url)
    try:
        if not fs.isdir(root):
            if not fs.exists(root):
                raise InputError(f"{shown(url)}: no such file or directory")
            return [url], url.rsplit("/", 1)[0]
        found = fs.find(root)
    except OSError as e:
        raise InputError(f"{shown(url)}: cannot list ({_first(e)})") from None
    prefix = root.rstrip("/") + "/"
    articles = sorted(
        f
        for f in found
        if f.startswith(prefix)
        and f.lower().endswith(ARTICLE_SUFFIXES)
        and not any(part.startswith(".") for part in f[len(prefix) :].split("/"))
    )
    if not articles:
        raise InputError(f"{shown(url)}: directory holds no articles (.txt or .md files)")
    base = url.rstrip("/")
    return [base + "/" + f[len(prefix) :] for f in articles], base


def url_doc_names(urls: Iterable[str], root: str) -> dict[str, str]:
    """`kg.build.doc_names` for URLs: each article's name under `root`, with the suffix .json."""
    relative = {u: u[len(root) :].lstrip("/") for u in urls}
    names = {u: str(Path(r).with_suffix(".json").as_posix()) for u, r in relative.items()}
    counts: dict[str, int] = {}
    for n in names.values():
        counts[n] = counts.get(n, 0) + 1
    return {u: (relative[u] + ".json" if counts[n] > 1 else n) for u, n in names.items()}


def url_source(url: str) -> str:
    """An article's identity: a file:// URL is the file itself (its resolved path, as a local build names
    it, so both builds give the same graph); any other URL is itself."""
    fs, path = _filesystem(url)
    if "file" in (fs.protocol if isinstance(fs.protocol, tuple) else (fs.protocol,)):
        return canonical_source(path)
    return url


def read_url(url: str) -> bytes:
    """The bytes behind an fsspec URL, or a one-line InputError."""
    import fsspec

    _filesystem(url)
    try:
        with fsspec.open(url, "rb") as f:
            data: bytes = f.read()
    except FileNotFoundError:
        raise InputError(f"{shown(url)}: no such file or directory") from None
    except IsADirectoryError:
        raise InputError(f"{shown(url)}: is a directory, expected an article file") from None
    except OSError as e:
        raise InputError(f"{shown(url)}: cannot read ({_first(e)})") from None
    return data


def read_article(path: Path | str, source: str | None = None) -> Article:
    """Read one article (a file, a pipe, or stdin for "-") and repair its newspaper layout.

    `source` overrides the article's identity (the `--source` option); by default it is the file's resolved
    path, or for stdin and pipes a name made from the text.
    """
    given = str(path)
    stable = False
    if given == STDIN:
        data = sys.stdin.buffer.read()
        label = source or "<stdin>"
    elif is_url(path):
        text = repair(decode(read_url(given), given))
        if not text.strip():
            raise InputError(f"{shown(given)}: no article text (only blank lines)")
        return Article.make(source=source or url_source(given), text=text, title=title_of(text))
    else:
        p = Path(path)
        mode = _stat(p).st_mode
        if stat.S_ISDIR(mode):
            raise InputError(f"{shown(given)}: is a directory, expected an article file")
        try:
            data = p.read_bytes()
        except OSError as e:
            raise InputError(f"{shown(given)}: cannot read ({e.strerror or e})") from e
        label = given
        stable = stat.S_ISREG(mode) or _is_stable_path(p)
    text = repair(decode(data, label))
    if not text.strip():
        raise InputError(f"{shown(label)}: no article text (only blank lines)")
    if source:
        identity = source
    elif not stable:
        identity = stdin_source(text)
    else:
        identity = canonical_source(given)
    return Article.make(source=identity, text=text, title=title_of(text))


@dataclass(frozen=True)
class Skipped:
    """A directory entry that looked like an article (or a folder) but could not be read."""

    path: str
    reason: str

    def message(self) -> str:
        return f"{shown(self.path)}: skipped: {self.reason}"


@dataclass(frozen=True)
class Listing:
    """The article files an INPUT names, what was skipped and why, and how many hidden entries were passed over."""

    paths: tuple[Path, ...]
    skipped: tuple[Skipped, ...] = ()
    hidden: int = 0


def list_articles(path: Path | str) -> Listing:
    """The article files an INPUT names: the file itself (or a pipe), or every .txt/.md under a directory,
    sorted. Hidden files and folders (.git, macOS ._x.txt) are passed over; FIFOs, dangling links, link
    loops, unreadable folders and second links to one file are skipped and named."""
    p = Path(path)
    mode = _stat(p, str(path)).st_mode
    if not stat.S_ISDIR(mode):
        return Listing((p,))
    found: list[Path] = []
    skipped: list[Skipped] = []
    hidden = _walk(p, [(p.stat().st_dev, p.stat().st_ino)], found, skipped)
    seen: dict[str, Path] = {}
    unique: list[Path] = []
    for f in sorted(found):
        real = canonical_source(f)
        if real in seen:
            skipped.append(Skipped(str(f), f"the same file as {shown(seen[real])} (a link to it)"))
            continue
        seen[real] = f
        unique.append(f)
    if not unique:
        extra = f"; {len(skipped)} skipped: " + "; ".join(s.message() for s in skipped[:3]) if skipped else ""
        raise InputError(f"{shown(path)}: directory holds no articles (.txt or .md files){extra}")
    return Listing(tuple(unique), tuple(sorted(skipped, key=lambda s: s.path)), hidden)


def _walk(folder: Path, ancestors: list[tuple[int, int]], found: list[Path], skipped: list[Skipped]) -> int:
    """Collect article files under `folder`; return the number of hidden entries passed over."""
    hidden = 0
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as e:
        skipped.append(Skipped(str(folder), f"cannot read the folder ({e.strerror or e})"))
        return 0
    for entry in entries:
        if entry.name.startswith("."):
            hidden += 1
            continue
        path = Path(entry.path)
        article_like = path.suffix.lower() in ARTICLE_SUFFIXES
        try:
            st = entry.stat(follow_symlinks=True)
        except OSError as e:
            if entry.is_symlink() and e.errno == errno.ELOOP:
                skipped.append(Skipped(entry.path, "symbolic link loop"))
            elif entry.is_symlink():
                skipped.append(Skipped(entry.path, f"dangling symbolic link (points at {shown(os.readlink(path))})"))
            elif article_like:
                skipped.append(Skipped(entry.path, f"cannot read ({e.strerror or e})"))
            continue
        if stat.S_ISDIR(st.st_mode):
            key = (st.st_dev, st.st_ino)
            if key in ancestors:
                skipped.append(Skipped(entry.path, "symbolic link loop (leads back to a folder above it)"))
                continue
            hidden += _walk(path, [*ancestors, key], found, skipped)
        elif not article_like:
            continue
        elif stat.S_ISREG(st.st_mode):
            found.append(path)
        else:
            skipped.append(Skipped(entry.path, f"not a regular file ({_kind(st.st_mode)})"))
    return hidden


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a file"


def article_paths(path: Path | str) -> list[Path]:
    """The article files an INPUT names (see list_articles, which also says what was skipped)."""
    return list(list_articles(path).paths)


# ---------------------------------------------------------------------------------------------------------
# Graph JSON


def json_text(data: Any) -> str:
    """JSON as kg writes it: deterministic (UTF-8, fixed indent, trailing newline)."""
    return _indented(data, "") + "\n"


def json_item(data: Any) -> str:
    """One element of a corpus graph's top-level list (an article, entity or relation) exactly as `json_text`
    renders it inside the whole graph: indented two levels. Strings in JSON never hold a raw newline, so
    every newline of the rendering is layout."""
    return "  " + _indented(data, "  ")


class _NotPlain(Exception):
    """A value `_render` leaves to the json module (another type, a subclass of list or dict, a key that is
    not a string)."""


_ENCODE_STR = json.encoder.encode_basestring  # what json.dumps(ensure_ascii=False) quotes strings with


def _indented(data: Any, margin: str) -> str:
    """The bytes of json.dumps(data, ensure_ascii=False, indent=1) with `margin` after every newline, made
    several times faster: json's C encoder cannot indent, and its Python one yields every token through a
    stack of generators (a tenth of writing a graph). Anything but plain JSON values goes to json.dumps, so
    its output and errors stay the reference."""
    parts: list[str] = []
    try:
        _render(data, parts, "\n" + margin, 0)
    except (_NotPlain, RecursionError):
        return json.dumps(data, ensure_ascii=False, indent=1).replace("\n", "\n" + margin)
    return "".join(parts)


def _scalar(value: Any) -> str | None:
    """A scalar's JSON as json.dumps writes it, None for a list or dict."""
    if isinstance(value, str):
        return _ENCODE_STR(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        if value != value:
            return "NaN"
        if value == float("inf"):
            return "Infinity"
        if value == -float("inf"):
            return "-Infinity"
        return float.__repr__(value)
    if isinstance(value, (list, tuple, dict)):
        return None
    raise _NotPlain


def _render(value: Any, parts: list[str], newline: str, level: int) -> None:
    kind = type(value)
    if kind is str:  # the common kinds first, by exact type; subclasses and the rest go through _scalar
        parts.append(_ENCODE_STR(value))
        return
    if kind is dict:
        if not value:
            parts.append("{}")
            return
        inner = newline + " " * (level + 1)
        opening = "{" + inner
        for key, item in value.items():
            if type(key) is not str:
                raise _NotPlain
            if type(item) is str:
                parts.append(opening + _ENCODE_STR(key) + ": " + _ENCODE_STR(item))
            else:
                parts.append(opening + _ENCODE_STR(key) + ": ")
                _render(item, parts, newline, level + 1)
            opening = "," + inner
        parts.append(newline + " " * level + "}")
        return
    if kind is list or kind is tuple:
        if not value:
            parts.append("[]")
            return
        inner = newline + " " * (level + 1)
        opening = "[" + inner
        for item in value:
            if type(item) is str:
                parts.append(opening + _ENCODE_STR(item))
            else:
                parts.append(opening)
                _render(item, parts, newline, level + 1)
            opening = "," + inner
        parts.append(newline + " " * level + "]")
        return
    text = _scalar(value)
    if text is None:  # a subclass of list, tuple or dict
        raise _NotPlain
    parts.append(text)


def write_corpus_json(
    out: TextIO, articles: Iterable[str], entities: Iterable[str], relations: Iterable[str]
) -> None:
    """Write a corpus graph from its rendered items (`json_item`), one at a time: the same bytes as
    `json_text(graph.to_dict())`, without the graph, its dict or its text ever whole in memory."""
    out.write(f'{{\n "format": "kg.corpusgraph",\n "version": {FORMAT_VERSION},\n')
    sections = (("articles", articles), ("entities", entities), ("relations", relations))
    for n, (name, items) in enumerate(sections):
        out.write(f' "{name}": ')
        first = True
        for item in items:
            out.write("[\n" if first else ",\n")
            out.write(item)
            first = False
        out.write("[]" if first else "\n ]")
        out.write(",\n" if n < len(sections) - 1 else "\n")
    out.write("}\n")


def write_json(path: Path | str, data: Any) -> None:
    """Write JSON deterministically; "-" writes to stdout. A file is replaced atomically: a run cut short
    leaves the old file, never half a new one."""
    text = json_text(data)
    if str(path) == STDIN:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    try:
        atomic.write_text(path, text)
    except ExportError as e:
        raise InputError(str(e)) from None


_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _find_surrogate(data: Any, where: str = "") -> str | None:
    """Where a lone UTF-16 surrogate (JSON "\\ud800" without its pair) sits in decoded JSON, or None."""
    stack: list[tuple[Any, str]] = [(data, where)]
    while stack:
        value, at = stack.pop()
        if isinstance(value, str):
            if _SURROGATE.search(value):
                return at or "the top level"
        elif isinstance(value, dict):
            for k, v in value.items():
                if _SURROGATE.search(k):
                    return f"{at}.{shown(k)}" if at else shown(k)
                stack.append((v, f"{at}.{k}" if at else str(k)))
        elif isinstance(value, list):
            stack.extend((v, f"{at}[{i}]") for i, v in enumerate(value))
    return None


def read_json(path: Path | str) -> Any:
    p = Path(path)
    name = shown(path)
    mode = _stat(p, str(path)).st_mode
    if stat.S_ISDIR(mode):
        raise InputError(f"{name}: is a directory, expected a JSON file")
    try:
        data = json.loads(p.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError as e:
        raise GraphFormatError(f"{name}: not UTF-8 JSON (bad byte at offset {e.start})") from e
    except json.JSONDecodeError as e:
        raise GraphFormatError(f"{name}: not valid JSON ({e.msg} at line {e.lineno}, column {e.colno})") from e
    except RecursionError:
        raise GraphFormatError(f"{name}: not a kg graph (JSON nested too deeply)") from None
    except OSError as e:
        raise InputError(f"{name}: cannot read ({e.strerror or e})") from e
    bad = _find_surrogate(data)
    if bad is not None:
        raise GraphFormatError(f"{name}: {shown(bad)} holds a lone UTF-16 surrogate (\\ud800-\\udfff): not text")
    return data


def read_corpus_graph(path: Path | str) -> CorpusGraph:
    """Read a corpus graph written by `kg build`; a clear error for any other JSON."""
    data = read_json(path)
    if not isinstance(data, dict):
        raise GraphFormatError(f"{shown(path)}: not a kg corpus graph (top level is not an object)")
    try:
        return CorpusGraph.from_dict(data)
    except GraphFormatError as e:
        raise GraphFormatError(f"{shown(path)}: {e}") from e


def read_doc_graph(path: Path | str) -> DocGraph:
    data = read_json(path)
    if not isinstance(data, dict):
        raise GraphFormatError(f"{shown(path)}: not a kg document graph (top level is not an object)")
    try:
        return DocGraph.from_dict(data)
    except GraphFormatError as e:
        raise GraphFormatError(f"{shown(path)}: {e}") from e


def iter_json_files(path: Path | str) -> Iterator[Path]:
    p = Path(path)
    if p.is_file():
        yield p
    elif p.is_dir():
        yield from sorted(p.rglob("*.json"))
    else:
        raise InputError(f"{shown(path)}: no such file or directory")
