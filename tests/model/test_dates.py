"""Date parsing: fuzzy dates for birth dates, full days for publication dates."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from embargo.model.dates import full_date, parse_date


@pytest.mark.parametrize(("text", "expected"), [
    ("12 Jan 1962", "1962-01-12"),
    ("Jan 1962", "1962-01"),
    ("00/00/1980", "1980"),
    ("circa 1962", "~1962"),
    ("Between 1960 and 1962", "1960/1962"),
    ("1980-13-45", None),
    ("", None),
])
def test_parse_date(text: str, expected: str | None) -> None:
    parsed = parse_date(text)
    assert (str(parsed) if parsed else None) == expected


@pytest.mark.parametrize(("text", "month_first", "expected"), [
    ("2025-04-19T23:00:04.625Z", False, date(2025, 4, 19)),
    ("03/28/2025", True, date(2025, 3, 28)),
    ("28/03/2025", False, date(2025, 3, 28)),
    ("2025-04", False, None),
    ("1980", False, None),
    (None, False, None),
    ("not a date", False, None),
])
def test_full_date(text: str | None, month_first: bool, expected: date | None) -> None:
    assert full_date(text, month_first) == expected


@given(st.text())
def test_never_crash(text: str) -> None:
    parse_date(text)
    full_date(text)
