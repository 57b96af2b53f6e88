"""One small exception hierarchy: the CLI turns any KgError into a one-line message and a non-zero exit."""

from __future__ import annotations


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
