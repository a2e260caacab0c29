"""End to end: the real server (uvicorn, 2 workers) on a loopback port, PostgreSQL audit store.

Skipped when PostgreSQL is not reachable locally; fails when ``CI`` is set.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine, create_engine, func, select, text
from sqlalchemy.engine import make_url

from embargo.settings import Settings
from embargo.store import Store
from embargo.store.audit import screenings

pytestmark = pytest.mark.postgres
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
OFSI = FIXTURES / "uk_ofsi" / "conlist_current.csv"
LAUNCH = ("import sys; from embargo.settings import load_settings; "
          "from embargo.service.commands import serve; "
          "serve(load_settings(), '127.0.0.1', int(sys.argv[1]), int(sys.argv[2]))")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    url: str
    tokens: dict[str, str]
    database_url: str
    process: subprocess.Popen[bytes]

    def client(self, scope: str | None = None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {self.tokens[scope]}"} if scope else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=30)


def wait_up(url: str, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited with {process.returncode}")
        try:
            if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError("server did not become ready")


@pytest.fixture(scope="module")
def live(pg_admin: Engine, tmp_path_factory: pytest.TempPathFactory, pg_base: str,
         settings_maker: Callable[..., Settings], store_filler: Callable[[Store], None],
         token_maker: Callable[[Settings], dict[str, str]]) -> Iterator[Server]:
    """One server for the module (tests run in file order; the last one stops it)."""
    schema = f"embargo_e2e_{uuid.uuid4().hex[:12]}"
    with pg_admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(pg_base).update_query_dict({"options": f"-csearch_path={schema}"})
    pg_url = url.render_as_string(hide_password=False)
    home = tmp_path_factory.mktemp("e2e") / "home"
    try:
        settings = settings_maker(home, pg_url)
        with Store.open(pg_url) as store:
            store_filler(store)
        yield from _serve(pg_url, settings, token_maker(settings))
    finally:
        with pg_admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))


def _serve(pg_url: str, settings: Settings, tokens: dict[str, str]) -> Iterator[Server]:
    port = free_port()
    env = {**os.environ, "EMBARGO_HOME": str(settings.home), "EMBARGO_DATABASE_URL": pg_url,
           "EMBARGO_REFRESH_INTERVAL": "0.5", "EMBARGO_IMPORT_ROOTS": str(FIXTURES),
           "EMBARGO_KEY_CACHE_SECONDS": "0", "EMBARGO_RATE_LIMIT": "0",
           "EMBARGO_LOG_LEVEL": "WARNING"}
    process = subprocess.Popen([sys.executable, "-c", LAUNCH, str(port), "2"], env=env,
                               start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_up(url, process)
        yield Server(url, tokens, pg_url, process)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)


def audit_count(database_url: str) -> int:
    engine = create_engine(database_url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.connect() as conn:
            return int(conn.scalar(select(func.count()).select_from(screenings)) or 0)
    finally:
        engine.dispose()


PUTIN = {"schema": "Person", "properties": {"name": ["Vladimir Putin"]}}


def test_every_endpoint_over_http(live: Server) -> None:
    screen, read = live.client("screen"), live.client("read")
    m = screen.post("/match/sanctions", json={"queries": {"q": PUTIN}})
    assert m.status_code == 200
    assert m.json()["responses"]["q"]["results"][0]["id"] == "list-a:1"
    s = screen.post("/screen", json={"queries": [{"id": "1", "name": "Sergei Shoigu"}]})
    assert s.json()["results"][0]["hits"][0]["entity_id"] == "list-a:4"
    assert screen.get("/search/default", params={"q": "rossiya"}).json()["results"]
    assert read.get("/entities/list-a:1").json()["listed"] is True
    assert read.get("/catalog").status_code == 200
    assert read.get("/algorithms").status_code == 200
    assert len(read.get("/lists").json()["snapshots"]) == 3
    diff = read.get("/lists/diff", params={"source": "list-a", "from": "1", "to": "3"})
    assert diff.status_code == 200 and diff.json()["added"]
    record = read.get(f"/screenings/{s.json()['id']}").json()
    assert record["response"] == s.json()
    assert read.post(f"/screenings/{m.json()['id']}/replay").json()["same"] is True
    assert httpx.get(f"{live.url}/openapi.json").status_code == 200
    assert httpx.get(f"{live.url}/docs").status_code == 200
    assert audit_count(live.database_url) >= 3  # match, screen, search (batched, committed)


def test_auth_failures_over_http(live: Server) -> None:
    anonymous, screen = live.client(), live.client("screen")
    assert anonymous.get("/healthz").status_code == 200
    assert anonymous.post("/screen", json={"queries": [PUTIN]}).status_code == 401
    assert live.client("revoked").get("/lists").status_code == 401
    assert screen.get("/lists").status_code == 403
    forbidden = screen.post("/lists/import", json={"path": str(OFSI)})
    assert forbidden.json()["error"]["code"] == "forbidden"


def _hammer(live: Server, stop: threading.Event, failures: list[str], done: list[int]) -> None:
    with live.client("screen") as client:
        while not stop.is_set():
            r = client.post("/match/default", json={"queries": {"q": PUTIN}})
            if r.status_code != 200:
                failures.append(f"{r.status_code} {r.text[:200]}")
            done.append(1)


def test_refresh_reaches_every_worker_without_failures(live: Server) -> None:
    stop, failures, done = threading.Event(), [], []  # type: ignore[var-annotated]
    threads = [threading.Thread(target=_hammer, args=(live, stop, failures, done))
               for _ in range(3)]
    for t in threads:
        t.start()
    try:
        r = live.client("admin").post("/lists/import",
                                      json={"path": str(OFSI), "published": "2024-07-01"})
        assert r.status_code == 200, r.text
        new_id = r.json()["results"][0]["snapshot"]["id"]
        deadline = time.monotonic() + 20
        seen: list[bool] = []
        while time.monotonic() < deadline:
            seen = [new_id in [s["id"] for s in httpx.get(f"{live.url}/readyz").json()
                               ["snapshots"]] for _ in range(12)]
            if all(seen):
                break
            time.sleep(0.3)
        assert all(seen), "a worker did not pick up the new snapshot"
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert failures == [] and len(done) > 10
    sechin = live.client("screen").post("/match/uk-ofsi", json={"queries": {
        "q": {"schema": "Person", "properties": {"name": ["Igor Sechin"]}}}}).json()
    assert sechin["responses"]["q"]["results"]


def test_shutdown_flushes_the_audit_trail(live: Server) -> None:
    before = audit_count(live.database_url)
    with live.client("screen") as client:
        for _ in range(25):
            assert client.post("/screen", json={"queries": [PUTIN]}).status_code == 200
    os.killpg(live.process.pid, signal.SIGTERM)
    live.process.wait(timeout=30)
    assert audit_count(live.database_url) == before + 25
