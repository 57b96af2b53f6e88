"""Python's cyclic garbage collector around phases that build many small acyclic objects.

A merge folds millions of record tuples and a Neo4j load builds hundreds of thousands of row dicts; none is
ever cyclic garbage, yet every collection would scan all of them again (2-3x slower). These two helpers are
the one place that decides how kg steers the collector.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic collector for the block (restoring its previous state after it)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def settle() -> None:
    """Collect once, then exempt every object alive now from later collections (`gc.freeze`): called between
    articles by a long build, so the records kept so far are not scanned again at each collection."""
    gc.collect()
    gc.freeze()
