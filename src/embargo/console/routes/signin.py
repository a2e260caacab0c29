"""Sign in, sign out."""

from __future__ import annotations

import time
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from embargo.console import passwords
from embargo.console.sessions import Session, new_token, same
from embargo.console.throttle import minutes
from embargo.console.web import (
    COOKIE,
    LOGIN_COOKIE,
    base,
    page,
    posted,
    sessions,
    state,
    throttle,
)

router = APIRouter()


def safe_next(request: Request, target: str | None) -> str:
    """Where to go after signing in: a console path only (never another site)."""
    home = base(request) + "/alerts"
    if not target or not target.startswith(base(request) + "/") or target.startswith("//") \
            or "\\" in target or "/login" in target:
        return home
    return target


def _cookie(request: Request, response: Response, name: str, value: str) -> None:
    response.set_cookie(name, value, httponly=True, samesite="lax", path=base(request) or "/",
                        secure=request.url.scheme == "https")


@router.get("/", include_in_schema=False)
async def home(request: Request) -> Response:
    return RedirectResponse(base(request) + "/alerts", status_code=303)


@router.get("/login")
async def login_form(request: Request, next: str = "", error: str = "") -> Response:
    token = request.cookies.get(LOGIN_COOKIE) or new_token()
    response = page(request, "login.html", 401 if error else 200, csrf=token,
                    next=safe_next(request, next), error=error, name="")
    _cookie(request, response, LOGIN_COOKIE, token)
    return response


@router.post("/login")
async def login(request: Request, name: Annotated[str, Form(max_length=100)] = "",
                password: Annotated[str, Form(max_length=1024)] = "",
                csrf: Annotated[str, Form()] = "", next: Annotated[str, Form()] = "",
                ) -> Response:
    if not same(csrf, request.cookies.get(LOGIN_COOKIE)):
        return page(request, "login.html", 403, csrf=request.cookies.get(LOGIN_COOKIE) or "",
                    next=safe_next(request, next), name=name,
                    error="The sign-in form expired: please try again.")
    guard, address = throttle(request), request.client.host if request.client else ""
    wait = guard.wait(name, address, time.monotonic())
    if wait > 0:  # the password is not even checked
        return page(request, "login.html", 429, csrf=csrf, next=safe_next(request, next),
                    name=name, error=f"Too many failed sign-ins: try again in "
                                     f"{minutes(wait)} minute(s).")
    engine = state(request).store.engine
    user = await run_in_threadpool(passwords.verify, engine, name.strip(), password)
    if user is None:
        guard.failed(name, address, time.monotonic())
        return page(request, "login.html", 401, csrf=csrf, next=safe_next(request, next),
                    name=name, error="Unknown user or wrong password.")
    guard.succeeded(name)
    token, _ = await run_in_threadpool(sessions(request).create, user)
    response = RedirectResponse(safe_next(request, next), status_code=303)
    _cookie(request, response, COOKIE, token)
    response.delete_cookie(LOGIN_COOKIE, path=base(request) or "/")
    return response


@router.post("/logout")
async def logout(request: Request, session: Annotated[Session, Depends(posted)]) -> Response:
    token = request.cookies.get(COOKIE, "")
    await run_in_threadpool(sessions(request).end, token)
    response = RedirectResponse(base(request) + "/login", status_code=303)
    response.delete_cookie(COOKIE, path=base(request) or "/")
    return response
