"""The name keys of each monitored customer's current version, in the store (migration 6).

Written when customers are imported and brought up to date at the start of each monitor run
(:mod:`embargo.monitoring.keyed`); read by delta runs to find the customers that share a key
with the entries that changed. Keys longer than the column are stored hashed (:func:`stored`):
equal keys stay equal, so a lookup finds at least what the full keys would.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, and_, delete, insert, or_, select

from embargo.model.codec import loads
from embargo.model.entity import Entity
from embargo.store.monitor_tables import (
    KEY_TABLES,
    customer_keyed,
    customer_keys,
    customer_versions,
    customer_witnesses,
    customers,
    probed_terms,
    term_probes,
)

MAX_KEY = 120
CHUNK = 500  # values per IN (...) list
_FINGERPRINT_KEY = "keys_fingerprint"


def stored(key: str) -> str:
    """The form a key is stored and looked up in (long keys shortened by a hash)."""
    if len(key) <= MAX_KEY:
        return key
    return key[:MAX_KEY - 41] + "#" + hashlib.sha1(key.encode()).hexdigest()


def unhashed(key: str) -> bool:
    """Whether a stored key is the key itself (not a long key's hashed form)."""
    return not (len(key) == MAX_KEY and key[MAX_KEY - 41] == "#")


def chunks(values: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(values), CHUNK):
        yield values[start:start + CHUNK]


def clear_if_other(conn: Connection, fingerprint: str, state: Mapping[str, str]) -> bool:
    """Drop every stored key when they were made by other analysis code; whether it did."""
    from embargo.store.monitoring import put_state

    if state.get(_FINGERPRINT_KEY) == fingerprint:
        return False
    for table in reversed(KEY_TABLES):
        conn.execute(delete(table))
    put_state(conn, _FINGERPRINT_KEY, fingerprint)
    return True


def unkeyed(conn: Connection, fingerprint: str) -> list[tuple[str, str, Entity]]:
    """Active customers whose current version has no keys yet: (id, content hash, entity).

    The ids first, then the versions of those only: joined in one query, every customer's
    version is looked up (a delta run asks this of the whole customer base each time)."""
    query = (select(customers.c.id, customers.c.content_hash, customers.c.version)
             .select_from(customers.outerjoin(
                 customer_keyed, customer_keyed.c.customer_id == customers.c.id))
             .where(customers.c.removed_at.is_(None))
             .where(or_(customer_keyed.c.customer_id.is_(None),
                        customer_keyed.c.content_hash != customers.c.content_hash,
                        customer_keyed.c.fingerprint != fingerprint))
             .order_by(customers.c.id))
    due = {cid: (digest, version) for cid, digest, version in conn.execute(query)}
    out: list[tuple[str, str, Entity]] = []
    for part in chunks(sorted(due)):
        rows = conn.execute(select(customer_versions.c.customer_id, customer_versions.c.version,
                                   customer_versions.c.data)
                            .where(customer_versions.c.customer_id.in_(part)))
        out += [(cid, due[cid][0], loads(data)) for cid, version, data in rows
                if due[cid][1] == version]
    return sorted(out, key=lambda row: row[0])


def write_keys(conn: Connection, keyed: Sequence[tuple[str, str, set[str]]],
               probes: Mapping[str, set[str]], fingerprint: str) -> None:
    """Replace the keys of customers ((id, content hash, keys) each); add the terms' probes."""
    ids = [cid for cid, _, _ in keyed]
    for part in chunks(ids):
        conn.execute(delete(customer_keys).where(customer_keys.c.customer_id.in_(part)))
        conn.execute(delete(customer_keyed).where(customer_keyed.c.customer_id.in_(part)))
    rows = [{"key": k, "customer_id": cid} for cid, _, keys in keyed
            for k in {stored(key) for key in keys}]
    if rows:
        conn.execute(insert(customer_keys), rows)
    if keyed:
        conn.execute(insert(customer_keyed), [
            {"customer_id": cid, "content_hash": digest, "fingerprint": fingerprint}
            for cid, digest, _ in keyed])
    _write_probes(conn, probes, fingerprint)


def new_terms(conn: Connection, terms: Iterable[str]) -> set[str]:
    """The terms (stored form) whose probes are not stored yet."""
    wanted = sorted({stored(t) for t in terms})
    known: set[str] = set()
    for part in chunks(wanted):
        known.update(conn.scalars(select(probed_terms.c.term).where(
            probed_terms.c.term.in_(part))))
    return set(wanted) - known


def _write_probes(conn: Connection, probes: Mapping[str, set[str]], fingerprint: str) -> None:
    """Store each term's probes (``probes``: term -> its probes), once per term."""
    fresh = new_terms(conn, probes)
    if not fresh:
        return
    rows = {(stored(p), stored(t)) for t, found in probes.items() if stored(t) in fresh
            for p in found}
    if rows:
        conn.execute(insert(term_probes), [{"probe": p, "term": t} for p, t in sorted(rows)])
    conn.execute(insert(probed_terms), [{"term": t, "fingerprint": fingerprint}
                                        for t in sorted(fresh)])


def terms_of_probes(conn: Connection, probes: Iterable[str]) -> list[tuple[str, str]]:
    """(probe, term) of the stored terms that have one of ``probes`` (stored forms)."""
    out: list[tuple[str, str]] = []
    for part in chunks(sorted({stored(p) for p in probes})):
        out += [(p, t) for p, t in conn.execute(
            select(term_probes.c.probe, term_probes.c.term).where(term_probes.c.probe.in_(part)))]
    return out


def holders(conn: Connection, keys: Iterable[str]) -> list[tuple[str, str]]:
    """(key, customer id) of the customers (removed ones too) whose keys include one of
    ``keys``. Looked up by key alone: joined with ``customers`` in the same query, SQLite
    walks every customer and probes the key list for each."""
    out: list[tuple[str, str]] = []
    for part in chunks(sorted({stored(k) for k in keys})):
        query = select(customer_keys.c.key, customer_keys.c.customer_id).where(
            customer_keys.c.key.in_(part))
        out += [(k, c) for k, c in conn.execute(query)]
    return out


def keys_of(conn: Connection, ids: Iterable[str]) -> dict[str, set[str]]:
    """The stored keys of each of these customers (none: not keyed)."""
    out: dict[str, set[str]] = {}
    for part in chunks(sorted(set(ids))):
        rows = conn.execute(select(customer_keys.c.customer_id, customer_keys.c.key)
                            .where(customer_keys.c.customer_id.in_(part)))
        for cid, key in rows:
            out.setdefault(cid, set()).add(key)
    return out


def _witnessed() -> Any:
    return customers.outerjoin(customer_witnesses, and_(
        customer_witnesses.c.customer_id == customers.c.id,
        customer_witnesses.c.content_hash == customers.c.content_hash))


def witness_keys(conn: Connection) -> set[str]:
    """Every stored witness key (of any customer or version: a superset of the active ones)."""
    return set(conn.scalars(select(customer_witnesses.c.key).distinct()))


def unwitnessed(conn: Connection, stale: Iterable[str]) -> list[tuple[str, str]]:
    """(id, content hash) of the active customers whose current version has no witness, or
    one of the ``stale`` keys."""
    base = (select(customers.c.id, customers.c.content_hash).select_from(_witnessed())
            .where(customers.c.removed_at.is_(None)))
    out = [(cid, digest) for cid, digest in
           conn.execute(base.where(customer_witnesses.c.key.is_(None)))]
    for part in chunks(sorted(set(stale))):
        out += [(cid, digest) for cid, digest in
                conn.execute(base.where(customer_witnesses.c.key.in_(part)))]
    return out


def write_witnesses(conn: Connection, found: Sequence[tuple[str, str, str | None]]) -> None:
    """Replace the witnesses of customers ((id, content hash, key or None: none) each)."""
    for part in chunks([cid for cid, _, _ in found]):
        conn.execute(delete(customer_witnesses).where(customer_witnesses.c.customer_id.in_(part)))
    rows = [{"customer_id": cid, "content_hash": digest, "key": key}
            for cid, digest, key in found if key is not None and len(key) <= MAX_KEY]
    if rows:
        conn.execute(insert(customer_witnesses), rows)
