"""Requests to the console: the signed-in session, CSRF checks and HTML error pages.

Every page but the sign-in page needs a live session (else: a redirect to sign in); every POST
needs the session's CSRF token in its ``csrf`` form field (else: 403, nothing done).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated, Any

from fastapi import Form, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from embargo.console.render import render
from embargo.console.sessions import Session, SessionStore, same
from embargo.console.throttle import Limits, SignInThrottle
from embargo.service.errors import Forbidden
from embargo.service.state import ServiceState

COOKIE = "embargo_session"
LOGIN_COOKIE = "embargo_login"  # the CSRF token of the sign-in form (before any session)


class SignInRequired(Exception):
    def __init__(self, target: str) -> None:
        super().__init__(target)
        self.target = target


class CsrfRefused(Forbidden):
    """A POST without the session's CSRF token (403, nothing done)."""

    code = "csrf"


def state(request: Request) -> ServiceState:
    """The service's state (the console is mounted in the service's app)."""
    found: ServiceState = request.app.state.parent.state.embargo
    return found


def base(request: Request) -> str:
    return str(request.scope.get("root_path", ""))


def sessions(request: Request) -> SessionStore:
    st = state(request)
    return SessionStore(st.store.engine, timedelta(minutes=st.settings.console_idle_minutes))


def throttle(request: Request) -> SignInThrottle:
    """This worker's sign-in throttle (made on first use from the settings)."""
    found: SignInThrottle | None = getattr(request.app.state, "throttle", None)
    if found is None:
        settings = state(request).settings
        attempts = max(1, settings.console_signin_attempts)
        found = SignInThrottle(Limits(attempts, 4 * attempts,
                                      60.0 * max(1, settings.console_signin_lock_minutes)))
        request.app.state.throttle = found
    return found


async def signed_in(request: Request) -> Session:
    """The request's session, or a redirect to the sign-in page."""
    session = await run_in_threadpool(sessions(request).get, request.cookies.get(COOKIE))
    if session is None:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise SignInRequired(target)
    request.state.session = session
    return session


async def posted(request: Request, csrf: Annotated[str, Form()] = "") -> Session:
    """A signed-in POST carrying the session's CSRF token."""
    session = await signed_in(request)
    if not same(csrf, session.csrf):
        raise CsrfRefused("this form's CSRF token is missing or wrong: reload the page and "
                          "try again")
    return session


@dataclass(frozen=True, slots=True)
class Page:
    """What every page's layout needs."""

    base: str
    session: Session | None
    counts: dict[str, int]

    @property
    def user(self) -> str:
        return self.session.user.name if self.session else ""

    @property
    def role(self) -> str:
        return self.session.user.role if self.session else ""


def page(request: Request, template: str, status: int = 200, /, *,
         counts: dict[str, int] | None = None, **context: Any) -> Response:
    session = getattr(request.state, "session", None)
    return render(template, status, page=Page(base(request), session, counts or {}), **context)
