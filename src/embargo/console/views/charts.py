"""Small accessible SVG charts rendered on the server: horizontal bars and lines over days.

API (both return one ``<svg>`` element as a string, deterministic for the same input):

* :func:`bar_chart` ``(series, *, title, x_label="", y_label="", ...)``: one horizontal bar per
  (label, value), in the given order (pass a mapping or pairs; sort before if you want);
  beyond ``max_bars`` the rest are summed into one "N others" bar.
* :func:`line_chart` ``(series_by_day, *, title, y_label="", x_label="day", ...)``: one line
  per named series over every day from the first to the last day present (every
  ``step_days`` days: 7 for weekly points); a day missing from a series is a gap in its line
  (fill zeros before if a missing day means zero).

Each chart has ``role="img"``, an ``aria-label`` and ``<title>`` (the title), a ``<desc>``
summing the data up in words, axis labels, and a ``<title>`` tooltip on every bar and point.
Series are told apart by colour and dash pattern, so they survive colour blindness and
greyscale. Labels are XML-escaped. Negative, infinite or NaN values raise
:class:`~embargo.errors.UsageError` (a chart never silently drops them).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta

from embargo.console.views.svg import document, element, shorten, text, tooltip
from embargo.errors import UsageError

COLOURS = ("#1f5f9e", "#c2410c", "#15803d", "#7e22ce", "#a16207", "#be123c")
DASHES = (None, "6 3", "2 3", "8 3 2 3", "1 2", "10 4")
FONT = 'font-family="sans-serif" font-size="11"'

Pairs = Mapping[str, float] | Sequence[tuple[str, float]]


def _checked(label: str, value: float) -> float:
    if not math.isfinite(value) or value < 0:
        raise UsageError(f"chart value {value!r} of {label!r} is not a finite number >= 0")
    return float(value)


def fmt(value: float) -> str:
    """A value as a short label: whole numbers without decimals, others to three figures
    (0.05, 2.5, 12.3: a tick of 0.01 is never shown as 0.0)."""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.0f}" if abs(value) >= 100 else f"{value:.3g}"


def nice_ticks(top: float, count: int = 5, *, whole: bool = False) -> list[float]:
    """0 and round steps (1, 2 or 5 × 10^k; at least 1 when ``whole``) up to ``top`` or more."""
    if top <= 0:
        return [0.0, 1.0]
    raw = top / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    step = max(step, 1) if whole else step
    steps = math.ceil(top / step - 1e-9)
    return [i * step for i in range(steps + 1)]


def _whole(values: Iterable[float]) -> bool:
    """Whether every value is a whole number (counts: no ticks between them)."""
    return all(float(v).is_integer() for v in values)


def _pairs(series: Pairs, max_bars: int) -> list[tuple[str, float]]:
    items = list(series.items()) if isinstance(series, Mapping) else list(series)
    checked = [(str(label), _checked(str(label), value)) for label, value in items]
    if len(checked) <= max_bars:
        return checked
    rest = checked[max_bars - 1:]
    return [*checked[:max_bars - 1], (f"{len(rest)} others", sum(v for _, v in rest))]


def _empty(title: str, width: float, kind: str) -> str:
    body = [text(width / 2, 40, "no data", text_anchor="middle", fill="#555")]
    return document(width, 64, title, body, class_=f"chart {kind}", description="No data.")


def bar_chart(series: Pairs, *, title: str, x_label: str = "", y_label: str = "",
              width: int = 480, bar_height: int = 22, max_bars: int = 20,
              label_width: int = 150) -> str:
    """Horizontal bars, one per (label, value) (see the module doc)."""
    bars = _pairs(series, max(max_bars, 2))
    if not bars:
        return _empty(title, width, "bar-chart")
    top, plot_w = 34, width - label_width - 40
    ticks = nice_ticks(max(v for _, v in bars), whole=_whole(v for _, v in bars))
    scale = plot_w / ticks[-1]
    height = top + len(bars) * bar_height + 44
    body = [text(8, 16, title, font_weight="bold"), text(8, 30, y_label, fill="#555")]
    body += _bar_axis(ticks, scale, label_width, top, top + len(bars) * bar_height, x_label)
    for i, (label, value) in enumerate(bars):
        y = top + i * bar_height
        body.append(_bar(label, value, y, scale, label_width, bar_height))
    summary = "; ".join(f"{label}: {fmt(value)}" for label, value in bars)
    return document(width, height, title, [f"<g {FONT}>", *body, "</g>"],
                    class_="chart bar-chart", description=summary)


def _bar(label: str, value: float, y: float, scale: float, left: int, height: int) -> str:
    w = value * scale
    parts = [tooltip(f"{label}: {fmt(value)}"),
             text(left - 6, y + height * 0.65, shorten(label, 24), text_anchor="end"),
             element("rect", x=float(left), y=float(y + 3), width=float(w),
                     height=float(height - 6), fill=COLOURS[0]),
             text(left + w + 4, y + height * 0.65, fmt(value))]
    return element("g", "".join(parts), class_="bar")


def _bar_axis(ticks: list[float], scale: float, left: int, top: int, bottom: int,
              label: str) -> list[str]:
    out = [element("line", x1=float(left), y1=float(top), x2=float(left), y2=float(bottom),
                   stroke="#333")]
    for tick in ticks:
        x = left + tick * scale
        out.append(element("line", x1=x, y1=float(top), x2=x, y2=float(bottom),
                           stroke="#ddd"))
        out.append(text(x, bottom + 14, fmt(tick), text_anchor="middle", fill="#555"))
    out.append(text(left + (ticks[-1] * scale) / 2, bottom + 32, label, text_anchor="middle"))
    return out


def _days(series_by_day: Mapping[str, Mapping[date, float]], step: int) -> list[date]:
    found = {d for points in series_by_day.values() for d in points}
    if not found:
        return []
    first, last = min(found), max(found)
    return [first + timedelta(days=i) for i in range(0, (last - first).days + 1, step)]


def line_chart(series_by_day: Mapping[str, Mapping[date, float]], *, title: str,
               y_label: str = "", x_label: str = "day", width: int = 600,
               height: int = 240, step_days: int = 1) -> str:
    """One line per named series over days (see the module doc)."""
    if step_days < 1:
        raise UsageError(f"step_days must be 1 or more, not {step_days}")
    days = _days(series_by_day, step_days)
    if not days:
        return _empty(title, width, "line-chart")
    for name, points in series_by_day.items():
        for day, value in points.items():
            _checked(f"{name} {day}", value)
    left, right, bottom = 48, width - 16, height - 44
    top = max(40, 26 + 12 * len(series_by_day))  # below the legend
    values = [v for p in series_by_day.values() for v in p.values()]
    ticks = nice_ticks(max(values, default=0.0), whole=_whole(values))
    plot = _Plot(days[0], max((days[-1] - days[0]).days, 1), left, right, top, bottom,
                 ticks[-1])
    body = [text(8, 16, title, font_weight="bold"), *_line_axes(plot, ticks, days),
            text(8, 30, y_label, fill="#555"),
            text((left + right) / 2, height - 8, x_label, text_anchor="middle")]
    for i, (name, points) in enumerate(series_by_day.items()):
        body.append(_series(plot, name, points, days, i))
        body.append(_legend_item(name, i, right))
    return document(width, height, title, [f"<g {FONT}>", *body, "</g>"],
                    class_="chart line-chart", description=_describe(series_by_day, days))


class _Plot:
    """Day and value to coordinates."""

    def __init__(self, first: date, span: int, left: float, right: float, top: float,
                 bottom: float, top_value: float) -> None:
        self.first, self.span, self.top_value = first, span, top_value
        self.left, self.right, self.top, self.bottom = left, right, top, bottom

    def x(self, day: date) -> float:
        return self.left + (day - self.first).days * (self.right - self.left) / self.span

    def y(self, value: float) -> float:
        return self.bottom - value * (self.bottom - self.top) / self.top_value


def _line_axes(plot: _Plot, ticks: list[float], days: list[date]) -> list[str]:
    out = []
    for tick in ticks:
        y = plot.y(tick)
        out.append(element("line", x1=float(plot.left), y1=y, x2=float(plot.right), y2=y,
                           stroke="#ddd"))
        out.append(text(plot.left - 6, y + 4, fmt(tick), text_anchor="end", fill="#555"))
    step = max(1, math.ceil(len(days) / 7))
    for i, day in enumerate(days):
        if i % step == 0 or i == len(days) - 1:
            label = day.isoformat() if i == 0 else day.strftime("%m-%d")
            out.append(text(plot.x(day), plot.bottom + 14, label, text_anchor="middle",
                            fill="#555"))
    out.append(element("line", x1=float(plot.left), y1=float(plot.bottom),
                       x2=float(plot.right), y2=float(plot.bottom), stroke="#333"))
    return out


def _runs(points: Mapping[date, float], days: list[date]) -> Iterable[list[date]]:
    """Runs of consecutive days present in ``points``."""
    run: list[date] = []
    for day in days:
        if day in points:
            run.append(day)
        elif run:
            yield run
            run = []
    if run:
        yield run


def _series(plot: _Plot, name: str, points: Mapping[date, float], days: list[date],
            i: int) -> str:
    colour, dash = COLOURS[i % len(COLOURS)], DASHES[i % len(DASHES)]
    parts = [tooltip(name)]
    for run in _runs(points, days):
        coords = " ".join(f"{plot.x(d):.2f},{plot.y(points[d]):.2f}" for d in run)
        parts.append(element("polyline", points=coords, fill="none", stroke=colour,
                             stroke_width="2", stroke_dasharray=dash))
    for day in sorted(points):
        dot = tooltip(f"{name}, {day.isoformat()}: {fmt(points[day])}")
        parts.append(element("circle", dot, cx=plot.x(day), cy=plot.y(points[day]),
                             r="3", fill=colour))
    return element("g", "".join(parts), class_="series")


def _legend_item(name: str, i: int, right: float) -> str:
    y = 14 + 12 * i
    colour, dash = COLOURS[i % len(COLOURS)], DASHES[i % len(DASHES)]
    line = element("line", x1=float(right - 150), y1=float(y - 4), x2=float(right - 126),
                   y2=float(y - 4), stroke=colour, stroke_width="2", stroke_dasharray=dash)
    return line + text(right - 120, y, shorten(name, 24))


def _describe(series_by_day: Mapping[str, Mapping[date, float]], days: list[date]) -> str:
    span = f"{days[0].isoformat()} to {days[-1].isoformat()}"
    totals = "; ".join(f"{name}: total {fmt(sum(p.values()))}, peak "
                       f"{fmt(max(p.values(), default=0.0))}"
                       for name, p in series_by_day.items())
    return f"{span}. {totals}."

