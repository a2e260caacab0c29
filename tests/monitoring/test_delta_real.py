"""Delta re-screening equals a full re-screen, on real SDN changes and 10,000 customers.

Store A screens the customers against the older snapshot, imports the newer one and runs the
delta; store B screens the same customers against the newer snapshot from scratch (a full
re-screen). Every pair B alerts must be alerted in A, the delta must have raised exactly the
pairs the older screening did not have, with the same scores, and every other open alert of A
must be on an entry that changed (an alert is never deleted) or be marked delisted.
"""

from __future__ import annotations

import random
from pathlib import Path

import orjson
import pytest

from embargo.alerts.types import AlertFilter
from embargo.customers.importer import import_customers
from embargo.ingest.importer import import_path
from embargo.model.codec import content_hash
from embargo.model.entity import Entity
from embargo.monitoring.run import run_monitor
from embargo.monitoring.synthetic import customers
from embargo.store import Store
from embargo.store.alerts import AlertStore

CUSTOMERS = 10_000
CHANGES = [("2021-08-18", "2021-08-20"), ("2022-02-23", "2022-02-24")]

pytestmark = pytest.mark.shared


def _entities(store: Store) -> dict[str, Entity]:
    (snap,) = store.snapshots_as_of(None)
    return {e.id: e for e in store.iter_entities(snap.id)}


def _plant(old: dict[str, Entity], new: dict[str, Entity]) -> list[Entity]:
    """Every added or changed entry, the removed ones, and a sample of the unchanged."""
    changed = [e for k, e in sorted(new.items())
               if k not in old or content_hash(old[k]) != content_hash(e)]
    removed = [e for k, e in sorted(old.items()) if k not in new]
    stable = sorted(k for k in new if k in old and content_hash(old[k]) == content_hash(new[k]))
    sample = [new[k] for k in random.Random(5).sample(stable, 300)]
    return changed[:300] + removed[:100] + sample


def _customers_file(listed: list[Entity]) -> bytes:
    rows = customers(CUSTOMERS, listed, planted_count=len(listed))
    return b"".join(orjson.dumps(r) + b"\n" for r in rows)


def _pairs(store: Store, *states: str) -> dict[tuple[str, str], float]:
    found = AlertStore(store.engine).iter(AlertFilter(states=states))
    return {(a.customer_id, a.entity_id): round(a.score, 6) for a in found}


@pytest.mark.parametrize(("old_day", "new_day"), CHANGES)
def test_delta_equals_full_rescreen(lists_dir: Path, tmp_path: Path, old_day: str,
                                    new_day: str) -> None:
    history = lists_dir / "ofac-sdn" / "history"
    with Store.open(f"sqlite:///{tmp_path / 'a.db'}") as a, \
            Store.open(f"sqlite:///{tmp_path / 'b.db'}") as b:
        import_path(a, history / f"sdn_{old_day}.csv")
        import_path(b, history / f"sdn_{new_day}.csv")
        old, new = _entities(a), _entities(b)
        raw = _customers_file(_plant(old, new))
        for store in (a, b):
            import_customers(store, raw, "customers.jsonl")

        run_monitor(a, tmp_path / "index-a")
        before = _pairs(a, "open")
        import_path(a, history / f"sdn_{new_day}.csv")
        delta = run_monitor(a, tmp_path / "index-a")
        full = run_monitor(b, tmp_path / "index-b", full=True)

        assert delta.customers_screened == 0  # only the list changed: no customer is due
        assert full.customers_screened == CUSTOMERS
        want = _pairs(b, "open")
        have = _pairs(a, "open")
        raised = {(x.customer_id, x.entity_id): round(x.score, 6)
                  for x in AlertStore(a.engine).list() if x.id in set(delta.raised)}
        assert len(want) > 300 and raised  # planted parties were found, and the delta added
        assert raised == {k: v for k, v in want.items() if k not in before}
        assert all(have.get(k) is not None for k in want), "a full re-screen pair was missed"
        extra = set(have) - set(want)
        assert all(content_hash(old[e]) != content_hash(new[e]) for _, e in extra)
        delisted = _pairs(a, "delisted")
        assert {e for _, e in delisted} <= set(old) - set(new)
        assert {e for _, e in delisted} == {e for _, e in before if e not in new}
