"""Users of the alert workflow (name and role), and which user each API key acts as."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, insert, select

from embargo.alerts.workflow import check_role
from embargo.errors import ConflictError, NotFoundError, UsageError
from embargo.store.engine import guarded
from embargo.store.keys import ApiKey, KeyStore
from embargo.store.monitor_tables import key_users, users

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,99}")


@dataclass(frozen=True, slots=True)
class User:
    name: str
    role: str
    created_at: datetime
    active: bool

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "role": self.role, "active": self.active,
                "created_at": self.created_at.isoformat(timespec="seconds")}


def _user(row: Any) -> User:
    created = row.created_at
    created = created.replace(tzinfo=UTC) if created.tzinfo is None else created
    return User(row.name, row.role, created, bool(row.active))


class UserStore:
    """Users in the store's database."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def add(self, name: str, role: str) -> User:
        if not _NAME.fullmatch(name):
            raise UsageError(f"invalid user name {name!r}: letters, digits, . _ @ - "
                             "(up to 100 characters)")
        check_role(role)
        with guarded(self.engine, "add user"), self.engine.begin() as conn:
            if conn.execute(select(users.c.name).where(users.c.name == name)).first():
                raise ConflictError(f"user {name!r} already exists", user=name)
            conn.execute(insert(users).values(name=name, role=role, active=True,
                                              created_at=datetime.now(UTC)))
        return self.get(name)

    def get(self, name: str) -> User:
        with guarded(self.engine, "read user"), self.engine.connect() as conn:
            row = conn.execute(select(users).where(users.c.name == name)).first()
        if row is None or not row.active:
            raise NotFoundError(f"unknown user {name!r}: add it with `embargo users add`",
                                user=name)
        return _user(row)

    def list(self) -> list[User]:
        with guarded(self.engine, "list users"), self.engine.connect() as conn:
            return [_user(r) for r in conn.execute(select(users).order_by(users.c.name))]

    def create_key(self, name: str, scopes: Sequence[str], user: str) -> tuple[ApiKey, str]:
        """A new API key that acts as ``user`` (which must exist)."""
        self.get(user)
        keys = KeyStore(self.engine)
        key, token = keys.create(name, tuple(scopes))
        try:
            with guarded(self.engine, "link API key to user"), self.engine.begin() as conn:
                conn.execute(insert(key_users).values(key_id=key.id, user_name=user))
        except BaseException:
            keys.revoke(key.id)
            raise
        return key, token

    def key_user(self, key_id: str) -> User | None:
        """The user a key acts as (None: a key made without ``--user``)."""
        query = select(key_users.c.user_name).where(key_users.c.key_id == key_id)
        with guarded(self.engine, "read key user"), self.engine.connect() as conn:
            name = conn.scalar(query)
        return None if name is None else self.get(name)

    def key_users(self) -> dict[str, str]:
        with guarded(self.engine, "read key users"), self.engine.connect() as conn:
            return {k: u for k, u in conn.execute(select(key_users.c.key_id,
                                                         key_users.c.user_name))}
