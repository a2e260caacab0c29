"""The entity page, the lists page (snapshots and diffs) and the dashboard."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from embargo.console.explore import dashboard, entity_page, parse_day, snapshots_by_source
from embargo.console.sessions import Session
from embargo.console.views.listdiff import snapshot_diff
from embargo.console.web import page, signed_in, state

router = APIRouter()
SnapshotId = Annotated[int, Query(ge=1, le=2**31 - 1)]


@router.get("/entities/{entity_id:path}")
async def entity(request: Request, entity_id: Annotated[str, Path(max_length=300)],
                 session: Annotated[Session, Depends(signed_in)],
                 as_of: Annotated[str, Query(max_length=10)] = "") -> Response:
    day = parse_day(as_of)
    found = await run_in_threadpool(entity_page, state(request).store, entity_id, day)
    return page(request, "entity.html", e=found, ownership=Markup(found.ownership))


@router.get("/lists")
async def lists(request: Request, session: Annotated[Session, Depends(signed_in)]) -> Response:
    found = await run_in_threadpool(snapshots_by_source, state(request).store)
    return page(request, "lists.html", sources=found)


@router.get("/lists/diff")
async def diff(request: Request, a: SnapshotId, b: SnapshotId,
               session: Annotated[Session, Depends(signed_in)]) -> Response:
    found = await run_in_threadpool(snapshot_diff, state(request).store, a, b)
    return page(request, "diff.html", d=found)


@router.get("/dashboard")
async def dashboard_page(request: Request, session: Annotated[Session, Depends(signed_in)],
                         days: Annotated[int, Query(ge=1, le=366)] = 30) -> Response:
    found = await run_in_threadpool(dashboard, state(request).store, days)
    charts = {name: Markup(getattr(found, name))
              for name in ("flow", "decisions", "per_list", "per_program", "by_state")}
    return page(request, "dashboard.html", d=found, charts=charts, days=days)
