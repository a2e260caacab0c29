"""Parsing the many ways lists write dates into :class:`FuzzyDate`.

Handles ``12 Jan 1962``, ``Jan 1962``, ``1962``, ``circa 1962``,
``1962 to 1964``, ``between 1962 and 1964``, ISO dates and prefixes,
day-first numeric dates (``12/01/1962``, UK ``00/00/1980`` for a year) and
US month-first ones (``03/28/2025``) when asked.
"""

from __future__ import annotations

import re
from datetime import date

from embargo.model.entity import FuzzyDate

MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for m in names
}
_CIRCA = re.compile(r"^\s*(?:circa|ca\.?|c\.|approx(?:imately|\.)?|about)\s+", re.I)
_RANGE = re.compile(r"^\s*(?:between\s+)?(.+?)\s+(?:to|and|-|–)\s+(.+?)\s*$", re.I)
_TEXT = re.compile(r"^(?:(\d{1,2})\s+)?([A-Za-z]{3,9})\.?,?\s+(\d{4})$")
_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:T.*)?$")
_NUMERIC = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$")


def _prefix(year: int, month: int | None = None, day: int | None = None) -> str | None:
    if not 1000 <= year <= 2999:
        return None
    if not month:
        return f"{year:04d}"
    if not 1 <= month <= 12:
        return None
    if not day:
        return f"{year:04d}-{month:02d}"
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def parse_point(text: str, month_first: bool = False) -> str | None:
    """One date as an ISO prefix, or None when it is not a date."""
    text = text.strip().rstrip(".").strip()
    if m := _ISO.match(text):
        return _prefix(int(m[1]), int(m[2] or 0), int(m[3] or 0))
    if m := _TEXT.match(text):
        month = MONTHS.get(m[2].lower())
        if month is None:
            return None
        return _prefix(int(m[3]), month, int(m[1] or 0))
    if m := _NUMERIC.match(text):
        first, second = int(m[1]), int(m[2])
        day, month = (second, first) if month_first else (first, second)
        return _prefix(int(m[3]), month, day)
    return None


def parse_date(text: str | None, month_first: bool = False) -> FuzzyDate | None:
    """A birth date or similar as a :class:`FuzzyDate`, or None."""
    if text is None or not text.strip():
        return None
    raw = " ".join(text.split())
    body, circa = _CIRCA.sub("", raw), bool(_CIRCA.match(raw))
    point = parse_point(body, month_first)
    if point is not None:
        return FuzzyDate(point, circa=circa, text=None if body == point and not circa else raw)
    if m := _RANGE.match(body):
        start, end = parse_point(m[1], month_first), parse_point(m[2], month_first)
        if start and end:
            return FuzzyDate(start, end=end, circa=circa, text=raw)
    return None


def iso_date(text: str | None, month_first: bool = False) -> str | None:
    """A full or partial date as an ISO prefix (for listing dates and such)."""
    if text is None:
        return None
    return parse_point(" ".join(text.split()), month_first) if text.strip() else None


def full_date(text: str | None, month_first: bool = False) -> date | None:
    """A date that names a day (publication dates): None for a month, a year or no date."""
    value = iso_date(text, month_first)
    return date.fromisoformat(value) if value and len(value) == 10 else None
