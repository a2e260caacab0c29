"""OpenAPI links: each audited answer leads to its audit record and its replay.

``POST /screen``, ``POST /match/{dataset}``, ``POST /check`` and ``GET /search/{dataset}``
answer with the id of their audit record, in the body (``id``) or, for a refused request, in
the error (``error.details.screening_id``); the links say so, so that clients (and the
stateful fuzzing in tests/service/test_fuzz_api.py) can follow them to
``GET /screenings/{id}`` and ``POST /screenings/{id}/replay``.
"""

from __future__ import annotations

from typing import Any

AUDITED = (("/screen", "post"), ("/match/{dataset}", "post"), ("/check", "post"),
           ("/search/{dataset}", "get"))
RECORD = ("/screenings/{screening_id}", "get")
REPLAY = ("/screenings/{screening_id}/replay", "post")
SOURCES = {"200": "$response.body#/id", "422": "$response.body#/error/details/screening_id"}


def _operation_id(schema: dict[str, Any], path: str, method: str) -> str | None:
    operation = schema.get("paths", {}).get(path, {}).get(method)
    return operation.get("operationId") if operation else None


def add_links(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema with links from each audited operation to its record (changed in place)."""
    record, replay = _operation_id(schema, *RECORD), _operation_id(schema, *REPLAY)
    if record is None or replay is None:
        return schema
    for path, method in AUDITED:
        operation = schema["paths"].get(path, {}).get(method)
        if operation is None:
            continue
        for status, source in SOURCES.items():
            response = operation.get("responses", {}).get(status)
            if response is None:
                continue
            links = response.setdefault("links", {})
            links["AuditRecord"] = {"operationId": record,
                                    "parameters": {"screening_id": source},
                                    "description": "The audit record of this request"}
            if status == "200":
                links["Replay"] = {"operationId": replay,
                                   "parameters": {"screening_id": source},
                                   "description": "Re-run this request on the same snapshots"}
    return schema
