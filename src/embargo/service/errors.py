"""HTTP errors of the service, all answered with the project's one JSON error body.

Every failure, including FastAPI's own validation errors, unknown routes and anything
unexpected, is rendered by :func:`embargo.errors.error_body`.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from contextvars import ContextVar
from typing import Any, Protocol, cast

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from embargo.errors import EmbargoError, Timeout, ValidationError, error_body
from embargo.service.guard import unreadable_body

log = logging.getLogger(__name__)
# CPU seconds the current request spent screening (set by ServiceState.run)
SCREEN_CPU: ContextVar[float | None] = ContextVar("embargo_screen_cpu", default=None)
__all__ = ["SCREEN_CPU", "BodyLimit", "Forbidden", "RateLimited", "Timeout", "TooLarge",
           "Unauthorized", "dumps", "error_response", "install_handlers", "json_response",
           "received_body"]


class Unauthorized(EmbargoError):
    http_status = 401
    code = "unauthorized"


class Forbidden(EmbargoError):
    http_status = 403
    code = "forbidden"


class RateLimited(EmbargoError):
    http_status = 429
    code = "rate_limited"


class TooLarge(EmbargoError):
    http_status = 413
    code = "too_large"


_HTTP_CODES = {404: "not_found", 405: "method_not_allowed", 406: "not_acceptable",
               413: "too_large", 415: "unsupported_media_type"}


def dumps(data: Any) -> bytes:
    """JSON bytes; integers beyond 64 bits (echoed queries) fall back to stdlib json.

    The fallback escapes everything outside ASCII, so text that is not valid Unicode (a lone
    surrogate in an audited request) is written as its JSON escape instead of failing.
    """
    try:
        return orjson.dumps(data)
    except TypeError:  # orjson.JSONEncodeError
        return json.dumps(data, ensure_ascii=True, default=str).encode()


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    """A JSON answer; after screening, with ``Server-Timing: screen-cpu;dur=<ms>``.

    The header tells a load test how much of the server's CPU per request was the screening
    itself (``bench/load_service.py`` splits the server's CPU with it).
    """
    cpu = SCREEN_CPU.get()
    if cpu is not None:
        headers = {**(headers or {}), "Server-Timing": f"screen-cpu;dur={cpu * 1e3:.3f}"}
    return Response(dumps(data), status_code=status, headers=headers,
                    media_type="application/json")


def error_response(error: BaseException, status: int | None = None) -> Response:
    code = status or (error.http_status if isinstance(error, EmbargoError) else 500)
    headers = {"WWW-Authenticate": "Bearer"} if code == 401 else {}
    retry = error.details.get("retry_after") if isinstance(error, EmbargoError) else None
    if retry is not None:
        headers["Retry-After"] = str(retry)
    return json_response(error_body(error), code, headers)


def _location(loc: Sequence[Any]) -> str:
    parts = [str(p) for p in loc if p not in ("body",)]
    return ".".join(parts) or "body"


def _message(error: Any) -> str:
    """pydantic's message, without the "Value error, " of our own validators' messages."""
    msg = str(error.get("msg", "invalid"))
    return msg.removeprefix("Value error, ")


def validation_message(errors: Sequence[Any]) -> str:
    """One line naming the first few invalid fields."""
    parts = [f"{_location(e.get('loc', ()))}: {_message(e)}" for e in errors[:3]]
    more = f" (and {len(errors) - 3} more)" if len(errors) > 3 else ""
    return "invalid request: " + "; ".join(parts) + more


class Rejections(Protocol):
    """Who records refused requests (the service state: its audit trail)."""

    async def rejected(self, request: Request, error: EmbargoError) -> EmbargoError: ...


async def _rejected(request: Request, error: EmbargoError) -> Response:
    """The error response; refused screening requests are audited first (see state.py).

    The answer is the error itself, with the audit record's id in its details, or the key's
    own error when a request refused before its key was checked has no valid key.
    """
    state = getattr(request.app.state, "embargo", None)
    if state is not None:
        error = await cast(Rejections, state).rejected(request, error)
    return error_response(error)


async def _on_validation(request: Request, exc: Exception) -> Response:
    errors = exc.errors() if isinstance(exc, RequestValidationError) else []
    fields = [{"loc": [str(p) for p in e.get("loc", ())], "msg": _message(e)}
              for e in errors[:20]]
    return await _rejected(request, ValidationError(validation_message(errors), fields=fields))


async def _on_embargo(request: Request, exc: Exception) -> Response:
    if isinstance(exc, EmbargoError):
        return await _rejected(request, exc)
    return error_response(exc)


async def _on_http(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    known = unreadable_body(exc.__cause__) if status == 400 else None
    if known is not None:  # FastAPI's 400 "error parsing the body": say what and answer 422
        return await _rejected(request, known)
    detail = exc.detail if isinstance(exc, HTTPException) else str(exc)
    error = EmbargoError(str(detail))
    error.code = _HTTP_CODES.get(status, "http_error")
    return error_response(error, status)


async def _on_unexpected(_: Request, exc: Exception) -> Response:
    log.exception("unexpected error: %s", exc)
    return error_response(EmbargoError("internal error; see the server log"), 500)


def install_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _on_validation)
    app.add_exception_handler(EmbargoError, _on_embargo)
    app.add_exception_handler(HTTPException, _on_http)
    app.add_exception_handler(Exception, _on_unexpected)


def received_body(request: Request) -> str | None:
    """The request body as received (text; bytes that are not UTF-8 as ``\\xNN``)."""
    chunks = getattr(request.state, "body_chunks", None)
    if not chunks:
        return None
    return b"".join(chunks).decode("utf-8", errors="backslashreplace")


class BodyLimit:
    """Refuse request bodies over ``limit`` bytes with 413, by header or while streaming.

    The body's chunks are kept (by reference) in the request state, so that a refused request
    is audited with the body it sent (:func:`received_body`).
    """

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        SCREEN_CPU.set(None)  # a request of its own (several may share a task in tests)
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.limit:
            await self._refuse(scope, receive, send)
            return
        seen = 0
        chunks: list[bytes] = []  # the body as received, for the audit record of a refusal
        scope.setdefault("state", {})["body_chunks"] = chunks

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            chunk = message.get("body", b"")
            chunks.append(chunk)
            seen += len(chunk)
            if seen > self.limit:
                raise TooLarge(f"request body over {self.limit} bytes (EMBARGO_MAX_BODY_BYTES)")
            return message

        await self.app(scope, counted, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        error = TooLarge(f"request body over {self.limit} bytes (EMBARGO_MAX_BODY_BYTES)")
        await error_response(error)(scope, receive, send)
