"""A real ``embargo serve`` for the browser test: a store with real SDN snapshots, planted
customers, users with passwords; the server as a subprocess; Chromium through Playwright."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import orjson
import pytest

from console.conftest import PASSWORD, USERS
from embargo.console.passwords import set_password
from embargo.customers.importer import import_customers
from embargo.ingest.importer import import_path
from embargo.ingest.policy import HoldPolicy
from embargo.model.entity import Entity, Schema
from embargo.monitoring.run import run_monitor
from embargo.store import Store
from embargo.store.monitoring import save_config
from embargo.store.users import UserStore

CHROMIUM = Path(os.environ.get("EMBARGO_CHROMIUM", "/usr/bin/chromium"))
SDN_DAYS = ("2021-08-18", "2021-08-20")
ORGS = (Schema.COMPANY, Schema.ORGANIZATION, Schema.LEGAL_ENTITY)
HOSTILE = "<script>alert(1)</script>"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"


def chromium() -> Path:
    """Debian's Chromium; missing: skip here, fail under CI (``scripts/test`` installs it)."""
    if not CHROMIUM.exists():
        reason = f"no Chromium at {CHROMIUM}: apt-get install -y chromium"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    return CHROMIUM


def sdn_file(lists_dir: Path, day: str) -> Path:
    return lists_dir / "ofac-sdn" / "history" / f"sdn_{day}.csv"


def import_sdn(store: Store, lists_dir: Path, day: str) -> bool:
    """Import one SDN release; whether it made a new snapshot."""
    (result,) = import_path(store, sdn_file(lists_dir, day), policy=HoldPolicy(backfill=True))
    return result.created


def _planted(store: Store) -> list[Entity]:
    """A few listed people and companies with programmes (the same ones every run)."""
    (snap,) = [s for s in store.snapshots_as_of(None) if s.source == "ofac-sdn"]
    people, companies = [], []
    for entity in store.iter_entities(snap.id):
        if not entity.programs or len(entity.caption) > 40:
            continue
        if entity.schema == Schema.PERSON and entity.birth_dates and len(people) < 4:
            people.append(entity)
        elif entity.schema in ORGS and len(companies) < 3:
            companies.append(entity)
        if len(people) == 4 and len(companies) == 3:
            break
    return people + companies


def customers(store: Store) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for i, entity in enumerate(_planted(store), start=1):
        row: dict[str, object] = {"id": f"p{i}", "schema": str(entity.schema),
                                  "name": entity.caption}
        if entity.birth_dates:
            row["birthDate"] = str(entity.birth_dates[0])
        rows.append(row)
    rows[-1]["name"] = [HOSTILE, str(rows[-1]["name"])]
    clean = ("Anna Lindqvist", "Pierre Dubois", "Maria Rossi", "Tomasz Nowak")
    rows += [{"id": f"c{i}", "schema": "Person", "name": n} for i, n in enumerate(clean)]
    return rows


def prepare_store(url: str, lists_dir: Path, cache: Path) -> None:
    with Store.open(url) as store:
        for day in SDN_DAYS:
            import_sdn(store, lists_dir, day)
        users = UserStore(store.engine)
        for name, role in USERS:
            users.add(name, role)
            set_password(store.engine, name, PASSWORD)
        save_config(store.engine, enabled=True, four_eyes_above=1.0)
        raw = b"".join(orjson.dumps(r) + b"\n" for r in customers(store))
        import_customers(store, raw, "planted.jsonl")
        run_monitor(store, cache, False)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serve(url: str, home: Path, shared: Path) -> Iterator[str]:
    """``embargo serve`` on a free port; its base URL while it runs."""
    port = _free_port()
    env = {**os.environ, "EMBARGO_HOME": str(home), "EMBARGO_DATABASE_URL": url,
           "EMBARGO_SHARED": str(shared), "EMBARGO_LOG_LEVEL": "WARNING"}
    exe = shutil.which("embargo", path=str(Path(sys.executable).parent)) or "embargo"
    log = (home / "serve.log").open("wb")
    proc = subprocess.Popen([exe, "serve", "--port", str(port), "--workers", "1"], env=env,
                            stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(base, proc, home)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def _wait(base: str, proc: subprocess.Popen[bytes], home: Path) -> None:
    deadline = time.monotonic() + 180  # it builds (or loads) the list index first
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError("embargo serve exited: "
                                 + (home / "serve.log").read_text(errors="replace")[-2000:])
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError("embargo serve did not start")
