"""The console's view functions on a store with many alerts (issue 12): dashboard figures, and
the list history pages on the real SDN files.

Seeds ``--alerts`` alerts (default 10,000) raised over the last 30 days, each with its
``raised`` event and, for about 70%, a review and a final decision some hours later; then
times :func:`embargo.console.views.dashboard.dashboard_stats` (30 days) against a baseline
measured in the same run: the same figures computed in Python from every alert and event read
through :class:`embargo.store.alerts.AlertStore` (what a page would do without the grouped
queries). Reports median and p90 wall time and this process's CPU time per call (on
PostgreSQL the server's CPU is not in it), and the ratio baseline / views.

With the shared lists present (``--lists``), it also imports SDN 2021-08-18 and 2021-08-20
into SQLite and times ``snapshot_diff`` and ``entity_history``.

    .venv/bin/python bench/console_views.py --alerts 10000 --repeat 20
    .venv/bin/python bench/console_views.py --stores sqlite --no-lists
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import insert, text
from sqlalchemy.engine import make_url

from embargo.alerts.types import AlertFilter
from embargo.console.views.dashboard import FINAL_STATES, dashboard_stats, percentile
from embargo.console.views.history import entity_history
from embargo.console.views.listdiff import snapshot_diff
from embargo.model.builder import EntityBuilder
from embargo.model.entity import Schema
from embargo.store import Store
from embargo.store.alerts import AlertStore
from embargo.store.monitor_tables import alert_events, alerts, customers

PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
SOURCES = ("ofac-sdn", "un", "uk-ofsi", "eu-fsf")
PROGRAMS = ("RUSSIA-EO14024", "UKRAINE-EO13662", "SDGT", "DPRK3", "IRAN", "BELARUS-EO14038")


def _seed(store: Store, count: int, today: date, rng: random.Random) -> None:
    b = EntityBuilder("bench-list", "1", Schema.COMPANY)
    b.add_name("Bench Listed Ltd")
    snap = store.add_snapshot(source="bench-list", kind="bench", published=date(2024, 1, 1),
                              content_hash=uuid.uuid4().hex, parser_version="bench",
                              entities=[b.build()], counts={})
    end = datetime.combine(today, datetime.min.time(), UTC) + timedelta(days=1)
    rows, events = [], []
    for i in range(count):
        created = end - timedelta(seconds=rng.randrange(30 * 86400))
        decided = rng.random() < 0.7
        final = rng.choice(FINAL_STATES)
        state = final if decided else rng.choice(("open", "review", "escalated"))
        rows.append({"id": i + 1, "customer_id": "c1", "entity_id": f"bench:{i}", "seq": 1,
                     "state": state, "score": rng.random(), "source": rng.choice(SOURCES),
                     "schema": "Person", "caption": f"Party {i}",
                     "programs": orjson.dumps(rng.sample(PROGRAMS, rng.randint(1, 2))).decode(),
                     "hit": "{}", "snapshot_id": snap.id, "published": date(2024, 1, 1),
                     "entity_hash": "e", "customer_version": 1, "customer_hash": "h",
                     "pending_decision": None, "created_at": created, "updated_at": created,
                     "revision": 1})
        events.append({"alert_id": i + 1, "at": created, "action": "raised",
                       "to_state": "open"})
        if decided:
            at = created + timedelta(minutes=rng.randrange(1, 96 * 60))
            events.append({"alert_id": i + 1, "at": at - timedelta(minutes=1),
                           "action": "review", "to_state": "review"})
            events.append({"alert_id": i + 1, "at": at, "action": "decide", "to_state": final})
    with store.engine.begin() as conn:
        conn.execute(insert(customers).values(
            id="c1", version=1, content_hash="h", schema="Person", caption="C",
            created_at=end, updated_at=end))
        conn.execute(insert(alerts), rows)
        conn.execute(insert(alert_events), events)


def baseline(store: Store, days: int, today: date) -> dict[str, Any]:
    """The same figures from every alert and event, grouped in Python."""
    start = today - timedelta(days=days - 1)
    found = AlertStore(store.engine)
    created: dict[int, datetime] = {}
    opened: dict[date, int] = {}
    per_list: dict[str, int] = {}
    per_program: dict[str, int] = {}
    states: dict[str, int] = {}
    for a in found.iter(AlertFilter()):
        created[a.id] = a.created_at
        states[a.state] = states.get(a.state, 0) + 1
        day = a.created_at.astimezone(UTC).date()
        if start <= day <= today:
            opened[day] = opened.get(day, 0) + 1
            per_list[a.source] = per_list.get(a.source, 0) + 1
            for p in a.programs:
                per_program[p] = per_program.get(p, 0) + 1
    closed: dict[date, int] = {}
    hours: list[float] = []
    for e in found.iter_events():
        day = e.at.astimezone(UTC).date()
        if e.to_state in FINAL_STATES and start <= day <= today:
            closed[day] = closed.get(day, 0) + 1
            hours.append((e.at - created[e.alert_id]).total_seconds() / 3600)
    return {"opened": opened, "closed": closed, "per_list": per_list, "states": states,
            "per_program": per_program, "median": percentile(hours, 0.5),
            "p90": percentile(hours, 0.9)}


def timed(fn: Callable[[], Any], repeat: int) -> tuple[list[float], list[float], Any]:
    fn()  # warm: connections, statement caches
    walls, cpus = [], []
    result = None
    for _ in range(repeat):
        w, c = time.perf_counter(), time.process_time()
        result = fn()
        cpus.append(time.process_time() - c)
        walls.append(time.perf_counter() - w)
    return walls, cpus, result


def _ms(values: list[float]) -> str:
    q = statistics.quantiles(values, n=10) if len(values) > 1 else values * 9
    return f"median {statistics.median(values) * 1000:7.1f} ms  p90 {q[8] * 1000:7.1f} ms"


def _check(stats: Any, base: dict[str, Any]) -> None:
    """The two ways agree (a wrong fast answer is worse than a slow one)."""
    assert {d: n for d, n in stats.opened if n} == base["opened"]
    assert {d: n for d, n in stats.closed if n} == base["closed"]
    assert dict(stats.per_list) == base["per_list"]
    assert dict(stats.per_program) == base["per_program"]
    assert {s: n for s, n in stats.by_state if n} == base["states"]
    assert abs((stats.decision_all.median_hours or 0) - (base["median"] or 0)) < 1e-3
    assert abs((stats.decision_all.p90_hours or 0) - (base["p90"] or 0)) < 1e-3


def bench_dashboard(name: str, url: str, count: int, repeat: int) -> None:
    today = datetime.now(UTC).date()
    with Store.open(url) as store:
        t0 = time.perf_counter()
        _seed(store, count, today, random.Random(12))
        print(f"{name}: seeded {count} alerts in {time.perf_counter() - t0:.1f} s")
        views = timed(lambda: dashboard_stats(store, 30, today), repeat)
        base = timed(lambda: baseline(store, 30, today), max(3, repeat // 4))
        _check(views[2], base[2])
        print(f"  dashboard_stats  wall {_ms(views[0])}   cpu {_ms(views[1])}")
        print(f"  baseline         wall {_ms(base[0])}   cpu {_ms(base[1])}")
        ratio = statistics.median(base[0]) / statistics.median(views[0])
        cpu_ratio = statistics.median(base[1]) / max(statistics.median(views[1]), 1e-9)
        print(f"  ratio baseline/views: wall {ratio:.1f}x  cpu {cpu_ratio:.1f}x")


def bench_lists(lists: Path, repeat: int) -> None:
    from embargo.ingest.importer import import_path

    with tempfile.TemporaryDirectory() as tmp, Store.open(f"sqlite:///{tmp}/s.db") as store:
        for day in ("2021-08-18", "2021-08-20"):
            import_path(store, lists / "ofac-sdn" / "history" / f"sdn_{day}.csv")
        old, new = (s.id for s in store.snapshots("ofac-sdn"))
        views = timed(lambda: snapshot_diff(store, old, new), repeat)
        base = timed(lambda: store.diff(store.get_snapshot(old), store.get_snapshot(new)),
                     repeat)
        print(f"sqlite: snapshot_diff SDN 2021-08-18 -> 2021-08-20 ({views[2].counts})")
        print(f"  snapshot_diff    wall {_ms(views[0])}   cpu {_ms(views[1])}")
        print(f"  Store.diff       wall {_ms(base[0])}   cpu {_ms(base[1])}")
        hist = timed(lambda: entity_history(store, "ofac-sdn:31731"), repeat)
        plain = timed(lambda: store.history("ofac-sdn:31731"), repeat)
        print(f"  entity_history   wall {_ms(hist[0])}   cpu {_ms(hist[1])}")
        print(f"  Store.history    wall {_ms(plain[0])}   cpu {_ms(plain[1])}")


def _pg_url() -> tuple[str, Callable[[], None]]:
    from sqlalchemy import create_engine

    schema = f"bench_views_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))

    def drop() -> None:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
    url = make_url(PG).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False), drop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--alerts", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--stores", default="sqlite,postgres")
    parser.add_argument("--lists", type=Path, default=Path("../shared/data/lists"))
    parser.add_argument("--no-lists", action="store_true")
    args = parser.parse_args()
    for name in args.stores.split(","):
        if name == "sqlite":
            with tempfile.TemporaryDirectory() as tmp:
                bench_dashboard(name, f"sqlite:///{tmp}/s.db", args.alerts, args.repeat)
        else:
            url, drop = _pg_url()
            try:
                bench_dashboard(name, url, args.alerts, args.repeat)
            finally:
                drop()
    if not args.no_lists and (args.lists / "ofac-sdn").is_dir():
        bench_lists(args.lists, max(3, args.repeat // 4))


if __name__ == "__main__":
    main()
