"""The alert queue and "assign to me"."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Path, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from embargo.console.assignments import assign
from embargo.console.queue import QueueFilter, choices, queue_page, state_counts
from embargo.console.sessions import Session
from embargo.console.web import base, page, posted, signed_in, state

router = APIRouter()
Text = Annotated[str, Query(max_length=300)]
AlertId = Annotated[int, Path(ge=1, le=2**31 - 1)]


@router.get("/alerts")
async def queue(request: Request, session: Annotated[Session, Depends(signed_in)],
                state_: Annotated[str, Query(alias="state", max_length=30)] = "active",
                source: Text = "", program: Text = "", band: Text = "", age: Text = "",
                assignee: Text = "", sort: Text = "-score",
                page_: Annotated[int, Query(alias="page", ge=1, le=1_000_000)] = 1,
                ) -> Response:
    f = QueueFilter(state_, source, program, band, age, assignee, sort, page_).checked()
    engine = state(request).store.engine

    def work() -> tuple[object, dict[str, int], tuple[list[str], list[str]]]:
        return queue_page(engine, f, session.user.name), state_counts(engine), choices(engine)
    found, counts, (sources, programs) = await run_in_threadpool(work)
    return page(request, "queue.html", counts=counts, q=found, f=f, sources=sources,
                programs=programs)


@router.post("/alerts/{alert_id}/assign")
async def assign_to_me(request: Request, alert_id: AlertId,
                       session: Annotated[Session, Depends(posted)],
                       next: Annotated[str, Form(max_length=2000)] = "") -> Response:
    await run_in_threadpool(assign, state(request).store.engine, alert_id, session.user.name)
    back = next if next.startswith(base(request) + "/alerts") else \
        f"{base(request)}/alerts/{alert_id}"
    return RedirectResponse(back, status_code=303)
