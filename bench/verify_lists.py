"""Benchmark: what proving the lists costs — the snapshot log and hold check at import, and
`embargo verify` — against the import itself, measured in the same run.

Imports the largest SDN file and the newest UN list into a fresh SQLite store, then times:
the import (which now includes the log record and the hold check), the log record's work
alone (recomputing the membership digest, as the import does), the hold check alone, and a
full `verify`. Ratios are against the import time of the same run.

    .venv/bin/python bench/verify_lists.py
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from embargo.ingest.importer import import_path  # noqa: E402
from embargo.ingest.policy import HoldPolicy, Incoming, hold_reason  # noqa: E402
from embargo.settings import load_settings  # noqa: E402
from embargo.store import Snapshot, Store, ledger  # noqa: E402

FILES = ("ofac-sdn/history/sdn_2024-05-03.csv", "un/consolidated_2026-02-27.xml")


def _timed(work: object) -> float:
    started = time.perf_counter()
    work()  # type: ignore[operator]
    return time.perf_counter() - started


def _hold_check(store: Store, snap: Snapshot) -> float:
    """The hold check against the previous snapshot (here: the snapshot itself)."""
    def check() -> None:
        ids = store.entity_ids(snap.id)
        hold_reason(Incoming(snap.source, snap.published, frozenset(ids), None), snap, snap,
                    store.entity_ids(snap.id), HoldPolicy())
    return _timed(check)


def main() -> None:
    lists = load_settings().shared / "data" / "lists"
    with tempfile.TemporaryDirectory() as tmp, Store.open(f"sqlite:///{tmp}/b.db") as store:
        rows = []
        for name in FILES:
            path = lists / name
            imported = _timed(lambda p=path: import_path(store, p))
            snap = store.snapshots()[-1]
            with store.engine.connect() as conn:
                digest = _timed(lambda c=conn, s=snap: ledger.snapshot_content_digest(c, s.id))
            rows.append((name, snap.entity_count, imported, digest, _hold_check(store, snap)))
        verify = _timed(store.verify)
        versions = store.verify().versions
    print(f"{'file':40} {'entities':>8} {'import s':>9} {'log digest':>16} {'hold check':>16}")
    for name, count, imported, digest, hold in rows:
        print(f"{name:40} {count:8d} {imported:9.2f} {digest:8.3f} ({digest / imported:5.1%})"
              f" {hold:8.3f} ({hold / imported:5.1%})")
    total = sum(r[2] for r in rows)
    print(f"verify of the store ({versions} entity versions): {verify:.2f} s "
          f"({verify / total:.0%} of the two imports, {total:.2f} s)")


if __name__ == "__main__":
    main()
