"""CSV cells that a spreadsheet will not run as formulas.

Every CSV the project writes (screen, compare, batch, alert and audit exports) goes through
:func:`safe_cell` or :func:`safe_row`. A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or
a carriage return is read as a formula by Excel, LibreOffice and Google Sheets (OWASP's "CSV
injection"); such a cell is written with a leading apostrophe, which spreadsheets show as text.
Numbers the project itself writes (scores) are not strings and pass unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """``value`` with a leading apostrophe if it is a string a spreadsheet would run."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    """Each cell of a row through :func:`safe_cell`."""
    return [safe_cell(value) for value in values]


def safe_mapping(row: Mapping[str, Any]) -> dict[str, Any]:
    """Each value of a ``csv.DictWriter`` row through :func:`safe_cell`.

    Header cells are written by the caller: pass them through :func:`safe_row`.
    """
    return {key: safe_cell(value) for key, value in row.items()}
