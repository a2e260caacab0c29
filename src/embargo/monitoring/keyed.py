"""Keeping the stored name keys of the customers up to date (see :mod:`.namekeys`).

Run after each customers import and at the start of each monitor run: customers whose current
version has no keys (new, changed, or keyed by other analysis code) get them, in batches, each
in one transaction. A run therefore never reads keys older than the customers.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from sqlalchemy import Engine

from embargo.matching import prepare
from embargo.model.entity import Entity
from embargo.monitoring.namekeys import keys_fingerprint, query_keys, term_probes
from embargo.store.alerts import lock_monitor
from embargo.store.customer_keys import clear_if_other, unkeyed, write_keys
from embargo.store.engine import BEGIN_OPTION, guarded
from embargo.store.monitoring import read_state

log = logging.getLogger(__name__)
BATCH = 2000


def refresh_keys(engine: Engine) -> int:
    """Key every active customer whose current version has no keys; how many were keyed."""
    fingerprint = keys_fingerprint()
    with guarded(engine, "read customer keys"), engine.connect() as conn:
        other = read_state(conn).get("keys_fingerprint") != fingerprint
    if other:
        _clear(engine, fingerprint)
    with guarded(engine, "read customer keys"), engine.connect() as conn:
        due = unkeyed(conn, fingerprint)
    for start in range(0, len(due), BATCH):
        _key_batch(engine, due[start:start + BATCH], fingerprint)
    if due:
        log.info("name keys made for %d customers", len(due))
    return len(due)


def _clear(engine: Engine, fingerprint: str) -> None:
    with guarded(engine, "clear customer keys"), engine.connect() as conn:
        conn = conn.execution_options(**{BEGIN_OPTION: "IMMEDIATE"})
        with conn.begin():
            lock_monitor(conn)
            if clear_if_other(conn, fingerprint, read_state(conn)):
                log.info("customer name keys dropped: made by other analysis code")


def _key_batch(engine: Engine, batch: Sequence[tuple[str, str, Entity]],
               fingerprint: str) -> None:
    keyed: list[tuple[str, str, set[str]]] = []
    probes: dict[str, set[str]] = {}
    for cid, digest, entity in batch:
        prepared = prepare(entity)
        keyed.append((cid, digest, query_keys(prepared)))
        for term, found in term_probes(prepared).items():
            probes.setdefault(term, found)
    with guarded(engine, "write customer keys"), engine.connect() as conn:
        conn = conn.execution_options(**{BEGIN_OPTION: "IMMEDIATE"})
        with conn.begin():
            lock_monitor(conn)
            write_keys(conn, keyed, probes, fingerprint)
