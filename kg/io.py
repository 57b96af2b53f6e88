"""Read articles (txt/md files, directories, stdin; UTF-8, UTF-8-BOM, GB18030) and read/write graph JSON.

Decoding is strict: text that is neither valid UTF-8 nor valid GB18030 is an error naming the file and
the offending byte, never silently mangled text.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kg.errors import GraphFormatError, InputError
from kg.layout import repair, title_of
from kg.model import Article, CorpusGraph, DocGraph

ARTICLE_SUFFIXES = (".txt", ".md")
STDIN = "-"


def decode(data: bytes, source: str) -> str:
    """Decode article bytes: UTF-8 (with or without BOM) first, then GB18030 (a superset of GBK)."""
    if not data.strip():
        raise InputError(f"{source}: empty file")
    if b"\x00" in data[:4096]:
        raise InputError(f"{source}: binary file (contains NUL bytes), expected UTF-8 or GB18030 text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as utf8_error:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError as e:
            raise InputError(
                f"{source}: undecodable bytes at offset {utf8_error.start} "
                f"(neither UTF-8 nor GB18030; re-save the file as UTF-8)"
            ) from e
    if _looks_like_binary(text):
        raise InputError(f"{source}: binary or undecodable content, expected UTF-8 or GB18030 text")
    return text


def _looks_like_binary(text: str) -> bool:
    """GB18030 maps almost any byte pair to some character; real text is mostly CJK, ASCII and punctuation."""
    sample = text[:4000]
    odd = sum(
        1
        for ch in sample
        if (ord(ch) < 32 and ch not in "\n\r\t")
        or 0xE000 <= ord(ch) <= 0xF8FF  # private use: what stray bytes decode to
        or 0x80 <= ord(ch) < 0xA0
    )
    return odd > max(2, len(sample) // 50)


def read_article(path: Path | str) -> Article:
    """Read one article file (or stdin for "-") and repair its newspaper layout."""
    source = str(path)
    if source == STDIN:
        data = sys.stdin.buffer.read()
    else:
        p = Path(path)
        if not p.exists():
            raise InputError(f"{source}: no such file or directory")
        if p.is_dir():
            raise InputError(f"{source}: is a directory, expected an article file")
        try:
            data = p.read_bytes()
        except OSError as e:
            raise InputError(f"{source}: cannot read ({e.strerror})") from e
    text = repair(decode(data, source))
    if not text.strip():
        raise InputError(f"{source}: no article text (only blank lines)")
    return Article.make(source=source, text=text, title=title_of(text))


def article_paths(path: Path | str) -> list[Path]:
    """The article files an INPUT names: the file itself, or every .txt/.md under a directory, sorted."""
    p = Path(path)
    if not p.exists():
        raise InputError(f"{path}: no such file or directory")
    if p.is_file():
        return [p]
    found = sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in ARTICLE_SUFFIXES)
    if not found:
        raise InputError(f"{path}: directory holds no articles (.txt or .md files)")
    return found


def write_json(path: Path | str, data: Any) -> None:
    """Write JSON deterministically (UTF-8, fixed indent, trailing newline); "-" writes to stdout."""
    text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    if str(path) == STDIN:
        sys.stdout.write(text)
        return
    p = Path(path)
    try:
        p.parent.mkdir(parents=True, exist_ok=True)
        tmp = p.with_name(p.name + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(p)
    except OSError as e:
        raise InputError(f"{path}: cannot write ({e.strerror})") from e


def read_json(path: Path | str) -> Any:
    p = Path(path)
    if not p.exists():
        raise InputError(f"{path}: no such file or directory")
    try:
        return json.loads(p.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError as e:
        raise GraphFormatError(f"{path}: not UTF-8 JSON") from e
    except json.JSONDecodeError as e:
        raise GraphFormatError(f"{path}: not valid JSON ({e.msg} at line {e.lineno})") from e
    except OSError as e:
        raise InputError(f"{path}: cannot read ({e.strerror})") from e


def read_corpus_graph(path: Path | str) -> CorpusGraph:
    """Read a corpus graph written by `kg build`; a clear error for any other JSON."""
    data = read_json(path)
    if not isinstance(data, dict):
        raise GraphFormatError(f"{path}: not a kg corpus graph (top level is not an object)")
    try:
        return CorpusGraph.from_dict(data)
    except GraphFormatError as e:
        raise GraphFormatError(f"{path}: {e}") from e


def read_doc_graph(path: Path | str) -> DocGraph:
    data = read_json(path)
    if not isinstance(data, dict):
        raise GraphFormatError(f"{path}: not a kg document graph (top level is not an object)")
    try:
        return DocGraph.from_dict(data)
    except GraphFormatError as e:
        raise GraphFormatError(f"{path}: {e}") from e


def iter_json_files(path: Path | str) -> Iterator[Path]:
    p = Path(path)
    if p.is_file():
        yield p
    elif p.is_dir():
        yield from sorted(p.rglob("*.json"))
    else:
        raise InputError(f"{path}: no such file or directory")
