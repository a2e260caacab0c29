"""Small helpers for writing SVG by hand: escaping, elements, numbers, links.

Every text value and attribute value that reaches the output goes through :func:`esc`, so a
listed or customer name such as ``<script>alert(1)</script>`` comes out as text, never markup.
Characters XML cannot carry at all (C0 controls other than tab/newline, lone surrogates,
U+FFFE/U+FFFF) become U+FFFD, so hostile input cannot make the document unparseable either.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import quote

_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;",
                          "'": "&#39;"})
SVG_NS = "http://www.w3.org/2000/svg"


def esc(value: object) -> str:
    """``value`` as text safe inside an XML element or a quoted attribute."""
    return _ILLEGAL.sub("\ufffd", str(value)).translate(_ESCAPES)


def num(value: float) -> str:
    """A coordinate with at most two decimals and no trailing zeros (deterministic)."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def attrs(**values: object) -> str:
    """`` key="value"`` pairs (``None`` dropped, ``_`` in keys becomes ``-``, floats via
    :func:`num`); a trailing ``_`` is dropped, so ``class_`` gives ``class``."""
    out = []
    for key, value in values.items():
        if value is None:
            continue
        name = key.rstrip("_").replace("_", "-")
        text = num(value) if isinstance(value, float) else esc(value)
        out.append(f' {name}="{text}"')
    return "".join(out)


def element(tag: str, body: str = "", **values: object) -> str:
    """``<tag ...>body</tag>`` (``body`` is markup: escape text with :func:`esc` first)."""
    return f"<{tag}{attrs(**values)}>{body}</{tag}>" if body else f"<{tag}{attrs(**values)}/>"


def text(x: float, y: float, value: object, **values: object) -> str:
    """A ``<text>`` element holding ``value`` as escaped text."""
    return f"<text{attrs(x=float(x), y=float(y), **values)}>{esc(value)}</text>"


def tooltip(value: object) -> str:
    """A ``<title>`` child: the tooltip a browser shows on hover (and screen readers read)."""
    return f"<title>{esc(value)}</title>"


def entity_href(entity_id: str) -> str:
    """The console page of an entity (the id percent-encoded as one path segment)."""
    return f"/ui/entities/{quote(entity_id, safe='')}"


def shorten(value: str, limit: int) -> str:
    """``value`` cut to ``limit`` characters with an ellipsis."""
    return value if len(value) <= limit else value[:max(limit - 1, 1)].rstrip() + "…"


def document(width: float, height: float, label: str, body: Iterable[str], *,
             class_: str, description: str | None = None) -> str:
    """A complete ``<svg>`` element: ``role="img"``, an ``aria-label`` and a ``<title>``
    (plus a ``<desc>`` when given), a ``viewBox`` for scaling, and ``body``'s markup."""
    head = tooltip(label) + (f"<desc>{esc(description)}</desc>" if description else "")
    return (f'<svg xmlns="{SVG_NS}"{attrs(class_=class_, width=float(width))}'
            f'{attrs(height=float(height))} viewBox="0 0 {num(width)} {num(height)}"'
            f' role="img"{attrs(aria_label=label)}>{head}{"".join(body)}</svg>')
