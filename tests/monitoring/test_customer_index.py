"""The customer index may lag behind the customers: the delta is exact all the same."""

from __future__ import annotations

from embargo.alerts.types import AlertFilter
from embargo.monitoring.custindex import cached_hashes
from embargo.store.alerts import AlertStore
from monitoring.conftest import Env, add_snapshot, base_list, listed

MANY = [{"id": f"p{i:03d}", "schema": "Person", "name": f"Person Number{i:03d} Example"}
        for i in range(40)]


def test_a_customer_newer_than_the_index_is_still_found_by_a_new_entry(env: Env) -> None:
    env.customers(*MANY)
    env.run()
    folder = env.cache / "customers"
    assert "p000" in (cached_hashes(folder) or {})
    env.customers({"id": "late", "schema": "Person", "name": "Ivan Petrovich Sidorov"})
    assert env.run().customers_screened == 1
    assert "late" not in (cached_hashes(folder) or {})  # under 5% behind: not rebuilt
    add_snapshot(env.store, "2024-05-01", [*base_list(), listed("7", "Ivan Petrovich Sidorov")])
    delta = env.run()
    assert delta.customers_screened == 0 and delta.entries_changed == 1
    (alert,) = AlertStore(env.store.engine).list(AlertFilter(customer_id="late"))
    assert alert.entity_id == "test-list:7" and alert.id in delta.raised


def test_without_a_cache_folder_the_index_is_built_in_memory(env: Env) -> None:
    env.run()
    env.cache = None  # type: ignore[assignment]
    add_snapshot(env.store, "2024-05-01", [*base_list(), listed("8", "Tomasz Nowak")])
    delta = env.run()
    (alert,) = AlertStore(env.store.engine).list(AlertFilter(customer_id="c13"))
    assert alert.entity_id == "test-list:8" and delta.raised == [alert.id]
