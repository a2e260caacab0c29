"""Helpers shared by the parsers."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from embargo.model import Entity, Name, Schema
from embargo.sources.base import latest_change


def entity(modified: str | None) -> Entity:
    return replace(Entity("x:1", "x", "1", Schema.PERSON, (Name("A"),)), modified_on=modified)


def test_latest_change_takes_newest_full_date() -> None:
    days = ["2020-01-02", "2021-03-04", "2019", None, "2020-12-31"]
    assert latest_change([entity(d) for d in days]) == date(2021, 3, 4)


def test_latest_change_ignores_future_typos_and_absence() -> None:
    assert latest_change([entity("2922-09-01"), entity("2022-09-02")]) == date(2022, 9, 2)
    assert latest_change([entity(None)]) is None
    assert latest_change([]) is None
