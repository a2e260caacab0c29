"""Programme rules: ``POST /check`` decides transactions or parties, each on its own date."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from embargo.service.auth import require
from embargo.service.checking import check_count, compute_check
from embargo.service.errors import json_response
from embargo.service.routes import errors
from embargo.service.rule_models import CheckRequest, CheckResponse
from embargo.service.state import get_state

router = APIRouter(tags=["rules"])


@router.post("/check", summary="Decide transactions under the programme rules",
             response_model=None, dependencies=[Depends(require("screen"))],
             responses={200: {"model": CheckResponse}, **errors(401, 403, 422, 429, 503)})
async def check(request: Request, body: CheckRequest) -> Response:
    """One decision per item, in order: `prohibited`, `allowed`, `allowed_under_licence` or
    `review`, with the reasons (rule, citation, listed entry, snapshot, ownership path, region).

    Each item is judged on the list snapshots and ownership holdings in force on its `date`
    (`as_of` for items without one). The input schema is the one of `embargo check`
    (docs/rules.md). The request is audited; `POST /screenings/{id}/replay` re-decides it on
    the same snapshots.
    """
    state = get_state(request)
    check_count(len(body.items), state.config.max_batch)
    state.holder.require()
    today = body.as_of or date.today()
    checked = await state.run(compute_check, state.views, body, today, None,
                              state.config.budget)
    response = await state.audited(request, "check", checked.snapshot_ids,
                                   checked.audit_payload(body, today), checked.body,
                                   as_of=body.as_of)
    return json_response(response)
