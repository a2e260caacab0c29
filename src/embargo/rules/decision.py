"""Decisions and the reasons behind them, JSON-ready."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from embargo.model.entity import Entity
from embargo.store.types import Snapshot

PROHIBITED = "prohibited"
REVIEW = "review"
LICENSED = "allowed_under_licence"
ALLOWED = "allowed"
INFO = "info"  # a reason that does not change the decision
# the worst outcome decides
RANK = {PROHIBITED: 3, REVIEW: 2, LICENSED: 1, ALLOWED: 0, INFO: 0}


def entity_ref(entity: Entity) -> dict[str, Any]:
    return {"id": entity.id, "caption": entity.caption, "source": entity.source,
            "programmes": [p.code for p in entity.programs],
            "directives": [f"{d.authority} {d.name}" for d in entity.directives]}


def snapshot_ref(snapshot: Snapshot | None) -> dict[str, Any] | None:
    if snapshot is None:
        return None
    return {"id": snapshot.id, "source": snapshot.source,
            "published": snapshot.published.isoformat()}


@dataclass(frozen=True, slots=True)
class Reason:
    outcome: str  # prohibited | review | allowed_under_licence | info
    message: str
    rule: str | None = None
    title: str | None = None
    citation: str | None = None
    party: str | None = None
    entity: dict[str, Any] | None = None
    snapshot: dict[str, Any] | None = None
    match: dict[str, Any] | None = None
    ownership: tuple[str, ...] = ()
    licence: dict[str, Any] | None = None
    region: dict[str, Any] | None = None
    link: str | None = None  # the same party on another list, and the evidence

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"outcome": self.outcome, "message": self.message}
        for key in ("rule", "title", "citation", "party", "entity", "snapshot", "match",
                    "licence", "region", "link"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        if self.ownership:
            out["ownership"] = list(self.ownership)
        return out


@dataclass(frozen=True, slots=True)
class Decision:
    id: str
    decision: str
    date: date | None = None
    reasons: tuple[Reason, ...] = ()
    snapshots: tuple[dict[str, Any], ...] = field(default=())
    error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "decision": self.decision,
                               "date": self.date.isoformat() if self.date else None,
                               "reasons": [r.as_dict() for r in self.reasons],
                               "snapshots": list(self.snapshots)}
        if self.error is not None:
            out["error"] = self.error
        return out


def combine(reasons: list[Reason]) -> str:
    """The decision the reasons add up to: the worst outcome, else allowed."""
    worst = max((RANK[r.outcome] for r in reasons), default=0)
    for outcome in (PROHIBITED, REVIEW, LICENSED):
        if RANK[outcome] == worst:
            return outcome
    return ALLOWED
