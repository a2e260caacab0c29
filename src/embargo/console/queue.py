"""The alert queue: counts by state, filters, sort and paging, in SQL (no alert is loaded whole).

A filter value is checked here: an unknown state, band, age, sort or page is a usage error,
never an empty queue that looks like "no alerts".
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
from sqlalchemy import Engine, func, select

from embargo.alerts import workflow as wf
from embargo.console.tables import alert_assignments
from embargo.errors import UsageError
from embargo.store.customers import utc
from embargo.store.engine import guarded
from embargo.store.monitor_tables import alerts, customers

PER_PAGE = 50
ACTIVE = "active"  # open, in review, escalated or delisted: what still needs someone
ACTIVE_STATES = (wf.OPEN, wf.REVIEW, wf.ESCALATED, wf.DELISTED)
BANDS = {"0.9-1": (0.9, 1.0), "0.8-0.9": (0.8, 0.9), "0.7-0.8": (0.7, 0.8), "0-0.7": (0.0, 0.7)}
AGES = {"1": (None, 1), "7": (None, 7), "30": (None, 30), "30+": (30, None)}
SORTS = {"id": (alerts.c.id, False), "-id": (alerts.c.id, True),
         "score": (alerts.c.score, False), "-score": (alerts.c.score, True),
         "oldest": (alerts.c.created_at, False), "newest": (alerts.c.created_at, True)}


@dataclass(frozen=True, slots=True)
class QueueFilter:
    state: str = ACTIVE  # "", "active", a state or "pending" (awaiting approval)
    source: str = ""
    program: str = ""
    band: str = ""
    age: str = ""
    assignee: str = ""  # "", "me", "none" or a user name
    sort: str = "-score"
    page: int = 1

    def checked(self) -> QueueFilter:
        known = {"", ACTIVE, "pending", *wf.STATES}
        for value, allowed, what in ((self.state, known, "state"),
                                     (self.band, {"", *BANDS}, "score band"),
                                     (self.age, {"", *AGES}, "age"),
                                     (self.sort, set(SORTS), "sort")):
            if value not in allowed:
                raise UsageError(f"unknown {what} {value!r}; use one of "
                                 f"{', '.join(sorted(a or '(any)' for a in allowed))}")
        if self.page < 1:
            raise UsageError("page numbers start at 1")
        return self

    def params(self, **changes: Any) -> dict[str, Any]:
        """The filter as query parameters (with changes), for links."""
        out = {"state": self.state, "source": self.source, "program": self.program,
               "band": self.band, "age": self.age, "assignee": self.assignee,
               "sort": self.sort, "page": self.page}
        out.update(changes)
        return {k: v for k, v in out.items() if v not in ("", None)}


@dataclass(frozen=True, slots=True)
class QueueRow:
    id: int
    customer_id: str
    customer: str
    entity_id: str
    caption: str
    state: str
    score: float
    source: str
    programs: tuple[str, ...]
    created_at: datetime
    pending_decision: str | None
    pending_by: str | None
    assignee: str | None


@dataclass(frozen=True, slots=True)
class QueuePage:
    rows: tuple[QueueRow, ...]
    total: int
    page: int
    pages: int
    filter: QueueFilter


def _where(query: Any, f: QueueFilter, user: str) -> Any:
    if f.state == ACTIVE:
        query = query.where(alerts.c.state.in_(ACTIVE_STATES))
    elif f.state == "pending":
        query = query.where(alerts.c.state.in_((wf.REVIEW, wf.DELISTED)),
                            alerts.c.pending_decision.is_not(None))
    elif f.state:
        query = query.where(alerts.c.state == f.state)
    if f.source:
        query = query.where(alerts.c.source == f.source)
    if f.program:
        query = query.where(alerts.c.programs.contains(f'"{f.program}"', autoescape=True))
    if f.band:
        low, high = BANDS[f.band]
        query = query.where(alerts.c.score >= low)
        query = query.where(alerts.c.score < high) if high < 1 else query
    return _assignee(_age(query, f.age), f.assignee, user)


def _age(query: Any, age: str) -> Any:
    if not age:
        return query
    older, newer = AGES[age]
    now = datetime.now(UTC)
    if newer is not None:
        query = query.where(alerts.c.created_at >= now - timedelta(days=newer))
    if older is not None:
        query = query.where(alerts.c.created_at < now - timedelta(days=older))
    return query


def _assignee(query: Any, assignee: str, user: str) -> Any:
    if not assignee:
        return query
    query = query.outerjoin(alert_assignments, alert_assignments.c.alert_id == alerts.c.id)
    if assignee == "none":
        return query.where(alert_assignments.c.user_name.is_(None))
    return query.where(alert_assignments.c.user_name == (user if assignee == "me" else assignee))


_COLUMNS = (alerts.c.id, alerts.c.customer_id, customers.c.caption.label("customer"),
            alerts.c.entity_id, alerts.c.caption, alerts.c.state, alerts.c.score,
            alerts.c.source, alerts.c.programs, alerts.c.created_at,
            alerts.c.pending_decision, alerts.c.pending_by,
            alert_assignments.c.user_name.label("assignee"))


def _row(r: Any) -> QueueRow:
    return QueueRow(r.id, r.customer_id, r.customer, r.entity_id, r.caption, r.state, r.score,
                    r.source, tuple(orjson.loads(r.programs)),
                    utc(r.created_at) or datetime.now(UTC), r.pending_decision, r.pending_by,
                    r.assignee)


def _rows(conn: Any, ids: list[int]) -> list[QueueRow]:
    """The page's rows with their customer and assignee, in the order of ``ids``."""
    query = select(*_COLUMNS).select_from(
        alerts.join(customers, customers.c.id == alerts.c.customer_id)
        .outerjoin(alert_assignments, alert_assignments.c.alert_id == alerts.c.id)
    ).where(alerts.c.id.in_(ids))
    found = {r.id: _row(r) for r in conn.execute(query)}
    return [found[i] for i in ids if i in found]


def queue_page(engine: Engine, f: QueueFilter, user: str) -> QueuePage:
    """One page of the queue under the filter, with the total matched.

    The filter, sort and paging pick alert ids only (the indexes on score and age serve the
    sorts); the page's 50 rows are then read with their customer and assignee.
    """
    f = f.checked()
    column, descending = SORTS[f.sort]
    order = (column.desc() if descending else column.asc(), alerts.c.id.asc())
    ids_query = _where(select(alerts.c.id).select_from(alerts), f, user).order_by(*order)
    count_query = _where(select(func.count()).select_from(alerts), f, user)
    with guarded(engine, "read alert queue"), engine.connect() as conn:
        total = int(conn.scalar(count_query) or 0)
        pages = max(1, -(-total // PER_PAGE))
        page = min(f.page, pages)
        ids = list(conn.scalars(ids_query.limit(PER_PAGE).offset((page - 1) * PER_PAGE)))
        rows = _rows(conn, ids)
    return QueuePage(tuple(rows), total, page, pages, f)


def state_counts(engine: Engine) -> dict[str, int]:
    """Alerts by state, plus ``pending`` (awaiting approval) and ``active``."""
    by_state = select(alerts.c.state, func.count()).group_by(alerts.c.state)
    # a pending decision leaves its alert in review (or delisted): the state index serves it
    pending = select(func.count()).where(alerts.c.state.in_((wf.REVIEW, wf.DELISTED)),
                                         alerts.c.pending_decision.is_not(None))
    with guarded(engine, "count alerts"), engine.connect() as conn:
        counts = {str(s): int(n) for s, n in conn.execute(by_state)}
        counts["pending"] = int(conn.scalar(pending) or 0)
    counts[ACTIVE] = sum(counts.get(s, 0) for s in ACTIVE_STATES)
    return counts


_CHOICES: dict[str, tuple[float, tuple[list[str], list[str]]]] = {}
CHOICES_SECONDS = 60.0  # the filter menus may lag new lists and programmes by this long


def choices(engine: Engine) -> tuple[list[str], list[str]]:
    """The lists and programmes that alerts are on (for the filter menus; cached a minute)."""
    key = str(engine.url)
    cached = _CHOICES.get(key)
    if cached is not None and time.monotonic() - cached[0] < CHOICES_SECONDS:
        return cached[1]
    with guarded(engine, "read alert lists"), engine.connect() as conn:
        sources = sorted(str(s) for s in conn.scalars(select(alerts.c.source).distinct()))
        codes = {c for p in conn.scalars(select(alerts.c.programs).distinct())
                 for c in orjson.loads(p)}
    found = (sources, sorted(codes))
    _CHOICES[key] = (time.monotonic(), found)
    return found
