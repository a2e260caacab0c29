"""``POST /check``: programme-rule decisions over the service's snapshots and index.

Each item is judged on the lists in force on its own date, as ``embargo check`` does. What
a date is judged on is a :class:`Pin` (the snapshot ids in force, and the lists the store holds
only from later); pins are recorded in the audit trail so a replay re-decides on the same
snapshots even after older snapshots were imported.

List views (the listed entities indexed for party resolution) are built from the store once
per pin and kept in a small LRU (:class:`ListViews`), emptied when the holder swaps its index.
Fuzzy name resolution uses the holder's screener for exactly the pin's snapshots: the index in
force when the date's snapshots are the newest ones, else the holder's cached past index.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from embargo.errors import EmbargoError, NotFoundError, ValidationError
from embargo.matching import Prepared
from embargo.model.entity import Entity
from embargo.ownership.graph import OwnershipGraph
from embargo.rules.changes import LaterView
from embargo.rules.decision import REVIEW, Decision
from embargo.rules.engine import Context, Engine
from embargo.rules.later import Changes, ChangesView, cached_changes, fresh_view
from embargo.rules.resolve import ListView, PartyResolver, Screen, describe_store
from embargo.rules.transaction import Transaction, parse_transaction
from embargo.service.config import Budget
from embargo.service.holder import IndexHolder
from embargo.service.rule_models import CheckRequest
from embargo.service.screening import DEFAULT_BUDGET, check_deadline
from embargo.store import Snapshot, Store
from embargo.store.ownership import load_holdings

log = logging.getLogger(__name__)

VIEW_CACHE = 4  # list views kept (one per distinct set of snapshots)
LATEST = "latest"  # the pin key of items judged on the newest lists (no date, no as_of)


@dataclass(frozen=True, slots=True)
class Pin:
    """The lists one date is judged on; hashable, so it keys the view cache."""

    snapshot_ids: tuple[int, ...]
    not_in_force: tuple[tuple[str, date], ...] = ()  # source -> its earliest snapshot
    held: tuple[int, ...] | None = None
    """Every snapshot the store held when the date was judged: the history the stale-list
    check reads (each list's cadence and its next snapshot). None: the store's current ones
    (a later list's view, or an audit record written before this was recorded)."""

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "snapshots": list(self.snapshot_ids),
            "not_in_force": {source: day.isoformat() for source, day in self.not_in_force}}
        if self.held is not None:
            out["held"] = list(self.held)
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Pin:
        missing = data.get("not_in_force") or {}
        held = data.get("held")
        return cls(tuple(sorted(int(i) for i in data["snapshots"])),
                   tuple(sorted((str(s), date.fromisoformat(d)) for s, d in missing.items())),
                   None if held is None else tuple(sorted(int(i) for i in held)))


def pin_key(day: date | None) -> str:
    return day.isoformat() if day else LATEST


def pin_for(in_force: list[Snapshot], held: list[Snapshot]) -> Pin:
    """The pin of a date: its snapshots, and each list held but not yet in force then."""
    sources = {s.source for s in in_force}
    first: dict[str, date] = {}
    for snap in held:
        if snap.source not in sources:
            first[snap.source] = min(first.get(snap.source, snap.published), snap.published)
    return Pin(tuple(sorted(s.id for s in in_force)), tuple(sorted(first.items())),
               tuple(sorted(s.id for s in held)))


class ListViews:
    """List views per pin, built from the store (bounded LRU, emptied on an index swap)."""

    def __init__(self, store: Store, holder: IndexHolder, size: int = VIEW_CACHE,
                 threshold: float | None = None) -> None:
        self.store = store
        self.holder = holder
        self.size = size
        self.threshold = threshold
        self._views: OrderedDict[Pin, ListView] = OrderedDict()
        self._changes: dict[tuple[int, int], tuple[Changes, ListView]] = {}
        self._lock = threading.Lock()
        self.built = 0  # views built so far (for tests and logs)
        holder.on_swap(self.forget)

    def __len__(self) -> int:
        return len(self._views)

    def view(self, pin: Pin) -> ListView:
        with self._lock:
            found = self._views.get(pin)
            if found is not None:
                self._views.move_to_end(pin)
                return found
        view = self._build(pin)
        with self._lock:
            self._views[pin] = view
            while len(self._views) > self.size:
                self._views.popitem(last=False)
        return view

    def later_for(self, base: ListView) -> LaterView:
        """A stale list's next snapshot seen from ``base``, as ``embargo check`` sees it: what
        changed since the base's snapshot of the list (built once per pair of snapshots)."""
        def later(snapshot: Snapshot) -> PartyResolver:
            old = base.snapshots.get(snapshot.source)
            if old is None:
                return self.view(Pin((snapshot.id,)))
            key = (old.id, snapshot.id)
            with self._lock:
                found = self._changes.get(key)
            if found is None:
                changes, _ = cached_changes(self.store, old, snapshot, None)
                found = (changes, fresh_view(changes, threshold=self.threshold))
                with self._lock:
                    if len(self._changes) >= 4 * self.size:
                        self._changes.clear()
                    self._changes[key] = found
            return ChangesView(base, found[0], found[1])
        return later

    def forget(self) -> None:
        """Drop every view (the holder calls this when it swaps its index).

        No reference to the old index is kept here: it is freed as soon as the requests
        still using it finish.
        """
        with self._lock:
            if self._views:
                log.info("index swapped: dropping %d cached list views", len(self._views))
            self._views.clear()
            self._changes.clear()

    def _build(self, pin: Pin) -> ListView:
        members: list[tuple[Entity, Snapshot | None]] = []
        for snapshot_id in pin.snapshot_ids:
            snapshot = self.store.get_snapshot(snapshot_id)
            members.extend((e, snapshot) for e in self.store.iter_entities(snapshot_id))
        view = ListView(members, screen=self._screen(pin.snapshot_ids))
        describe_store(view, self._held(pin))  # each list's history: stale lists
        view.not_in_force = dict(pin.not_in_force)
        self.built += 1
        log.debug("list view of snapshots %s: %d entities", pin.snapshot_ids, len(members))
        return view

    def _held(self, pin: Pin) -> list[Snapshot]:
        """The snapshots the pin's stale-list check reads: those held when it was made."""
        held = self.store.snapshots()
        if pin.held is None:
            return held
        wanted = set(pin.held)
        found = [s for s in held if s.id in wanted]
        if len(found) < len(wanted):
            gone = sorted(wanted - {s.id for s in found})
            raise NotFoundError(f"snapshots {gone} recorded for this check are no longer in "
                                "the store: the stale-list check cannot be replayed",
                                snapshot_ids=gone)
        return found

    def _screen(self, ids: tuple[int, ...]) -> Screen:
        """Name screening on the holder's index of exactly these snapshots."""
        def run(query: Entity | Prepared) -> list[tuple[Entity, float]]:
            if not ids:
                return []
            screener = self.holder.for_snapshot_ids(ids).screener
            return [(hit.entity, hit.score) for hit in screener.screen(query, self.threshold)]
        return run


@dataclass
class Session:
    """One request's dates: their pins, list views and ownership graphs."""

    views: ListViews
    pinned: Mapping[str, Pin] | None = None  # replay: the recorded pins
    used: dict[str, Pin] = field(default_factory=dict)
    _contexts: dict[date | None, Context] = field(default_factory=dict)
    _held: list[Snapshot] | None = None

    def context(self, day: date | None) -> Context:
        if day not in self._contexts:
            pin = self._pin(day)
            self.used[pin_key(day)] = pin
            graph = OwnershipGraph(load_holdings(self.views.store, day))
            view = self.views.view(pin)
            self._contexts[day] = Context(view, graph, later=self.views.later_for(view))
        return self._contexts[day]

    def _pin(self, day: date | None) -> Pin:
        recorded = (self.pinned or {}).get(pin_key(day))
        if recorded is not None:
            return recorded
        store = self.views.store
        if self._held is None:
            self._held = store.snapshots()
        return pin_for(store.snapshots_as_of(day), self._held)


@dataclass(frozen=True, slots=True)
class Checked:
    """The answer body (without the screening id) and the pins it was decided on."""

    body: dict[str, Any]
    pins: dict[str, Pin]

    @property
    def snapshot_ids(self) -> tuple[int, ...]:
        return tuple(sorted({i for pin in self.pins.values() for i in pin.snapshot_ids}))

    def audit_payload(self, request: CheckRequest, today: date) -> dict[str, Any]:
        return {"body": request.model_dump(mode="json"), "today": today.isoformat(),
                "pins": {key: pin.as_dict() for key, pin in self.pins.items()}}


def item_id(raw: Any, number: int) -> str:
    """The item's own id when it has a usable one, else its position (1-based)."""
    value = raw.get("id") if isinstance(raw, Mapping) else None
    if isinstance(value, str | int) and not isinstance(value, bool) and str(value).strip():
        return str(value).strip()
    return str(number)


def read_item(number: int, raw: Any) -> Transaction | str:
    """The transaction, or why it cannot be read."""
    try:
        return parse_transaction(raw, str(number))
    except ValidationError as exc:
        return f"item {number}: {exc.message}"
    except Exception as exc:  # a request must never fail on one odd item
        log.exception("item %d could not be read", number)
        return f"item {number}: unreadable ({type(exc).__name__})"


def over_budget(number: int, raw: Any, budget: Budget) -> str | None:
    """Why an item asks for more work than the budget allows (its parties), if it does."""
    parties = raw.get("parties") if isinstance(raw, Mapping) else None
    if isinstance(parties, list) and len(parties) > budget.values:
        return (f"item {number}: {len(parties)} parties, over the limit of {budget.values} "
                "(EMBARGO_MAX_VALUES)")
    return None


def decide_item(engine: Engine, session: Session, number: int, raw: Any,
                as_of: date | None, budget: Budget = DEFAULT_BUDGET) -> Decision:
    """One item's decision; an item that cannot be read or decided is ``review``."""
    refused = over_budget(number, raw, budget)
    item = refused if refused is not None else read_item(number, raw)
    if isinstance(item, str):
        return Decision(item_id(raw, number), REVIEW, error=item)
    context = session.context(item.date or as_of)
    try:
        return engine.check(item, context, as_of)
    except EmbargoError:
        raise
    except Exception as exc:
        log.exception("item %d could not be decided", number)
        return Decision(item.id, REVIEW, error=f"item {number}: could not be decided "
                                               f"({type(exc).__name__}); see the server log")


def compute_check(views: ListViews, request: CheckRequest, today: date,
                  pinned: Mapping[str, Pin] | None = None, budget: Budget = DEFAULT_BUDGET,
                  deadline: float | None = None) -> Checked:
    """Decisions for the request's items, in order, each on the lists of its date."""
    engine = Engine(today=today)
    session = Session(views, pinned)
    decisions = []
    for number, raw in enumerate(request.items, start=1):
        check_deadline(deadline)
        decisions.append(decide_item(engine, session, number, raw, request.as_of,
                                     budget).as_dict())
    as_of = request.as_of.isoformat() if request.as_of else None
    return Checked({"as_of": as_of, "decisions": decisions}, session.used)


def check_count(count: int, max_batch: int) -> None:
    if count > max_batch:
        raise ValidationError(f"{count} items in one request; the limit is {max_batch} "
                              "(EMBARGO_MAX_BATCH)", items=count, max_batch=max_batch)


def rerun_check(views: ListViews, request: Mapping[str, Any]) -> dict[str, Any]:
    """The body a recorded ``/check`` request gives on its recorded pins and date."""
    body = CheckRequest.model_validate(request["body"])
    pins = {key: Pin.from_dict(value) for key, value in request["pins"].items()}
    return compute_check(views, body, date.fromisoformat(request["today"]), pins).body
