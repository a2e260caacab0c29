"""Monitor runs inside the service: the loaded list index is reused.

The service already holds the index of the lists in force (:mod:`embargo.service.holder`); a
monitor run that needs exactly those snapshots screens with it instead of loading a second
copy.
"""

from __future__ import annotations

from embargo.monitoring.hooks import after_change
from embargo.monitoring.run import RunResult, run_monitor
from embargo.screening.lists import ListScreener
from embargo.service.state import ServiceState
from embargo.store import Snapshot


def loaded_lists(state: ServiceState, snaps: list[Snapshot]) -> ListScreener | None:
    """The holder's screener when it covers exactly ``snaps``."""
    current = state.holder.current
    if current is None or set(current.snapshot_ids) != {s.id for s in snaps}:
        return None
    return ListScreener(current.screener, {s.source: s for s in current.snapshots})


def run(state: ServiceState, full: bool = False) -> RunResult:
    return run_monitor(state.store, state.config.index_cache, full,
                       lambda snaps: loaded_lists(state, snaps))


def after(state: ServiceState) -> RunResult | None:
    """The run after an import or update, when monitoring is on."""
    return after_change(state.store, state.config.index_cache,
                        lambda snaps: loaded_lists(state, snaps))
