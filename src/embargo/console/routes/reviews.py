"""The approvals queue and the good-guy list."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from embargo.console.reviews import approvals, good_guys
from embargo.console.sessions import Session
from embargo.console.web import page, signed_in, state

router = APIRouter()


@router.get("/approvals")
async def approvals_page(request: Request,
                         session: Annotated[Session, Depends(signed_in)]) -> Response:
    found = await run_in_threadpool(approvals, state(request).store.engine)
    return page(request, "approvals.html", pending=found)


@router.get("/good-guys")
async def good_guys_page(request: Request,
                         session: Annotated[Session, Depends(signed_in)]) -> Response:
    found = await run_in_threadpool(good_guys, state(request).store.engine)
    return page(request, "goodguys.html", entries=found)
