"""``embargo check``: decide JSON-lines transactions against the lists in force on their dates.

Each input line gives one decision line. A line that cannot be read gets a
decision ``review`` with an ``error`` (it is never dropped and never
``allowed``).

Items are judged on the snapshots in force on their dates. Many dates share one set of
snapshots (a *pin*): a list view (and its screening index) is built or loaded once per pin,
not per date. Indexes are cached on disk under ``$EMBARGO_HOME/index`` exactly as
screening's are (keyed by the snapshot ids), so a later run loads them. Items are read in
chunks and decided pin by pin within a chunk, then written in input order, so that only a
couple of views need to be in memory at once.
"""

from __future__ import annotations

import hashlib
import logging
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from functools import cache
from pathlib import Path
from typing import IO

import orjson

from embargo.errors import ValidationError
from embargo.linking import Links
from embargo.matching import Prepared
from embargo.model.entity import Entity
from embargo.ownership.graph import OwnershipGraph
from embargo.rules.changes import LaterView
from embargo.rules.decision import REVIEW, Decision
from embargo.rules.engine import Context, Engine
from embargo.rules.later import Changes, ChangesView, cached_changes, fresh_view
from embargo.rules.resolve import ListView, PartyResolver, Screen, describe_store
from embargo.rules.transaction import Transaction, parse_transaction
from embargo.store.ownership import load_holdings
from embargo.store.store import Store
from embargo.store.types import Snapshot

log = logging.getLogger(__name__)

CHUNK = 20_000  # items read before deciding them pin by pin
KEEP_VIEWS = 4  # list views kept in memory (the current pin's and the later snapshots')
KEEP_INDEXES = 64  # screening indexes kept on disk (one per set of snapshots in force)

GraphFor = Callable[[date | None], OwnershipGraph]
Pin = tuple[int, ...]


def read_items(lines: Iterable[bytes | str]) -> Iterator[tuple[int, Transaction | str]]:
    """(line number, transaction or error message) for each non-blank line."""
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            yield number, parse_transaction(orjson.loads(line), str(number))
        except orjson.JSONDecodeError as exc:
            yield number, f"line {number}: not JSON: {exc}"
        except ValidationError as exc:
            yield number, f"line {number}: {exc.message}"


class Views:
    """List views by pin (the snapshot ids in force), from the disk-cached screening index.

    With a cache folder, a view's entries come from the saved index (no store read); the
    index is built from the store once and saved. Without one, views are built from the
    store and screen with an index built in memory on first use.
    """

    def __init__(self, store: Store, cache_dir: Path | None = None,
                 threshold: float | None = None, keep: int = KEEP_VIEWS) -> None:
        self.store = store
        self.cache_dir = cache_dir
        self.threshold = threshold
        self.keep = keep
        self.held = store.snapshots()
        self._pins: dict[date | None, tuple[Snapshot, ...]] = {}
        self._views: OrderedDict[Pin, ListView] = OrderedDict()
        self._changes: dict[tuple[int, int], tuple[Changes, ListView]] = {}
        self.built = 0  # views built or loaded (for tests and the benchmark)

    def snapshots(self, day: date | None) -> tuple[Snapshot, ...]:
        if day not in self._pins:
            self._pins[day] = tuple(sorted(self.store.snapshots_as_of(day), key=lambda s: s.id))
        return self._pins[day]

    def pin(self, day: date | None) -> Pin:
        return tuple(s.id for s in self.snapshots(day))

    def for_day(self, day: date | None) -> ListView:
        return self.view(self.snapshots(day))

    def later(self, snapshot: Snapshot) -> ListView:
        """The view of one later snapshot alone (to look a party up on a stale list's next
        snapshot): one index per such snapshot, cached like the others."""
        return self.view((snapshot,))

    def later_for(self, base: ListView) -> LaterView:
        """A stale list's next snapshot as seen from ``base`` (the view of a pin): what
        changed since the pin's snapshot of the list, one small index per pair of snapshots
        (cached on disk); the full view of the later snapshot when the pin has none."""
        def later(snapshot: Snapshot) -> PartyResolver:
            old = base.snapshots.get(snapshot.source)
            if old is None:
                return self.later(snapshot)
            key = (old.id, snapshot.id)
            if key not in self._changes:
                changes, screen = cached_changes(self.store, old, snapshot, self.cache_dir,
                                                 self.threshold, collect=False)
                self._changes[key] = (changes, fresh_view(changes, screen, self.threshold))
            changes, fresh = self._changes[key]
            return ChangesView(base, changes, fresh)
        return later

    def view(self, snapshots: tuple[Snapshot, ...]) -> ListView:
        key = tuple(s.id for s in snapshots)
        found = self._views.get(key)
        if found is not None:
            self._views.move_to_end(key)
            return found
        view = self._build(snapshots)
        self._views[key] = view
        while len(self._views) > self.keep:
            self._views.popitem(last=False)
        return view

    def _build(self, snapshots: tuple[Snapshot, ...]) -> ListView:
        self.built += 1
        by_source = {s.source: s for s in snapshots}
        if self.cache_dir is None or not snapshots:
            members = [(e, s) for s in snapshots for e in self.store.iter_entities(s.id)]
            view = ListView(members, threshold=self.threshold)
        else:
            from embargo.screening.lists import cache_path, screener_for

            screener = screener_for(self.store, snapshots, self.cache_dir, KEEP_INDEXES,
                                    collect=False)
            index = screener.index
            entities = (index.entity(i) for i in range(len(index)))
            view = ListView(((e, by_source.get(e.source)) for e in entities),
                            screen=_screen(screener, self.threshold))
            view.set_links(cached_links(view, cache_path(snapshots, self.cache_dir)))
        describe_store(view, self.held)
        log.debug("list view of snapshots %s: %d entities", [s.id for s in snapshots],
                  len(view.members))
        return view


@cache
def _links_version() -> str:
    """The linking code's own digest: links saved by other code are computed again."""
    from embargo.linking import keys, links

    digest = hashlib.sha256()
    for module in (keys, links):
        digest.update(Path(module.__file__ or "").read_bytes())
    return digest.hexdigest()[:16]


def cached_links(view: ListView, index_path: Path) -> Links:
    """The view's cross-list links, saved next to its index (computing them takes about as
    long as loading the index): loaded when saved, else computed and saved."""
    path = index_path.with_suffix(".links")
    try:
        saved = orjson.loads(path.read_bytes())
        if saved["version"] == _links_version():
            return Links(tuple(p) for p in saved["pairs"])
    except (OSError, ValueError, TypeError, KeyError):
        pass
    links = view.links()
    try:
        path.write_bytes(orjson.dumps({"version": _links_version(), "pairs": links.pairs()}))
    except OSError as exc:
        log.warning("cannot write the links cache %s: %s", path, exc)
    return links


def _screen(screener: object, threshold: float | None) -> Screen:
    from embargo.matching.screen import Screener

    assert isinstance(screener, Screener)

    def run(query: Entity | Prepared) -> list[tuple[Entity, float]]:
        return [(h.entity, h.score) for h in screener.screen(query, threshold)]
    return run


def _error_decision(number: int, message: str) -> Decision:
    return Decision(str(number), REVIEW, error=message)


def _chunks(items: Iterable[tuple[int, Transaction | str]],
            size: int) -> Iterator[list[tuple[int, Transaction | str]]]:
    chunk: list[tuple[int, Transaction | str]] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def decide_all(items: Iterable[tuple[int, Transaction | str]], engine: Engine,
               views: Views, graph_for: GraphFor, as_of: date | None = None,
               chunk: int = CHUNK) -> Iterator[Decision]:
    """Decisions in input order; one list view per pin, one ownership graph per date."""
    graphs: dict[date | None, OwnershipGraph] = {}
    for part in _chunks(items, chunk):
        yield from _decide_chunk(part, engine, views, graphs, graph_for, as_of)


def _decide_chunk(part: list[tuple[int, Transaction | str]], engine: Engine, views: Views,
                  graphs: dict[date | None, OwnershipGraph], graph_for: GraphFor,
                  as_of: date | None) -> list[Decision]:
    out: list[Decision | None] = [None] * len(part)
    by_pin: dict[Pin, list[int]] = {}
    for position, (number, item) in enumerate(part):
        if isinstance(item, str):
            out[position] = _error_decision(number, item)
        else:
            by_pin.setdefault(views.pin(item.date or as_of), []).append(position)
    for positions in by_pin.values():
        contexts: dict[date | None, Context] = {}
        for position in positions:
            item = part[position][1]
            assert not isinstance(item, str)
            day = item.date or as_of
            if day not in contexts:
                if day not in graphs:
                    graphs[day] = graph_for(day)
                view = views.for_day(day)
                contexts[day] = Context(view, graphs[day], later=views.later_for(view))
            out[position] = engine.check(item, contexts[day], as_of)
    return [d for d in out if d is not None]


def run_check(store: Store, lines: Iterable[bytes | str], *, as_of: date | None = None,
              engine: Engine | None = None, cache_dir: Path | None = None,
              views: Views | None = None) -> Iterator[Decision]:
    """Decide each JSON line against the store's snapshots and ownership in force.

    Each item is judged on its own date (``date``); ``as_of`` is the date for items
    without one, and "today" for telling dates in the future. ``cache_dir`` holds the
    screening indexes (one per set of snapshots in force), shared with ``embargo screen``.
    """
    engine = engine or Engine(today=as_of)
    views = views or Views(store, cache_dir)
    return decide_all(read_items(lines), engine, views,
                      lambda day: OwnershipGraph(load_holdings(store, day)), as_of)


def write_decisions(decisions: Iterable[Decision], out: IO[bytes]) -> dict[str, int]:
    """Write one JSON line per decision; the count of each decision."""
    counts: dict[str, int] = {}
    for decision in decisions:
        out.write(orjson.dumps(decision.as_dict()) + b"\n")
        counts[decision.decision] = counts.get(decision.decision, 0) + 1
    return counts


def check_file(store: Store, input_path: Path | str, output: IO[bytes], *,
               as_of: date | None = None, cache_dir: Path | None = None) -> dict[str, int]:
    """``embargo check INPUT [-o OUTPUT] [--as-of D]``: the count of each decision."""
    with Path(input_path).open("rb") as fh:
        return write_decisions(run_check(store, fh, as_of=as_of, cache_dir=cache_dir), output)
