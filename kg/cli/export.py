"""`kg export`, `kg validate`: writers of the corpus graph to files (RDF, neo4j-admin CSV)."""

from __future__ import annotations

from kg.cli import app  # noqa: F401
