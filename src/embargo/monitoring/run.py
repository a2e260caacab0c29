"""``embargo monitor run``: screen what changed since the last run, raise alerts, mark delistings.

A run compares the snapshot of each list in force with the one the customers were last
screened against, then:

1. screens the customers added or changed since their last screening (or all, ``full``)
   against every list in force;
2. screens the entries added or changed in the lists against the *customers*: the customers,
   prepared once in the customer index, are searched against a small index of the changed
   entries (:func:`changed_hits`); each customer found is then screened against the lists
   exactly as a full re-screen would, keeping the hits on changed entries. The result is the
   full re-screen's, at a fraction of its cost;
3. marks the alerts of entries no longer listed "delisted on D".

Every batch of customers is written with its alerts in one transaction, and the lists'
progress markers only after the entry side is written: a run killed at any point and run again
raises the same alerts, none lost, none twice (raising is idempotent).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from embargo.alerts.types import PairHit
from embargo.errors import NotFoundError
from embargo.matching.screen import Hit, Screener
from embargo.model.entity import Entity
from embargo.monitoring.custindex import (
    CustomerIndex,
    build_index,
    cached_hashes,
    load_index,
    usable,
)
from embargo.screening.lists import ListScreener, screener_for
from embargo.screening.results import hit_dict
from embargo.store import Snapshot, Store
from embargo.store.alerts import lock_monitor, mark_delisted, raise_hits
from embargo.store.customers import Customer, CustomerStore, mark_screened
from embargo.store.engine import BEGIN_OPTION, guarded
from embargo.store.monitoring import (
    MonitorConfig,
    config_of,
    load_entities,
    member_hashes,
    read_state,
    screened_snapshots,
    set_screened_snapshots,
)

log = logging.getLogger(__name__)

LIMIT = 50  # hits kept per customer (the screener proposes at most 50 candidates)
BATCH = 500  # customers per transaction


@dataclass
class RunResult:
    """What one run did."""

    full: bool
    customers_screened: int = 0
    entries_changed: int = 0
    entries_removed: int = 0
    checked_from_entries: int = 0
    raised: list[int] = field(default_factory=list)
    delisted: list[int] = field(default_factory=list)
    snapshots: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)  # seconds per phase

    @contextmanager
    def timed(self, phase: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.timings[phase] = self.timings.get(phase, 0.0) + time.perf_counter() - started

    def as_dict(self) -> dict[str, Any]:
        return {"full": self.full, "customers_screened": self.customers_screened,
                "entries_changed": self.entries_changed, "entries_removed": self.entries_removed,
                "checked_from_entries": self.checked_from_entries, "raised": self.raised,
                "delisted": self.delisted, "snapshots": self.snapshots,
                "seconds": round(self.seconds, 3),
                "timings": {k: round(v, 3) for k, v in self.timings.items()}}

    def summary(self) -> str:
        kind = "full" if self.full else "delta"
        return (f"monitor {kind} run: {self.customers_screened} customers screened, "
                f"{self.entries_changed} list entries added or changed "
                f"({self.checked_from_entries} customers checked for them), "
                f"{self.entries_removed} removed; {len(self.raised)} alerts raised, "
                f"{len(self.delisted)} marked delisted ({self.seconds:.1f} s)")


@dataclass(frozen=True, slots=True)
class _Lists:
    """The lists in force for this run: screener, snapshots, and entry hashes."""

    screener: ListScreener
    members: dict[str, dict[str, str]]


ListsProvider = Callable[[list[Snapshot]], ListScreener | None]


class Monitor:
    """One monitor run over a store (``cache_dir``: where indexes are cached).

    A long-lived process passes ``lists`` (its loaded list index, when it covers exactly the
    snapshots in force) and ``keep=True`` (keep the customer index loaded between runs).
    """

    def __init__(self, store: Store, cache_dir: Path | None,
                 progress: Callable[[int], None] | None = None,
                 lists: ListsProvider | None = None, keep: bool = False) -> None:
        self.store = store
        self.customers = CustomerStore(store.engine)
        self.cache_dir = cache_dir
        self.progress = progress
        self.provider = lists
        self.keep = keep

    @property
    def index_folder(self) -> Path | None:
        return self.cache_dir / "customers" if self.cache_dir else None

    def run(self, full: bool = False) -> RunResult:
        started = time.monotonic()
        result = RunResult(full=full)
        with guarded(self.store.engine, "read monitor state"), \
                self.store.engine.connect() as conn:
            state = read_state(conn)
        config, marks = config_of(state), screened_snapshots(state)
        snaps = self.store.snapshots_as_of(None)
        if not snaps:
            raise NotFoundError("no list snapshots to monitor against: import lists first")
        with result.timed("list_index"):
            lists = self._lists(snaps)
        with result.timed("list_changes"):
            changed, removed = self._changes(snaps, marks, lists.members)
        result.entries_changed, result.entries_removed = len(changed), removed
        result.snapshots = {s.source: s.id for s in snaps}
        with result.timed("customers"):
            screened = self._forward(config, lists, full, changed, result)
        result.raised += self._entries_side(config, lists, changed, screened, result)
        with result.timed("delistings"):
            self._finish(lists, snaps, result)
        if screened:
            with result.timed("customer_index_refresh"):
                self._refresh_index()
        result.seconds = time.monotonic() - started
        log.info(result.summary())
        return result

    # -- lists ------------------------------------------------------------------------------

    def _lists(self, snaps: list[Snapshot]) -> _Lists:
        screener = self.provider(snaps) if self.provider else None
        if screener is None:
            screener = ListScreener(screener_for(self.store, snaps, self.cache_dir),
                                    {s.source: s for s in snaps})
        with guarded(self.store.engine, "read list members"), \
                self.store.engine.connect() as conn:
            members = {s.source: member_hashes(conn, s.id) for s in snaps}
        return _Lists(screener, members)

    def _changes(self, snaps: list[Snapshot], marks: dict[str, int],
                 members: dict[str, dict[str, str]]) -> tuple[dict[str, str], int]:
        """Entries added or changed since the screened snapshots (id -> hash); removed count."""
        changed: dict[str, str] = {}
        removed = 0
        for snap in snaps:
            previous = marks.get(snap.source)
            if previous == snap.id:
                continue
            now = members[snap.source]
            if previous is None:
                changed.update(now)
                continue
            with guarded(self.store.engine, "read list members"), \
                    self.store.engine.connect() as conn:
                before = member_hashes(conn, previous)
            changed.update({e: h for e, h in now.items() if before.get(e) != h})
            removed += sum(1 for e in before if e not in now)
        return changed, removed

    # -- customers side ---------------------------------------------------------------------

    def _forward(self, config: MonitorConfig, lists: _Lists, full: bool,
                 changed: dict[str, str], result: RunResult) -> set[str]:
        """Screen the customers due (or all) against every list; the ids screened."""
        current = self.customers.hashes()
        due = set(current) if full else {c.id for c in self._unscreened()}
        rest = len(current) - len(due)
        if changed and rest and len(changed) * 2 >= rest:
            due = set(current)  # so many entries changed that screening everyone is cheaper
        ordered = sorted(due)
        for start in range(0, len(ordered), BATCH):
            batch = list(self.customers.iter(ids=ordered[start:start + BATCH]))
            hits = [h for c in batch for h in self._screen(config, lists, c)]
            self._write(hits, [(c.id, c.version) for c in batch], result)
            result.customers_screened += len(batch)
            if self.progress:
                self.progress(len(batch))
        return due

    def _unscreened(self) -> Iterable[Customer]:
        return self.customers.iter(unscreened_only=True)

    def _screen(self, config: MonitorConfig, lists: _Lists, customer: Customer,
                only: dict[str, str] | None = None) -> list[PairHit]:
        hits = lists.screener.screener.screen(customer.entity, config.threshold, LIMIT)
        return [_pair(customer, hit, lists) for hit in hits
                if only is None or hit.entity.id in only]

    def _write(self, hits: Sequence[PairHit], screened: Sequence[tuple[str, int]],
               result: RunResult) -> None:
        now = datetime.now(UTC)
        engine = self.store.engine
        with guarded(engine, "write alerts"), engine.connect() as conn:
            conn = conn.execution_options(**{BEGIN_OPTION: "IMMEDIATE"})
            with conn.begin():
                lock_monitor(conn)
                result.raised += raise_hits(conn, hits, now)
                mark_screened(conn, screened, now)

    # -- entries side -----------------------------------------------------------------------

    def _entries_side(self, config: MonitorConfig, lists: _Lists, changed: dict[str, str],
                      screened: set[str], result: RunResult) -> list[int]:
        """Hits of the changed entries on the customers not screened in this run."""
        current = self.customers.hashes()
        if not changed or not set(current) - screened:
            return []
        with result.timed("customer_index"):
            index = self._index(current)
        with result.timed("entries"):
            candidates = self._candidates(config, index, changed, current)
            candidates |= set(index.stale(current))
            candidates -= screened
            result.checked_from_entries = len(candidates)
            hits = [h for c in self.customers.iter(ids=candidates)
                    for h in self._screen(config, lists, c, only=changed)]
        now = datetime.now(UTC)
        with guarded(self.store.engine, "write alerts"), self.store.engine.connect() as conn:
            conn = conn.execution_options(**{BEGIN_OPTION: "IMMEDIATE"})
            with conn.begin():
                lock_monitor(conn)
                return raise_hits(conn, hits, now)

    def _index(self, current: dict[str, str]) -> CustomerIndex:
        folder = self.index_folder
        index = None
        if folder is not None and usable(cached_hashes(folder), current):
            index = load_index(folder, self.keep)
        return index if index is not None else self._build_index()

    def _build_index(self) -> CustomerIndex:
        return build_index(self.index_folder, ((c.entity, c.content_hash)
                                               for c in self.customers.iter()))

    def _refresh_index(self) -> None:
        """Keep the cached customer index close to the customers (the next run needs it)."""
        folder = self.index_folder
        if folder is None:
            return
        current = self.customers.hashes()
        if current and not usable(cached_hashes(folder), current):
            self._build_index()

    def _candidates(self, config: MonitorConfig, index: CustomerIndex,
                    changed: dict[str, str], current: dict[str, str]) -> set[str]:
        """Customers that match a changed entry (see :func:`changed_hits`)."""
        with guarded(self.store.engine, "read changed entries"), \
                self.store.engine.connect() as conn:
            entities = load_entities(conn, changed.items())
        return changed_hits(index, entities, config.threshold, current)

    # -- delistings and progress ------------------------------------------------------------

    def _finish(self, lists: _Lists, snaps: list[Snapshot], result: RunResult) -> None:
        in_force = {s.source: (s.id, s.published, set(lists.members[s.source])) for s in snaps}
        now = datetime.now(UTC)
        engine = self.store.engine
        with guarded(engine, "mark delistings"), engine.connect() as conn:
            conn = conn.execution_options(**{BEGIN_OPTION: "IMMEDIATE"})
            with conn.begin():
                lock_monitor(conn)
                result.delisted = mark_delisted(conn, in_force, now)
                set_screened_snapshots(conn, {s.source: s.id for s in snaps})


def changed_hits(index: CustomerIndex, entities: list[Entity], threshold: float,
                 current: dict[str, str]) -> set[str]:
    """The indexed customers that match a changed entry, screened as a full re-screen would.

    The changed entries form a small index of their own; every indexed customer (prepared
    once, when the customer index was built) is searched against it with the customer as the
    query, as screening does. In so small an index every name key seeds candidates (no key is
    common) and nothing is cut, so each customer that a full re-screen matches with a changed
    entry is found. (Searching the customer index with the entry instead misses customers
    whose only shared name is common among the customers, e.g. a frequent surname.)
    """
    if not entities:
        return set()
    changed = Screener.from_entities(entities, candidates=len(entities), coverage=0.0)
    customers = index.screener.index
    found: set[str] = set()
    for number in range(len(customers)):
        prepared = customers.prepared(number)
        cid = prepared.entity.native_id
        if cid in current and any(h.score >= threshold for h in changed.scored(prepared)):
            found.add(cid)
    return found


def _pair(customer: Customer, hit: Hit, lists: _Lists) -> PairHit:
    entity = hit.entity
    snap = lists.screener.snapshots[entity.source]
    return PairHit(
        customer_id=customer.id, customer_version=customer.version,
        customer_hash=customer.content_hash, entity_id=entity.id,
        entity_hash=lists.members[entity.source][entity.id], snapshot_id=snap.id,
        published=snap.published, score=hit.score, source=entity.source,
        schema=str(entity.schema), caption=entity.caption,
        programs=tuple(p.code for p in entity.programs),
        hit=hit_dict(hit, lists.screener.snapshots))


def run_monitor(store: Store, cache_dir: Path | None, full: bool = False,
                lists: ListsProvider | None = None, keep: bool = False) -> RunResult:
    return Monitor(store, cache_dir, lists=lists, keep=keep).run(full)
