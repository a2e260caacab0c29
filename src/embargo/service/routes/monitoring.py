"""Monitoring endpoints: customers, monitor runs, alerts and their four-eyes workflow, users.

Scopes: ``read`` lists and shows; ``alerts`` acts on alerts (as the key's user: create the key
with ``embargo keys create NAME --user USER``); ``admin`` imports and removes customers, runs
the monitor and manages users. Of two users acting on one alert, the second gets 409.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from embargo.alerts import actions
from embargo.alerts.reports import write_alerts, write_audit
from embargo.alerts.types import AlertFilter
from embargo.customers.importer import import_records, row_errors
from embargo.errors import PermissionDenied
from embargo.monitoring.views import alert_view, customer_view, status
from embargo.service import monitor_models as m
from embargo.service import monitoring as monitor
from embargo.service.auth import require
from embargo.service.errors import json_response
from embargo.service.models import ErrorBody
from embargo.service.routes import errors
from embargo.service.state import ServiceState, get_state
from embargo.store.alerts import AlertStore
from embargo.store.customers import CustomerStore
from embargo.store.keys import ApiKey
from embargo.store.users import UserStore

router = APIRouter(tags=["monitoring"])
CustomerId = Annotated[str, Path(min_length=1, max_length=300)]
AlertId = Annotated[int, Path(ge=1, le=2**31 - 1)]
States = Annotated[list[Literal["open", "review", "cleared", "confirmed", "escalated",
                                  "delisted"]] | None, Query()]
Score = Annotated[float | None, Query(ge=0, le=1)]
Days = Annotated[int | None, Query(ge=0, le=100_000)]
Text = Annotated[str | None, Query(max_length=300)]
Responses = dict[int | str, dict[str, Any]]
CONFLICT: Responses = {409: {"model": ErrorBody, "description": "Someone else changed the "
                             "alert first, or its state forbids the action"}}
EXPORT: Responses = {200: {"content": {"text/csv": {}, "application/x-ndjson": {}},
                           "description": "CSV or JSON lines"}}


def _user(state: ServiceState, key: ApiKey) -> str:
    user = UserStore(state.store.engine).key_user(key.id)
    if user is None:
        raise PermissionDenied(f"API key {key.id} acts as no user: create one with "
                               "`embargo keys create NAME --user USER`", key_id=key.id)
    return user.name


# -- customers ---------------------------------------------------------------------------------

@router.get("/customers", summary="Monitored customers", response_model=None,
            dependencies=[Depends(require("read"))],
            responses={200: {"model": m.CustomersResponse}, **errors(401, 403, 429)})
async def list_customers(request: Request, removed: bool = False,
                         limit: Annotated[int, Query(ge=1, le=10_000)] = 1000,
                         offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0) -> Response:
    """Customers by id with their current version (``removed``: include removed ones)."""
    def work() -> dict[str, Any]:
        found = CustomerStore(get_state(request).store.engine).iter(include_removed=removed)
        rows = [c.as_dict() for i, c in enumerate(found) if offset <= i < offset + limit]
        return {"customers": rows}
    return json_response(await run_in_threadpool(work))


@router.get("/customers/{customer_id}", summary="A customer, its versions and alerts",
            response_model=None, dependencies=[Depends(require("read"))],
            responses={200: {"model": m.CustomerModel}, **errors(401, 403, 404, 429)})
async def get_customer(request: Request, customer_id: CustomerId) -> Response:
    return json_response(await run_in_threadpool(customer_view, get_state(request).store,
                                                 customer_id))


@router.post("/customers", summary="Add or update customers (upsert by id)",
             response_model=None, dependencies=[Depends(require("admin"))],
             responses={200: {"model": m.ImportCustomersResponse},
                        **errors(401, 403, 422, 429)})
async def post_customers(request: Request, body: m.CustomersRequest) -> Response:
    """All or nothing unless ``skip_errors``; a monitor run follows when monitoring is on."""
    state = get_state(request)
    records = [c.model_dump(by_alias=True, exclude_none=True) for c in body.customers]

    def work() -> dict[str, Any]:
        done = import_records(state.store, records, "<request>", body.skip_errors)
        r = done.result
        run = monitor.after(state) if r.touched else None
        return {"added": list(r.added), "changed": list(r.changed),
                "restored": list(r.restored), "unchanged": r.unchanged,
                "rejected": row_errors(list(done.rejected)), "warnings": list(done.warnings),
                "monitor": run.as_dict() if run else None}
    return json_response(await run_in_threadpool(work))


@router.delete("/customers/{customer_id}", summary="Stop monitoring a customer",
               response_model=None, dependencies=[Depends(require("admin"))],
               responses={200: {"model": m.CustomerModel}, **errors(401, 403, 404, 429)})
async def delete_customer(request: Request, customer_id: CustomerId) -> Response:
    """Versions and alerts are kept; importing the id again resumes monitoring."""
    store = CustomerStore(get_state(request).store.engine)
    customer = await run_in_threadpool(store.remove, customer_id)
    return json_response(customer.as_dict())


# -- monitor -----------------------------------------------------------------------------------

@router.post("/monitor/run", summary="Run the monitor (delta, or full)", response_model=None,
             dependencies=[Depends(require("admin"))],
             responses={200: {"model": m.RunResponse}, **errors(401, 403, 404, 429)})
async def monitor_run(request: Request, body: m.RunRequest) -> Response:
    state = get_state(request)
    result = await run_in_threadpool(monitor.run, state, body.full)
    return json_response(result.as_dict())


@router.get("/monitor/status", summary="Monitoring settings and what is due",
            response_model=None, dependencies=[Depends(require("read"))],
            responses={200: {"model": m.StatusResponse}, **errors(401, 403, 429)})
async def monitor_status(request: Request) -> Response:
    return json_response(await run_in_threadpool(status, get_state(request).store))


# -- alerts ------------------------------------------------------------------------------------

def _filter(states: Sequence[str] | None, source: str | None, program: str | None,
            min_score: float | None, max_score: float | None, older_than: int | None,
            newer_than: int | None, customer: str | None, entity: str | None,
            limit: int | None = None) -> AlertFilter:
    return AlertFilter(tuple(states or ()), source, program, min_score, max_score, older_than,
                       newer_than, customer, entity, limit)


@router.get("/alerts", summary="Alerts, with filters", response_model=None,
            dependencies=[Depends(require("read"))],
            responses={200: {"model": m.AlertsResponse}, **errors(401, 403, 429)})
async def list_alerts(request: Request, state: States = None, source: Text = None,
                      program: Text = None, min_score: Score = None, max_score: Score = None,
                      older_than: Days = None, newer_than: Days = None,
                      customer: Text = None, entity: Text = None,
                      limit: Annotated[int, Query(ge=1, le=10_000)] = 1000) -> Response:
    """Oldest first; ``older_than``/``newer_than`` are ages in days."""
    f = _filter(state, source, program, min_score, max_score, older_than, newer_than,
                customer, entity, limit)
    store = AlertStore(get_state(request).store.engine)
    found = await run_in_threadpool(store.list, f)
    return json_response({"alerts": [a.as_dict(with_hit=False) for a in found]})


@router.get("/alerts/export", summary="Export alerts as CSV or JSON lines",
            response_model=None, dependencies=[Depends(require("read"))],
            responses={**EXPORT, **errors(401, 403, 429)})
async def export_alerts(request: Request,
                        format: Annotated[Literal["csv", "jsonl"], Query()] = "csv",
                        state: States = None, source: Text = None, program: Text = None,
                        min_score: Score = None, max_score: Score = None,
                        older_than: Days = None, newer_than: Days = None) -> Response:
    f = _filter(state, source, program, min_score, max_score, older_than, newer_than,
                None, None)
    store = AlertStore(get_state(request).store.engine)

    def work() -> str:
        out = io.StringIO()
        write_alerts(store.iter(f), out, format)
        return out.getvalue()
    return _text(await run_in_threadpool(work), format)


@router.get("/alerts/audit", summary="Every event of every alert, for an examiner",
            response_model=None, dependencies=[Depends(require("read"))],
            responses={**EXPORT, **errors(401, 403, 429)})
async def audit_alerts(request: Request,
                       format: Annotated[Literal["csv", "jsonl"], Query()] = "csv") -> Response:
    store = AlertStore(get_state(request).store.engine)

    def work() -> str:
        out = io.StringIO()
        write_audit(store.iter_events(), {a.id: a for a in store.iter()}, out, format)
        return out.getvalue()
    return _text(await run_in_threadpool(work), format)


def _text(body: str, fmt: str) -> Response:
    media = "text/csv" if fmt == "csv" else "application/x-ndjson"
    return Response(body.encode(), media_type=media)


@router.get("/alerts/{alert_id}", summary="An alert with its hit, explanation and events",
            response_model=None, dependencies=[Depends(require("read"))],
            responses={200: {"model": m.AlertDetail}, **errors(401, 403, 404, 429)})
async def get_alert(request: Request, alert_id: AlertId) -> Response:
    return json_response(await run_in_threadpool(alert_view, get_state(request).store,
                                                 alert_id))


_ACT: Responses = {200: {"model": m.AlertDetail}, **errors(401, 403, 404, 429), **CONFLICT}


async def _act(request: Request, key: ApiKey, alert_id: int, call: Any, *args: Any) -> Response:
    state = get_state(request)

    def work() -> dict[str, Any]:
        call(state.store, alert_id, _user(state, key), *args)
        return alert_view(state.store, alert_id)
    return json_response(await run_in_threadpool(work))


@router.post("/alerts/{alert_id}/review", summary="Start reviewing an open alert",
             response_model=None, responses=_ACT)
async def review_alert(request: Request, alert_id: AlertId, body: m.ActionRequest,
                       key: Annotated[ApiKey, Depends(require("alerts"))]) -> Response:
    return await _act(request, key, alert_id, actions.take, body.comment, body.revision)


@router.post("/alerts/{alert_id}/decision",
             summary="Clear, confirm or escalate (confirm, and clear above the four-eyes "
                     "level, await a second user's approval)",
             response_model=None, responses=_ACT)
async def decide_alert(request: Request, alert_id: AlertId, body: m.DecisionRequest,
                       key: Annotated[ApiKey, Depends(require("alerts"))]) -> Response:
    return await _act(request, key, alert_id, actions.decide, body.decision, body.reason,
                      body.comment, body.revision)


@router.post("/alerts/{alert_id}/approval",
             summary="Approve the pending decision (an approver or admin, never its author)",
             response_model=None, responses=_ACT)
async def approve_alert(request: Request, alert_id: AlertId, body: m.ActionRequest,
                        key: Annotated[ApiKey, Depends(require("alerts"))]) -> Response:
    return await _act(request, key, alert_id, actions.approve, body.comment, body.revision)


@router.post("/alerts/{alert_id}/rejection", summary="Reject the pending decision",
             response_model=None, responses=_ACT)
async def reject_alert(request: Request, alert_id: AlertId, body: m.ActionRequest,
                       key: Annotated[ApiKey, Depends(require("alerts"))]) -> Response:
    return await _act(request, key, alert_id, actions.reject, body.comment, body.revision)


# -- users -------------------------------------------------------------------------------------

@router.get("/users", summary="Users and roles", response_model=None,
            dependencies=[Depends(require("admin"))],
            responses={200: {"model": m.UsersResponse}, **errors(401, 403, 429)})
async def list_users(request: Request) -> Response:
    users = await run_in_threadpool(UserStore(get_state(request).store.engine).list)
    return json_response({"users": [u.as_dict() for u in users]})


@router.post("/users", summary="Add a user", response_model=None,
             dependencies=[Depends(require("admin"))],
             responses={200: {"model": m.UserModel}, **errors(401, 403, 429), **CONFLICT})
async def add_user(request: Request, body: m.UserRequest) -> Response:
    store = UserStore(get_state(request).store.engine)
    user = await run_in_threadpool(store.add, body.name, body.role)
    return json_response(user.as_dict())
