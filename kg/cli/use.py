"""CLI commands of this area (registered on kg.cli.app)."""

from __future__ import annotations

from kg.cli import app  # noqa: F401
