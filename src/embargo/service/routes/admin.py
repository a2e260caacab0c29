"""Admin endpoints: import a list file, update lists from their publishers, release a
held snapshot.

Both rebuild the index beside the one in force and swap it in before answering; requests in
flight finish on the old index. Other worker processes pick the new snapshots up on their
next poll (``EMBARGO_REFRESH_INTERVAL``).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from embargo import render
from embargo.errors import UsageError
from embargo.ingest.catalog import load_sources
from embargo.ingest.fetch import update_source
from embargo.ingest.importer import import_path
from embargo.ingest.policy import HoldPolicy
from embargo.service import monitoring as monitor
from embargo.service.auth import require
from embargo.service.errors import Forbidden, json_response
from embargo.service.models import (
    ImportRequest,
    ImportResponse,
    ReleaseRequest,
    ReleaseResponse,
    UpdateRequest,
    UpdateResponse,
)
from embargo.service.routes import errors
from embargo.service.state import ServiceState, get_state

log = logging.getLogger(__name__)
router = APIRouter(tags=["admin"], dependencies=[Depends(require("admin"))])


def allowed_path(raw: str, roots: tuple[Path, ...]) -> Path:
    """The path, resolved, if it lies inside one of the import roots (else Forbidden)."""
    if "\0" in raw:
        raise UsageError("invalid path")
    path = Path(raw).expanduser().resolve()
    if not any(path == root or path.is_relative_to(root) for root in roots):
        allowed = ", ".join(str(r) for r in roots) or "none configured"
        raise Forbidden(f"{path} is outside the import roots ({allowed}; EMBARGO_IMPORT_ROOTS)",
                        path=str(path))
    return path


def _ids(state: ServiceState) -> list[int]:
    current = state.holder.current
    return list(current.snapshot_ids) if current else []


def _swap(state: ServiceState, before: list[int]) -> tuple[bool, list[int]]:
    """Bring the index up to date; whether the index in force changed since ``before``.

    Compared with what was in force before the import rather than taken from this refresh
    alone: the background poller may have swapped in the new snapshots first.
    """
    state.holder.refresh()
    in_force = _ids(state)
    return in_force != before, in_force


def hold_policy(state: ServiceState, max_removed: float | None,
                backfill: bool = False) -> HoldPolicy:
    """The hold policy of the settings, with the request's own share if it gives one."""
    settings = state.settings
    share = settings.max_removed if max_removed is None else max_removed
    return HoldPolicy(max_removed=share, future_days=settings.future_days, backfill=backfill)


def _monitor(state: ServiceState) -> None:
    """The monitor's delta run after new snapshots, when monitoring is on (see monitoring.md)."""
    result = monitor.after(state)
    if result is not None:
        log.info(result.summary())


def _import(state: ServiceState, body: ImportRequest) -> dict[str, Any]:
    path = allowed_path(body.path, state.config.import_roots)
    before = _ids(state)
    results = import_path(state.store, path, kind=body.kind, published=body.published,
                          max_bytes=state.settings.max_file_bytes,
                          policy=hold_policy(state, body.max_removed, body.backfill),
                          provenance={"origin": "api import"})
    swapped, in_force = _swap(state, before)
    if any(r.created and not r.held for r in results):
        _monitor(state)
    items = [{"path": r.path, "source": r.source, "created": r.created, "held": r.held,
              "snapshot": render.snapshot_dict(r.snapshot), "warnings": r.warnings}
             for r in results]
    return {"results": items, "swapped": swapped, "in_force": in_force}


@router.post("/lists/import", summary="Import a list file from the server's disk",
             response_model=None,
             responses={200: {"model": ImportResponse}, **errors(401, 403, 404, 422, 429, 503)})
async def import_list(request: Request, body: ImportRequest) -> Response:
    """Import (atomic, idempotent), then rebuild and swap the index."""
    return json_response(await run_in_threadpool(_import, get_state(request), body))


def _update(state: ServiceState, body: UpdateRequest) -> dict[str, Any]:
    settings = state.settings
    sources = load_sources(settings.sources_file)
    unknown = [n for n in body.sources if n not in sources]
    if unknown:
        raise UsageError(f"unknown source {unknown[0]!r}; configured: {', '.join(sources)}")
    items = []
    created = False
    before = _ids(state)
    for name in body.sources or list(sources):
        result = update_source(state.store, sources[name], settings.fetch_timeout,
                               settings.max_file_bytes, hold_policy(state, body.max_removed))
        items.append({"source": name, "ok": result.ok, "message": result.message,
                      "snapshots": [r.snapshot.id for r in result.results],
                      "held": [r.snapshot.id for r in result.held],
                      "warnings": result.warnings})
        created = created or any(r.created and not r.held for r in result.results)
    swapped, in_force = _swap(state, before)
    if created:
        _monitor(state)
    return {"results": items, "swapped": swapped, "in_force": in_force}


@router.post("/lists/update", summary="Download and import lists from their publishers",
             response_model=None,
             responses={200: {"model": UpdateResponse}, **errors(401, 403, 422, 429, 503)})
async def update_lists(request: Request, body: UpdateRequest) -> Response:
    """Fetch, verify and import each list; a failure keeps that list's snapshot in force."""
    return json_response(await run_in_threadpool(_update, get_state(request), body))


def _release(state: ServiceState, snapshot_id: int, body: ReleaseRequest) -> dict[str, Any]:
    before = _ids(state)
    was = state.store.get_snapshot(snapshot_id).held
    snapshot = state.store.release(snapshot_id, body.user)
    swapped, in_force = _swap(state, before)
    return {"snapshot": render.snapshot_dict(snapshot), "released_by": body.user,
            "was_held": was, "swapped": swapped, "in_force": in_force}


@router.post("/lists/release/{snapshot_id}", summary="Put a held snapshot in force",
             response_model=None,
             responses={200: {"model": ReleaseResponse}, **errors(401, 403, 404, 429, 503)})
async def release_snapshot(request: Request, snapshot_id: int, body: ReleaseRequest) -> Response:
    """Release a held snapshot (recorded in the snapshot log with the user), then swap."""
    return json_response(await run_in_threadpool(_release, get_state(request), snapshot_id,
                                                 body))
