"""Alerts and their events as plain immutable values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any


def _iso(value: datetime | date | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    return value.isoformat()


@dataclass(frozen=True, slots=True)
class Alert:
    """One raised (customer, listed entry) pair, with what it was raised on.

    ``seq`` counts the pair's alerts: a cleared pair whose customer or entry changed is raised
    again with the next ``seq``, ``supersedes`` naming the alert before and ``changes`` what
    changed. ``revision`` grows with every change (optimistic concurrency).
    """

    id: int
    customer_id: str
    entity_id: str
    seq: int
    state: str
    score: float
    source: str
    schema: str
    caption: str
    programs: tuple[str, ...]
    hit: dict[str, Any]
    snapshot_id: int
    published: date
    entity_hash: str
    customer_version: int
    customer_hash: str
    supersedes: int | None
    changes: dict[str, Any] | None
    pending_decision: str | None
    pending_by: str | None
    pending_reason: str | None
    delisted_on: date | None
    created_at: datetime
    updated_at: datetime
    revision: int

    def as_dict(self, with_hit: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id, "customer_id": self.customer_id, "entity_id": self.entity_id,
            "seq": self.seq, "state": self.state, "score": self.score, "source": self.source,
            "schema": self.schema, "caption": self.caption, "programs": list(self.programs),
            "snapshot": self.snapshot_id, "published": _iso(self.published),
            "entity_hash": self.entity_hash, "customer_version": self.customer_version,
            "customer_hash": self.customer_hash, "supersedes": self.supersedes,
            "changes": self.changes, "pending_decision": self.pending_decision,
            "pending_by": self.pending_by, "pending_reason": self.pending_reason,
            "delisted_on": _iso(self.delisted_on), "created_at": _iso(self.created_at),
            "updated_at": _iso(self.updated_at), "revision": self.revision,
        }
        if with_hit:
            out["hit"] = self.hit
        return out


@dataclass(frozen=True, slots=True)
class AlertEvent:
    """One append-only change of an alert (``user`` None: the monitor itself)."""

    id: int
    alert_id: int
    at: datetime
    user: str | None
    action: str
    from_state: str | None
    to_state: str | None
    reason: str | None
    comment: str | None
    details: dict[str, Any] | None

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "alert_id": self.alert_id, "at": _iso(self.at),
                "user": self.user, "action": self.action, "from_state": self.from_state,
                "to_state": self.to_state, "reason": self.reason, "comment": self.comment,
                "details": self.details}


@dataclass(frozen=True, slots=True)
class PairHit:
    """A screening hit of a monitored customer, ready to raise (or not) as an alert."""

    customer_id: str
    customer_version: int
    customer_hash: str
    entity_id: str
    entity_hash: str
    snapshot_id: int
    published: date
    score: float
    source: str
    schema: str
    caption: str
    programs: tuple[str, ...]
    hit: dict[str, Any]


@dataclass(frozen=True, slots=True)
class AlertFilter:
    """Filters of ``alerts list`` and exports (None: any)."""

    states: tuple[str, ...] = ()
    source: str | None = None
    program: str | None = None
    min_score: float | None = None
    max_score: float | None = None
    older_than_days: int | None = None
    newer_than_days: int | None = None
    customer_id: str | None = None
    entity_id: str | None = None
    limit: int | None = None
