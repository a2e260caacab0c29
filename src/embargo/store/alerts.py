"""Alerts in the store: raised idempotently, changed only through the workflow, never deleted.

Raising is idempotent: a pair that already has an alert is not raised again, unless its latest
alert was cleared and the customer's screened fields or the listed entry changed since (the
good-guy list lapses). Every state change is an optimistic update (``revision``): of two users
acting on one alert, the second gets :class:`~embargo.errors.ConflictError` (HTTP 409).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

import orjson
from sqlalchemy import Connection, Engine, insert, select, text, update

from embargo.alerts import workflow as wf
from embargo.alerts.types import Alert, AlertEvent, AlertFilter, PairHit
from embargo.errors import ConflictError, NotFoundError
from embargo.store.alert_updates import Latest as _Latest
from embargo.store.alert_updates import move_on, origin_of
from embargo.store.alert_updates import what_changed as _changes
from embargo.store.customers import utc
from embargo.store.engine import BEGIN_OPTION, guarded
from embargo.store.monitor_tables import alert_events, alerts

_LOCK_KEY = 0x6D6F6E69  # "moni": advisory lock of monitor writes (PostgreSQL)
Action = Callable[[Alert], wf.Transition]


def _json(value: Any) -> str | None:
    return None if value is None else orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode()


def _load(value: str | None) -> Any:
    return None if value is None else orjson.loads(value)


def _alert(row: Any) -> Alert:
    return Alert(
        id=row.id, customer_id=row.customer_id, entity_id=row.entity_id, seq=row.seq,
        state=row.state, score=row.score, source=row.source, schema=row.schema,
        caption=row.caption, programs=tuple(orjson.loads(row.programs)),
        hit=orjson.loads(row.hit), snapshot_id=row.snapshot_id, published=row.published,
        entity_hash=row.entity_hash, customer_version=row.customer_version,
        customer_hash=row.customer_hash, supersedes=row.supersedes,
        changes=_load(row.changes), pending_decision=row.pending_decision,
        pending_by=row.pending_by, pending_reason=row.pending_reason,
        delisted_on=row.delisted_on, created_at=utc(row.created_at) or datetime.now(UTC),
        updated_at=utc(row.updated_at) or datetime.now(UTC), revision=row.revision)


def _event(row: Any) -> AlertEvent:
    return AlertEvent(row.id, row.alert_id, utc(row.at) or datetime.now(UTC), row.user_name,
                      row.action, row.from_state, row.to_state, row.reason, row.comment,
                      _load(row.details))


def lock_monitor(conn: Connection) -> None:
    """Serialise monitor writes (SQLite: the caller's BEGIN IMMEDIATE does it)."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})


def add_event(conn: Connection, alert_id: int, action: str, *, user: str | None = None,
              from_state: str | None = None, to_state: str | None = None,
              reason: str | None = None, comment: str | None = None,
              details: dict[str, Any] | None = None, at: datetime | None = None) -> None:
    conn.execute(insert(alert_events).values(
        alert_id=alert_id, at=at or datetime.now(UTC), user_name=user, action=action,
        from_state=from_state, to_state=to_state, reason=reason, comment=comment,
        details=_json(details)))


def _latest(conn: Connection, hits: Sequence[PairHit]) -> dict[tuple[str, str], _Latest]:
    """The newest alert of each hit's pair."""
    found: dict[tuple[str, str], _Latest] = {}
    ids = sorted({h.customer_id for h in hits})
    for start in range(0, len(ids), 500):
        query = select(alerts.c.id, alerts.c.customer_id, alerts.c.entity_id, alerts.c.seq,
                       alerts.c.state, alerts.c.customer_version, alerts.c.customer_hash,
                       alerts.c.entity_hash, alerts.c.delisted_on).where(
            alerts.c.customer_id.in_(ids[start:start + 500]))
        for r in conn.execute(query):
            key = (r.customer_id, r.entity_id)
            if key not in found or found[key].seq < r.seq:
                found[key] = _Latest(r.id, r.seq, r.state, r.customer_version,
                                     r.customer_hash, r.entity_hash, r.delisted_on)
    return found


def _insert_alert(conn: Connection, hit: PairHit, seq: int, now: datetime,
                  changes: dict[str, Any] | None) -> int:
    values = {
        "customer_id": hit.customer_id, "entity_id": hit.entity_id, "seq": seq,
        "state": wf.OPEN, "score": hit.score, "source": hit.source, "schema": hit.schema,
        "caption": hit.caption, "programs": _json(list(hit.programs)), "hit": _json(hit.hit),
        "snapshot_id": hit.snapshot_id, "published": hit.published,
        "entity_hash": hit.entity_hash, "customer_version": hit.customer_version,
        "customer_hash": hit.customer_hash,
        "supersedes": changes["supersedes"] if changes else None, "changes": _json(changes),
        "created_at": now, "updated_at": now, "revision": 1,
    }
    alert_id = int(conn.execute(insert(alerts).values(**values).returning(alerts.c.id))
                   .scalar_one())
    add_event(conn, alert_id, "raised", to_state=wf.OPEN, at=now,
              details={"score": hit.score, "snapshot": hit.snapshot_id,
                       "customer_version": hit.customer_version, **(changes or {})})
    return alert_id


def _relist(conn: Connection, old: _Latest, hit: PairHit, now: datetime) -> None:
    state = wf.OPEN if old.state == wf.DELISTED else old.state
    conn.execute(update(alerts).where(alerts.c.id == old.id).values(
        delisted_on=None, state=state, updated_at=now, revision=alerts.c.revision + 1))
    add_event(conn, old.id, "relisted", from_state=old.state, to_state=state, at=now,
              details={"snapshot": hit.snapshot_id, "score": hit.score})


def _raise_one(conn: Connection, hit: PairHit, old: _Latest | None, now: datetime,
               moved: list[int]) -> _Latest | None:
    """Raise, re-raise (lapsed good-guy), relist or move on the pair; its new latest state."""
    if old is None:
        new_id, seq = _insert_alert(conn, hit, 1, now, None), 1
    elif old.state == wf.CLEARED and (old.customer_hash != hit.customer_hash
                                     or old.entity_hash != hit.entity_hash
                                     or old.delisted_on is not None):
        new_id, seq = _insert_alert(conn, hit, old.seq + 1, now, _changes(conn, old, hit)), \
            old.seq + 1
    elif old.state in wf.ACTIVE or old.state == wf.DELISTED:
        return _keep_up(conn, old, hit, now, moved)
    elif old.delisted_on is not None:  # a confirmed pair listed again
        _relist(conn, old, hit, now)
        return _Latest(old.id, old.seq, old.state, old.customer_version, old.customer_hash,
                       old.entity_hash, None)
    else:
        return None
    return _Latest(new_id, seq, wf.OPEN, hit.customer_version, hit.customer_hash,
                   hit.entity_hash, None)


def _keep_up(conn: Connection, old: _Latest, hit: PairHit, now: datetime,
             moved: list[int]) -> _Latest | None:
    """An alert not decided yet: relisted if it was delisted, moved on if either side changed."""
    if old.delisted_on is None and old.state == wf.DELISTED:
        return None
    if old.delisted_on is not None:
        _relist(conn, old, hit, now)
    if move_on(conn, old, hit, now):
        moved.append(old.id)
    state = wf.OPEN if old.state == wf.DELISTED else old.state
    return _Latest(old.id, old.seq, state, hit.customer_version, hit.customer_hash,
                   hit.entity_hash, None)


def raise_hits(conn: Connection, hits: Iterable[PairHit], now: datetime,
               moved: list[int] | None = None) -> list[int]:
    """Raise an alert for each hit whose pair needs one; the new alert ids (idempotent).

    An alert still active whose customer or entry changed is moved on instead (its id is
    added to ``moved``).
    """
    hits = list(hits)
    latest = _latest(conn, hits)
    raised: list[int] = []
    for hit in hits:
        key = (hit.customer_id, hit.entity_id)
        old = latest.get(key)
        new = _raise_one(conn, hit, old, now, [] if moved is None else moved)
        if new is not None:
            if old is None or new.id != old.id:
                raised.append(new.id)
            latest[key] = new
    return raised


def mark_delisted(conn: Connection, in_force: dict[str, tuple[int, date, set[str]]],
                  now: datetime) -> list[int]:
    """Alerts on entries no longer listed get ``delisted_on`` (and, if active, the state)."""
    query = select(alerts.c.id, alerts.c.entity_id, alerts.c.source, alerts.c.state).where(
        alerts.c.delisted_on.is_(None))
    marked = []
    for row in conn.execute(query).all():
        listed = in_force.get(row.source)
        if listed is None or row.entity_id in listed[2]:
            continue
        state = wf.DELISTED if row.state in wf.ACTIVE else row.state
        conn.execute(update(alerts).where(alerts.c.id == row.id).values(
            delisted_on=listed[1], state=state, updated_at=now,
            revision=alerts.c.revision + 1))
        add_event(conn, row.id, "delisted", from_state=row.state, to_state=state, at=now,
                  details={"delisted_on": listed[1].isoformat(), "snapshot": listed[0]})
        marked.append(row.id)
    return marked


def _filtered(query: Any, f: AlertFilter) -> Any:
    if f.states:
        query = query.where(alerts.c.state.in_(f.states))
    if f.source:
        query = query.where(alerts.c.source == f.source)
    if f.program:
        query = query.where(alerts.c.programs.contains(f'"{f.program}"', autoescape=True))
    if f.min_score is not None:
        query = query.where(alerts.c.score >= f.min_score)
    if f.max_score is not None:
        query = query.where(alerts.c.score <= f.max_score)
    now = datetime.now(UTC)
    if f.older_than_days is not None:
        query = query.where(alerts.c.created_at <= now - timedelta(days=f.older_than_days))
    if f.newer_than_days is not None:
        query = query.where(alerts.c.created_at >= now - timedelta(days=f.newer_than_days))
    if f.customer_id:
        query = query.where(alerts.c.customer_id == f.customer_id)
    if f.entity_id:
        query = query.where(alerts.c.entity_id == f.entity_id)
    return query.order_by(alerts.c.id).limit(f.limit)


class AlertStore:
    """Alerts and events in the store's database."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def get(self, alert_id: int) -> Alert:
        with guarded(self.engine, "read alert"), self.engine.connect() as conn:
            row = conn.execute(select(alerts).where(alerts.c.id == alert_id)).first()
        if row is None:
            raise NotFoundError(f"no alert {alert_id}", alert_id=alert_id)
        return _alert(row)

    def raised_on(self, alert_id: int) -> dict[str, Any]:
        """What the alert was raised on: hit, score, snapshot and versions (``moved``: whether
        a change behind it has moved its current ones on since)."""
        alert = self.get(alert_id)
        with guarded(self.engine, "read alert origin"), self.engine.connect() as conn:
            origin = origin_of(conn, alert_id)
        if origin is not None:
            return {**origin, "moved": True}
        return {"score": alert.score, "snapshot": alert.snapshot_id,
                "published": alert.published.isoformat(), "entity_hash": alert.entity_hash,
                "customer_version": alert.customer_version,
                "customer_hash": alert.customer_hash, "hit": alert.hit, "moved": False}

    def events(self, alert_id: int | None = None) -> list[AlertEvent]:
        return list(self.iter_events(alert_id))

    def iter_events(self, alert_id: int | None = None) -> Iterator[AlertEvent]:
        query = select(alert_events).order_by(alert_events.c.id)
        if alert_id is not None:
            query = query.where(alert_events.c.alert_id == alert_id)
        with guarded(self.engine, "read alert events"), self.engine.connect() as conn:
            for row in conn.execution_options(yield_per=1000).execute(query):
                yield _event(row)

    def list(self, f: AlertFilter | None = None) -> list[Alert]:
        return list(self.iter(f))

    def iter(self, f: AlertFilter | None = None) -> Iterator[Alert]:
        query = _filtered(select(alerts), f or AlertFilter())
        with guarded(self.engine, "list alerts"), self.engine.connect() as conn:
            for row in conn.execution_options(yield_per=1000).execute(query):
                yield _alert(row)

    def act(self, alert_id: int, user: str, action: Action, *, reason: str | None = None,
            comment: str | None = None, expected_revision: int | None = None) -> Alert:
        """Apply a workflow action as one optimistic update plus its event."""
        alert = self.get(alert_id)
        if expected_revision is not None and expected_revision != alert.revision:
            raise self._conflict(alert)
        step = action(alert)
        now = datetime.now(UTC)
        pending = {"pending_decision": step.pending,
                   "pending_by": user if step.pending else None,
                   "pending_reason": reason if step.pending else None}
        with guarded(self.engine, "update alert"), self.engine.connect() as conn:
            conn = conn.execution_options(**{BEGIN_OPTION: "IMMEDIATE"})
            with conn.begin():
                done = conn.execute(update(alerts).where(
                    alerts.c.id == alert_id, alerts.c.revision == alert.revision).values(
                    state=step.to_state, updated_at=now, revision=alert.revision + 1,
                    **pending))
                if done.rowcount != 1:
                    raise self._conflict(alert)
                add_event(conn, alert_id, step.action, user=user, from_state=alert.state,
                          to_state=step.to_state, reason=reason, comment=comment, at=now,
                          details=self._details(alert, step))
        return self.get(alert_id)

    @staticmethod
    def _details(alert: Alert, step: wf.Transition) -> dict[str, Any]:
        details: dict[str, Any] = {"revision": alert.revision + 1}
        if step.pending:
            details["pending"] = step.pending
        if step.action in ("approve", "reject"):
            details["decision"] = alert.pending_decision
            details["decided_by"] = alert.pending_by
            details["decision_reason"] = alert.pending_reason
        return details

    def _conflict(self, seen: Alert) -> ConflictError:
        now = self.get(seen.id)
        return ConflictError(
            f"alert {seen.id} was changed by someone else (revision {seen.revision} -> "
            f"{now.revision}, now {now.state}); reload it and try again",
            alert_id=seen.id, state=now.state, revision=now.revision)
