"""Request and response models of ``POST /check`` (programme-rule decisions)."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, Field

from embargo.service.models import GuardedBody, SnapshotRef

TRANSACTION_EXAMPLE = {
    "id": "tx-1", "date": "2021-07-01", "kind": "purchase", "market": "primary",
    "instrument": {"kind": "bond", "issue_date": "2021-07-01", "currency": "RUB",
                   "issuer": {"name": "Ministry of Finance of the Russian Federation"}},
    "institution": {"jurisdiction": "us"},
    "parties": [{"role": "seller", "name": "Example Broker LLC", "country": "us"}],
}


class CheckRequest(GuardedBody):
    items: list[Any] = Field(
        min_length=1, examples=[[TRANSACTION_EXAMPLE]],
        description="Transactions or parties, each a JSON object as `embargo check` reads "
                    "them (docs/rules.md): id, date, kind, market, purpose, instrument, "
                    "institution, parties. An item that cannot be read is answered with a "
                    "`review` decision and an `error`.")
    as_of: date | None = Field(None, description="The date for items without one, and "
                                                 "'today' for spotting dates in the future.")


class EntityRef(BaseModel):
    id: str
    caption: str
    source: str
    programmes: list[str]
    directives: list[str]


class MatchRef(BaseModel):
    method: str
    score: float
    certain: bool


class LicenceRef(BaseModel):
    id: str
    kind: str
    title: str
    citation: str


class RegionRef(BaseModel):
    id: str
    name: str
    matched: str
    place: str | None


class ReasonModel(BaseModel):
    outcome: Literal["prohibited", "review", "allowed_under_licence", "info"]
    message: str
    rule: str | None = None
    title: str | None = None
    citation: str | None = None
    party: str | None = None
    entity: EntityRef | None = None
    snapshot: SnapshotRef | None = None
    match: MatchRef | None = None
    ownership: list[str] = []
    licence: LicenceRef | None = None
    region: RegionRef | None = None
    link: str | None = Field(None, description="The same party on another list (a cross-list "
                                               "link shown in the decision), and the evidence")


class DecisionModel(BaseModel):
    id: str
    decision: Literal["prohibited", "review", "allowed_under_licence", "allowed"]
    date: str | None = Field(description="The date the item was judged on")
    reasons: list[ReasonModel]
    snapshots: list[SnapshotRef]
    error: str | None = None


class CheckResponse(BaseModel):
    id: str
    as_of: str | None
    decisions: list[DecisionModel]
