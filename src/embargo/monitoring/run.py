"""``embargo monitor run``: screen what changed since the last run, raise alerts, mark delistings.

A run compares the snapshot of each list in force with the one the customers were last
screened against, then:

1. screens the customers added or changed since their last screening (or all, ``full``)
   against every list in force;
2. screens the entries added or changed in the lists against the *customers*
   (:mod:`embargo.monitoring.entry_side`): the customers a full re-screen could match with
   one (:mod:`embargo.monitoring.entries`: those sharing a key that seeds in the list index
   with a changed entry, and those with no seeding key at all that share a common one) are
   found in the stored keys; those whose score cannot reach the threshold
   (:mod:`embargo.monitoring.reach`) are left there, and the others are screened against the
   lists exactly as a full re-screen would, keeping the hits on changed entries. The result
   is the full re-screen's, at a cost that grows with the change rather than with the
   customer base;
3. marks the alerts of entries no longer listed "delisted on D".

Every batch of customers is written with its alerts in one transaction, and the lists'
progress markers only after the entry side is written: a run killed at any point and run again
raises the same alerts, none lost, none twice (raising is idempotent).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from embargo.alerts.types import PairHit
from embargo.errors import NotFoundError
from embargo.matching import Prepared, prepare
from embargo.monitoring.entry_side import LIMIT, entry_hits
from embargo.monitoring.followup import follow_up
from embargo.monitoring.keyed import refresh_keys
from embargo.monitoring.namekeys import query_keys, witness
from embargo.monitoring.pairs import RunLists, pair
from embargo.screening.lists import ListScreener, screener_for
from embargo.store import Snapshot, Store
from embargo.store.alerts import lock_monitor, mark_delisted, raise_hits
from embargo.store.customer_keys import write_witnesses
from embargo.store.customers import Customer, CustomerStore, mark_screened
from embargo.store.engine import BEGIN_OPTION, guarded
from embargo.store.monitoring import (
    MonitorConfig,
    config_of,
    member_hashes,
    read_state,
    screened_snapshots,
    set_screened_snapshots,
)

log = logging.getLogger(__name__)

BATCH = 500  # customers per transaction


@dataclass
class RunResult:
    """What one run did."""

    full: bool
    customers_screened: int = 0
    entries_changed: int = 0
    entries_removed: int = 0
    checked_from_entries: int = 0  # customers sharing a name key with a changed entry
    matched_from_entries: int = 0  # ... of which reached the threshold against one
    raised: list[int] = field(default_factory=list)
    delisted: list[int] = field(default_factory=list)
    moved: list[int] = field(default_factory=list)  # active alerts whose pair changed
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
                "checked_from_entries": self.checked_from_entries,
                "matched_from_entries": self.matched_from_entries, "raised": self.raised,
                "delisted": self.delisted, "moved": self.moved, "snapshots": self.snapshots,
                "seconds": round(self.seconds, 3),
                "timings": {k: round(v, 3) for k, v in self.timings.items()}}

    def summary(self) -> str:
        kind = "full" if self.full else "delta"
        return (f"monitor {kind} run: {self.customers_screened} customers screened, "
                f"{self.entries_changed} list entries added or changed "
                f"({self.checked_from_entries} customers checked for them), "
                f"{self.entries_removed} removed; {len(self.raised)} alerts raised, "
                f"{len(self.moved)} moved on (their pair changed), "
                f"{len(self.delisted)} marked delisted ({self.seconds:.1f} s)")


ListsProvider = Callable[[list[Snapshot]], ListScreener | None]


class Monitor:
    """One monitor run over a store (``cache_dir``: where the list indexes are cached).

    A long-lived process passes ``lists``: its loaded list index, when it covers exactly the
    snapshots in force.
    """

    def __init__(self, store: Store, cache_dir: Path | None,
                 progress: Callable[[int], None] | None = None,
                 lists: ListsProvider | None = None, collect: bool = True) -> None:
        self.store = store
        self.collect = collect
        self.customers = CustomerStore(store.engine)
        self.cache_dir = cache_dir
        self.progress = progress
        self.provider = lists

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
        with result.timed("list_changes"):
            lists = self._lists(snaps, result)
            changed, removed = self._changes(snaps, marks, lists.members)
        result.entries_changed, result.entries_removed = len(changed), removed
        result.snapshots = {s.source: s.id for s in snaps}
        if changed and not full:  # the entry side reads the customers' keys
            with result.timed("customer_keys"):
                refresh_keys(self.store.engine)
        with result.timed("customers"):
            screened = self._forward(config, lists, full, changed, result)
        result.raised += self._entries_side(config, lists, changed, screened, result)
        with result.timed("follow_up"):
            result.moved += follow_up(self.store.engine, lists)
        with result.timed("delistings"):
            self._finish(lists, snaps, result)
        result.seconds = time.monotonic() - started
        log.info(result.summary())
        return result

    # -- lists ------------------------------------------------------------------------------

    def _lists(self, snaps: list[Snapshot], result: RunResult) -> RunLists:
        with guarded(self.store.engine, "read list members"), \
                self.store.engine.connect() as conn:
            members = {s.source: member_hashes(conn, s.id) for s in snaps}
        return RunLists(lambda: self._load_lists(snaps), {s.source: s for s in snaps}, members,
                      result)

    def _load_lists(self, snaps: list[Snapshot]) -> ListScreener:
        screener = self.provider(snaps) if self.provider else None
        if screener is None:
            screener = ListScreener(screener_for(self.store, snaps, self.cache_dir,
                                                 collect=self.collect),
                                    {s.source: s for s in snaps})
        return screener

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

    def _forward(self, config: MonitorConfig, lists: RunLists, full: bool,
                 changed: dict[str, str], result: RunResult) -> set[str]:
        """Screen the customers due (or all) against every list; the ids screened."""
        active = self.customers.active_count()
        due = self.customers.active_ids() if full else self.customers.unscreened_ids()
        if changed and active > len(due) and len(changed) * 2 >= active - len(due):
            due = self.customers.active_ids()  # so many changed: screening all is cheaper
        ordered = sorted(due)
        for start in range(0, len(ordered), BATCH):
            batch = list(self.customers.iter(ids=ordered[start:start + BATCH]))
            hits: list[PairHit] = []
            found: list[tuple[str, str, str | None]] = []
            index = lists.screener.index
            for customer in batch:
                prepared = prepare(customer.entity)
                hits += self._screen(config, lists, customer, prepared)
                found.append((customer.id, customer.content_hash,
                              witness(query_keys(prepared), index.df, index.common)))
            self._write(hits, [(c.id, c.version) for c in batch], result, found)
            result.customers_screened += len(batch)
            if self.progress:
                self.progress(len(batch))
        return due

    def _screen(self, config: MonitorConfig, lists: RunLists, customer: Customer,
                prepared: Prepared, only: Mapping[str, str] | None = None) -> list[PairHit]:
        hits = lists.screener.screen(prepared, config.threshold, LIMIT)
        return [pair(customer, hit, lists) for hit in hits
                if only is None or hit.entity.id in only]

    def _write(self, hits: Sequence[PairHit], screened: Sequence[tuple[str, int]],
               result: RunResult, witnesses: Sequence[tuple[str, str, str | None]]) -> None:
        now = datetime.now(UTC)
        engine = self.store.engine
        with guarded(engine, "write alerts"), engine.connect() as conn:
            conn = conn.execution_options(**{BEGIN_OPTION: "IMMEDIATE"})
            with conn.begin():
                lock_monitor(conn)
                result.raised += raise_hits(conn, hits, now, result.moved)
                mark_screened(conn, screened, now)
                write_witnesses(conn, witnesses)

    # -- entries side -----------------------------------------------------------------------

    def _entries_side(self, config: MonitorConfig, lists: RunLists, changed: dict[str, str],
                      screened: set[str], result: RunResult) -> list[int]:
        """Hits of the changed entries on the customers not screened in this run."""
        if not changed or len(screened) >= self.customers.active_count():
            return []  # nothing changed, or every customer was just screened against all

        def screen(customer: Customer, prepared: Prepared, only: Mapping[str, str]
                   ) -> list[PairHit]:
            return self._screen(config, lists, customer, prepared, only)

        with result.timed("entries"):
            hits, fresh = entry_hits(self.store.engine, config.threshold, lists, changed,
                                     screened, screen, result)
        now = datetime.now(UTC)
        with guarded(self.store.engine, "write alerts"), self.store.engine.connect() as conn:
            conn = conn.execution_options(**{BEGIN_OPTION: "IMMEDIATE"})
            with conn.begin():
                lock_monitor(conn)
                write_witnesses(conn, fresh)
                return raise_hits(conn, hits, now, result.moved)

    # -- delistings and progress ------------------------------------------------------------

    def _finish(self, lists: RunLists, snaps: list[Snapshot], result: RunResult) -> None:
        in_force = {s.source: (s.id, s.published, set(lists.members[s.source])) for s in snaps}
        now = datetime.now(UTC)
        engine = self.store.engine
        with guarded(engine, "mark delistings"), engine.connect() as conn:
            conn = conn.execution_options(**{BEGIN_OPTION: "IMMEDIATE"})
            with conn.begin():
                lock_monitor(conn)
                result.delisted = mark_delisted(conn, in_force, now)
                set_screened_snapshots(conn, {s.source: s.id for s in snaps})


def run_monitor(store: Store, cache_dir: Path | None, full: bool = False,
                lists: ListsProvider | None = None, collect: bool = True) -> RunResult:
    """One run (``collect=False``, for a process that ends with the run: the list index is
    loaded without a full garbage collection first, see ``CandidateIndex.load``)."""
    return Monitor(store, cache_dir, lists=lists, collect=collect).run(full)
