"""API keys (``embargo.store.keys``): random, hashed with their id, scoped, revocable."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from embargo.errors import NotFoundError, UsageError
from embargo.store import Store
from embargo.store.keys import KeyStore, api_keys, hash_secret, parse_token


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def keys(request: pytest.FixtureRequest, tmp_path: Path) -> KeyStore:
    url = (f"sqlite:///{tmp_path / 's.db'}" if request.param == "sqlite"
           else str(request.getfixturevalue("pg_url")))
    store = Store.open(url)
    request.addfinalizer(store.close)
    return KeyStore(store.engine)


def test_create_verify_revoke(keys: KeyStore) -> None:
    key, token = keys.create("payments", ["screen"])
    assert token.startswith(f"emb_{key.id}_") and parse_token(token) is not None
    assert keys.verify(token) == key and key.allows("screen") and not key.allows("read")
    with keys.engine.connect() as conn:
        stored = conn.execute(select(api_keys.c.secret_hash)).scalar_one()
    secret = token.split("_", 2)[2]
    assert stored == hash_secret(key.id, secret) and secret not in stored
    assert keys.verify(token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    revoked = keys.revoke(key.id)
    assert not revoked.active and keys.verify(token) is None
    assert keys.revoke(key.id).revoked_at == revoked.revoked_at  # idempotent
    assert [k.id for k in keys.list()] == [key.id]


@pytest.mark.parametrize("token", ["", "emb_", "Bearer x", "emb_zzzzzzzzzzzz_" + "a" * 40,
                                   "emb_0123456789ab_short", "emb_0123456789ab_" + "a" * 43])
def test_bad_tokens_fail(keys: KeyStore, token: str) -> None:
    assert keys.verify(token) is None


def test_admin_implies_every_scope(keys: KeyStore) -> None:
    key, _ = keys.create("ops", ["admin"])
    assert all(key.allows(s) for s in ("screen", "read", "admin"))


@pytest.mark.parametrize(("name", "scopes"), [("x", []), ("x", ["root"]), (" ", ["read"])])
def test_create_refuses(keys: KeyStore, name: str, scopes: list[str]) -> None:
    with pytest.raises(UsageError):
        keys.create(name, scopes)


def test_unknown_key(keys: KeyStore) -> None:
    with pytest.raises(NotFoundError):
        keys.revoke("000000000000")


def test_keys_are_random(keys: KeyStore) -> None:
    tokens = {keys.create(f"k{i}", ["read"])[1] for i in range(5)}
    assert len(tokens) == 5
