"""yente-compatible endpoints: ``/match``, ``/search``, ``/catalog``, ``/algorithms``.

Dataset names map to Embargo's sources: ``default``, ``sanctions`` and ``all`` mean every
source; a source name (``ofac-sdn``, ``un``, ...) means that list only.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from embargo.errors import UsageError
from embargo.matching import DEFAULT_THRESHOLD
from embargo.service.algorithm import (
    NAME,
    algorithm_doc,
    alias_docs,
    check_algorithm,
    check_config,
)
from embargo.service.auth import require
from embargo.service.config import Budget
from embargo.service.errors import json_response
from embargo.service.fastroute import FastRoute
from embargo.service.filters import NO_FILTERS, SearchFilters, search_filters
from embargo.service.holder import Loaded
from embargo.service.models import (
    AlgorithmResponse,
    CatalogResponse,
    MatchRequest,
    MatchResponse,
    SearchResponse,
)
from embargo.service.os_datasets import embargo_dataset, embargo_datasets
from embargo.service.routes import errors
from embargo.service.screening import (
    ALL_DATASETS,
    MatchParams,
    check_batch,
    compute_match,
    compute_search,
    dataset_sources,
    match_sources,
    params_filters,
    searched_ids,
    small_match,
    wants_filters,
)
from embargo.service.state import get_state

router = APIRouter(tags=["yente-compatible"], route_class=FastRoute)
Dataset = Annotated[str, Path(description="default / sanctions / all, or a source name",
                              max_length=100)]
Threshold = Annotated[float, Query(ge=0.0, le=1.0)]


@router.post("/match/{dataset}", summary="Match entities by example (yente dialect)",
             response_model=None, dependencies=[Depends(require("screen"))],
             responses={200: {"model": MatchResponse}, **errors(400, 401, 403, 404, 422, 429,
                                                                503)})
async def match(request: Request, body: MatchRequest, dataset: Dataset,
                limit: Annotated[int, Query(ge=1)] = 5,
                threshold: Threshold = DEFAULT_THRESHOLD,
                cutoff: Threshold | None = None,
                algorithm: Annotated[str, Query(max_length=50)] = NAME,
                include_dataset: Annotated[list[str], Query()] = [],  # noqa: B006
                exclude_dataset: Annotated[list[str], Query()] = [],  # noqa: B006
                exclude_entity_ids: Annotated[list[str], Query(
                    description="entries to leave out, and the entries the lists link to "
                                "them as the same party (no cap)")] = [],  # noqa: B006
                exclude_schema: Annotated[list[str], Query()] = [],  # noqa: B006
                topics: Annotated[list[str], Query(
                    description="keep entries with any of these FtM topics")] = [],  # noqa: B006
                changed_since: Annotated[str | None, Query(
                    max_length=40, description="entries added or changed in a snapshot "
                                               "published since (YYYY-MM-DD)")] = None,
                fuzzy: Annotated[bool | None, Query(
                    description="accepted for yente clients; matching is always "
                                "spelling-tolerant")] = None) -> Response:
    """Score each query entity against the lists; one response per query key."""
    state = get_state(request)
    check_algorithm(algorithm)
    check_config(body.config)
    check_batch(len(body.queries), limit, state.config.max_batch, state.config.max_limit)
    params = MatchParams(embargo_dataset(dataset), limit, threshold,
                         threshold if cutoff is None else cutoff, algorithm,
                         embargo_datasets(include_dataset), embargo_datasets(exclude_dataset),
                         tuple(exclude_entity_ids), tuple(exclude_schema), tuple(topics),
                         changed_since, fuzzy)
    loaded = state.holder.require()
    searched = searched_ids(loaded, match_sources(loaded, params))
    filters = (await run_in_threadpool(params_filters, state.store, loaded, params, body)
               if wants_filters(params, body) else NO_FILTERS)
    result = await state.run(compute_match, loaded, body, params, state.config.budget, filters,
                             inline=small_match(body) and filters == NO_FILTERS)
    payload = {"params": params.as_dict(), "body": body.model_dump(by_alias=True, mode="json")}
    response = await state.audited(request, "match", searched, payload, result,
                                   dataset=dataset, threshold=threshold, limit=limit)
    return json_response(response, headers={"x-batch-size": str(len(body.queries))})


@router.get("/search/{dataset}", summary="Search by name (yente dialect)", response_model=None,
            dependencies=[Depends(require("screen"))],
            responses={200: {"model": SearchResponse}, **errors(400, 401, 403, 404, 422, 429,
                                                                 503)})
async def search(request: Request, dataset: Dataset,
                 q: Annotated[str, Query(min_length=1, max_length=1000)],
                 schema: Annotated[str | None, Query(max_length=50)] = None,
                 limit: Annotated[int, Query(ge=1)] = 10,
                 offset: Annotated[int, Query(ge=0, le=10_000)] = 0,
                 topics: Annotated[list[str], Query()] = [],  # noqa: B006
                 countries: Annotated[list[str], Query()] = [],  # noqa: B006
                 datasets: Annotated[list[str], Query()] = [],  # noqa: B006
                 target: bool | None = None,
                 fuzzy: Annotated[bool | None, Query(
                     description="accepted; matching is always spelling-tolerant")] = None,
                 sort: Annotated[list[str], Query(
                     description="refused: results are sorted by score")] = []  # noqa: B006
                 ) -> Response:
    """Entities whose names resemble ``q``, best first."""
    state = get_state(request)
    check_batch(1, limit, state.config.max_batch, state.config.max_limit)
    if sort:
        raise UsageError("sort is not supported: results are sorted by score", sort=sort)
    filters = search_filters(topics, countries, embargo_datasets(datasets), target)
    name = embargo_dataset(dataset)
    loaded = state.holder.require()
    searched = searched_ids(loaded, dataset_sources(name, loaded))
    result = await state.run(_search, loaded, name, q, schema, limit, offset,
                             state.config.budget, filters)
    payload = {"params": {"dataset": name, "q": q, "schema": schema, "limit": limit,
                          "offset": offset, "filters": filters.as_dict()}}
    response = await state.audited(request, "search", searched, payload, result,
                                   dataset=dataset, limit=limit)
    return json_response(response)


def _search(loaded: Loaded, dataset: str, q: str, schema: str | None, limit: int, offset: int,
            budget: Budget, filters: SearchFilters,
            deadline: float | None = None) -> dict[str, Any]:
    return compute_search(loaded, dataset, q, schema, limit, offset, budget, filters)


@router.get("/catalog", summary="The datasets (sources) in force", response_model=None,
            dependencies=[Depends(require("read"))],
            responses={200: {"model": CatalogResponse}, **errors(401, 403, 429, 503)})
async def catalog(request: Request) -> Response:
    loaded = get_state(request).holder.require()
    datasets = [_source_dataset(s.source, s.id, s.published.isoformat(), s.entity_count)
                for s in loaded.snapshots]
    total = sum(s.entity_count for s in loaded.snapshots)
    version = "-".join(str(i) for i in loaded.snapshot_ids) or "empty"
    for name in sorted(ALL_DATASETS):
        datasets.append({"name": name, "title": f"All lists ({name})", "summary": None,
                         "load": True, "version": version, "index_version": version,
                         "index_current": True, "children": list(loaded.sources),
                         "entity_count": total, "snapshot": None})
    names = [d["name"] for d in datasets]
    return json_response({"datasets": datasets, "current": names, "outdated": [],
                          "index_stale": False})


def _source_dataset(source: str, snapshot: int, published: str, count: int) -> dict[str, Any]:
    version = f"{published}-{snapshot}"
    return {"name": source, "title": source, "summary": f"{source} as published {published}",
            "load": True, "version": version, "index_version": version, "index_current": True,
            "children": [], "entity_count": count, "snapshot": snapshot}


@router.get("/algorithms", summary="The scoring algorithm", response_model=None,
            dependencies=[Depends(require("read"))],
            responses={200: {"model": AlgorithmResponse}, **errors(401, 403, 429)})
async def algorithms() -> Response:
    return json_response({"algorithms": [algorithm_doc(), *alias_docs()], "default": NAME,
                          "best": NAME})
