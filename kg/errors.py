"""One small exception hierarchy: the CLI turns any KgError into a one-line message and a non-zero exit."""

from __future__ import annotations

_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


class KgError(Exception):
    """A mistake a user can fix (bad input, missing server); never shown with a stack trace."""


class InputError(KgError):
    """An input file or directory cannot be read as articles: missing, empty, binary, undecodable."""


class GraphFormatError(KgError):
    """A JSON file is not a kg graph of the expected kind."""


class StoreError(KgError):
    """Neo4j cannot be reached, refuses our credentials, or fails mid-load."""


class ExportError(KgError):
    """An export cannot be written: unknown format, unwritable path."""


def shown(value: object) -> str:
    """`value` as it may appear inside a one-line message: control characters, lone surrogates (the bytes
    of a file name that are not UTF-8) and other unprintable characters escaped, so a newline in a file
    name cannot split the line and printing it cannot fail."""
    text = str(value)
    if text.isprintable():
        return text
    out = []
    for ch in text:
        if ch.isprintable() or ch == " ":
            out.append(ch)
        elif ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ord(ch) < 0x100:
            out.append(f"\\x{ord(ch):02x}")
        else:
            out.append(f"\\u{ord(ch):04x}" if ord(ch) < 0x10000 else f"\\U{ord(ch):08x}")
    return "".join(out)
