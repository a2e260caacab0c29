"""A FastAPI route that answers the common request without FastAPI's generic machinery.

FastAPI resolves every parameter of every request through a generic path (per field: its
kind, its aliases, a pydantic validation, a deep copy of the default), parses JSON bodies with
the standard library and validates the result as Python objects: on a single-query ``/match``
that cost about as much CPU as the screening itself. :class:`FastRoute` keeps the route exactly
as declared (same OpenAPI document, same parameters and dependencies) and, per request, takes a
shorter path when the request is the plain case:

* no query string (every query parameter takes its default), and the route has no required
  query parameter, no header or cookie parameter;
* a JSON body (``Content-Type: application/json``) that pydantic validates straight from the
  bytes (one pass in Rust) into the route's one body model;
* dependencies that take only the request (the API-key checks): awaited as they are.

Anything else (a query string, a body that fails to parse or validate, another content type,
a path parameter that fails its checks) goes through FastAPI's own handler, so every error
answer is the one FastAPI gives. Exceptions raised by the dependencies or the endpoint
propagate the same way on both paths.
"""

from __future__ import annotations

import copy
import inspect
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from fastapi import HTTPException
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from pydantic import BaseModel
from pydantic import ValidationError as PydanticError
from starlette.requests import Request
from starlette.responses import Response

try:  # the route as included in the app (FastAPI >= 0.160); else the route itself
    from fastapi.routing import _effective_route_context_var
except ImportError:  # pragma: no cover
    _effective_route_context_var = None  # type: ignore[assignment]
_EFFECTIVE: Any = _effective_route_context_var

Handler = Callable[[Request], Coroutine[Any, Any, Response]]


@dataclass(frozen=True, slots=True)
class _Plan:
    """What the short path needs to know about a route, worked out once."""

    call: Callable[..., Coroutine[Any, Any, Response]]
    request_name: str | None
    path: list[Any]
    defaults: dict[str, Any]
    body_name: str | None
    body_model: type[BaseModel] | None
    checks: list[Callable[..., Coroutine[Any, Any, Any]]]
    check_names: list[str]

    def values(self) -> dict[str, Any]:
        return {k: copy.copy(v) if isinstance(v, list | dict | set) else v
                for k, v in self.defaults.items()}


def _request_only(dep: Dependant) -> bool:
    """A dependency that takes the request and nothing else, a coroutine function."""
    return (dep.call is not None and inspect.iscoroutinefunction(dep.call)
            and dep.request_param_name is not None and not dep.dependencies
            and not (dep.path_params or dep.query_params or dep.header_params
                     or dep.cookie_params or dep.body_params)
            and dep.security_scopes_param_name is None and not dep.own_oauth_scopes)


def _default(field: Any) -> Any:
    return field.field_info.get_default(call_default_factory=True)


def plan_for(dependant: Dependant) -> _Plan | None:
    """The short path's plan for a route, or None when the route is not a plain one."""
    call = dependant.call
    if call is None or not inspect.iscoroutinefunction(call):
        return None
    if (dependant.header_params or dependant.cookie_params or len(dependant.body_params) > 1
            or dependant.response_param_name or dependant.background_tasks_param_name
            or dependant.security_scopes_param_name or dependant.websocket_param_name
            or dependant.http_connection_param_name):
        return None
    if any(f.field_info.is_required() for f in dependant.query_params):
        return None
    if not all(_request_only(d) for d in dependant.dependencies):
        return None
    body = dependant.body_params[0] if dependant.body_params else None
    model: Any = body.field_info.annotation if body is not None else None
    if body is not None and not (isinstance(model, type) and issubclass(model, BaseModel)):
        return None
    return _Plan(call=call, request_name=dependant.request_param_name,
                 path=list(dependant.path_params),
                 defaults={f.name: _default(f) for f in dependant.query_params},
                 body_name=body.name if body is not None else None,
                 body_model=model if body is not None else None,
                 checks=[d.call for d in dependant.dependencies if d.call is not None],
                 check_names=[d.request_param_name or "request" for d in dependant.dependencies])


def _json(request: Request) -> bool:
    ctype = request.headers.get("content-type", "")
    return ctype.partition(";")[0].strip().lower() == "application/json"


class FastRoute(APIRoute):
    """An APIRoute whose plain requests skip FastAPI's generic parameter handling."""

    def get_route_handler(self) -> Handler:
        slow = super().get_route_handler()
        context = _EFFECTIVE.get() if _EFFECTIVE is not None else None
        route = context if context is not None and context.original_route is self else self
        plan = plan_for(route.dependant)
        if plan is None:
            return slow

        async def handler(request: Request) -> Response:
            if request.scope.get("query_string"):
                return await slow(request)
            values = plan.values()
            for field in plan.path:  # each checked as FastAPI does, without its generic path
                raw_value = request.path_params.get(field.alias)
                if raw_value is None:
                    return await slow(request)
                value, errors = field.validate(raw_value, values, loc=("path", field.alias))
                if errors:
                    return await slow(request)  # FastAPI gives the error answer
                values[field.name] = value
            if plan.body_model is not None and plan.body_name is not None:
                if not _json(request):
                    return await slow(request)
                try:
                    raw = await request.body()
                except HTTPException:
                    raise
                except Exception as exc:  # as FastAPI: the body could not be read
                    raise HTTPException(400, "There was an error parsing the body") from exc
                try:
                    values[plan.body_name] = plan.body_model.model_validate_json(raw)
                except (PydanticError, ValueError):
                    return await slow(request)  # FastAPI gives the error answer
            for check, name in zip(plan.checks, plan.check_names, strict=True):
                await check(**{name: request})
            if plan.request_name:
                values[plan.request_name] = request
            return await plan.call(**values)

        return handler
