"""Sign-in sessions: a random cookie token per browser, stored only as its SHA-256.

A session ends at logout, or when unused for longer than the idle timeout
(``EMBARGO_CONSOLE_IDLE_MINUTES``). Each session has its own CSRF token, which every form of
the console carries and every POST must send back.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, delete, insert, select, update

from embargo.console.tables import console_sessions
from embargo.errors import NotFoundError
from embargo.store.customers import utc
from embargo.store.engine import guarded
from embargo.store.users import User, UserStore

TOUCH_EVERY = timedelta(seconds=30)  # last_seen is written at most this often per session


def new_token() -> str:
    return secrets.token_urlsafe(32)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def same(a: str | None, b: str | None) -> bool:
    """Constant-time comparison of two tokens (False when either is missing)."""
    return bool(a) and bool(b) and hmac.compare_digest(str(a).encode(), str(b).encode())


@dataclass(frozen=True, slots=True)
class Session:
    id: str
    user: User
    csrf: str
    created_at: datetime
    last_seen: datetime


class SessionStore:
    """Sessions in the store's database (shared by every worker process)."""

    def __init__(self, engine: Engine, idle: timedelta) -> None:
        self.engine = engine
        self.idle = idle

    def create(self, user: User) -> tuple[str, Session]:
        """A new session for the user: its cookie token and the session."""
        token, now = new_token(), datetime.now(UTC)
        session = Session(digest(token), user, new_token(), now, now)
        with guarded(self.engine, "start session"), self.engine.begin() as conn:
            conn.execute(delete(console_sessions).where(
                console_sessions.c.last_seen < now - self.idle))
            conn.execute(insert(console_sessions).values(
                id=session.id, user_name=user.name, csrf=session.csrf, created_at=now,
                last_seen=now))
        return token, session

    def get(self, token: str | None) -> Session | None:
        """The live session of a cookie token; None if unknown, idle too long or user gone."""
        if not token or len(token) > 200:
            return None
        key = digest(token)
        with guarded(self.engine, "read session"), self.engine.connect() as conn:
            row = conn.execute(select(console_sessions).where(
                console_sessions.c.id == key)).first()
        if row is None:
            return None
        now, seen = datetime.now(UTC), utc(row.last_seen) or datetime.now(UTC)
        if now - seen > self.idle:
            self.end(token)
            return None
        try:
            user = UserStore(self.engine).get(row.user_name)
        except NotFoundError:
            return None
        if now - seen > TOUCH_EVERY:
            self._touch(key, now)
            seen = now
        return Session(key, user, row.csrf, utc(row.created_at) or now, seen)

    def _touch(self, key: str, now: datetime) -> None:
        with guarded(self.engine, "touch session"), self.engine.begin() as conn:
            conn.execute(update(console_sessions).where(console_sessions.c.id == key)
                         .values(last_seen=now))

    def end(self, token: str) -> None:
        with guarded(self.engine, "end session"), self.engine.begin() as conn:
            conn.execute(delete(console_sessions).where(console_sessions.c.id == digest(token)))
