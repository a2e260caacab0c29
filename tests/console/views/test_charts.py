"""SVG charts: golden output, accessibility, escaping, limits and bad values."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from embargo.console.views.charts import bar_chart, fmt, line_chart, nice_ticks
from embargo.errors import UsageError

from .conftest import SVG, check_svg, texts

DAY = date(2026, 11, 1)


def _days(values: list[float]) -> dict[date, float]:
    return {DAY + timedelta(days=i): v for i, v in enumerate(values)}


def test_bar_chart_golden() -> None:
    svg = bar_chart([("ofac-sdn", 120), ("un", 31), ("uk-ofsi", 7.5)], title="Hits per list",
                    x_label="alerts raised", y_label="list")
    root = check_svg("bar_chart", svg)
    assert root.get("role") == "img" and root.get("aria-label") == "Hits per list"
    assert root.findtext(f"{SVG}title") == "Hits per list"
    assert root.findtext(f"{SVG}desc") == "ofac-sdn: 120; un: 31; uk-ofsi: 7.5"
    bars = [g for g in root.iter(f"{SVG}g") if g.get("class") == "bar"]
    assert [g.findtext(f"{SVG}title") for g in bars] == [
        "ofac-sdn: 120", "un: 31", "uk-ofsi: 7.5"]
    widths = [float(g.find(f"{SVG}rect").get("width") or 0) for g in bars]  # type: ignore[union-attr]
    assert widths[0] > widths[1] > widths[2] > 0
    assert math.isclose(widths[0] / widths[1], 120 / 31, rel_tol=1e-3)
    assert {"alerts raised", "list"} <= set(texts(root))


def test_line_chart_golden() -> None:
    svg = line_chart({"opened": _days([3, 5, 0, 2, 8, 1, 4]),
                      "closed": _days([1, 2, 2, 0, 6, 3, 3])},
                     title="Alerts per day", y_label="alerts")
    root = check_svg("line_chart", svg)
    assert root.get("role") == "img" and root.get("aria-label") == "Alerts per day"
    assert root.findtext(f"{SVG}desc") == (
        "2026-11-01 to 2026-11-07. opened: total 23, peak 8; closed: total 17, peak 6.")
    series = [g for g in root.iter(f"{SVG}g") if g.get("class") == "series"]
    assert [g.findtext(f"{SVG}title") for g in series] == ["opened", "closed"]
    dots = [c.findtext(f"{SVG}title") for c in series[0].iter(f"{SVG}circle")]
    assert dots[4] == "opened, 2026-11-05: 8" and len(dots) == 7
    dashes = [p.get("stroke-dasharray") for g in series for p in g.iter(f"{SVG}polyline")]
    assert dashes == [None, "6 3"]  # told apart without colour too


def test_line_chart_gap_splits_the_line() -> None:
    points = {DAY: 1.0, DAY + timedelta(days=1): 2.0, DAY + timedelta(days=3): 4.0}
    root = ET.fromstring(line_chart({"x": points}, title="t"))
    lines = list(root.iter(f"{SVG}polyline"))
    assert len(lines) == 2 and len(list(root.iter(f"{SVG}circle"))) == 3


def test_hostile_labels_are_text() -> None:
    evil = "<script>alert(1)</script>\"'&"
    for svg in (bar_chart({evil: 1}, title=evil, x_label=evil, y_label=evil),
                line_chart({evil: {DAY: 1.0}}, title=evil, y_label=evil, x_label=evil)):
        assert "<script>" not in svg
        root = ET.fromstring(svg)
        assert root.get("aria-label") == evil
        assert evil in texts(root)


def test_many_bars_are_summed_into_others() -> None:
    series = [(f"P{i:02}", 25 - i) for i in range(25)]
    root = ET.fromstring(bar_chart(series, title="t", max_bars=10))
    bars = [g.findtext(f"{SVG}title") for g in root.iter(f"{SVG}g") if g.get("class") == "bar"]
    assert len(bars) == 10 and bars[-1] == f"16 others: {sum(25 - i for i in range(9, 25))}"


@pytest.mark.parametrize("bad", [-1.0, math.nan, math.inf])
def test_bad_values_raise(bad: float) -> None:
    with pytest.raises(UsageError):
        bar_chart({"a": bad}, title="t")
    with pytest.raises(UsageError):
        line_chart({"a": {DAY: bad}}, title="t")


def test_empty_charts_say_so() -> None:
    for svg in (bar_chart({}, title="Empty"), line_chart({"a": {}}, title="Empty")):
        root = ET.fromstring(svg)
        assert "no data" in texts(root) and root.get("aria-label") == "Empty"


@pytest.mark.parametrize(("top", "ticks"), [
    (0, [0, 1]), (1, [0, 0.2, 0.4, 0.6, 0.8, 1]), (7, [0, 2, 4, 6, 8]),
    (10, [0, 2, 4, 6, 8, 10]), (120, [0, 50, 100, 150]), (0.3, [0, 0.1, 0.2, 0.3]),
])
def test_nice_ticks(top: float, ticks: list[float]) -> None:
    assert [round(t, 9) for t in nice_ticks(top)] == ticks


@pytest.mark.parametrize(("top", "ticks"), [(1, [0, 1]), (2, [0, 1, 2]), (7, [0, 2, 4, 6, 8])])
def test_whole_ticks(top: float, ticks: list[float]) -> None:
    assert nice_ticks(top, whole=True) == ticks


@given(st.floats(min_value=1e-6, max_value=1e9))
def test_nice_ticks_cover_the_top(top: float) -> None:
    ticks = nice_ticks(top)
    assert ticks[0] == 0 and ticks[-1] >= top * (1 - 1e-9) and 2 <= len(ticks) <= 12


@pytest.mark.parametrize(("value", "text"), [(3, "3"), (3.0, "3"), (2.25, "2.25"), (0.05, "0.05"),
                                             (0.01, "0.01"), (0.1 + 0.2, "0.3"), (123.4, "123")])
def test_fmt(value: float, text: str) -> None:
    assert fmt(value) == text


@given(st.floats(min_value=1e-4, max_value=50))
def test_distinct_ticks_get_distinct_labels(top: float) -> None:
    labels = [fmt(t) for t in nice_ticks(top)]
    assert len(set(labels)) == len(labels), labels
