"""Liveness and readiness (no API key needed)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from embargo.errors import EmbargoError
from embargo.service.algorithm import algorithm_version
from embargo.service.errors import error_response, json_response
from embargo.service.models import ErrorBody, HealthResponse, ReadyResponse
from embargo.service.state import get_state
from embargo.store import Snapshot

router = APIRouter(tags=["health"])


class NotReady(EmbargoError):
    http_status = 503
    code = "not_ready"


@router.get("/healthz", summary="The process is up", response_model=None,
            responses={200: {"model": HealthResponse}})
async def healthz() -> Response:
    return json_response({"status": "ok"})


@router.get("/readyz", summary="The index is loaded; the snapshots in force",
            response_model=None,
            responses={200: {"model": ReadyResponse},
                       503: {"model": ErrorBody, "description": "Index not loaded yet"}})
async def readyz(request: Request) -> Response:
    holder = get_state(request).holder
    loaded = holder.current
    if loaded is None:
        return error_response(NotReady("the screening index is not loaded yet",
                                       last_error=holder.last_error))
    return json_response({
        "status": "ready",
        "snapshots": [{"id": s.id, "source": s.source, "published": s.published.isoformat()}
                      for s in loaded.snapshots],
        "entities": len(loaded.screener), "algorithm": algorithm_version(),
        "built_at": loaded.built_at.isoformat(), "last_error": holder.last_error,
        "sources": source_ages(loaded.snapshots, date.today()),
    })


def source_ages(snapshots: Iterable[Snapshot], today: date) -> list[dict[str, Any]]:
    """Each list in force with its age in days (publication date to today): a stale list
    (a frozen publisher or mirror) shows here."""
    return [{"source": s.source, "snapshot": s.id, "published": s.published.isoformat(),
             "age_days": (today - s.published).days}
            for s in sorted(snapshots, key=lambda s: s.source)]
