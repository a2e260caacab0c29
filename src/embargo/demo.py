"""The bundled demo: real list files, compressed, shipped inside the package.

``embargo demo`` imports them into the store and walks through what Embargo
does with them, so that a fresh machine shows the whole job without
``../shared``.
"""

from __future__ import annotations

from collections.abc import Iterator
from importlib import resources
from pathlib import Path

from embargo import render
from embargo.ingest.importer import import_path
from embargo.store import Store

DIFF_SOURCE, DIFF_OLD, DIFF_NEW = "ofac-sdn", "2021-08-18", "2021-08-20"
SHOW_ENTITY = "ofac-sdn:31920"


def demo_lists() -> Path:
    """The folder of bundled list files."""
    return Path(str(resources.files("embargo") / "data" / "demo" / "lists"))


def run_demo(store: Store, max_bytes: int) -> Iterator[str]:
    """Import the bundled lists and yield a report, section by section."""
    results = import_path(store, demo_lists(), max_bytes=max_bytes)
    imported = sum(r.created for r in results)
    yield (f"Imported {imported} new snapshot(s) from the bundled demo lists "
           f"({len(results) - imported} already present).")
    yield render.snapshots_table(store.snapshots())
    old = store.resolve_snapshot(DIFF_SOURCE, DIFF_OLD)
    new = store.resolve_snapshot(DIFF_SOURCE, DIFF_NEW)
    diff = store.diff(old, new)
    yield "What changed on the SDN list between 18 and 20 August 2021:\n" + render.diff_text(diff)
    state = store.entity_as_of(SHOW_ENTITY)
    yield render.state_text(state, None, store.history(SHOW_ENTITY))
