"""Monitored customers in the store: upserts by id, every version of the screened fields kept.

A customer's version changes only when a screened field changes (its query entity's content
hash). Removal marks the customer removed and keeps its versions and alerts; importing the id
again brings it back.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import islice
from typing import Any

import orjson
from sqlalchemy import Connection, Engine, and_, bindparam, func, insert, or_, select, update

from embargo.errors import NotFoundError
from embargo.model.codec import content_hash, dumps, loads
from embargo.model.entity import Entity
from embargo.store.engine import BEGIN_OPTION, guarded
from embargo.store.monitor_tables import customer_versions, customers

BATCH = 1000


@dataclass(frozen=True, slots=True)
class Customer:
    """A monitored customer as it stands (``entity``: its current version)."""

    id: str
    version: int
    content_hash: str
    entity: Entity
    created_at: datetime
    updated_at: datetime
    removed_at: datetime | None
    screened_version: int | None
    screened_at: datetime | None

    def as_dict(self) -> dict[str, Any]:
        def iso(value: datetime | None) -> str | None:
            return value.isoformat(timespec="seconds") if value else None
        return {"id": self.id, "version": self.version, "schema": str(self.entity.schema),
                "caption": self.entity.caption, "content_hash": self.content_hash,
                "created_at": iso(self.created_at), "updated_at": iso(self.updated_at),
                "removed_at": iso(self.removed_at), "screened_version": self.screened_version,
                "screened_at": iso(self.screened_at)}


@dataclass(frozen=True, slots=True)
class CustomerVersion:
    customer_id: str
    version: int
    content_hash: str
    created_at: datetime
    origin: str | None
    entity: Entity


@dataclass(frozen=True, slots=True)
class UpsertResult:
    added: tuple[str, ...]
    changed: tuple[str, ...]
    restored: tuple[str, ...]
    unchanged: int

    @property
    def touched(self) -> int:
        return len(self.added) + len(self.changed) + len(self.restored)


def utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _batches(items: Sequence[Any]) -> Iterator[Sequence[Any]]:
    it = iter(items)
    while batch := list(islice(it, BATCH)):
        yield batch


def _current_join() -> Any:
    return customers.join(customer_versions, and_(
        customer_versions.c.customer_id == customers.c.id,
        customer_versions.c.version == customers.c.version))


def _customer(row: Any) -> Customer:
    return Customer(row.id, row.version, row.content_hash, loads(row.data),
                    utc(row.created_at) or datetime.now(UTC), utc(row.updated_at)
                    or datetime.now(UTC), utc(row.removed_at), row.screened_version,
                    utc(row.screened_at))


class CustomerStore:
    """Customers and their versions in the store's database."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def upsert(self, entities: Sequence[Entity], origin: str | None = None) -> UpsertResult:
        """Add or update customers (keyed by the entity's native id) in one transaction."""
        added: list[str] = []
        changed: list[str] = []
        restored: list[str] = []
        now = datetime.now(UTC)
        with guarded(self.engine, "import customers"), self.engine.connect() as conn:
            conn = conn.execution_options(**{BEGIN_OPTION: "IMMEDIATE"})
            with conn.begin():
                for batch in _batches(entities):
                    self._upsert_batch(conn, batch, origin, now, (added, changed, restored))
        unchanged = len(entities) - len(added) - len(changed) - len(restored)
        return UpsertResult(tuple(added), tuple(changed), tuple(restored), unchanged)

    def _upsert_batch(self, conn: Connection, batch: Sequence[Entity], origin: str | None,
                      now: datetime, out: tuple[list[str], list[str], list[str]]) -> None:
        ids = [e.native_id for e in batch]
        query = select(customers.c.id, customers.c.version, customers.c.content_hash,
                       customers.c.removed_at).where(customers.c.id.in_(ids))
        known = {r.id: r for r in conn.execute(query)}
        versions: list[dict[str, Any]] = []
        for entity in batch:
            digest, cid = content_hash(entity), entity.native_id
            row = known.get(cid)
            if row is None:
                conn.execute(insert(customers).values(
                    id=cid, version=1, content_hash=digest, schema=str(entity.schema),
                    caption=entity.caption, created_at=now, updated_at=now))
                versions.append(self._version_row(cid, 1, digest, entity, origin, now))
                out[0].append(cid)
            elif row.content_hash != digest:
                version = row.version + 1
                conn.execute(update(customers).where(customers.c.id == cid).values(
                    version=version, content_hash=digest, schema=str(entity.schema),
                    caption=entity.caption, updated_at=now, removed_at=None))
                versions.append(self._version_row(cid, version, digest, entity, origin, now))
                out[1].append(cid)
            elif row.removed_at is not None:
                conn.execute(update(customers).where(customers.c.id == cid).values(
                    removed_at=None, updated_at=now, screened_version=None))
                out[2].append(cid)
        if versions:
            conn.execute(insert(customer_versions), versions)

    @staticmethod
    def _version_row(cid: str, version: int, digest: str, entity: Entity, origin: str | None,
                     now: datetime) -> dict[str, Any]:
        return {"customer_id": cid, "version": version, "content_hash": digest,
                "created_at": now, "origin": origin, "data": dumps(entity).decode()}

    def get(self, customer_id: str) -> Customer:
        query = select(customers, customer_versions.c.data).select_from(_current_join()).where(
            customers.c.id == customer_id)
        with guarded(self.engine, "read customer"), self.engine.connect() as conn:
            row = conn.execute(query).first()
        if row is None:
            raise NotFoundError(f"no customer {customer_id!r}", customer_id=customer_id)
        return _customer(row)

    def versions(self, customer_id: str) -> list[CustomerVersion]:
        self.get(customer_id)
        query = (select(customer_versions).where(customer_versions.c.customer_id == customer_id)
                 .order_by(customer_versions.c.version))
        with guarded(self.engine, "read customer versions"), self.engine.connect() as conn:
            return [CustomerVersion(r.customer_id, r.version, r.content_hash,
                                    utc(r.created_at) or datetime.now(UTC), r.origin,
                                    loads(r.data)) for r in conn.execute(query)]

    def version(self, conn: Connection, customer_id: str, version: int) -> Entity:
        query = select(customer_versions.c.data).where(
            customer_versions.c.customer_id == customer_id,
            customer_versions.c.version == version)
        return loads(conn.execute(query).scalar_one())

    def list(self, include_removed: bool = False) -> list[Customer]:
        return list(self.iter(include_removed=include_removed))

    def iter(self, *, include_removed: bool = False, unscreened_only: bool = False,
             ids: Iterable[str] | None = None) -> Iterator[Customer]:
        """Customers by id: all active ones, or only those not screened in their version."""
        query = select(customers, customer_versions.c.data).select_from(_current_join())
        if ids is not None:
            yield from self._by_ids(query, ids, include_removed, unscreened_only)
            return
        if not include_removed:
            query = query.where(customers.c.removed_at.is_(None))
        if unscreened_only:
            query = query.where(or_(customers.c.screened_version.is_(None),
                                    customers.c.screened_version != customers.c.version))
        yield from self._rows(query)

    def _by_ids(self, query: Any, ids: Iterable[str], include_removed: bool,
                unscreened_only: bool) -> Iterator[Customer]:
        """The customers of ``query`` with these ids, a thousand per look-up by primary key.

        Removal and screening are tested here, not in SQL: with ``removed_at IS NULL`` in the
        query, SQLite walks its index on ``removed_at`` (every active customer) for each
        thousand instead (12x the time at 100,000 customers)."""
        for batch in _batches(sorted(set(ids))):
            for customer in self._rows(query.where(customers.c.id.in_(batch))):
                if customer.removed_at is not None and not include_removed:
                    continue
                if not (unscreened_only and customer.screened_version == customer.version):
                    yield customer

    def _rows(self, query: Any) -> Iterator[Customer]:
        with guarded(self.engine, "read customers"), self.engine.connect() as conn:
            result = conn.execution_options(yield_per=BATCH).execute(
                query.order_by(customers.c.id))
            for row in result:
                yield _customer(row)

    def schemas(self, ids: Iterable[str]) -> dict[str, str]:
        """The schema of each of these customers that is active (its current version's), read
        without the versions: one query per thousand (see :meth:`stored_forms`)."""
        query = select(customers.c.id, customers.c.removed_at, customers.c.schema)
        out: dict[str, str] = {}
        with guarded(self.engine, "read customers"), self.engine.connect() as conn:
            for batch in _batches(sorted(set(ids))):
                for cid, removed, schema in conn.execute(query.where(customers.c.id.in_(batch))):
                    if removed is None:
                        out[cid] = schema
        return out

    def stored_forms(self, ids: Iterable[str]) -> Iterator[tuple[str, dict[str, Any]]]:
        """(id, stored dict form of the current version) of these active customers, by id:
        one query per thousand, no :class:`Customer` built (see :func:`from_dict`)."""
        query = (select(customers.c.id, customers.c.removed_at, customer_versions.c.data)
                 .select_from(_current_join()).order_by(customers.c.id))
        with guarded(self.engine, "read customers"), self.engine.connect() as conn:
            for batch in _batches(sorted(set(ids))):  # removal tested here: see _by_ids
                for cid, removed, data in conn.execute(query.where(customers.c.id.in_(batch))):
                    if removed is None:
                        yield cid, orjson.loads(data)

    def hashes(self) -> dict[str, str]:
        """Current content hash of each active customer."""
        query = select(customers.c.id, customers.c.content_hash).where(
            customers.c.removed_at.is_(None))
        with guarded(self.engine, "read customer hashes"), self.engine.connect() as conn:
            return {cid: digest for cid, digest in conn.execute(query)}

    def active_ids(self) -> set[str]:
        """Ids of the active (not removed) customers."""
        return self._ids(select(customers.c.id).where(customers.c.removed_at.is_(None)))

    def unscreened_ids(self) -> set[str]:
        """Ids of the active customers not screened in their current version."""
        return self._ids(select(customers.c.id).where(
            customers.c.removed_at.is_(None),
            or_(customers.c.screened_version.is_(None),
                customers.c.screened_version != customers.c.version)))

    def active_count(self) -> int:
        query = select(func.count()).select_from(customers).where(
            customers.c.removed_at.is_(None))
        with guarded(self.engine, "count customers"), self.engine.connect() as conn:
            return int(conn.scalar(query) or 0)

    def _ids(self, query: Any) -> set[str]:
        with guarded(self.engine, "read customer ids"), self.engine.connect() as conn:
            return set(conn.scalars(query))

    def remove(self, customer_id: str) -> Customer:
        """Stop monitoring a customer; versions and alerts are kept."""
        customer = self.get(customer_id)
        if customer.removed_at is None:
            with guarded(self.engine, "remove customer"), self.engine.begin() as conn:
                conn.execute(update(customers).where(customers.c.id == customer_id).values(
                    removed_at=datetime.now(UTC), updated_at=datetime.now(UTC)))
        return self.get(customer_id)

    def count(self) -> int:
        return self.active_count()


def mark_screened(conn: Connection, screened: Iterable[tuple[str, int]], when: datetime) -> None:
    """Record that each (customer id, version) was screened against the lists in force."""
    rows = [{"cid": cid, "ver": version, "when": when} for cid, version in screened]
    if not rows:
        return
    statement = (update(customers)
                 .where(customers.c.id == bindparam("cid"), customers.c.version == bindparam("ver"))
                 .values(screened_version=bindparam("ver"), screened_at=bindparam("when")))
    conn.execute(statement, rows)


def reset_screened(conn: Connection) -> None:
    """Every customer needs screening again (the threshold changed, or a full run)."""
    conn.execute(update(customers).values(screened_version=None))
