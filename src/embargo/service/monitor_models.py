"""Request and response models of the monitoring endpoints (customers, monitor, alerts, users)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class _Open(BaseModel):
    """A response documented by its main fields; more may be present."""

    model_config = ConfigDict(extra="allow")


class CustomerRecord(BaseModel):
    """A customer in FollowTheMoney form (``screen``'s properties), keyed by ``id``."""

    model_config = ConfigDict(extra="allow")
    id: str = Field(min_length=1, max_length=300, examples=["cust-0001"])
    schema_: str | None = Field(None, alias="schema", examples=["Person"])
    properties: dict[str, Any] = Field(default_factory=dict,
                                       examples=[{"name": ["Wladimir Putin"]}])


class CustomersRequest(BaseModel):
    customers: list[CustomerRecord] = Field(max_length=10_000)
    skip_errors: bool = False


class CustomerModel(_Open):
    id: str
    version: int
    schema_: str = Field(alias="schema")
    caption: str
    removed_at: str | None


class CustomersResponse(BaseModel):
    customers: list[CustomerModel]


class ImportCustomersResponse(_Open):
    added: list[str]
    changed: list[str]
    restored: list[str]
    unchanged: int
    rejected: list[str]
    monitor: dict[str, Any] | None


class RunRequest(BaseModel):
    full: bool = False


class RunResponse(_Open):
    full: bool
    customers_screened: int
    raised: list[int]
    delisted: list[int]


class StatusResponse(_Open):
    enabled: bool
    threshold: float
    four_eyes_above: float


class AlertModel(_Open):
    id: int
    customer_id: str
    entity_id: str
    state: str
    score: float
    snapshot: int
    revision: int


class AlertsResponse(BaseModel):
    alerts: list[AlertModel]


class AlertDetail(AlertModel):
    events: list[dict[str, Any]]


class ActionRequest(BaseModel):
    comment: str | None = Field(None, max_length=4000)
    revision: int | None = Field(None, ge=1, le=2**31 - 1,
                                 description="Refuse (409) unless the alert is at this revision")


class DecisionRequest(ActionRequest):
    decision: Literal["cleared", "confirmed", "escalated"]
    reason: str = Field(min_length=1, max_length=100, examples=["name_only"])


class UserRequest(BaseModel):
    name: str = Field(min_length=1, max_length=100, examples=["ann"])
    role: Literal["analyst", "approver", "admin"]


class UserModel(_Open):
    name: str
    role: str


class UsersResponse(BaseModel):
    users: list[UserModel]
