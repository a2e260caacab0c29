"""Embargo's own endpoints: screening, entities as of a date, snapshots, diffs, the audit trail."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from embargo import render
from embargo.errors import NotFoundError
from embargo.service.auth import require
from embargo.service.errors import json_response
from embargo.service.fastroute import FastRoute
from embargo.service.models import (
    DiffResponse,
    EntityDetail,
    ListsResponse,
    ReplayResponse,
    ScreeningModel,
    ScreenRequest,
    ScreenResponse,
)
from embargo.service.nested import adjacent_lookup, nested_properties, resolve_id
from embargo.service.replay import replay
from embargo.service.results import entity_response
from embargo.service.routes import errors
from embargo.service.screening import check_batch, compute_screen, screen_sources
from embargo.service.state import ServiceState, get_state
from embargo.store import Snapshot

router = APIRouter(tags=["native"], route_class=FastRoute)
EntityId = Annotated[str, Path(max_length=300)]
ScreeningId = Annotated[str, Path(max_length=64)]
Ref = Annotated[str, Query(min_length=1, max_length=20,
                           description="snapshot id or publication date YYYY-MM-DD")]


@router.post("/screen", summary="Screen a batch of parties", response_model=None,
             dependencies=[Depends(require("screen"))],
             responses={200: {"model": ScreenResponse}, **errors(401, 403, 422, 429, 503)})
async def screen(request: Request, body: ScreenRequest) -> Response:
    """One result per query, in order (the shape of ``embargo screen`` JSON lines)."""
    state = get_state(request)
    check_batch(len(body.queries), body.limit, state.config.max_batch, state.config.max_limit)
    loaded = await run_in_threadpool(state.holder.as_of, body.as_of)
    screen_sources(body.sources, loaded)
    result = await state.run(compute_screen, loaded, body, state.config.budget)
    payload = {"body": body.model_dump(mode="json")}
    response = await state.audited(request, "screen", tuple(result["snapshots"]), payload,
                                   result, threshold=result["threshold"], limit=body.limit,
                                   as_of=body.as_of)
    return json_response(response)


def _entity(state: ServiceState, entity_id: str, as_of: date | None,
            nested: bool = False) -> dict[str, Any]:
    entity_id = resolve_id(state.store, entity_id)
    entity_state = state.store.entity_as_of(entity_id, as_of)
    history = state.store.history(entity_id)
    detail = render.state_dict(entity_state, as_of, history)
    found = entity_state.entity
    if found is None:
        raise NotFoundError(f"entity {entity_id!r} was not listed by {as_of or 'now'}",
                            entity_id=entity_id)
    seen = {"first_seen": _day(entity_state.first_seen), "last_seen": _day(entity_state.last_seen)}
    data = {**entity_response(found), **detail, **seen, "id": entity_id}
    if nested:
        data["properties"] = {**data["properties"],
                              **nested_properties(found, adjacent_lookup(state.store, as_of))}
    return data


def _day(snapshot: Snapshot | None) -> str | None:
    return snapshot.published.isoformat() if snapshot else None


@router.get("/entities/{entity_id}", summary="One entity, as listed on a date",
            response_model=None, dependencies=[Depends(require("read"))],
            responses={200: {"model": EntityDetail}, **errors(401, 403, 404, 422, 429, 503)})
async def entity(request: Request, entity_id: EntityId,
                 as_of: Annotated[date | None, Query()] = None,
                 nested: Annotated[bool, Query(
                     description="yente's nested form: sanctions and relations to other "
                                 "entries inside the properties")] = False) -> Response:
    """yente's entity shape plus whether it was listed ``as_of`` and its history."""
    return json_response(await run_in_threadpool(_entity, get_state(request), entity_id, as_of,
                                                 nested))


@router.get("/lists", summary="Snapshots of every list", response_model=None,
            dependencies=[Depends(require("read"))],
            responses={200: {"model": ListsResponse}, **errors(401, 403, 429, 503)})
async def lists(request: Request,
                source: Annotated[str | None, Query(max_length=100)] = None) -> Response:
    state = get_state(request)
    snapshots = await run_in_threadpool(state.store.snapshots, source)
    current = state.holder.current
    return json_response({"snapshots": [render.snapshot_dict(s) for s in snapshots],
                          "in_force": list(current.snapshot_ids) if current else []})


def _diff(state: ServiceState, source: str, old: str, new: str) -> dict[str, Any]:
    store = state.store
    diff = store.diff(store.resolve_snapshot(source, old), store.resolve_snapshot(source, new))
    return render.diff_dict(diff)


@router.get("/lists/diff", summary="What changed between two snapshots", response_model=None,
            dependencies=[Depends(require("read"))],
            responses={200: {"model": DiffResponse}, **errors(401, 403, 404, 422, 429, 503)})
async def diff(request: Request, source: Annotated[str, Query(min_length=1, max_length=100)],
               from_: Annotated[str, Query(alias="from", min_length=1, max_length=20)],
               to: Ref) -> Response:
    state = get_state(request)
    return json_response(await run_in_threadpool(_diff, state, source, from_, to))


@router.get("/screenings/{screening_id}", summary="An audited screening", response_model=None,
            dependencies=[Depends(require("read"))],
            responses={200: {"model": ScreeningModel}, **errors(401, 403, 404, 429, 503)})
async def screening(request: Request, screening_id: ScreeningId) -> Response:
    """What was asked, by which key, against which snapshots, and what came back."""
    record = await run_in_threadpool(get_state(request).audit_store.get, screening_id)
    return json_response(record.as_dict())


@router.post("/screenings/{screening_id}/replay", summary="Re-run an audited screening",
             response_model=None, dependencies=[Depends(require("read"))],
             responses={200: {"model": ReplayResponse}, **errors(401, 403, 404, 429, 503)})
async def replay_screening(request: Request, screening_id: ScreeningId) -> Response:
    """Rebuild the index from the recorded snapshots, re-run, compare with what was returned."""
    state = get_state(request)
    record = await run_in_threadpool(state.audit_store.get, screening_id)
    outcome = await run_in_threadpool(replay, state.holder, record, state.views,
                                      state.config.budget)
    return json_response(outcome)
