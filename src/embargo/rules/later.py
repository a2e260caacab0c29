"""A stale list's next snapshot, as what changed since the stale one (not a second full view).

The stale-list check asks which entries of a stale snapshot ``S`` a party is on the list's next
snapshot ``L``. Entries that ``L`` holds unchanged from ``S`` give the same answer as in the view
of ``S`` (already resolved for the party: the view remembers it), so only the entries of ``L``
that are new or changed are looked at again, in a small view of their own; entries removed or
changed since ``S`` no longer count from the view of ``S``. One small index per pair of
snapshots, cached on disk next to the screening indexes, replaces the full index of ``L``.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path

import orjson

from embargo.matching import Prepared
from embargo.matching.index import analysis_fingerprint
from embargo.model.entity import Entity
from embargo.rules.resolve import ListedMatch, ListView, Screen
from embargo.rules.transaction import Party
from embargo.store.store import Store
from embargo.store.types import Snapshot

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Changes:
    """The entries of ``new`` added or changed since ``old``, and the ids no longer as they were."""

    old: Snapshot
    new: Snapshot
    fresh: list[Entity]  # added or changed, as ``new`` has them
    gone: frozenset[str]  # removed or changed: ``old``'s version no longer stands


def changes_between(store: Store, old: Snapshot, new: Snapshot) -> Changes:
    """What the store says changed between two snapshots of one list."""
    diff = store.diff(old, new)
    wanted = {c.entity_id for c in (*diff.added, *diff.changed)}
    fresh = [e for e in store.iter_entities(new.id) if e.id in wanted] if wanted else []
    gone = frozenset(c.entity_id for c in (*diff.removed, *diff.changed))
    return Changes(old, new, fresh, gone)


def fresh_view(changes: Changes, screen: Screen | None = None,
               threshold: float | None = None) -> ListView:
    """The entries added or changed, as a view of their own (shared by every pin)."""
    return ListView(((e, changes.new) for e in changes.fresh), screen=screen,
                    threshold=threshold)


class ChangesView:
    """A party on ``new`` (a stale list's next snapshot), answered from the view of ``old``
    (for entries unchanged) and a small view of the entries added or changed since."""

    def __init__(self, base: ListView, changes: Changes, fresh: ListView) -> None:
        self.base = base
        self.source = changes.new.source
        self.gone = changes.gone
        self.fresh = fresh

    def resolve(self, party: Party) -> list[ListedMatch]:
        kept = [m for m in self.base.resolve(party)
                if m.entity.source == self.source and m.entity.id not in self.gone]
        if not self.fresh.members:
            return kept
        return kept + [m for m in self.fresh.resolve(party) if m.entity.source == self.source]


def _key(old: Snapshot, new: Snapshot) -> str:
    digest = hashlib.sha256(analysis_fingerprint().encode())
    for snap in (old, new):
        digest.update(f"|{snap.id}:{snap.content_hash}".encode())
    return digest.hexdigest()[:24]


def cached_changes(store: Store, old: Snapshot, new: Snapshot, cache_dir: Path | None,
                   threshold: float | None = None,
                   collect: bool = True) -> tuple[Changes, Screen | None]:
    """The changes and a screen over the fresh entries: loaded from the cache, else computed
    (and saved). Without a cache folder the view screens with an index built in memory.
    ``collect=False`` loads without a full garbage collection (``embargo check``, which loads
    several indexes in a row: see ``CandidateIndex.load``)."""
    if cache_dir is None:
        return changes_between(store, old, new), None
    from embargo.matching.screen import Screener

    index_path = cache_dir / f"{_key(old, new)}.later.idx"
    ids_path = index_path.with_suffix(".json")
    if index_path.is_file() and ids_path.is_file():
        try:
            screener = Screener.load(index_path, collect=collect)
            gone = frozenset(orjson.loads(ids_path.read_bytes()))
            fresh = [screener.index.entity(i) for i in range(len(screener.index))]
            return Changes(old, new, fresh, gone), _screen(screener, threshold)
        except (OSError, ValueError, EOFError) as exc:
            log.warning("later-snapshot cache %s unreadable (%s); rebuilding", index_path, exc)
    changes = changes_between(store, old, new)
    if not changes.fresh:
        return changes, None
    screener = Screener.from_entities(changes.fresh)
    _save(index_path, ids_path, screener, changes.gone)
    return changes, _screen(screener, threshold)


def _save(index_path: Path, ids_path: Path, screener: object, gone: frozenset[str]) -> None:
    from embargo.matching.screen import Screener

    assert isinstance(screener, Screener)
    try:
        index_path.parent.mkdir(parents=True, exist_ok=True)
        ids_path.write_bytes(orjson.dumps(sorted(gone)))
        screener.save(index_path)
    except OSError as exc:
        log.warning("cannot write later-snapshot cache %s: %s", index_path, exc)


def _screen(screener: object, threshold: float | None = None) -> Screen:
    from embargo.matching.screen import Screener

    assert isinstance(screener, Screener)

    def run(query: Entity | Prepared) -> list[tuple[Entity, float]]:
        return [(h.entity, h.score) for h in screener.screen(query, threshold)]
    return run
