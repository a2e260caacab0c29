"""OpenRefine reconciliation endpoints (``/reconcile/{dataset}``), as yente serves them.

The manifest (GET without ``queries``), queries (POST form field ``queries``, a JSON body
``{"queries": ...}``, or GET ``?queries=``), the suggest services and an HTML preview.
OpenRefine sends no headers: pass the key as ``?api_key=`` in the service URL; the manifest
passes it on to the services it names. JSONP (``callback``) is served for older clients.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import parse_qsl, urlencode

import orjson
from fastapi import APIRouter, Depends, Path, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import HTMLResponse, Response

from embargo.errors import NotFoundError, UsageError
from embargo.matching import DEFAULT_THRESHOLD
from embargo.service import reconcile as recon
from embargo.service import reconcile_entries as entries
from embargo.service.algorithm import NAME, check_algorithm
from embargo.service.auth import require
from embargo.service.config import Budget
from embargo.service.errors import dumps
from embargo.service.nested import adjacent_lookup, resolve_id
from embargo.service.os_datasets import embargo_dataset
from embargo.service.routes import errors
from embargo.service.screening import (
    MatchParams,
    check_batch,
    compute_match,
    compute_search,
    dataset_sources,
    match_sources,
    params_filters,
    searched_ids,
)
from embargo.service.state import ServiceState, get_state
from embargo.service.topics import entity_topics

router = APIRouter(tags=["reconciliation (OpenRefine)"])
Dataset = Annotated[str, Path(description="default / sanctions / all, or a source name",
                              max_length=100)]
Prefix = Annotated[str, Query(max_length=200)]
Callback = Annotated[str | None, Query(max_length=100, description="JSONP callback")]
SCREEN = [Depends(require("screen"))]
CORS = {"Access-Control-Allow-Origin": "*"}


def _reply(data: Any, callback: str | None = None, headers: dict[str, str] | None = None
           ) -> Response:
    name = recon.check_callback(callback)
    if name is not None:
        body = f"/**/{name}(".encode() + dumps(data) + b");"
        return Response(body, media_type="application/javascript", headers=CORS)
    return Response(dumps(data), media_type="application/json", headers={**CORS,
                                                                          **(headers or {})})


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def _check_dataset(state: ServiceState, dataset: str) -> str:
    name = embargo_dataset(dataset)
    dataset_sources(name, state.holder.require())  # NotFoundError when unknown
    return name


@router.get("/reconcile/{dataset}", summary="Reconciliation service manifest, or queries",
            response_model=None, dependencies=SCREEN, responses=errors(400, 401, 403, 404))
async def manifest(request: Request, dataset: Dataset,
                   queries: Annotated[str | None, Query(max_length=1_000_000)] = None,
                   algorithm: Annotated[str, Query(max_length=50)] = NAME,
                   changed_since: Annotated[str | None, Query(max_length=40)] = None,
                   callback: Callback = None) -> Response:
    """The manifest OpenRefine reads when the service is added; with ``queries``, answers."""
    state = get_state(request)
    name = _check_dataset(state, dataset)
    if queries is not None:
        return await _reconcile(request, name, queries, algorithm, changed_since, callback)
    key = request.query_params.get("api_key")
    query = urlencode({"api_key": key}) if key else ""
    return _reply(recon.manifest(_base(request), dataset, query), callback)


async def _form(request: Request) -> dict[str, str]:
    """The request's fields: a form (urlencoded) or a JSON object."""
    raw = await request.body()
    if request.headers.get("content-type", "").startswith("application/json"):
        try:
            data = orjson.loads(raw)
        except orjson.JSONDecodeError:
            raise UsageError("the request body is not valid JSON") from None
        if not isinstance(data, dict):
            raise UsageError("the request body must be a JSON object")
        return {k: v if isinstance(v, str) else orjson.dumps(v).decode()
                for k, v in data.items()}
    try:
        return dict(parse_qsl(raw.decode("utf-8"), keep_blank_values=True))
    except UnicodeDecodeError:
        raise UsageError("the form is not UTF-8") from None


@router.post("/reconcile/{dataset}", summary="Reconciliation queries", response_model=None,
             dependencies=SCREEN, responses=errors(400, 401, 403, 404, 422, 429, 503))
async def reconcile(request: Request, dataset: Dataset,
                    algorithm: Annotated[str, Query(max_length=50)] = NAME,
                    changed_since: Annotated[str | None, Query(max_length=40)] = None
                    ) -> Response:
    """Form field ``queries``: ``{"q0": {"query": "...", "type": "Person", "limit": 5,
    "properties": [{"pid": "birthDate", "v": "1952"}]}}``; one result list per key."""
    state = get_state(request)
    name = _check_dataset(state, dataset)
    form = await _form(request)
    if form.get("extend"):
        return await _extend(state, form["extend"])
    if not form.get("queries"):
        raise UsageError("no 'queries' field in the request")
    return await _reconcile(request, name, form["queries"], algorithm, changed_since, None)


async def _reconcile(request: Request, dataset: str, text: str, algorithm: str,
                     changed_since: str | None, callback: str | None) -> Response:
    state = get_state(request)
    check_algorithm(algorithm)
    queries = recon.parse_queries(text)
    limits = {k: recon.query_limit(q, state.config.max_limit) for k, q in queries.items()}
    check_batch(len(queries), max(limits.values()), state.config.max_batch,
                state.config.max_limit)
    body = recon.match_request(queries)
    params = MatchParams(dataset, max(limits.values()), DEFAULT_THRESHOLD, 0.0, algorithm,
                         changed_since=changed_since)
    loaded = state.holder.require()
    searched = searched_ids(loaded, match_sources(loaded, params))
    filters = await run_in_threadpool(params_filters, state.store, loaded, params, body)
    result = await state.run(compute_match, loaded, body, params, state.config.budget, filters)
    payload = {"params": params.as_dict(), "body": body.model_dump(by_alias=True, mode="json"),
               "limits": limits}
    answer = recon.recon_answer(result, limits)
    recorded = await state.audited(request, "reconcile", searched, payload, answer,
                                   dataset=dataset, threshold=DEFAULT_THRESHOLD,
                                   limit=params.limit)
    return _reply(answer, callback, {"x-screening-id": recorded["id"],
                                     "x-batch-size": str(len(queries))})


async def _extend(state: ServiceState, text: str) -> Response:
    extension = entries.parse_extend(text)
    check_batch(len(extension.ids), 1, state.config.max_batch, state.config.max_limit)
    entities = await run_in_threadpool(_listed, state, extension.ids)
    return _reply(entries.extend_answer(extension, entities))


def _listed(state: ServiceState, ids: tuple[str, ...]) -> dict[str, dict[str, Any] | None]:
    lookup = adjacent_lookup(state.store, None)
    return {i: lookup(resolve_id(state.store, i)) for i in ids}


@router.get("/reconcile/{dataset}/extend/property", summary="Properties to add as columns",
            response_model=None, dependencies=SCREEN, responses=errors(400, 401, 403, 404))
async def extend_property(request: Request, dataset: Dataset,
                          type: Annotated[str, Query(max_length=50)] = recon.BASE_SCHEMA,
                          limit: Annotated[int, Query(ge=0, le=500)] = 0,
                          callback: Callback = None) -> Response:
    _check_dataset(get_state(request), dataset)
    return _reply(entries.propose_properties(type, limit), callback)


@router.get("/reconcile/{dataset}/suggest/entity", summary="Suggest entries by name",
            response_model=None, dependencies=SCREEN, responses=errors(400, 401, 403, 404))
async def suggest_entity(request: Request, dataset: Dataset, prefix: Prefix = "",
                         limit: Annotated[int, Query(ge=1, le=50)] = recon.SUGGESTIONS,
                         callback: Callback = None) -> Response:
    state = get_state(request)
    name = _check_dataset(state, dataset)
    if not prefix.strip():
        return _reply({**recon.OK, "prefix": prefix, "result": []}, callback)
    loaded = state.holder.require()
    found = await state.run(_search, loaded, name, prefix, limit, state.config.budget)
    return _reply(recon.suggest_entities(prefix, found), callback)


def _search(loaded: Any, dataset: str, prefix: str, limit: int, budget: Budget,
            deadline: float | None = None) -> dict[str, Any]:
    return compute_search(loaded, dataset, prefix, None, limit, 0, budget)


@router.get("/reconcile/{dataset}/suggest/type", summary="Suggest types (FtM schemata)",
            response_model=None, dependencies=SCREEN, responses=errors(400, 401, 403, 404))
async def suggest_type(request: Request, dataset: Dataset, prefix: Prefix = "",
                       callback: Callback = None) -> Response:
    _check_dataset(get_state(request), dataset)
    return _reply(recon.suggest_types(prefix), callback)


@router.get("/reconcile/{dataset}/suggest/property", summary="Suggest properties",
            response_model=None, dependencies=SCREEN, responses=errors(400, 401, 403, 404))
async def suggest_property(request: Request, dataset: Dataset, prefix: Prefix = "",
                           callback: Callback = None) -> Response:
    _check_dataset(get_state(request), dataset)
    return _reply(recon.suggest_properties(prefix), callback)


@router.get("/reconcile/{dataset}/preview", summary="An entry as a small HTML card",
            response_model=None, dependencies=SCREEN, responses=errors(400, 401, 403, 404))
async def preview(request: Request, dataset: Dataset,
                  id: Annotated[str, Query(min_length=1, max_length=300)]) -> Response:
    state = get_state(request)
    _check_dataset(state, dataset)
    found = await run_in_threadpool(state.store.entity_as_of, id, None)
    if found.entity is None:
        raise NotFoundError(f"no entity {id!r}", entity_id=id)
    entity = found.entity
    return HTMLResponse(entries.preview_html(entity, entity_topics(entity)),
                        headers={"Content-Security-Policy": "default-src 'none'; "
                                                            "style-src 'unsafe-inline'"})
