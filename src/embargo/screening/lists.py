"""A screener over the snapshots in force on a date, cached on disk per snapshot set.

Building the candidate index for all lists takes seconds; loading a saved one
is much faster. The cache key is the set of snapshot ids plus the name
analysis' fingerprint, so a new import or a new version of the matcher builds
a fresh index, and an old one is never misread.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from embargo.errors import NotFoundError, UsageError
from embargo.matching.index import analysis_fingerprint
from embargo.matching.screen import Screener
from embargo.store import Snapshot, Store

log = logging.getLogger(__name__)
KEEP_CACHED = 4


@dataclass(frozen=True, slots=True)
class ListScreener:
    """A screener and the snapshots it was built from (by source)."""

    screener: Screener
    snapshots: dict[str, Snapshot]


def snapshots_for(store: Store, as_of: date | None, sources: Iterable[str] = ()) -> list[Snapshot]:
    """The snapshot of each (chosen) list in force on ``as_of``."""
    wanted = set(sources)
    found = [s for s in store.snapshots_as_of(as_of) if not wanted or s.source in wanted]
    missing = wanted - {s.source for s in found}
    if missing:
        when = as_of.isoformat() if as_of else "now"
        raise NotFoundError(f"no snapshot of {', '.join(sorted(missing))} in force on {when}")
    if not found:
        raise NotFoundError("no list snapshots to screen against: run `embargo import PATH` "
                            "or `embargo demo` first")
    return found


def cache_key(snapshots: Iterable[Snapshot]) -> str:
    ids = ",".join(str(s.id) for s in sorted(snapshots, key=lambda s: s.id))
    return hashlib.sha256(f"{ids}|{analysis_fingerprint()}".encode()).hexdigest()[:24]


def _save_atomically(screener: Screener, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    os.close(fd)
    try:
        screener.save(tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _prune(folder: Path, keep: Path) -> None:
    old = sorted((p for p in folder.glob("*.idx") if p != keep), key=lambda p: p.stat().st_mtime)
    for path in old[: max(0, len(old) - (KEEP_CACHED - 1))]:
        path.unlink(missing_ok=True)


def load_screener(store: Store, cache_dir: Path | None, as_of: date | None = None,
                  sources: Iterable[str] = ()) -> ListScreener:
    """A screener over the lists in force on ``as_of``, from the cache when possible."""
    snapshots = snapshots_for(store, as_of, sources)
    by_source = {s.source: s for s in snapshots}
    path = cache_dir / f"{cache_key(snapshots)}.idx" if cache_dir else None
    if path is not None and path.is_file():
        try:
            return ListScreener(Screener.load(path), by_source)
        except UsageError as exc:
            log.warning("rebuilding the index: %s", exc.message)
    entities = (e for s in snapshots for e in store.iter_entities(s.id))
    screener = Screener.from_entities(entities)
    if path is not None:
        _save_atomically(screener, path)
        _prune(path.parent, path)
    return ListScreener(screener, by_source)
