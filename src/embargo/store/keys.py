"""API keys of the screening service: random, shown once, stored hashed, scoped, revocable.

A key reads ``emb_<key id>_<secret>``. The key id is public (it names the key in the audit
trail and in ``embargo keys list``); the secret is 32 random bytes (``secrets.token_urlsafe``).
Only ``sha256(key id ":" secret)`` is stored, so each key's hash is prefixed with its own id,
and checks compare digests in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Engine,
    String,
    Table,
    Text,
    insert,
    select,
    update,
)

from embargo.errors import NotFoundError, UsageError
from embargo.store.engine import guarded
from embargo.store.tables import metadata

SCOPES = ("screen", "read", "admin", "alerts")
PREFIX = "emb"
_TOKEN = re.compile(r"emb_([0-9a-f]{12})_([A-Za-z0-9_-]{20,100})")

api_keys = Table(
    "api_keys",
    metadata,
    Column("id", String(12), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("secret_hash", String(64), nullable=False),
    Column("scopes", Text, nullable=False),  # space-separated
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True)),
    Column("revoked", Boolean, nullable=False, default=False),
)


@dataclass(frozen=True, slots=True)
class ApiKey:
    """A stored key (never its secret)."""

    id: str
    name: str
    scopes: frozenset[str]
    created_at: datetime
    revoked_at: datetime | None

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    def allows(self, scope: str) -> bool:
        """``admin`` implies every scope."""
        return self.active and (scope in self.scopes or "admin" in self.scopes)


def hash_secret(key_id: str, secret: str) -> str:
    return hashlib.sha256(f"{key_id}:{secret}".encode()).hexdigest()


def parse_token(token: str) -> tuple[str, str] | None:
    """(key id, secret) of a well-formed key, else None."""
    found = _TOKEN.fullmatch(token.strip())
    return (found[1], found[2]) if found else None


def check_scopes(scopes: tuple[str, ...] | list[str]) -> frozenset[str]:
    unknown = sorted(set(scopes) - set(SCOPES))
    if unknown:
        raise UsageError(f"unknown scope {unknown[0]!r}; use {', '.join(SCOPES)}")
    if not scopes:
        raise UsageError(f"a key needs at least one scope ({', '.join(SCOPES)})")
    return frozenset(scopes)


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _to_key(row: Any) -> ApiKey:
    created = _utc(row.created_at)
    assert created is not None
    return ApiKey(id=row.id, name=row.name, scopes=frozenset(row.scopes.split()),
                  created_at=created, revoked_at=_utc(row.revoked_at))


class KeyStore:
    """API keys in the store's database."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def create(self, name: str, scopes: tuple[str, ...] | list[str]) -> tuple[ApiKey, str]:
        """A new key and its token (``emb_<id>_<secret>``); the token is never stored."""
        wanted = check_scopes(scopes)
        if not name.strip():
            raise UsageError("a key needs a name")
        key_id, secret = secrets.token_hex(6), secrets.token_urlsafe(32)
        values = {"id": key_id, "name": name.strip()[:200], "scopes": " ".join(sorted(wanted)),
                  "secret_hash": hash_secret(key_id, secret), "created_at": datetime.now(UTC),
                  "revoked_at": None, "revoked": False}
        with guarded(self.engine, "create API key"), self.engine.begin() as conn:
            conn.execute(insert(api_keys).values(**values))
        return self.get(key_id), f"{PREFIX}_{key_id}_{secret}"

    def get(self, key_id: str) -> ApiKey:
        with guarded(self.engine, "read API key"), self.engine.connect() as conn:
            row = conn.execute(select(api_keys).where(api_keys.c.id == key_id)).first()
        if row is None:
            raise NotFoundError(f"no API key {key_id!r}", key_id=key_id)
        return _to_key(row)

    def list(self) -> list[ApiKey]:
        with guarded(self.engine, "list API keys"), self.engine.connect() as conn:
            rows = conn.execute(select(api_keys).order_by(api_keys.c.created_at, api_keys.c.id))
            return [_to_key(row) for row in rows]

    def revoke(self, key_id: str) -> ApiKey:
        """Revoke a key (idempotent: the first revocation time is kept)."""
        key = self.get(key_id)
        if key.active:
            with guarded(self.engine, "revoke API key"), self.engine.begin() as conn:
                conn.execute(update(api_keys).where(api_keys.c.id == key_id)
                             .values(revoked_at=datetime.now(UTC), revoked=True))
        return self.get(key_id)

    def verify(self, token: str) -> ApiKey | None:
        """The active key a token belongs to, or None (unknown, wrong secret, revoked)."""
        parsed = parse_token(token)
        if parsed is None:
            return None
        key_id, secret = parsed
        with guarded(self.engine, "verify API key"), self.engine.connect() as conn:
            row = conn.execute(select(api_keys).where(api_keys.c.id == key_id)).first()
        expected = row.secret_hash if row is not None else hash_secret("0" * 12, "")
        good = hmac.compare_digest(expected, hash_secret(key_id, secret))
        if row is None or not good or row.revoked_at is not None:
            return None
        return _to_key(row)
