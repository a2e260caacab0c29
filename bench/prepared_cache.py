"""Benchmark: would caching each customer's prepared form make a delta monitor run cheaper?

A delta run loads and prepares (analyses the names of) every customer linked to a changed
entry. The alternative measured here: a prepared form stored beside the customer's version,
read back instead of prepared. For ``--customers`` synthetic customers (as ``bench/monitor.py``
makes them), CPU time per customer of:

* ``prepare`` of the decoded entity (what a delta run does now);
* reading back a stored prepared form: its MAC checked (HMAC-SHA256: a blob from the database
  is never unpickled unauthenticated) and unpickled, rebuilt around the entity;
* reading the rows from SQLite with and without the blob (the extra bytes a cache reads).

    .venv/bin/python bench/prepared_cache.py [--customers 5000] [--json]
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import pickle
import sqlite3
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from embargo.customers.io import parse_records
from embargo.matching import Prepared, compare, kernel, prepare
from embargo.model.codec import dumps, loads
from embargo.model.entity import Entity
from embargo.monitoring.synthetic import customers

KEY = hashlib.sha256(b"bench only").digest()


def _cpu(func: Callable[[], Any]) -> tuple[Any, float]:
    started = time.process_time()
    return func(), time.process_time() - started


def _seal(prepared: Prepared) -> bytes:
    body = pickle.dumps((prepared.names, prepared.readings, prepared.evidence, prepared.person,
                         prepared.flat, prepared.plain, prepared.weak_names, prepared.facts,
                         prepared.evident), protocol=pickle.HIGHEST_PROTOCOL)
    return hmac.digest(KEY, body, "sha256") + body


def _open(entity: Entity, blob: bytes) -> Prepared:
    mac, body = blob[:32], blob[32:]
    if not hmac.compare_digest(mac, hmac.digest(KEY, body, "sha256")):
        raise ValueError("bad MAC")
    return Prepared(entity, *pickle.loads(body))  # authenticated above


def _read(conn: sqlite3.Connection, columns: str) -> list[Any]:
    return conn.execute(f"select {columns} from c order by id").fetchall()


def _check(prepared: list[Prepared], rebuilt: list[Prepared]) -> None:
    """The forms read back score as the prepared ones (a sample of pairs)."""
    for n in range(0, len(prepared) - 1, 50):
        other = prepared[n + 1]
        if compare(rebuilt[n], other).score != compare(prepared[n], other).score:
            raise SystemExit(f"customer {n}: the stored form scores differently")


def measure(count: int) -> dict[str, Any]:
    rows = parse_records(list(customers(count, [], 0)))
    data = [dumps(row.entity) for row in rows if row.entity is not None]
    entities, decode = _cpu(lambda: [loads(d) for d in data])
    prepared, prep = _cpu(lambda: [prepare(e) for e in entities])
    blobs = [_seal(p) for p in prepared]
    rebuilt, load = _cpu(lambda: [_open(e, b) for e, b in zip(entities, blobs, strict=True)])
    _check(prepared, rebuilt)
    conn = sqlite3.connect(":memory:")
    conn.execute("create table c (id integer primary key, data text, blob blob)")
    conn.executemany("insert into c values (?, ?, ?)",
                     [(n, d, b) for n, (d, b) in enumerate(zip(data, blobs, strict=True))])
    _, plain = _cpu(lambda: _read(conn, "id, data"))
    _, with_blob = _cpu(lambda: _read(conn, "id, data, blob"))
    per = 1000.0 / len(data)  # ms per customer
    return {"customers": len(data), "compiled": kernel.compiled(), "decode_ms": decode * per,
            "prepare_ms": prep * per, "mac_unpickle_ms": load * per, "read_ms": plain * per,
            "read_with_blob_ms": with_blob * per,
            "blob_bytes": sum(map(len, blobs)) / len(blobs),
            "data_bytes": sum(map(len, data)) / len(data)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=5000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    found = measure(args.customers)
    if args.json:
        print(orjson.dumps(found).decode())
        return
    saved = found["prepare_ms"] - found["mac_unpickle_ms"]
    extra = found["read_with_blob_ms"] - found["read_ms"]
    print(f"{found['customers']} customers, CPU ms per customer: prepare "
          f"{found['prepare_ms']:.4f}, MAC check + unpickle {found['mac_unpickle_ms']:.4f} "
          f"(saves {saved:.4f}), reading the blob too {extra:+.4f} "
          f"({found['blob_bytes']:.0f} bytes against {found['data_bytes']:.0f} of entity); "
          f"net {saved - extra:.4f} ms per customer")


if __name__ == "__main__":
    main()
