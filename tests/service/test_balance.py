"""Workers share out keep-alive connections evenly (service/balance.py, issue 13)."""

from __future__ import annotations

import multiprocessing
import os
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from embargo.service.balance import MAX_DEFER_SECONDS, Board, should_defer
from embargo.settings import Settings
from embargo.store import Store

QUERY = {"queries": {"q": {"schema": "Person", "properties": {"name": ["Kim Jong Un"]}}}}
LAUNCH = ("import sys; from embargo.settings import load_settings; "
          "from embargo.service.commands import serve; "
          "serve(load_settings(), '127.0.0.1', int(sys.argv[1]), int(sys.argv[2]))")


@pytest.mark.parametrize(("mine", "others", "waited", "defer"), [
    (0, [0], 0.0, False),  # even: take it
    (1, [0], 0.0, True),  # another worker has fewer: leave it to that one
    (3, [3, 2], 0.0, True),
    (2, [3], 0.0, False),
    (5, [], 0.0, False),  # alone
    (1, [0], MAX_DEFER_SECONDS, False),  # the other did not take it in time: take it
])
def test_should_defer(mine: int, others: list[int], waited: float, defer: bool) -> None:
    assert should_defer(mine, others, waited) is defer


def _hold_slot(path: Path, count: int, ready: object, leave: object) -> None:
    board = Board(path)
    board.publish(count)
    ready.set()  # type: ignore[attr-defined]
    leave.wait(30)  # type: ignore[attr-defined]


def test_board_sees_the_other_workers_and_forgets_dead_ones(tmp_path: Path) -> None:
    path = tmp_path / "board"
    mine = Board(path)
    assert mine.others() == []
    context = multiprocessing.get_context("fork")
    ready, leave = context.Event(), context.Event()
    other = context.Process(target=_hold_slot, args=(path, 4, ready, leave))
    other.start()
    try:
        assert ready.wait(30)
        assert mine.others() == [4]
        mine.publish(2)
        assert Board(path).slot == mine.slot  # the same process keeps its slot
    finally:
        leave.set()
        other.join(30)
    assert mine.others() == []  # the other's slot is left but its process is gone
    mine.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _connection_owners(port: int, pids: list[int]) -> Counter[int]:
    """How many established connections to ``port`` each process holds (from /proc)."""
    inodes = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if int(fields[1].split(":")[1], 16) == port and fields[3] == "01":  # ESTABLISHED
            inodes.add(fields[9])
    owners: Counter[int] = Counter()
    for pid in pids:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                target = os.readlink(fd)
            except OSError:
                continue
            if target.startswith("socket:[") and target[8:-1] in inodes:
                owners[pid] += 1
    return owners


def _workers(launcher: int) -> list[int]:
    return [int(p.name) for p in Path("/proc").iterdir()
            if p.name.isdigit() and _parent(p) == launcher and "spawn_main" in _cmd(p)]


def _parent(entry: Path) -> int:
    try:
        return int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return -1


def _cmd(entry: Path) -> str:
    try:
        return (entry / "cmdline").read_bytes().decode(errors="replace")
    except OSError:
        return ""


@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="needs Linux /proc")
def test_two_workers_share_six_connections_three_each(
        tmp_path: Path, settings_maker: Callable[..., Settings],
        store_filler: Callable[[Store], None],
        token_maker: Callable[[Settings], dict[str, str]]) -> None:
    """Six keep-alive connections opened together end up three on each worker (uvicorn alone
    left 6/0, 5/1 or 4/2 splits), every time, and the server stops cleanly on SIGTERM."""
    settings = settings_maker(tmp_path / "home", None)
    with Store.open(settings.store_url) as store:
        store_filler(store)
    token = token_maker(settings)["screen"]
    port = _free_port()
    env = {**os.environ, "EMBARGO_HOME": str(settings.home), "EMBARGO_RATE_LIMIT": "0",
           "EMBARGO_LOG_LEVEL": "WARNING", "EMBARGO_REFRESH_INTERVAL": "0",
           "EMBARGO_BALANCE_CONNECTIONS": "1"}
    env.pop("EMBARGO_DATABASE_URL", None)
    server = subprocess.Popen([sys.executable, "-c", LAUNCH, str(port), "2"], env=env,
                              start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(url, server)
        for _ in range(4):
            clients = [httpx.Client(base_url=url, timeout=10,
                                    headers={"Authorization": f"Bearer {token}"})
                       for _ in range(6)]
            for client in clients:  # opened one after the other, then kept alive
                assert client.post("/match/default", json=QUERY).status_code == 200
            owners = _connection_owners(port, _workers(server.pid))
            for client in clients:
                client.close()
            assert sorted(owners.values()) == [3, 3], owners
            time.sleep(0.3)  # the workers see the closed connections go
        os.killpg(server.pid, signal.SIGTERM)
        assert server.wait(timeout=60) == 0
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(30)


def _wait_ready(url: str, server: subprocess.Popen[bytes]) -> None:
    """Ready: 20 answers in a row (each may reach either worker) from two workers."""
    deadline, ready = time.monotonic() + 120, 0
    while time.monotonic() < deadline:
        assert server.poll() is None, f"server exited with {server.returncode}"
        try:
            ok = httpx.get(f"{url}/readyz", timeout=2).status_code == 200
        except httpx.HTTPError:
            ok = False
        ready = ready + 1 if ok else 0
        if ready >= 20 and len(_workers(server.pid)) == 2:
            return
        time.sleep(0.05 if ok else 0.2)
    raise AssertionError("server did not become ready")
