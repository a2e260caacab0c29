"""``monitor run`` killed at any point and run again raises the same alerts, none lost or twice.

The run is a real ``embargo monitor run`` process, killed with SIGKILL after growing delays
(so the kills land while the list index is built, between and inside customer batches, and
during the entry side of a delta run), then run to the end. Its alerts must equal those of
one uninterrupted run on an identical store.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import orjson
import pytest

from embargo.customers.importer import import_customers
from embargo.ingest.importer import import_path
from embargo.monitoring.run import run_monitor
from embargo.monitoring.synthetic import customers
from embargo.store import Store
from embargo.store.alerts import AlertStore

pytestmark = pytest.mark.shared
# (delay, after a commit): early kills (start-up, index build), then kills just after a batch
# was committed and in the middle of the next one
FORWARD = ((0.5, False), (2.0, False), (0.0, True), (0.3, True), (0.0, True), (0.6, True))
DELTA = ((1.0, False), (3.0, False), (5.0, False), (8.0, False))


def _home(base: Path, name: str, day: str, lists_dir: Path, raw: bytes) -> Path:
    home = base / name
    with Store.open(f"sqlite:///{home / 'embargo.sqlite3'}") as store:
        import_path(store, lists_dir / "ofac-sdn" / "history" / f"sdn_{day}.csv")
        import_customers(store, raw, "customers.jsonl")
    return home


def _state(home: Path) -> tuple[set[tuple[str, str, int]], int, int]:
    """(pairs with seq, alert count, raised events) of a home's store."""
    with Store.open(f"sqlite:///{home / 'embargo.sqlite3'}") as store:
        alerts = AlertStore(store.engine)
        found = alerts.list()
        raised = sum(1 for e in alerts.iter_events() if e.action == "raised")
    return {(a.customer_id, a.entity_id, a.seq) for a in found}, len(found), raised


def _count(home: Path) -> int:
    with sqlite3.connect(home / "embargo.sqlite3", timeout=30) as conn:
        return int(conn.execute("SELECT count(*) FROM alerts").fetchone()[0])


def _start(home: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "EMBARGO_HOME": str(home)}
    env.pop("EMBARGO_DATABASE_URL", None)
    return subprocess.Popen([sys.executable, "-m", "embargo.cli", "monitor", "run"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _kill_after(proc: subprocess.Popen[bytes], home: Path, delay: float, grown: bool) -> None:
    """SIGKILL after ``delay`` s, or (``grown``) once a batch is committed, then ``delay``."""
    before = _count(home) if grown else 0
    deadline = time.monotonic() + 120
    while grown and proc.poll() is None and time.monotonic() < deadline:
        if _count(home) > before:
            break
        time.sleep(0.05)
    time.sleep(delay)
    if proc.poll() is None:
        proc.send_signal(signal.SIGKILL)
    proc.wait()


def _killed_runs(home: Path, plan: tuple[tuple[float, bool], ...]) -> list[int]:
    """Start ``monitor run`` and kill it as planned; the alert counts seen after each kill."""
    seen = []
    for delay, grown in plan:
        _kill_after(_start(home), home, delay, grown)
        seen.append(_count(home))
    return seen


def _finish(home: Path) -> None:
    env = {**os.environ, "EMBARGO_HOME": str(home)}
    env.pop("EMBARGO_DATABASE_URL", None)
    done = subprocess.run([sys.executable, "-m", "embargo.cli", "monitor", "run"], env=env,
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


def test_killed_runs_then_a_rerun_give_the_same_alerts(lists_dir: Path, tmp_path: Path) -> None:
    listed = []
    with Store.open(f"sqlite:///{tmp_path / 'seed.db'}") as seed:
        snap = import_path(seed, lists_dir / "ofac-sdn" / "history" / "sdn_2021-08-20.csv")[0]
        listed = list(seed.iter_entities(snap.snapshot.id))[::40]
    raw = b"".join(orjson.dumps(r) + b"\n" for r in customers(3000, listed, len(listed)))
    ref = _home(tmp_path, "ref", "2021-08-18", lists_dir, raw)
    home = _home(tmp_path, "killed", "2021-08-18", lists_dir, raw)
    with Store.open(f"sqlite:///{ref / 'embargo.sqlite3'}") as store:
        run_monitor(store, ref / "index")

    seen = _killed_runs(home, FORWARD)
    _finish(home)
    want, have = _state(ref), _state(home)
    assert want[1] > 50 and have == want and have[1] == have[2]
    assert any(0 < count < want[1] for count in seen), f"no kill landed mid-run: {seen}"

    for h in (ref, home):  # the delta: a new snapshot, killed runs again
        with Store.open(f"sqlite:///{h / 'embargo.sqlite3'}") as store:
            import_path(store, lists_dir / "ofac-sdn" / "history" / "sdn_2021-08-20.csv")
    with Store.open(f"sqlite:///{ref / 'embargo.sqlite3'}") as store:
        assert run_monitor(store, ref / "index").raised
    _killed_runs(home, DELTA)
    _finish(home)
    want, have = _state(ref), _state(home)
    assert have == want and have[1] == have[2]
