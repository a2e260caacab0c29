"""The audit trail survives SIGKILL: every answered request has its record (issue 13).

A real server (uvicorn, 2 workers, default ``commit`` audit mode) on the embedded SQLite store
and on PostgreSQL is driven by several clients at once; while requests are in flight the
whole server (launcher and workers) is killed with SIGKILL. Every answer a client received
before the kill names a screening id, and each must then be in the store.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine, select

from embargo.settings import Settings
from embargo.store import Store
from embargo.store.audit import screenings

LAUNCH = ("import sys; from embargo.settings import load_settings; "
          "from embargo.service.commands import serve; "
          "serve(load_settings(), '127.0.0.1', int(sys.argv[1]), int(sys.argv[2]))")
CLIENTS = 6
LOAD_SECONDS = 2.0
NAMES = ("Vladimir Putin", "Kim Jong Un", "John Smith", "Bank Rossiya", "Sergei Shoigu")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_up(url: str, process: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, f"server exited with {process.returncode}"
        try:
            if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError("server did not become ready")


def _start(settings: Settings) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {**os.environ, "EMBARGO_HOME": str(settings.home), "EMBARGO_RATE_LIMIT": "0",
           "EMBARGO_LOG_LEVEL": "WARNING", "EMBARGO_REFRESH_INTERVAL": "0"}
    env.pop("EMBARGO_DATABASE_URL", None)
    if settings.database_url:
        env["EMBARGO_DATABASE_URL"] = settings.database_url
    process = subprocess.Popen([sys.executable, "-c", LAUNCH, str(port), "2"], env=env,
                               start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    wait_up(url, process, timeout=120)
    return process, url


def _load(url: str, token: str, answered: list[str], stop: threading.Event) -> None:
    """POST /match until the server dies; keep the screening id of every 200 answer."""
    with httpx.Client(base_url=url, timeout=10,
                      headers={"Authorization": f"Bearer {token}"}) as client:
        i = 0
        while not stop.is_set():
            i += 1
            body = {"queries": {"q": {"schema": "Person",
                                      "properties": {"name": [NAMES[i % len(NAMES)]]}}}}
            try:
                response = client.post("/match/default", json=body)
            except httpx.HTTPError:
                return  # the server is gone
            if response.status_code == 200:
                answered.append(response.json()["id"])


def _stored(store_url: str) -> set[str]:
    with Store.open(store_url) as store, store.engine.connect() as conn:
        return set(conn.execute(select(screenings.c.id)).scalars())


def _kill_under_load(settings: Settings, tokens: dict[str, str]) -> tuple[list[str], set[str]]:
    process, url = _start(settings)
    answered: list[str] = []
    stop = threading.Event()
    clients = [threading.Thread(target=_load, args=(url, tokens["screen"], answered, stop))
               for _ in range(CLIENTS)]
    try:
        for client in clients:
            client.start()
        time.sleep(LOAD_SECONDS)
        os.killpg(process.pid, signal.SIGKILL)  # launcher and workers, mid-request
        process.wait(timeout=30)
    finally:
        stop.set()
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        for client in clients:
            client.join(timeout=30)
    return list(answered), _stored(settings.store_url)


def _check(answered: list[str], stored: set[str]) -> None:
    assert len(answered) > 20, "the load did not get going before the kill"
    missing = [i for i in answered if i not in stored]
    assert not missing, f"{len(missing)} of {len(answered)} answered requests have no record"


def _prepare(home: Path, database_url: str | None, settings_maker: Callable[..., Settings],
             store_filler: Callable[[Store], None],
             token_maker: Callable[[Settings], dict[str, str]]) -> tuple[Settings,
                                                                        dict[str, str]]:
    settings = settings_maker(home, database_url)
    with Store.open(settings.store_url) as store:
        store_filler(store)
    return settings, token_maker(settings)


def test_sigkill_loses_no_answered_record_sqlite(
        tmp_path: Path, settings_maker: Callable[..., Settings],
        store_filler: Callable[[Store], None],
        token_maker: Callable[[Settings], dict[str, str]]) -> None:
    settings, tokens = _prepare(tmp_path / "home", None, settings_maker, store_filler,
                                token_maker)
    _check(*_kill_under_load(settings, tokens))


@pytest.mark.postgres
def test_sigkill_loses_no_answered_record_postgres(
        tmp_path: Path, pg_url: str, pg_admin: Engine,
        settings_maker: Callable[..., Settings], store_filler: Callable[[Store], None],
        token_maker: Callable[[Settings], dict[str, str]]) -> None:
    settings, tokens = _prepare(tmp_path / "home", pg_url, settings_maker, store_filler,
                                token_maker)
    _check(*_kill_under_load(settings, tokens))
