"""Monitor settings and progress in the store, and the list data a monitor run reads.

``monitor_state`` keys: ``enabled``, ``threshold``, ``four_eyes_above``, and ``source:NAME``
(the snapshot of each list the customers were last screened against).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import Connection, Engine, delete, insert, select, update

from embargo.alerts.workflow import DEFAULT_FOUR_EYES_ABOVE
from embargo.errors import UsageError
from embargo.matching import DEFAULT_THRESHOLD
from embargo.store.customers import reset_screened
from embargo.store.engine import guarded
from embargo.store.monitor_tables import monitor_state
from embargo.store.tables import snapshot_members

_SOURCE = "source:"


@dataclass(frozen=True, slots=True)
class MonitorConfig:
    enabled: bool = False
    threshold: float = DEFAULT_THRESHOLD
    four_eyes_above: float = DEFAULT_FOUR_EYES_ABOVE

    def as_dict(self) -> dict[str, object]:
        return {"enabled": self.enabled, "threshold": self.threshold,
                "four_eyes_above": self.four_eyes_above}


def _check_level(name: str, value: float) -> float:
    if not 0.0 <= value <= 1.0:
        raise UsageError(f"{name} must be between 0 and 1, not {value}")
    return value


def put_state(conn: Connection, key: str, value: str) -> None:
    """Set one ``monitor_state`` value."""
    done = conn.execute(update(monitor_state).where(monitor_state.c.key == key)
                        .values(value=value))
    if done.rowcount == 0:
        conn.execute(insert(monitor_state).values(key=key, value=value))


_put = put_state


def read_state(conn: Connection) -> dict[str, str]:
    return {k: v for k, v in conn.execute(select(monitor_state.c.key, monitor_state.c.value))}


def config_of(state: dict[str, str]) -> MonitorConfig:
    return MonitorConfig(
        enabled=state.get("enabled") == "1",
        threshold=float(state.get("threshold", DEFAULT_THRESHOLD)),
        four_eyes_above=float(state.get("four_eyes_above", DEFAULT_FOUR_EYES_ABOVE)))


def load_config(engine: Engine) -> MonitorConfig:
    with guarded(engine, "read monitor settings"), engine.connect() as conn:
        return config_of(read_state(conn))


def save_config(engine: Engine, *, enabled: bool | None = None, threshold: float | None = None,
                four_eyes_above: float | None = None) -> MonitorConfig:
    """Change the settings; a new threshold makes the next run a full re-screen."""
    with guarded(engine, "write monitor settings"), engine.begin() as conn:
        old = config_of(read_state(conn))
        new = replace(old, enabled=old.enabled if enabled is None else enabled,
                      threshold=old.threshold if threshold is None
                      else _check_level("threshold", threshold),
                      four_eyes_above=old.four_eyes_above if four_eyes_above is None
                      else _check_level("four-eyes level", four_eyes_above))
        _put(conn, "enabled", "1" if new.enabled else "0")
        _put(conn, "threshold", repr(new.threshold))
        _put(conn, "four_eyes_above", repr(new.four_eyes_above))
        if new.threshold != old.threshold:
            reset_screened(conn)
            conn.execute(delete(monitor_state).where(monitor_state.c.key.like(f"{_SOURCE}%")))
    return new


def screened_snapshots(state: dict[str, str]) -> dict[str, int]:
    """The snapshot of each list the customers were last screened against."""
    return {k[len(_SOURCE):]: int(v) for k, v in state.items() if k.startswith(_SOURCE)}


def set_screened_snapshots(conn: Connection, marks: dict[str, int]) -> None:
    for source, snapshot_id in marks.items():
        _put(conn, f"{_SOURCE}{source}", str(snapshot_id))


def member_hashes(conn: Connection, snapshot_id: int) -> dict[str, str]:
    """Entity id -> content hash of every entity the snapshot lists."""
    query = select(snapshot_members.c.entity_id, snapshot_members.c.content_hash).where(
        snapshot_members.c.snapshot_id == snapshot_id)
    return {eid: digest for eid, digest in conn.execute(query)}
