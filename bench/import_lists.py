"""Benchmark: importing the largest SDN file and all shared lists (time, peak memory).

Each scenario runs in a fresh child process (so peak RSS is its own), against
a fresh store. The baseline, measured in the same run, is the bare cost of
reading the same files (csv.reader / lxml / json, no model, no store).

    .venv/bin/python bench/import_lists.py [--postgres URL]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from embargo.settings import load_settings  # noqa: E402

BASELINE = r"""
import csv, json, sys
from pathlib import Path
from lxml import etree
csv.field_size_limit(1 << 20)
for arg in sys.argv[1:]:
    root = Path(arg)
    for p in sorted([root] if root.is_file() else root.rglob("*")):
        if p.suffix == ".xml":
            etree.parse(str(p))
        elif p.suffix in (".csv", ".txt"):
            list(csv.reader(p.read_text("latin-1").splitlines()))
        elif p.suffix == ".json":
            text = p.read_text()
            try:
                [json.loads(line) for line in text.splitlines() if line.strip()]
            except ValueError:
                json.loads(text)
"""


def run(cmd: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds, peak RSS in MiB) of a child process; exits on failure.

    CPU time (user + system) is reported beside wall time because it barely moves
    when other work shares the machine, while wall time does.
    """
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if status != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{proc.stderr.read().decode() if proc.stderr else ''}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def scenario(name: str, path: Path, env: dict[str, str], home: Path) -> None:
    base_t, base_cpu, base_m = run([sys.executable, "-c", BASELINE, str(path)], env)
    cmd = [sys.executable, "-m", "embargo.cli", "--home", str(home), "import", str(path)]
    t, cpu, m = run(cmd, env)
    again_t, again_cpu, _ = run(cmd, env)
    print(f"{name:28} import {t:6.2f} s wall {cpu:6.2f} s CPU, peak {m:5.0f} MiB | "
          f"re-import (no change) {again_t:5.2f} s wall {again_cpu:5.2f} s CPU | "
          f"baseline read-only {base_t:5.2f} s wall {base_cpu:5.2f} s CPU {base_m:4.0f} MiB | "
          f"ratio {cpu / base_cpu:4.1f}x CPU; load {os.getloadavg()[0]:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", help="also run against this PostgreSQL URL (a fresh schema)")
    args = parser.parse_args()
    lists = load_settings().shared / "data" / "lists"
    if not lists.is_dir():
        sys.exit(f"shared lists not found at {lists} (set EMBARGO_SHARED)")
    biggest = max(lists.rglob("sdn*.csv"), key=lambda p: p.stat().st_size)
    backends = [("sqlite", None)] + ([("postgres", args.postgres)] if args.postgres else [])
    for backend, url in backends:
        print(f"== {backend}")
        for name, path in (("largest SDN " + biggest.name, biggest), ("all shared lists", lists)):
            with tempfile.TemporaryDirectory() as tmp:
                env = dict(os.environ, PYTHONPATH=str(HERE.parent / "src"))
                schema = _fresh_schema(url) if url else None
                if url and schema:
                    env["EMBARGO_DATABASE_URL"] = _schema_url(url, schema)
                else:
                    env.pop("EMBARGO_DATABASE_URL", None)
                try:
                    scenario(name, path, env, Path(tmp))
                finally:
                    if url and schema:
                        _drop_schema(url, schema)


def _execute(url: str, sql: str) -> None:
    import sqlalchemy as sa

    from embargo.store import normalise_url

    engine = sa.create_engine(normalise_url(url))
    with engine.begin() as conn:
        conn.execute(sa.text(sql))
    engine.dispose()


def _fresh_schema(url: str) -> str:
    schema = f"bench_{os.getpid()}_{int(time.time() * 1000)}"
    _execute(url, f'CREATE SCHEMA "{schema}"')
    return schema


def _drop_schema(url: str, schema: str) -> None:
    _execute(url, f'DROP SCHEMA "{schema}" CASCADE')


def _schema_url(url: str, schema: str) -> str:
    sep = "&" if "?" in url else "?"
    return f"{url}{sep}options=-csearch_path%3D{schema}"


if __name__ == "__main__":
    main()
