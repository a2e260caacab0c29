"""Load test of the screening service against one core's in-process screening, same run.

For each store (``--stores sqlite,postgresql``: the embedded SQLite file of a fresh home, and a
fresh PostgreSQL schema), the script imports the lists, creates a key, starts ``embargo serve``
(via :func:`embargo.service.commands.serve`) on 127.0.0.1 and drives it from this process with
an async httpx client at a fixed number of requests in flight:

* ``match-name``: single-query ``POST /match/default``, name only;
* ``match-full``: single query with name + birth date + nationality;
* ``screen-100``: ``POST /screen`` with 100 queries;
* ``swap``: ``match-name`` while ``POST /lists/import`` adds a snapshot (index rebuilt and
  swapped under load): no request may fail.

Before the servers start, the same name-only queries are screened in this process on one
thread (the library call a ``/match`` runs: :func:`embargo.service.screening.match_one`): the
baseline the service's requests/s are compared with (``ratio``). The server's CPU per request
(every process of the server, from /proc) is split into the screening (the CPU time of the
screening threads, which each answer reports in its ``Server-Timing: screen-cpu`` header) and
the rest (HTTP, validation, JSON, keys, the audit record); with PostgreSQL, the CPU of the
database backends serving the server is reported beside it. Server memory (RSS) is sampled.
``ratio_to_one_core`` divides the service's requests/s by the in-process rate measured in the
same run (both on the same, possibly loaded, machine); ``ratio_to_one_idle_core`` by the rate
the in-process thread's CPU time gives (what one core of its own would do). The load average
is printed with each figure.

    .venv/bin/python bench/load_service.py --duration 15 --workers 2 --concurrency 6 \
        --scenarios match-name
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import orjson
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from embargo.demo import demo_lists
from embargo.ingest.importer import import_path
from embargo.matching import DEFAULT_THRESHOLD
from embargo.service.holder import IndexHolder
from embargo.service.screening import MatchParams, match_one
from embargo.store import Store, normalise_url
from embargo.store.keys import KeyStore

LAUNCH = ("import sys; from embargo.settings import load_settings; "
          "from embargo.service.commands import serve; "
          "serve(load_settings(), '127.0.0.1', int(sys.argv[1]), int(sys.argv[2]))")
NATIONALITIES = ("ru", "ir", "kp", "sy", "us", "de", "cn", "ve")
SCREEN_CPU = re.compile(r"screen-cpu;dur=([0-9.]+)")


@dataclass
class Target:
    """One store to serve from: its URL (None: the home's SQLite file) and home folder."""

    kind: str
    url: str | None
    home: Path
    app_name: str

    @property
    def store_url(self) -> str:
        return self.url or f"sqlite:///{self.home / 'embargo.sqlite3'}"


def fresh_schema(base: str, app_name: str) -> str:
    schema = f"embargo_bench_{uuid.uuid4().hex[:10]}"
    engine = create_engine(normalise_url(base))
    with engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    url = make_url(normalise_url(base)).update_query_dict(
        {"options": f"-csearch_path={schema}", "application_name": app_name})
    return url.render_as_string(hide_password=False)


def prepare(target: Target, lists: Path) -> tuple[str, list[str]]:
    """Import the lists, create a key; the token and a sample of listed names."""
    with Store.open(target.store_url) as store:
        import_path(store, lists)
        names = sorted(e.caption for s in store.snapshots_as_of(None)
                       for e in store.iter_entities(s.id) if str(e.schema) == "Person")
        _, token = KeyStore(store.engine).create("bench", ["screen", "admin"])
    random.Random(7).shuffle(names)
    return token, [*names[:500], "John Smith", "Maria Garcia", "Wei Zhang", "Ahmed Hassan"]


def in_process(target: Target, names: list[str], seconds: float) -> dict[str, Any]:
    """One thread of this process screening the ``match-name`` queries: the baseline."""
    with Store.open(target.store_url) as store:
        holder = IndexHolder(store, target.home / "index")
        holder.refresh()
        loaded = holder.require()
        params = MatchParams("default", 5, DEFAULT_THRESHOLD, DEFAULT_THRESHOLD, "bench")
        for i in range(200):  # warm-up
            match_one(loaded, "q", query(names, i, False), params, None)
        done, t0, c0 = 0, time.perf_counter(), time.thread_time()
        while time.perf_counter() - t0 < seconds:
            for _ in range(50):
                match_one(loaded, "q", query(names, done, False), params, None)
                done += 1
        wall, cpu = time.perf_counter() - t0, time.thread_time() - c0
        del holder, loaded
    gc.collect()
    return {"queries": done, "per_second": round(done / wall, 1),
            "cpu_ms_per_query": round(cpu / done * 1e3, 3),
            "per_cpu_second": round(done / cpu, 1),  # the rate of a core of its own
            "cpu_share": round(cpu / wall, 2), "load_average": os.getloadavg()[0]}


def start(target: Target, port: int, workers: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "EMBARGO_HOME": str(target.home),
           "EMBARGO_RATE_LIMIT": "0", "EMBARGO_LOG_LEVEL": "WARNING",
           "EMBARGO_BALANCE_CONNECTIONS": os.environ.get("EMBARGO_BALANCE_CONNECTIONS", "1"),
           "EMBARGO_IMPORT_ROOTS": os.pathsep.join(["/", str(target.home)])}
    env.pop("EMBARGO_DATABASE_URL", None)
    if target.url:
        env["EMBARGO_DATABASE_URL"] = target.url
    return subprocess.Popen([sys.executable, "-c", LAUNCH, str(port), str(workers)], env=env,
                            start_new_session=True)


def wait_ready(base: str, timeout: float = 600) -> None:
    deadline = time.monotonic() + timeout
    ready = 0  # with several workers, each connection may reach another one: ask repeatedly
    while time.monotonic() < deadline:
        try:
            ok = httpx.get(f"{base}/readyz", timeout=2).status_code == 200
        except httpx.HTTPError:
            ok = False
        ready = ready + 1 if ok else 0
        if ready >= 20:
            return
        time.sleep(0.05 if ok else 0.5)
    raise SystemExit("server not ready")


def _group(pid: int) -> list[Path]:
    """The /proc entries of the server's process group (the launcher and its workers)."""
    out = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and os.getpgid(int(entry.name)) == pid:
                out.append(entry)
        except (OSError, ProcessLookupError):
            continue
    return out


def rss_mb(pid: int) -> float:
    """RSS of the server's process group, MB."""
    total = 0
    for entry in _group(pid):
        try:
            for line in (entry / "status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except (OSError, ValueError):
            continue
    return total / 1024


def _ticks(entry: Path) -> int:
    try:
        fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])  # utime, stime
    except (OSError, ValueError, IndexError):
        return 0


def cpu_s(pid: int) -> float:
    """CPU seconds (user + system) the server's process group has used so far."""
    return sum(_ticks(e) for e in _group(pid)) / os.sysconf("SC_CLK_TCK")


def cpu_by_process(pid: int) -> dict[str, float]:
    """CPU seconds of each process of the server's group so far."""
    return {e.name: _ticks(e) / os.sysconf("SC_CLK_TCK") for e in _group(pid)}


def worker_shares(before: dict[str, float], after: dict[str, float]) -> list[float]:
    """Each process's share of the server's CPU over a run, largest first (the workers:
    connections piled on one worker show as a share near 1)."""
    used = {p: after[p] - before.get(p, 0.0) for p in after}
    total = sum(used.values()) or 1.0
    return sorted((round(v / total, 2) for v in used.values() if v / total >= 0.05),
                  reverse=True)


def db_cpu_s(target: Target, admin_url: str) -> float | None:
    """CPU seconds of the PostgreSQL backends serving the server (None: not visible here)."""
    if target.url is None:
        return None
    engine = create_engine(normalise_url(admin_url))
    with engine.connect() as conn:
        pids = conn.execute(text("SELECT pid FROM pg_stat_activity WHERE application_name = :a"),
                            {"a": target.app_name}).scalars().all()
    engine.dispose()
    if not pids or not Path(f"/proc/{pids[0]}").exists():
        return None
    return sum(_ticks(Path(f"/proc/{p}")) for p in pids) / os.sysconf("SC_CLK_TCK")


def query(names: list[str], i: int, full: bool) -> dict[str, Any]:
    props: dict[str, list[str]] = {"name": [names[i % len(names)]]}
    if full:
        props["birthDate"] = [f"19{50 + i % 40}-0{1 + i % 9}-1{i % 10}"]
        props["nationality"] = [NATIONALITIES[i % len(NATIONALITIES)]]
    return {"schema": "Person", "properties": props}


def body(kind: str, names: list[str], i: int) -> tuple[str, dict[str, Any]]:
    if kind == "screen-100":
        rows = [{"id": str(j), **query(names, i * 100 + j, True)} for j in range(100)]
        return "/screen", {"queries": rows}
    return "/match/default", {"queries": {"q": query(names, i, kind == "match-full")}}


async def sample_rss(pid: int, every: float, until: float, out: list[int]) -> None:
    """The server's RSS every ``every`` seconds until ``until`` (monotonic), MB."""
    while time.monotonic() < until:
        await asyncio.sleep(min(every, max(0.0, until - time.monotonic())))
        out.append(round(rss_mb(pid)))


class Connection:
    """One keep-alive HTTP/1.1 connection speaking just enough HTTP for the load: the client
    must cost the shared cores as little as possible (an httpx client spends ~1.8 ms of CPU per
    request, as much as the server's whole budget)."""

    def __init__(self, host: str, port: int, token: str) -> None:
        self.host, self.port = host, port
        self.head = (f"Host: {host}:{port}\r\nAuthorization: Bearer {token}\r\n"
                     "Content-Type: application/json\r\n").encode()
        self.streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def post(self, path: str, payload: bytes) -> tuple[int, dict[bytes, bytes], bytes]:
        if self.streams is None:
            self.streams = await asyncio.open_connection(self.host, self.port)
        reader, writer = self.streams
        writer.write(b"POST " + path.encode() + b" HTTP/1.1\r\n" + self.head
                     + b"Content-Length: " + str(len(payload)).encode() + b"\r\n\r\n" + payload)
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.split(b"\r\n")
            headers = dict(line.lower().split(b": ", 1) for line in lines[1:] if b": " in line)
            data = await reader.readexactly(int(headers.get(b"content-length", b"0")))
        except (OSError, asyncio.IncompleteReadError):
            self.close()
            raise
        if headers.get(b"connection") == b"close":
            self.close()
        return int(lines[0].split()[1]), headers, data

    def close(self) -> None:
        if self.streams is not None:
            self.streams[1].close()
            self.streams = None


async def drive(base: str, token: str, names: list[str], kind: str, duration: float,
                concurrency: int, server_pid: int | None = None) -> dict[str, Any]:
    latencies: list[float] = []
    errors: list[str] = []
    screen_ms: list[float] = []
    counter = iter(range(10**9))
    deadline = time.monotonic() + duration
    host, port = base.removeprefix("http://").split(":")

    async def worker() -> None:
        conn = Connection(host, int(port), token)
        while time.monotonic() < deadline:
            path, payload = body(kind, names, next(counter))
            data = orjson.dumps(payload)
            t0 = time.perf_counter()
            try:
                status, headers, answer = await conn.post(path, data)
                if status != 200:
                    errors.append(f"{status}: {answer[:120]!r}")
                found = SCREEN_CPU.search(headers.get(b"server-timing", b"").decode())
                if found:
                    screen_ms.append(float(found[1]))
            except (OSError, asyncio.IncompleteReadError) as exc:
                errors.append(f"{type(exc).__name__}: {exc}")
            latencies.append(time.perf_counter() - t0)
        conn.close()

    t0 = time.perf_counter()
    series: list[int] = []
    sampler = [] if server_pid is None else [
        sample_rss(server_pid, max(1.0, duration / 10), deadline, series)]
    await asyncio.gather(*(worker() for _ in range(concurrency)), *sampler)
    elapsed = time.perf_counter() - t0
    result = summary(kind, latencies, errors, elapsed)
    result["_screen_ms"] = sum(screen_ms)
    if series:
        result["rss_mb_series"] = series
    return result


def summary(kind: str, latencies: list[float], errors: list[str],
            elapsed: float) -> dict[str, Any]:
    ms = sorted(x * 1000 for x in latencies)
    q = statistics.quantiles(ms, n=100) if len(ms) > 1 else ms * 99
    return {"scenario": kind, "requests": len(ms), "rps": round(len(ms) / elapsed, 1),
            "p50_ms": round(q[49], 2), "p95_ms": round(q[94], 2), "p99_ms": round(q[98], 2),
            "errors": len(errors), "first_error": errors[0] if errors else None}


async def swap_run(base: str, token: str, names: list[str], duration: float,
                   concurrency: int, lists: Path) -> dict[str, Any]:
    """match-name under load while an import rebuilds and swaps the index."""
    async def trigger() -> str:
        await asyncio.sleep(min(1.0, duration / 4))
        async with httpx.AsyncClient(base_url=base, timeout=600) as client:
            r = await client.post("/lists/import", json={"path": str(lists)},
                                  headers={"Authorization": f"Bearer {token}"})
            return f"{r.status_code} swapped={r.json().get('swapped')}"

    result, note = await asyncio.gather(
        drive(base, token, names, "match-name", duration, concurrency), trigger())
    result["scenario"], result["import"] = "swap", note
    result.pop("_screen_ms", None)
    return result


def scenario(target: Target, admin_url: str, base: str, pid: int, token: str,
             names: list[str], kind: str, args: argparse.Namespace,
             baseline: dict[str, Any]) -> dict[str, Any]:
    """One scenario against a running server, with the CPU split and the ratio to baseline."""
    if args.warmup > 0:  # unmeasured: the workers' first requests fault the index in
        asyncio.run(drive(base, token, names, kind, args.warmup, args.concurrency))
    before, cpu0, own0 = rss_mb(pid), cpu_s(pid), time.process_time()
    per0 = cpu_by_process(pid)
    db0 = db_cpu_s(target, admin_url)
    result = asyncio.run(drive(base, token, names, kind, args.duration, args.concurrency, pid))
    served = max(1, result["requests"])
    shares = worker_shares(per0, cpu_by_process(pid))
    server_ms = (cpu_s(pid) - cpu0) / served * 1e3
    screen_ms = result.pop("_screen_ms") / served
    db1 = db_cpu_s(target, admin_url)
    out = {"store": target.kind, **result, "rss_mb_before": round(before),
           "rss_mb_after": round(rss_mb(pid)),
           "server_cpu_ms_per_request": round(server_ms, 3),
           "screening_cpu_ms": round(screen_ms, 3),
           "other_cpu_ms": round(server_ms - screen_ms, 3),
           "other_over_screening": round((server_ms - screen_ms) / screen_ms, 2)
           if screen_ms else None,
           "client_cpu_ms_per_request": round((time.process_time() - own0) / served * 1e3, 3),
           "cpu_share_by_process": shares}
    if db0 is not None and db1 is not None:
        out["database_cpu_ms_per_request"] = round((db1 - db0) / served * 1e3, 3)
    if kind.startswith("match"):  # against the same queries screened in this process
        out["ratio_to_one_core"] = round(result["rps"] / baseline["per_second"], 2)
        out["ratio_to_one_idle_core"] = round(result["rps"] / baseline["per_cpu_second"], 2)
    out["load_average"] = os.getloadavg()[0]
    return out


@contextmanager
def serving(target: Target, workers: int):  # type: ignore[no-untyped-def]
    port = _free_port()
    server = start(target, port, workers)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_ready(base)
        yield base, server.pid
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per scenario")
    parser.add_argument("--concurrency", type=int, default=6,
                        help="requests in flight (6: the operating point in docs/benchmarks.md)")
    parser.add_argument("--workers", default="2",
                        help="worker processes; several (1,2) run the scenarios once for each")
    parser.add_argument("--stores", default="sqlite,postgresql")
    parser.add_argument("--database-url", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--lists", type=Path, default=None,
                        help="lists to import (default: the bundled demo lists)")
    parser.add_argument("--swap-lists", type=Path, default=None,
                        help="a list imported during the swap run (default: none, skip)")
    parser.add_argument("--scenarios", default="match-name,match-full,screen-100")
    parser.add_argument("--warmup", type=float, default=3.0,
                        help="seconds of unmeasured load before each scenario")
    parser.add_argument("--repeat", type=int, default=1,
                        help="runs of each scenario (and of the baseline); then the medians")
    parser.add_argument("--baseline-seconds", type=float, default=5.0,
                        help="seconds of in-process screening for the one-core baseline")
    args = parser.parse_args()
    lists = args.lists or demo_lists()
    run_id = uuid.uuid4().hex[:8]
    targets = []
    for kind in args.stores.split(","):
        home = Path(f"/tmp/embargo-bench-{run_id}-{kind}")
        app_name = f"embargo-bench-{run_id}"
        url = fresh_schema(args.database_url, app_name) if kind == "postgresql" else None
        targets.append(Target(kind, url, home, app_name))
    try:
        prepared = [prepare(t, lists) for t in targets]
        names = prepared[0][1]  # the same queries for every store and the baseline
        runs: list[dict[str, Any]] = []
        for repeat in range(1, args.repeat + 1):
            runs += one_round(targets, prepared, names, args, repeat)
        if args.repeat > 1:
            for line in medians(runs):
                print(line, flush=True)
    finally:
        for target in targets:
            if target.url:
                drop_schema(args.database_url, target.url)
            shutil.rmtree(target.home, ignore_errors=True)


def one_round(targets: list[Target], prepared: list[tuple[str, list[str]]], names: list[str],
              args: argparse.Namespace, repeat: int) -> list[dict[str, Any]]:
    """The baseline, then every store, worker count and scenario once; the figures."""
    base_line = in_process(targets[0], names, args.baseline_seconds)
    print({"round": repeat, "scenario": "in-process, one thread", **base_line}, flush=True)
    out = []
    for target, (token, _) in zip(targets, prepared, strict=True):
        for workers in (int(w) for w in str(args.workers).split(",")):
            with serving(target, workers) as (base, pid):
                for kind in args.scenarios.split(","):
                    line = {"round": repeat, "workers": workers,
                            **scenario(target, args.database_url, base, pid, token, names,
                                       kind, args, base_line)}
                    print(line, flush=True)
                    out.append(line)
                if args.swap_lists:
                    print(asyncio.run(swap_run(base, token, names, args.duration,
                                               args.concurrency,
                                               args.swap_lists.resolve())), flush=True)
    again = in_process(targets[0], names, args.baseline_seconds)
    print({"round": repeat, "scenario": "in-process, one thread, after the runs", **again},
          flush=True)
    return out


MEDIAN_OF = ("rps", "ratio_to_one_core", "ratio_to_one_idle_core", "p50_ms", "p99_ms",
             "errors", "server_cpu_ms_per_request", "screening_cpu_ms", "other_cpu_ms",
             "other_over_screening", "client_cpu_ms_per_request",
             "database_cpu_ms_per_request", "load_average")


def medians(runs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per store, workers and scenario: the median of each figure over the rounds."""
    groups: dict[tuple[str, int, str], list[dict[str, Any]]] = {}
    for run in runs:
        groups.setdefault((run["store"], run["workers"], run["scenario"]), []).append(run)
    out = []
    for (store, workers, kind), group in groups.items():
        line: dict[str, Any] = {"median_of": len(group), "store": store, "workers": workers,
                                "scenario": kind}
        for name in MEDIAN_OF:
            values = [r[name] for r in group if r.get(name) is not None]
            if values:
                line[name] = round(statistics.median(values), 3)
        out.append(line)
    return out


def drop_schema(base: str, url: str) -> None:
    """Remove the schema a run created (its name is in the URL's search_path option)."""
    schema = make_url(url).query["options"].split("=", 1)[1]
    engine = create_engine(normalise_url(base))
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    engine.dispose()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


if __name__ == "__main__":
    main()
