"""Stale lists: a snapshot in force much older than the list's usual cadence.

A list is *stale* on a date when its snapshot in force then is older than the list's usual
cadence: the publisher's, as the catalogue's ``cadence_days`` gives it for the list; for a list
the catalogue gives none, the median gap between the snapshots the store holds of it (at
least 7 days). A party cleared or
caught by a stale snapshot may have been listed or delisted since; when the store holds a
later snapshot, the party is looked up there too, and a change between the two is a
``review`` that names the snapshot dates bracketing it.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date
from statistics import median

from embargo.store.types import Snapshot

DEFAULT_CADENCE = 7


@dataclass(frozen=True, slots=True)
class Staleness:
    """A list whose snapshot in force on ``day`` is older than its usual cadence."""

    source: str
    day: date
    snapshot: Snapshot
    cadence: int  # days
    later: Snapshot | None  # the next snapshot the store holds, if any

    @property
    def age(self) -> int:
        return (self.day - self.snapshot.published).days

    def describe(self) -> str:
        return (f"the {self.source} snapshot in force on {self.day} is of "
                f"{self.snapshot.published} ({self.age} days old; the list is usually "
                f"published at least every {self.cadence} days)")


def cadence(history: list[Snapshot], declared: int | None) -> int:
    """The list's usual gap between publications, in days."""
    if declared:
        return declared
    days = sorted({s.published for s in history})
    gaps = [(b - a).days for a, b in itertools.pairwise(days)]
    return max(DEFAULT_CADENCE, round(median(gaps))) if gaps else DEFAULT_CADENCE


def stale_lists(snapshots: dict[str, Snapshot], history: dict[str, list[Snapshot]],
                day: date, declared: dict[str, int]) -> list[Staleness]:
    """The lists in force on ``day`` whose snapshot is older than their cadence."""
    out = []
    for source, snapshot in sorted(snapshots.items()):
        held = history.get(source, [])
        every = cadence(held, declared.get(source))
        if (day - snapshot.published).days <= every:
            continue
        later = next((s for s in held if s.published > snapshot.published), None)
        out.append(Staleness(source, day, snapshot, every, later))
    return out
