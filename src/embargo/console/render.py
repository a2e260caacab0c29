"""Jinja2 rendering of the console's pages (autoescaped: a listed or customer name is text)."""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from starlette.responses import HTMLResponse


def _when(value: datetime | date | None) -> str:
    if value is None:
        return "-"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return value.isoformat()


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.0f}%"


def _band(score: float) -> str:
    """A CSS class for a similarity (0-1)."""
    return "hi" if score >= 0.9 else "mid" if score >= 0.75 else "lo"


@cache
def environment() -> Environment:
    env = Environment(loader=PackageLoader("embargo.console", "templates"),
                      autoescape=select_autoescape(["html"], default=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(when=_when, pct=_pct, band=_band, query=urlencode)
    return env


def render(template: str, status: int = 200, /, **context: Any) -> HTMLResponse:
    html = environment().get_template(template).render(**context)
    return HTMLResponse(html, status_code=status, headers=SECURITY_HEADERS)


SECURITY_HEADERS = {
    # nothing loads from elsewhere; no inline script runs (a name that looks like a script
    # stays text twice over)
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; "
                               "img-src 'self' data:; frame-ancestors 'none'; "
                               "form-action 'self'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}
