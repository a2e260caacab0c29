"""The service's routes, one module per concern."""

from __future__ import annotations

from typing import Any

from embargo.service.models import ErrorBody

_DESCRIPTIONS = {
    400: "The request cannot be done as asked",
    401: "Missing, invalid or revoked API key",
    403: "The API key lacks the scope",
    404: "Not found",
    413: "Request body too large",
    422: "Invalid request",
    429: "Rate limit exceeded",
    503: "Index not loaded, store unavailable, or request took too long",
}


def errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI response entries for error statuses (all use the one error body)."""
    chosen = sorted({*(codes or (401, 403, 429)), 400, 413, 422, 503})
    return {code: {"model": ErrorBody, "description": _DESCRIPTIONS[code]} for code in chosen}
