"""The screening index in force, replaced atomically when the lists change.

:class:`IndexHolder` keeps one :class:`Loaded` (a screener plus the snapshots it was built
from). A refresh builds the new one beside the old and then replaces the reference in one
assignment; a request reads ``holder.current`` once and uses that object to the end, so
requests in flight finish on the old index. Each worker process polls the store for the newest
snapshot ids every ``refresh_interval`` seconds and rebuilds when they changed, so an import
made through one worker (or the CLI) reaches all of them.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from embargo.errors import EmbargoError, StoreError
from embargo.matching.screen import Screener
from embargo.names import warm
from embargo.screening.lists import cache_path, screener_for
from embargo.service.config import load_service_config
from embargo.settings import Settings
from embargo.store import Snapshot, Store

log = logging.getLogger(__name__)

HISTORY_CACHE = 2  # screeners kept for past snapshot sets (as_of, replay)


@dataclass(frozen=True, slots=True, weakref_slot=True)
class Loaded:
    """A screener and the snapshots it covers; never changes once built.

    Weak references to it are allowed (tests check that a swapped-out index is released).
    """

    screener: Screener
    snapshots: tuple[Snapshot, ...]
    built_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    @property
    def snapshot_ids(self) -> tuple[int, ...]:
        return tuple(s.id for s in self.snapshots)

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(s.source for s in self.snapshots)

    def snapshot_of(self, source: str) -> Snapshot | None:
        for snap in self.snapshots:
            if snap.source == source:
                return snap
        return None


def _ordered(snapshots: list[Snapshot]) -> tuple[Snapshot, ...]:
    return tuple(sorted(snapshots, key=lambda s: (s.source, s.id)))


class IndexHolder:
    """The index in force plus a small cache of indexes of past snapshot sets."""

    def __init__(self, store: Store, cache_dir: Path | None = None) -> None:
        self.store = store
        self.cache_dir = cache_dir
        self._current: Loaded | None = None
        self._build_lock = threading.Lock()
        self._history: OrderedDict[tuple[int, ...], Loaded] = OrderedDict()
        self._history_lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._thread_lock = threading.Lock()
        self._on_swap: list[Callable[[], None]] = []
        self.last_error: str | None = None

    def on_swap(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` after each swap (caches of the old lists drop them at once)."""
        self._on_swap.append(callback)

    @property
    def current(self) -> Loaded | None:
        """The index in force (None until the first build finished)."""
        return self._current

    def require(self) -> Loaded:
        loaded = self._current
        if loaded is None:
            raise StoreError("the screening index is not loaded yet; retry shortly",
                             ready=False)
        return loaded

    def build(self, snapshots: tuple[Snapshot, ...]) -> Loaded:
        """A screener over the snapshots (from the index cache when present), warmed up."""
        warm()
        return Loaded(screener_for(self.store, snapshots, self.cache_dir), snapshots)

    def refresh(self, force: bool = False) -> bool:
        """Rebuild and swap when the newest snapshots changed; whether it swapped."""
        with self._build_lock:
            newest = _ordered(self.store.snapshots_as_of(None))
            current = self._current
            if not force and current is not None and current.snapshots == newest:
                return False
            loaded = self.build(newest)
            self._current = loaded  # the atomic swap: one reference assignment
            self.last_error = None
            del current  # nothing here keeps the old index alive
            for callback in self._on_swap:
                callback()
        log.info("screening index swapped: snapshots %s, %d entities",
                 loaded.snapshot_ids, len(loaded.screener))
        return True

    def for_snapshot_ids(self, ids: tuple[int, ...]) -> Loaded:
        """The index over exactly these snapshots (the one in force, or a cached/built one)."""
        wanted = tuple(sorted(set(ids)))
        current = self._current
        if current is not None and tuple(sorted(current.snapshot_ids)) == wanted:
            return current
        with self._history_lock:
            found = self._history.get(wanted)
            if found is not None:
                self._history.move_to_end(wanted)
                return found
        loaded = self.build(_ordered([self.store.get_snapshot(i) for i in wanted]))
        with self._history_lock:
            self._history[wanted] = loaded
            while len(self._history) > HISTORY_CACHE:
                self._history.popitem(last=False)
        return loaded

    def as_of(self, day: date | None) -> Loaded:
        """The index over the lists as they stood on ``day`` (None: the one in force)."""
        if day is None:
            return self.require()
        return self.for_snapshot_ids(tuple(s.id for s in self.store.snapshots_as_of(day)))

    def start_polling(self, interval: float) -> None:
        """Poll the store every ``interval`` seconds in a daemon thread."""
        with self._thread_lock:  # stop() never sees a thread that has not started
            if interval <= 0 or self._thread is not None:
                return
            thread = threading.Thread(target=self._poll, args=(interval,),
                                      name="embargo-index-poll", daemon=True)
            thread.start()
            self._thread = thread

    def _poll(self, interval: float) -> None:
        while not self._stop.wait(interval):
            try:
                self.refresh()
            except EmbargoError as exc:
                self.last_error = exc.message
                log.warning("index refresh failed; keeping the index in force: %s", exc.message)

    def stop(self) -> None:
        self._stop.set()
        with self._thread_lock:
            thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(timeout=5)


def prebuild(settings: Settings) -> None:
    """Build and save the index of the snapshots in force unless it is cached already.

    ``embargo serve`` runs this in a child process before its workers start: the workers
    then load the saved index instead of each building its own, and none of them keeps the
    memory a build needs (about 250 MB more than serving).
    """
    cache_dir = load_service_config(settings).index_cache
    with Store.open(settings.store_url) as store:
        newest = _ordered(store.snapshots_as_of(None))
        if newest and cache_dir is not None and not cache_path(newest, cache_dir).is_file():
            screener_for(store, newest, cache_dir)  # builds and saves it
