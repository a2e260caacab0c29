"""The screening requests themselves, as pure functions of (index, request).

Each ``compute_*`` takes the :class:`Loaded` index to use and the validated request, and
returns the response body (without the screening id). The same functions serve live requests
and replays of audited ones, so a replay against the same snapshots gives the same answer.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, fields
from typing import Any

from embargo.errors import NotFoundError, ValidationError
from embargo.matching import DEFAULT_THRESHOLD
from embargo.matching.query import QueryRow, row_from_props
from embargo.matching.screen import Hit
from embargo.model import Entity
from embargo.service.algorithm import (
    algorithm_named,
    algorithm_version,
    feature_docs,
    weights_warning,
)
from embargo.service.config import Budget
from embargo.service.errors import Timeout
from embargo.service.filters import (
    FILTERED_CANDIDATES,
    NO_FILTERS,
    NO_SEARCH_FILTERS,
    MatchFilters,
    SearchFilters,
    apply_filters,
    match_filters,
    parse_since,
)
from embargo.service.holder import Loaded
from embargo.service.models import MatchRequest, ScreenRequest
from embargo.service.os_datasets import OPENSANCTIONS
from embargo.service.results import native_hit, scored_entity
from embargo.store import Store

ALL_DATASETS = frozenset({"default", "sanctions", "all"})
KNOWN_LISTS = frozenset(OPENSANCTIONS.values())
DEFAULT_BUDGET = Budget()


def dataset_sources(name: str, loaded: Loaded) -> frozenset[str] | None:
    """The sources a dataset name stands for (None: all of them)."""
    if name in ALL_DATASETS:
        return None
    if name in loaded.sources:
        return frozenset({name})
    known = ", ".join(sorted(ALL_DATASETS | set(loaded.sources)))
    raise NotFoundError(f"no dataset {name!r}; known: {known}", dataset=name)


def narrow(sources: frozenset[str] | None, loaded: Loaded, include: Iterable[str],
           exclude: Iterable[str]) -> frozenset[str] | None:
    """Apply yente's include_dataset / exclude_dataset filters to a source set."""
    include, exclude = _expand(include, loaded), _expand(exclude, loaded)
    if not include and not exclude:
        return sources
    chosen = set(loaded.sources) if sources is None else set(sources)
    if include:
        chosen &= include
    return frozenset(chosen - exclude)


def _expand(names: Iterable[str], loaded: Loaded) -> set[str]:
    """Dataset names as sources: ``default``, ``sanctions`` and ``all`` stand for every one."""
    out: set[str] = set()
    for name in names:
        out |= set(loaded.sources) if name in ALL_DATASETS else {name}
    return out


def _in_force(loaded: Loaded) -> str:
    return ", ".join(sorted(set(loaded.sources))) or "none"


def check_names(names: Iterable[str], loaded: Loaded, what: str,
                datasets: bool = False) -> None:
    """ValidationError naming the lists in force when a name is not one of them.

    A typo in a list name must never read as "no hits" (it would search nothing). As dataset
    filters, the official lists Embargo knows (``ofac-cons``, ``eu``, ...) are accepted even
    when this store does not hold them: :func:`absent_lists` names them in each answer's
    warnings, and a filter that leaves nothing to search is still refused.
    """
    known = set(loaded.sources) | (ALL_DATASETS | KNOWN_LISTS if datasets else set())
    unknown = sorted(set(names) - known)
    if unknown:
        aliases = f" (or {', '.join(sorted(ALL_DATASETS))})" if datasets else ""
        raise ValidationError(
            f"{what}: no list named {', '.join(map(repr, unknown))} is in force; "
            f"lists in force: {_in_force(loaded)}{aliases}",
            field=what, unknown=unknown, known=sorted(known))


def screen_sources(names: list[str] | None, loaded: Loaded) -> frozenset[str] | None:
    """The validated ``sources`` of a ``/screen`` request (None: every list)."""
    if names is None:
        return None
    if not names:
        raise ValidationError("sources is empty, so nothing would be searched: name at least "
                              f"one list, or leave it out for all (in force: {_in_force(loaded)})",
                              field="sources")
    check_names(names, loaded, "sources")
    return frozenset(names)


def match_sources(loaded: Loaded, params: MatchParams) -> frozenset[str] | None:
    """The validated sources of a ``/match`` request: its dataset, narrowed by the filters."""
    base = dataset_sources(params.dataset, loaded)
    check_names(params.include_dataset, loaded, "include_dataset", datasets=True)
    check_names(params.exclude_dataset, loaded, "exclude_dataset", datasets=True)
    sources = narrow(base, loaded, params.include_dataset, params.exclude_dataset)
    if sources is not None and not sources:
        raise ValidationError(f"dataset {params.dataset!r} with include_dataset/exclude_dataset "
                              "leaves no list to search", dataset=params.dataset)
    return sources


def absent_lists(loaded: Loaded, params: MatchParams) -> list[str]:
    """Warnings for ``include_dataset`` naming known lists that are not in force here.

    (Excluding a list that is not held changes nothing, so it needs no warning.)
    """
    absent = sorted(set(params.include_dataset) - set(loaded.sources) - ALL_DATASETS)
    return [f"list {name!r} is not in force here: not searched" for name in absent]


def searched_ids(loaded: Loaded, sources: frozenset[str] | None) -> tuple[int, ...]:
    """The ids of the snapshots a search over ``sources`` reads (None: all of them)."""
    return tuple(s.id for s in loaded.snapshots if sources is None or s.source in sources)


def scored_hits(loaded: Loaded, query: Entity, cutoff: float,
                sources: frozenset[str] | None, budget: Budget = DEFAULT_BUDGET,
                widen: bool = False) -> list[Hit]:
    """All hits at or over ``cutoff`` from the given sources, best first.

    ``widen``: results will be filtered, so score more of the index's candidates than
    usual (up to ``FILTERED_CANDIDATES``), lest the filters leave only a few of the usual ones.
    """
    candidates = max(budget.candidates, FILTERED_CANDIDATES) if widen else budget.candidates
    hits = loaded.screener.scored(query, candidates)
    return [h for h in hits
            if h.score >= cutoff and (sources is None or h.entity.source in sources)]


def check_deadline(deadline: float | None) -> None:
    if deadline is not None and time.monotonic() > deadline:
        raise Timeout("the request took longer than allowed (EMBARGO_REQUEST_TIMEOUT)")


def check_batch(count: int, limit: int, max_batch: int, max_limit: int) -> None:
    if count > max_batch:
        raise ValidationError(f"{count} queries in one request; the limit is {max_batch} "
                              "(EMBARGO_MAX_BATCH)", queries=count, max_batch=max_batch)
    if limit > max_limit:
        raise ValidationError(f"limit {limit} is over the maximum of {max_limit} "
                              "(EMBARGO_MAX_LIMIT)", limit=limit)


# --- native /screen ----------------------------------------------------------------------

def native_row(line: int, raw: dict[str, Any], budget: Budget = DEFAULT_BUDGET) -> QueryRow:
    """A query row from an FtM-shaped object (``properties``) or a flat one."""
    props = raw.get("properties")
    if props is None:
        props = {k: v for k, v in raw.items() if k not in ("id", "schema")}
    if not isinstance(props, dict):
        return QueryRow(line, str(line), error="properties must be an object")
    return row_from_props(line, raw.get("id"), props, raw.get("schema"), limits=budget.limits)


def compute_screen(loaded: Loaded, request: ScreenRequest, budget: Budget = DEFAULT_BUDGET,
                   deadline: float | None = None) -> dict[str, Any]:
    """The body of a ``POST /screen`` answer: one result per query, in order."""
    cut = DEFAULT_THRESHOLD if request.threshold is None else request.threshold
    sources = frozenset(request.sources) if request.sources is not None else None
    results = []
    for line, raw in enumerate(request.queries, start=1):
        check_deadline(deadline)
        row = native_row(line, raw, budget)
        hits = scored_hits(loaded, row.entity, cut, sources, budget) if row.entity else []
        results.append({"id": row.id, "hits": [native_hit(h, loaded)
                                               for h in hits[:request.limit]],
                        "error": row.error, "warnings": list(row.warnings)})
    return {"snapshots": list(searched_ids(loaded, sources)), "algorithm": algorithm_version(),
            "threshold": cut, "as_of": request.as_of.isoformat() if request.as_of else None,
            "results": results}


# --- yente /match ------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class MatchParams:
    dataset: str
    limit: int
    threshold: float
    cutoff: float
    algorithm: str
    include_dataset: tuple[str, ...] = ()
    exclude_dataset: tuple[str, ...] = ()
    exclude_entity_ids: tuple[str, ...] = ()
    exclude_schema: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    changed_since: str | None = None
    fuzzy: bool | None = None

    def as_dict(self) -> dict[str, Any]:
        """Every field (tuples as lists); not ``dataclasses.asdict``, which deep-copies."""
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        return {k: list(v) if isinstance(v, tuple) else v for k, v in data.items()}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> MatchParams:
        """The parameters as :meth:`as_dict` recorded them (older records lack some)."""
        values: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v
                                  for k, v in data.items()}
        return cls(**values)


def params_filters(store: Store, loaded: Loaded, params: MatchParams,
                   request: MatchRequest) -> MatchFilters:
    """The result filters a request asks for (query parameters and body), over this index."""
    return match_filters(store, loaded, (*params.exclude_entity_ids, *request.exclude_entity_ids),
                         params.exclude_schema, params.topics, parse_since(params.changed_since))


def wants_filters(params: MatchParams, request: MatchRequest) -> bool:
    """Whether a ``/match`` request asks for any result filter (else none is built)."""
    return bool(params.exclude_entity_ids or request.exclude_entity_ids or params.exclude_schema
                or params.topics or params.changed_since)


def _query_error(example: dict[str, Any], row: QueryRow) -> dict[str, Any]:
    return {"status": 422, "results": [], "total": {"value": 0, "relation": "eq"},
            "query": example, "warnings": list(row.warnings),
            "error": {"code": "validation_error", "message": row.error or "invalid query",
                      "details": {}}}


def match_one(loaded: Loaded, key: str, example: dict[str, Any], params: MatchParams,
              sources: frozenset[str] | None, budget: Budget = DEFAULT_BUDGET,
              filters: MatchFilters = NO_FILTERS) -> dict[str, Any]:
    row = row_from_props(1, example.get("id") or key, example.get("properties") or {},
                         example.get("schema"), strict=False, limits=budget.limits)
    if row.entity is None:
        return _query_error(example, row)
    cutoff = min(params.cutoff, params.threshold)
    widen = filters != NO_FILTERS or sources is not None
    hits, warnings = apply_filters(
        scored_hits(loaded, row.entity, cutoff, sources, budget, widen), filters)
    return {"status": 200, "results": [scored_entity(h, params.threshold)
                                       for h in hits[:params.limit]],
            "total": {"value": len(hits), "relation": "eq"}, "query": example,
            "warnings": [*row.warnings, *warnings], "error": None}


SMALL_VALUES = 8  # property values of a query small enough to screen on the event loop
SMALL_CHARS = 600  # ... and their characters


def small_match(request: MatchRequest) -> bool:
    """Whether a ``/match`` request is one short query (about a millisecond of screening)."""
    if len(request.queries) != 1:
        return False
    for example in request.queries.values():
        values = [v for vs in example.properties.values()
                  for v in (vs if isinstance(vs, list) else [vs])]
        if len(values) > SMALL_VALUES or sum(len(str(v)) for v in values) > SMALL_CHARS:
            return False
    return True


def compute_match(loaded: Loaded, request: MatchRequest, params: MatchParams,
                  budget: Budget = DEFAULT_BUDGET, filters: MatchFilters = NO_FILTERS,
                  deadline: float | None = None) -> dict[str, Any]:
    """The body of a yente-style ``POST /match/{dataset}`` answer."""
    sources = narrow(dataset_sources(params.dataset, loaded), loaded,
                     params.include_dataset, params.exclude_dataset)
    responses = {}
    for key, example in request.queries.items():
        check_deadline(deadline)
        data = example.model_dump(by_alias=True, exclude_none=True)
        responses[key] = match_one(loaded, key, data, params, sources, budget, filters)
        responses[key]["warnings"].extend(weights_warning(request.weights))
        responses[key]["warnings"].extend(absent_lists(loaded, params))
    return {"responses": responses, "matcher": feature_docs(), "limit": params.limit,
            "algorithm": algorithm_named(params.algorithm)}


# --- yente /search -----------------------------------------------------------------------

def compute_search(loaded: Loaded, dataset: str, q: str, schema: str | None, limit: int,
                   offset: int, budget: Budget = DEFAULT_BUDGET,
                   filters: SearchFilters = NO_SEARCH_FILTERS) -> dict[str, Any]:
    """Name search over a dataset: every candidate the index proposes, scored."""
    sources = dataset_sources(dataset, loaded)
    row = row_from_props(1, "search", {"name": [q]}, schema, strict=False)
    if row.error and "schema" in row.error:
        raise ValidationError(row.error, schema=schema)
    hits = scored_hits(loaded, row.entity, 0.0, sources, budget) if row.entity else []
    if filters != NO_SEARCH_FILTERS:
        hits = [h for h in hits if filters.keep(h.entity)]
    page = hits[offset:offset + limit]
    results = []
    for hit in page:
        data = scored_entity(hit, DEFAULT_THRESHOLD)
        results.append({k: v for k, v in data.items()
                        if k not in ("match", "features", "explanations")})
    return {"limit": limit, "offset": offset, "total": {"value": len(hits), "relation": "eq"},
            "results": results, "facets": {}}
