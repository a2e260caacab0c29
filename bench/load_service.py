"""Load test of the screening service: requests/s and latency percentiles, audit in PostgreSQL.

Starts ``embargo serve`` (via :func:`embargo.service.commands.serve`) on 127.0.0.1 against a
fresh PostgreSQL schema, imports lists, creates a key, then drives the server from this
process with an async httpx client at bounded concurrency:

* ``match-name``: single-query ``POST /match/default``, name only;
* ``match-full``: single query with name + birth date + nationality;
* ``screen-100``: ``POST /screen`` with 100 queries;
* ``swap``: ``match-name`` while ``POST /lists/import`` adds a snapshot (index rebuilt and
  swapped under load): no request may fail.

Server memory (RSS of the uvicorn processes) is sampled at the start and end of each run.

    .venv/bin/python bench/load_service.py --duration 10 --workers 2 --concurrency 6
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from embargo.demo import demo_lists
from embargo.ingest.importer import import_path
from embargo.store import Store, normalise_url
from embargo.store.keys import KeyStore

LAUNCH = ("import sys; from embargo.settings import load_settings; "
          "from embargo.service.commands import serve; "
          "serve(load_settings(), '127.0.0.1', int(sys.argv[1]), int(sys.argv[2]))")
NATIONALITIES = ("ru", "ir", "kp", "sy", "us", "de", "cn", "ve")


def fresh_schema(base: str) -> str:
    schema = f"embargo_bench_{uuid.uuid4().hex[:10]}"
    engine = create_engine(normalise_url(base))
    with engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    url = make_url(normalise_url(base)).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False)


def prepare(url: str, lists: Path) -> tuple[str, list[str]]:
    """Import the lists, create a key; the token and a sample of listed names."""
    with Store.open(url) as store:
        import_path(store, lists)
        names = [e.caption for s in store.snapshots_as_of(None)
                 for e in store.iter_entities(s.id) if str(e.schema) == "Person"]
        _, token = KeyStore(store.engine).create("bench", ["screen", "admin"])
    random.Random(7).shuffle(names)
    return token, [*names[:500], "John Smith", "Maria Garcia", "Wei Zhang", "Ahmed Hassan"]


def start(url: str, home: Path, port: int, workers: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "EMBARGO_HOME": str(home), "EMBARGO_DATABASE_URL": url,
           "EMBARGO_RATE_LIMIT": "0", "EMBARGO_LOG_LEVEL": "WARNING",
           "EMBARGO_IMPORT_ROOTS": os.pathsep.join(["/", str(home)])}
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


def cpu_s(pid: int) -> float:
    """CPU seconds (user + system) the server's process group has used so far."""
    ticks = 0
    for entry in _group(pid):
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
        except (OSError, ValueError, IndexError):
            continue
    return ticks / os.sysconf("SC_CLK_TCK")


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


async def drive(base: str, token: str, names: list[str], kind: str, duration: float,
                concurrency: int, server_pid: int | None = None) -> dict[str, Any]:
    latencies: list[float] = []
    errors: list[str] = []
    counter = iter(range(10**9))
    deadline = time.monotonic() + duration
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=base, headers=headers, limits=limits,
                                 timeout=60) as client:

        async def worker() -> None:
            while time.monotonic() < deadline:
                path, payload = body(kind, names, next(counter))
                t0 = time.perf_counter()
                try:
                    r = await client.post(path, json=payload)
                    if r.status_code != 200:
                        errors.append(f"{r.status_code}: {r.text[:120]}")
                except httpx.HTTPError as exc:
                    errors.append(f"{type(exc).__name__}: {exc}")
                latencies.append(time.perf_counter() - t0)

        t0 = time.perf_counter()
        series: list[int] = []
        sampler = [] if server_pid is None else [
            sample_rss(server_pid, max(1.0, duration / 10), deadline, series)]
        await asyncio.gather(*(worker() for _ in range(concurrency)), *sampler)
        elapsed = time.perf_counter() - t0
    result = summary(kind, latencies, errors, elapsed)
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
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per scenario")
    parser.add_argument("--concurrency", type=int, default=6,
                        help="requests in flight (6: the operating point in docs/benchmarks.md)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database-url", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--lists", type=Path, default=None,
                        help="lists to import (default: the bundled demo lists)")
    parser.add_argument("--swap-lists", type=Path, default=None,
                        help="a list imported during the swap run (default: none, skip)")
    parser.add_argument("--scenarios", default="match-name,match-full,screen-100")
    args = parser.parse_args()
    home = Path(f"/tmp/embargo-bench-{uuid.uuid4().hex[:8]}")
    url = fresh_schema(args.database_url)
    token, names = prepare(url, args.lists or demo_lists())
    port = _free_port()
    server = start(url, home, port, args.workers)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_ready(base)
        for kind in args.scenarios.split(","):
            before, cpu0, own0 = rss_mb(server.pid), cpu_s(server.pid), time.process_time()
            result = asyncio.run(drive(base, token, names, kind, args.duration,
                                       args.concurrency, server.pid))
            served = max(1, result["requests"])
            print({**result, "rss_mb_before": round(before), "rss_mb_after":
                   round(rss_mb(server.pid)),
                   "server_cpu_ms_per_request": round((cpu_s(server.pid) - cpu0) / served * 1e3, 2),
                   "client_cpu_ms_per_request": round((time.process_time() - own0) / served * 1e3,
                                                      2)}, flush=True)
        if args.swap_lists:
            print(asyncio.run(swap_run(base, token, names, args.duration, args.concurrency,
                                       args.swap_lists.resolve())), flush=True)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
        drop_schema(args.database_url, url)
        shutil.rmtree(home, ignore_errors=True)


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
