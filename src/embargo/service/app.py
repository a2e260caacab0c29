"""The ASGI application: FastAPI with the one JSON error body everywhere.

``create_app()`` reads settings from the environment; uvicorn workers call
:func:`app_from_env` (a factory), so each worker process opens its own store, audit writer
and index.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from starlette.responses import HTMLResponse

from embargo import __version__
from embargo.console import app as console
from embargo.service.config import ServiceConfig, load_service_config
from embargo.service.errors import BodyLimit, install_handlers
from embargo.service.openapi import add_links
from embargo.service.routes import admin, health, monitoring, native, reconcile, rules, yente
from embargo.service.state import ServiceState
from embargo.settings import Settings, load_settings

log = logging.getLogger(__name__)

DESCRIPTION = """Sanctions screening over dated snapshots of the official lists.

Every endpoint but `/healthz` and `/readyz` needs an API key: `Authorization: Bearer emb_...`
or `Authorization: ApiKey emb_...` (create one with `embargo keys create`); the OpenRefine
reconciliation endpoints also take `?api_key=emb_...`. Errors always have the body
`{"error": {"code", "message", "details"}}`.
"""


def create_app(settings: Settings | None = None, config: ServiceConfig | None = None,
               *, load_index: bool = True) -> FastAPI:
    """The service app; its lifespan opens the store and loads the index in the background."""
    settings = settings or load_settings()
    config = config or load_service_config(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        state = ServiceState.open(settings, config)
        app.state.embargo = state
        state.start(load_index)
        try:
            yield
        finally:
            state.close()

    app = FastAPI(title="Embargo", version=__version__, description=DESCRIPTION,
                  lifespan=lifespan, docs_url=None, redoc_url=None)
    install_handlers(app)
    for module in (health, yente, reconcile, native, rules, admin, monitoring):
        app.include_router(module.router)
    console.mount(app)  # the web console under /ui
    app.add_middleware(BodyLimit, limit=config.max_body_bytes)

    build_openapi = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            add_links(build_openapi())
        return app.openapi_schema or {}

    app.openapi = openapi  # type: ignore[method-assign]

    @app.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return get_swagger_ui_html(openapi_url="/openapi.json", title="Embargo API")

    return app


def app_from_env() -> FastAPI:
    """The app factory uvicorn workers call (``embargo.service.app:app_from_env``)."""
    settings = load_settings()
    logging.basicConfig(level=settings.log_level,
                        format="embargo: %(levelname)s: %(name)s: %(message)s")
    return create_app(settings)
