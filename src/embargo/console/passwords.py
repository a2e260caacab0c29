"""Users' passwords, hashed with argon2id; set with ``embargo users passwd``.

A user without a password cannot sign in to the console (API keys are separate). Hashes whose
parameters are older than the library's defaults are re-hashed at the next sign-in.
"""

from __future__ import annotations

from datetime import UTC, datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import Engine, delete, insert, select, update

from embargo.console.tables import user_passwords
from embargo.errors import NotFoundError, UsageError
from embargo.store.engine import guarded
from embargo.store.users import User, UserStore

MIN_LENGTH = 8
MAX_LENGTH = 1024
_HASHER = PasswordHasher()


def check_password(password: str) -> str:
    """The password, if long enough (and not absurdly long); else a usage error."""
    if len(password) < MIN_LENGTH:
        raise UsageError(f"a password needs at least {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        raise UsageError(f"a password has at most {MAX_LENGTH} characters")
    return password


def set_password(engine: Engine, name: str, password: str) -> None:
    """Set (or replace) the user's password; the user must exist."""
    UserStore(engine).get(name)
    digest = _HASHER.hash(check_password(password))
    now = datetime.now(UTC)
    with guarded(engine, "set password"), engine.begin() as conn:
        conn.execute(delete(user_passwords).where(user_passwords.c.user_name == name))
        conn.execute(insert(user_passwords).values(user_name=name, hash=digest, set_at=now))


def _stored(engine: Engine, name: str) -> str | None:
    query = select(user_passwords.c.hash).where(user_passwords.c.user_name == name)
    with guarded(engine, "read password"), engine.connect() as conn:
        found = conn.scalar(query)
    return None if found is None else str(found)


def verify(engine: Engine, name: str, password: str) -> User | None:
    """The active user if the password is theirs; None otherwise (never says which failed)."""
    try:
        user: User | None = UserStore(engine).get(name)
    except NotFoundError:
        user = None
    stored = _stored(engine, name) if user is not None else None
    if user is None or stored is None or len(password) > MAX_LENGTH:
        _HASHER.hash("timing-equaliser")  # as slow as a real check
        return None
    try:
        _HASHER.verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return None
    if _HASHER.check_needs_rehash(stored):
        _rehash(engine, name, password)
    return user


def _rehash(engine: Engine, name: str, password: str) -> None:
    with guarded(engine, "rehash password"), engine.begin() as conn:
        conn.execute(update(user_passwords).where(user_passwords.c.user_name == name)
                     .values(hash=_HASHER.hash(password)))


def has_password(engine: Engine, name: str) -> bool:
    return _stored(engine, name) is not None
