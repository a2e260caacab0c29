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
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from embargo.errors import EmbargoError, NotFoundError, UsageError
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
    """The snapshot of each (chosen) list in force on ``as_of``.

    A chosen name that is no list of the store is a UsageError (exit 2), one whose list has no
    snapshot in force on ``as_of`` a NotFoundError (exit 4): both name the lists there are, so
    a typo never reads as "no hits".
    """
    wanted = set(sources)
    in_force = store.snapshots_as_of(as_of)
    found = [s for s in in_force if not wanted or s.source in wanted]
    unknown = sorted(wanted - set(store.sources()))
    if unknown:
        raise UsageError(f"--source: no list named {', '.join(map(repr, unknown))}; lists in "
                         f"the store: {', '.join(store.sources()) or 'none'}")
    missing = wanted - {s.source for s in found}
    if missing:
        when = as_of.isoformat() if as_of else "now"
        there = ", ".join(sorted({s.source for s in in_force})) or "none"
        raise NotFoundError(f"no snapshot of {', '.join(sorted(missing))} in force on {when} "
                            f"(in force then: {there})")
    if not found:
        raise NotFoundError("no list snapshots to screen against: run `embargo import PATH` "
                            "or `embargo demo` first")
    return found


def cache_key(snapshots: Iterable[Snapshot]) -> str:
    """The cache file's name part: snapshot ids and content, and the name analysis' version."""
    digest = hashlib.sha256(analysis_fingerprint().encode())
    for snap in sorted(snapshots, key=lambda s: s.id):
        digest.update(f"|{snap.id}:{snap.content_hash}".encode())
    return digest.hexdigest()[:24]


def _save(screener: Screener, path: Path) -> None:
    """Write the index atomically (temp file, then rename); a failure only logs."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        screener.save(tmp)
        os.replace(tmp, path)
    except OSError as exc:
        log.warning("cannot write index cache %s: %s", path, exc)
        tmp.unlink(missing_ok=True)


def _prune(folder: Path, new: Path, keep: int = KEEP_CACHED) -> None:
    old = sorted((p for p in folder.glob("*.idx") if p != new), key=lambda p: p.stat().st_mtime)
    for path in old[: max(0, len(old) - (keep - 1))]:
        path.unlink(missing_ok=True)


def cache_path(snapshots: Iterable[Snapshot], cache_dir: Path) -> Path:
    """Where the index of exactly these snapshots is cached."""
    return cache_dir / f"{cache_key(snapshots)}.idx"


def screener_for(store: Store, snapshots: Iterable[Snapshot], cache_dir: Path | None,
                 keep: int = KEEP_CACHED, collect: bool = True) -> Screener:
    """A screener over exactly these snapshots: loaded from the cache, else built and saved.

    The CLI and the service share this cache (``$EMBARGO_HOME/index``); at most ``keep``
    indexes are kept (``embargo check`` keeps one per set of snapshots in force).
    ``collect=False`` loads without a full garbage collection (see ``CandidateIndex.load``).
    """
    snapshots = list(snapshots)
    path = cache_path(snapshots, cache_dir) if cache_dir else None
    if path is not None and path.is_file():
        try:
            return Screener.load(path, collect=collect)
        except (OSError, EmbargoError, ValueError, EOFError) as exc:
            log.warning("index cache %s unreadable (%s); rebuilding", path, exc)
    entities = (e for s in snapshots for e in store.iter_entities(s.id))
    screener = Screener.from_entities(entities)
    if path is not None:
        _save(screener, path)
        _prune(path.parent, path, keep)
    return screener


def load_screener(store: Store, cache_dir: Path | None, as_of: date | None = None,
                  sources: Iterable[str] = ()) -> ListScreener:
    """A screener over the lists in force on ``as_of``, from the cache when possible."""
    snapshots = snapshots_for(store, as_of, sources)
    return ListScreener(screener_for(store, snapshots, cache_dir),
                        {s.source: s for s in snapshots})
