"""Hostile request bodies: text that cannot be stored, nesting too deep, bytes that are not JSON.

A lone UTF-16 surrogate (``"\\ud800"`` in JSON) is valid JSON but not Unicode text: no UTF-8
encoder (the database driver, a log file, a CSV export) can write it. Such a request is refused
with 422 as a whole, before any screening, and audited like any other rejection; it never
reaches the shared audit batch as a record nobody can write. Bodies nested deeper than
:data:`MAX_DEPTH` are refused the same way (nothing Embargo reads is nested that deep), and so
are bodies that are not UTF-8 or not JSON at all (FastAPI would answer those 400).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from embargo.errors import EmbargoError, ValidationError

MAX_DEPTH = 32  # objects and arrays inside each other in one request body


def _is_text(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _children(value: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield str(key), key
            yield str(key), item
    elif isinstance(value, list | tuple):
        for number, item in enumerate(value):
            yield str(number), item


def body_problem(body: Any, max_depth: int = MAX_DEPTH) -> str | None:
    """Why a parsed JSON body cannot be accepted (None: it can), naming where.

    Walks the body without recursion, so any depth is safe to inspect.
    """
    stack: list[tuple[Any, str, int]] = [(body, "", 0)]
    while stack:
        value, where, depth = stack.pop()
        if isinstance(value, str):
            if not _is_text(value):
                return (f"{where or 'body'}: text is not valid Unicode (a lone UTF-16 "
                        "surrogate such as \\ud800); send UTF-8 text")
            continue
        if not isinstance(value, dict | list | tuple):
            continue
        if depth >= max_depth:
            return f"{where or 'body'}: nested deeper than {max_depth} levels"
        for key, child in _children(value):
            stack.append((child, f"{where}.{key}" if where else key, depth + 1))
    return None


def check_body(body: Any) -> Any:
    """A pydantic ``before`` validator: the body unchanged, or ValueError (then 422)."""
    problem = body_problem(body)
    if problem is not None:
        raise ValueError(problem)
    return body


def unreadable_body(cause: BaseException | None) -> EmbargoError | None:
    """The error for a body FastAPI could not parse (it says 400 ``http_error``), if known."""
    if isinstance(cause, EmbargoError):  # e.g. the body limit, hit while reading
        return cause
    if isinstance(cause, UnicodeDecodeError):
        return ValidationError(f"the request body is not valid UTF-8 (byte {cause.start}); "
                               "send JSON in UTF-8", reason="encoding")
    if isinstance(cause, RecursionError):
        return ValidationError(f"the request body is nested deeper than {MAX_DEPTH} levels",
                               reason="depth")
    if isinstance(cause, ValueError):
        return ValidationError(f"the request body is not valid JSON: {cause}", reason="json")
    return None
