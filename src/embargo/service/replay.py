"""Replaying an audited screening against the snapshots it used.

The index is rebuilt (or taken from the cache) from exactly the recorded snapshot ids, the
recorded request is validated again and run through the same ``compute_*`` function, and the
answer is compared with the recorded one (everything but the screening id). A ``/check`` is
re-decided on the snapshots recorded for each of its dates (its pins) and its recorded "today".
"""

from __future__ import annotations

from typing import Any

from embargo.errors import UsageError
from embargo.service.algorithm import algorithm_version
from embargo.service.checking import ListViews, rerun_check
from embargo.service.config import Budget
from embargo.service.filters import SearchFilters
from embargo.service.holder import IndexHolder
from embargo.service.models import MatchRequest, ScreenRequest
from embargo.service.reconcile import recon_answer
from embargo.service.screening import (
    DEFAULT_BUDGET,
    MatchParams,
    compute_match,
    compute_screen,
    compute_search,
    params_filters,
)
from embargo.store.audit import ScreeningRecord, dump_json, load_json


def rerun(holder: IndexHolder, record: ScreeningRecord, views: ListViews | None = None,
          budget: Budget = DEFAULT_BUDGET) -> dict[str, Any]:
    """The response body the recorded request gives on its snapshots (without an id)."""
    request = record.request
    refused = record.response.get("error") if isinstance(record.response, dict) else None
    if refused is not None:
        raise UsageError(f"screening {record.id} was refused ({refused.get('code')}): "
                         "nothing was screened, so there is nothing to replay",
                         screening_id=record.id)
    if record.endpoint == "check":
        return rerun_check(views or ListViews(holder.store, holder), request)
    loaded = holder.for_snapshot_ids(record.snapshot_ids)
    if record.endpoint == "screen":
        return compute_screen(loaded, ScreenRequest.model_validate(request["body"]), budget)
    if record.endpoint == "match":
        params = MatchParams.from_dict(request["params"])
        body = MatchRequest.model_validate(request["body"])
        return compute_match(loaded, body, params, budget,
                             params_filters(holder.store, loaded, params, body))
    if record.endpoint == "reconcile":
        params = MatchParams.from_dict(request["params"])
        body = MatchRequest.model_validate(request["body"])
        result = compute_match(loaded, body, params, budget,
                               params_filters(holder.store, loaded, params, body))
        return recon_answer(result, request["limits"])
    if record.endpoint == "search":
        p = request["params"]
        return compute_search(loaded, p["dataset"], p["q"], p["schema"], p["limit"], p["offset"],
                              budget, SearchFilters.from_dict(p.get("filters", {})))
    raise UsageError(f"cannot replay a {record.endpoint!r} request")


def replay(holder: IndexHolder, record: ScreeningRecord, views: ListViews | None = None,
           budget: Budget = DEFAULT_BUDGET) -> dict[str, Any]:
    """Re-run a recorded screening on its snapshots and say whether the answer is the same."""
    replayed = load_json(dump_json({"id": record.id, **rerun(holder, record, views, budget)}))
    return {
        "id": record.id, "same": replayed == record.response,
        "algorithm_changed": record.algorithm != algorithm_version(),
        "snapshot_ids": list(record.snapshot_ids), "original": record.response,
        "replayed": replayed,
    }
