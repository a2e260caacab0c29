"""The lists a monitor run screens against, and its hits as pairs ready to raise."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Protocol

from embargo.alerts.types import PairHit
from embargo.matching.screen import Hit, Screener
from embargo.screening.lists import ListScreener
from embargo.screening.results import hit_dict
from embargo.store import Snapshot
from embargo.store.customers import Customer


class Timings(Protocol):
    def timed(self, phase: str) -> AbstractContextManager[None]: ...


class RunLists:
    """The lists in force for this run: snapshots, entry hashes, and (loaded when first
    needed: a run with no list change and no customer due never loads it) the list screener."""

    def __init__(self, load: Callable[[], ListScreener], snapshots: dict[str, Snapshot],
                 members: dict[str, dict[str, str]], timings: Timings) -> None:
        self._load = load
        self._screener: ListScreener | None = None
        self.snapshots = snapshots
        self.members = members
        self._result = timings

    @property
    def screener(self) -> Screener:
        if self._screener is None:
            with self._result.timed("list_index"):
                self._screener = self._load()
        return self._screener.screener


def pair(customer: Customer, hit: Hit, lists: RunLists) -> PairHit:
    entity = hit.entity
    snap = lists.snapshots[entity.source]
    return PairHit(
        customer_id=customer.id, customer_version=customer.version,
        customer_hash=customer.content_hash, entity_id=entity.id,
        entity_hash=lists.members[entity.source][entity.id], snapshot_id=snap.id,
        published=snap.published, score=hit.score, source=entity.source,
        schema=str(entity.schema), caption=entity.caption,
        programs=tuple(p.code for p in entity.programs),
        hit=hit_dict(hit, lists.snapshots))


