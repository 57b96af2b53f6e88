"""Where kg's Neo4j lives and how it loads, without the driver: `kg --help` and the commands that never talk
to Neo4j import this, not kg.store.neo4j (whose driver import costs 0.3 s and 40 MB at every start)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

DEFAULT_URI = "bolt://localhost:7687"
DEFAULT_USER = "neo4j"
DEFAULT_DATABASE = "neo4j"
DEFAULT_BATCH_SIZE = 5000
# Sessions writing at once, each on nodes of its own (kg.store.partition). Even on 2 cores, 4 beat 2 by about
# a fifth: while one transaction commits or waits on the network, another runs.
DEFAULT_WRITERS = 4


@dataclass(frozen=True)
class Connection:
    """Where and as whom to connect. The password is left out of repr so it never reaches a log or a trace."""

    uri: str = DEFAULT_URI
    user: str = DEFAULT_USER
    password: str = field(default="", repr=False)
    database: str = DEFAULT_DATABASE

    @staticmethod
    def from_env(
        uri: str | None = None,
        user: str | None = None,
        password: str | None = None,
        database: str | None = None,
    ) -> Connection:
        """Explicit values, then NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE, then defaults."""
        env = os.environ
        return Connection(
            uri=uri or env.get("NEO4J_URI") or DEFAULT_URI,
            user=user or env.get("NEO4J_USER") or DEFAULT_USER,
            password=password if password is not None else env.get("NEO4J_PASSWORD", ""),
            database=database or env.get("NEO4J_DATABASE") or DEFAULT_DATABASE,
        )
