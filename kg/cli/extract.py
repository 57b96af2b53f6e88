"""`kg extract`, `kg build`: articles → per-article graphs → corpus graph."""

from __future__ import annotations

from kg.cli import app  # noqa: F401
