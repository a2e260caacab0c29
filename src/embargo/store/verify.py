"""``embargo verify``: recompute every digest from the store and walk the log's hash chain.

What is checked, in this order (the first problem found is the one ``verify`` names):

1. the chain: records numbered 1, 2, 3, ... with no gap; each names the digest of the one
   before it; each record's digest is the SHA-256 of that digest and its body;
2. every snapshot: exactly one log record; its row (list, dates, content hash, counts,
   files) equals the logged row; its membership digest, recomputed from the
   ``snapshot_members`` rows, equals the logged one; held or released as the log says;
3. every logged snapshot still exists;
4. every entity version: its hash is the SHA-1 of its stored data, and its id, list, schema
   and caption are those of that data.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, select

from embargo.model.codec import loads
from embargo.store import holds, ledger
from embargo.store.tables import entity_versions, snapshots


@dataclass(slots=True)
class VerifyReport:
    records: int = 0
    snapshots: int = 0
    versions: int = 0
    head: str = ledger.GENESIS
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "records": self.records, "snapshots": self.snapshots,
                "entity_versions": self.versions, "head": self.head,
                "problems": self.problems}


def check_chain(records: list[ledger.LogRecord]) -> Iterator[str]:
    prev = ledger.GENESIS
    for expected_seq, record in enumerate(records, start=1):
        where = f"log record #{record.seq}"
        if record.seq != expected_seq:
            yield (f"log record #{expected_seq} is missing (next is #{record.seq}): "
                   "records were removed")
            return
        if record.prev_digest != prev:
            yield f"{where}: does not follow record #{expected_seq - 1} (chain broken)"
            return
        body = record.body
        if (body.get("seq"), body.get("event"), body.get("snapshot_id")) != (
                record.seq, record.event, record.snapshot_id):
            yield f"{where}: its columns differ from its body (edited)"
            return
        if ledger.record_digest(prev, body) != record.digest:
            yield f"{where}: digest does not match its content (edited)"
            return
        prev = record.digest


def _hold_state(records: list[ledger.LogRecord]) -> tuple[str | None, str | None]:
    """(held reason at creation, released by) as the log tells."""
    held = next((r.body.get("held") for r in records if r.event == ledger.SNAPSHOT), None)
    released = [r.body.get("released_by") for r in records if r.event == ledger.RELEASE]
    return held, (released[-1] if released else None)


def check_snapshot(conn: Connection, row: Any, logged: list[ledger.LogRecord]) -> Iterator[str]:
    name = f"snapshot #{row.id} ({row.source} {row.published})"
    created = [r for r in logged if r.event == ledger.SNAPSHOT]
    if len(created) != 1:
        yield f"{name}: {len(created) or 'no'} log records (expected one): not logged"
        return
    body = created[0].body
    stored = ledger.row_fields(row)
    changed = sorted(k for k in stored if stored[k] != body["snapshot"].get(k))
    if changed:
        yield f"{name}: row differs from its log record in {', '.join(changed)}"
    digest, members = ledger.snapshot_content_digest(conn, row.id)
    if digest != body["content_digest"]:
        yield (f"{name}: membership differs from its log record ({members} rows stored, "
               f"{body['members']} logged): rows were added, removed or changed")
    yield from _check_hold(conn, name, row.id, logged)


def _check_hold(conn: Connection, name: str, snapshot_id: int,
                logged: list[ledger.LogRecord]) -> Iterator[str]:
    held, released_by = _hold_state(logged)
    hold = holds.hold_row(conn, snapshot_id)
    if held is None and hold is not None:
        yield f"{name}: held in the store, but not in its log record"
    elif held is not None and hold is None:
        yield f"{name}: logged as held ({held}), but its hold was removed"
    elif hold is not None and (hold.released_by or None) != released_by:
        yield (f"{name}: released by {hold.released_by or 'nobody'} in the store, "
               f"by {released_by or 'nobody'} in the log")


def check_versions(conn: Connection) -> Iterator[str]:
    query = select(entity_versions).order_by(entity_versions.c.entity_id,
                                             entity_versions.c.content_hash)
    for row in conn.execution_options(yield_per=2000).execute(query):
        where = f"entity {row.entity_id} (version {row.content_hash[:12]})"
        if hashlib.sha1(row.data.encode("utf-8")).hexdigest() != row.content_hash:
            yield f"{where}: stored data does not match its hash (edited)"
            continue
        entity = loads(row.data)
        got = (entity.id, entity.source, str(entity.schema), entity.caption)
        if got != (row.entity_id, row.source, row.schema, row.caption):
            yield f"{where}: id, list, schema or caption differ from its data (edited)"


def verify(conn: Connection, report: VerifyReport | None = None) -> VerifyReport:
    """Check everything; the report lists every problem (empty: all holds)."""
    report = report or VerifyReport()
    records = ledger.records(conn)
    report.records = len(records)
    report.head = records[-1].digest if records else ledger.GENESIS
    report.problems.extend(check_chain(records))
    by_snapshot: dict[int, list[ledger.LogRecord]] = {}
    for record in records:
        by_snapshot.setdefault(record.snapshot_id, []).append(record)
    stored = set()
    for row in conn.execute(select(snapshots).order_by(snapshots.c.id)):
        stored.add(row.id)
        report.snapshots += 1
        report.problems.extend(check_snapshot(conn, row, by_snapshot.get(row.id, [])))
    for snapshot_id in sorted(set(by_snapshot) - stored):
        report.problems.append(f"snapshot #{snapshot_id} is in the log but not in the store "
                               "(removed)")
    for problem in check_versions(conn):
        report.problems.append(problem)
    report.versions = _count_versions(conn)
    return report


def _count_versions(conn: Connection) -> int:
    from sqlalchemy import func

    return int(conn.scalar(select(func.count()).select_from(entity_versions)) or 0)
