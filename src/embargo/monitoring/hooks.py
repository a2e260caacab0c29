"""Monitoring after a list import or update, when it is switched on."""

from __future__ import annotations

from pathlib import Path

from embargo.monitoring.run import ListsProvider, RunResult, run_monitor
from embargo.store import Store
from embargo.store.customers import CustomerStore
from embargo.store.monitoring import load_config


def after_change(store: Store, cache_dir: Path | None,
                 lists: ListsProvider | None = None) -> RunResult | None:
    """Run the monitor if it is on and there are customers; None otherwise."""
    if not load_config(store.engine).enabled or not CustomerStore(store.engine).active_count():
        return None
    return run_monitor(store, cache_dir, lists=lists)
