"""When a new snapshot is suspicious: held for review, or refused outright.

Pure decisions over what is known before a snapshot is stored:

- a publication date after today (plus a tolerance) is refused: a future-dated list would
  take over "now" until that date (TUF's fast-forward attack);
- an empty list, one much smaller than the file itself declares, one that removes more than
  ``max_removed`` of the entities of the snapshot it follows, or one older than the snapshot
  in force (a rollback) is stored *held*: not in force until ``embargo release``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from embargo.errors import ImplausibleListError, UsageError
from embargo.store import Snapshot

DEFAULT_MAX_REMOVED = 0.05
DEFAULT_FUTURE_DAYS = 1


@dataclass(frozen=True, slots=True)
class HoldPolicy:
    max_removed: float = DEFAULT_MAX_REMOVED  # share of the previous snapshot's entities
    future_days: int = DEFAULT_FUTURE_DAYS  # publication dates up to today + this are fine
    backfill: bool = False  # an older publication date is history being filled in, not held

    def __post_init__(self) -> None:
        if not 0.0 <= self.max_removed <= 1.0:
            raise UsageError(f"--max-removed must be a share between 0 and 1, "
                             f"not {self.max_removed}")


def check_not_future(published: date, today: date, policy: HoldPolicy, *,
                     explicit: bool, origin: object) -> None:
    """Refuse a publication date later than ``today`` plus the tolerance."""
    latest = today + timedelta(days=policy.future_days)
    if published <= latest:
        return
    tail = (f"after {latest} (today {today} + {policy.future_days} day(s), "
            "EMBARGO_FUTURE_TOLERANCE_DAYS); refused, nothing was stored")
    if explicit:
        raise UsageError(f"--published {published} is in the future: {tail}")
    raise ImplausibleListError(f"{origin}: the list says it was published on {published}, "
                               f"{tail}", path=str(origin), published=published.isoformat())


@dataclass(frozen=True, slots=True)
class Incoming:
    """What the policy knows of the snapshot about to be stored."""

    source: str
    published: date
    entity_ids: frozenset[str]
    declared_count: int | None


def hold_reason(new: Incoming, in_force: Snapshot | None, before: Snapshot | None,
                before_ids: set[str] | None, policy: HoldPolicy) -> str | None:
    """Why ``new`` must be held, or None.

    ``in_force`` is the source's newest snapshot in force; ``before`` the newest in force
    published on or before ``new`` (what it follows), with its entity ids.
    """
    count = len(new.entity_ids)
    if count == 0:
        return "empty list: 0 entities read"
    if new.declared_count and count < new.declared_count * (1 - policy.max_removed):
        return (f"implausibly small: {count} entities read, the file declares "
                f"{new.declared_count}")
    if in_force is not None and new.published < in_force.published and not policy.backfill:
        return (f"rollback: published {new.published}, older than snapshot #{in_force.id} "
                f"in force (published {in_force.published})")
    if before is not None and before_ids:
        removed = len(before_ids - new.entity_ids)
        share = removed / len(before_ids)
        if share > policy.max_removed:
            return (f"removes {removed} of the {len(before_ids)} entities of snapshot "
                    f"#{before.id} ({share:.1%}; the limit is {policy.max_removed:.1%})")
    return None
