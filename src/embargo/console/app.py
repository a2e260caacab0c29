"""The console as an app mounted under ``/ui`` in the service's app (same process and store)."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.responses import RedirectResponse, Response
from starlette.staticfiles import StaticFiles

from embargo.console.routes import alert, explore, queue, reviews, signin
from embargo.console.web import SignInRequired, base, page
from embargo.errors import EmbargoError

PREFIX = "/ui"


def create_console(parent: FastAPI) -> FastAPI:
    """The console app; it reads the service's state from ``parent``."""
    ui = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    ui.state.parent = parent
    for module in (signin, queue, alert, reviews, explore):
        ui.include_router(module.router)
    ui.mount("/static", StaticFiles(packages=[("embargo.console", "static")]), name="static")
    _handlers(ui)
    return ui


def mount(parent: FastAPI) -> None:
    parent.mount(PREFIX, create_console(parent))


def _handlers(ui: FastAPI) -> None:
    @ui.exception_handler(SignInRequired)
    async def sign_in(request: Request, exc: SignInRequired) -> Response:
        target = f"{base(request)}/login?next={quote(exc.target, safe='')}"
        return RedirectResponse(target, status_code=303)

    @ui.exception_handler(EmbargoError)
    async def embargo_error(request: Request, exc: EmbargoError) -> Response:
        return page(request, "error.html", exc.http_status, message=str(exc),
                    code=exc.http_status)

    @ui.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'][1:])}: {e['msg']}"
                             for e in exc.errors())
        return page(request, "error.html", 400, message=f"invalid request: {problems}",
                    code=400)

    @ui.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        return page(request, "error.html", exc.status_code, message=str(exc.detail),
                    code=exc.status_code)
