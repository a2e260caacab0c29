"""The alert page and the actions on it (take, decide, approve, reject)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Path, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from embargo.alerts import actions
from embargo.console.alertpage import alert_page
from embargo.console.sessions import Session
from embargo.console.web import base, page, posted, signed_in, state

router = APIRouter()
AlertId = Annotated[int, Path(ge=1, le=2**31 - 1)]
Comment = Annotated[str, Form(max_length=4000)]
Revision = Annotated[int | None, Form()]
REASONS = ("different_person", "different_birth_date", "different_country",
           "different_entity_type", "name_only", "same_person", "same_entity",
           "needs_information")


@router.get("/alerts/{alert_id}")
async def show(request: Request, alert_id: AlertId,
               session: Annotated[Session, Depends(signed_in)]) -> Response:
    found = await run_in_threadpool(alert_page, state(request).store, alert_id)
    return page(request, "alert.html", a=found, reasons=REASONS)


async def _act(request: Request, alert_id: int, call: Callable[..., Any], *args: Any) -> Response:
    await run_in_threadpool(call, state(request).store, alert_id, *args)
    return RedirectResponse(f"{base(request)}/alerts/{alert_id}", status_code=303)


@router.post("/alerts/{alert_id}/take")
async def take(request: Request, alert_id: AlertId, session: Annotated[Session, Depends(posted)],
               revision: Revision = None) -> Response:
    return await _act(request, alert_id, actions.take, session.user.name, None, revision)


@router.post("/alerts/{alert_id}/decision")
async def decide(request: Request, alert_id: AlertId,
                 session: Annotated[Session, Depends(posted)],
                 decision: Annotated[str, Form(max_length=20)] = "",
                 reason: Annotated[str, Form(max_length=100)] = "", comment: Comment = "",
                 revision: Revision = None) -> Response:
    return await _act(request, alert_id, actions.decide, session.user.name, decision,
                      reason or None, comment or None, revision)


@router.post("/alerts/{alert_id}/approve")
async def approve(request: Request, alert_id: AlertId,
                  session: Annotated[Session, Depends(posted)], comment: Comment = "",
                  revision: Revision = None) -> Response:
    return await _act(request, alert_id, actions.approve, session.user.name, comment or None,
                      revision)


@router.post("/alerts/{alert_id}/reject")
async def reject(request: Request, alert_id: AlertId,
                 session: Annotated[Session, Depends(posted)], comment: Comment = "",
                 revision: Revision = None) -> Response:
    return await _act(request, alert_id, actions.reject, session.user.name, comment or None,
                      revision)
