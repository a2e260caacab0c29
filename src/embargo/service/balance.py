"""Keep-alive connections spread evenly over the service's worker processes.

uvicorn's workers share one listening socket and each accepts with its event loop (uvloop:
libuv), which takes every connection waiting in the queue at once. A client that opens its
connections together (a connection pool, the load bench's 6 keep-alive connections) finds them
all, or all but one, on the worker that woke first, and they stay there: one worker screens on
one core while the other has nothing to do (``bench/load_service.py`` saw 6/0, 5/1, 4/2 and
3/3 splits from one run to the next). With :class:`BalancedServer`, each worker accepts one
connection at a time from the shared socket, and a worker holding more open connections than
another leaves the waiting one to it for up to :data:`MAX_DEFER_SECONDS` (the other may be busy
screening or gone). The workers see each other's counts on a small shared board
(:class:`Board`, one slot per worker in a file under ``/dev/shm``). Used with ``--workers`` > 1.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import fcntl
import logging
import mmap
import os
import select
import socket
import struct
import tempfile
from collections.abc import Callable
from pathlib import Path

from uvicorn.server import Server
from uvicorn.supervisors import multiprocess

log = logging.getLogger(__name__)

SLOTS = 256  # workers one board can hold
SLOT = struct.Struct("=ii")  # pid, open connections
DEFER_SECONDS = 0.002  # a worker over its share looks again after this
MAX_DEFER_SECONDS = 0.05  # ... and accepts anyway once a connection has waited this long
PUBLISH_SECONDS = 0.1  # how often a worker refreshes its count (connections also close)
RETRY_SECONDS = 0.1  # after accept() failed for want of file descriptors, memory, ...


def board_path(supervisor_pid: int) -> Path:
    """The board of the server whose supervisor (uvicorn's parent process) is that pid."""
    shm = Path("/dev/shm")
    folder = shm if shm.is_dir() and os.access(shm, os.W_OK) else Path(tempfile.gettempdir())
    return folder / f"embargo-accept-{supervisor_pid}"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class Board:
    """Open connection counts of one server's workers, one slot each, in a shared file."""

    def __init__(self, path: Path) -> None:
        self.pid = os.getpid()
        self._fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        if os.fstat(self._fd).st_size < SLOTS * SLOT.size:
            os.ftruncate(self._fd, SLOTS * SLOT.size)
        self._map = mmap.mmap(self._fd, SLOTS * SLOT.size)
        self.slot = self._claim()

    def _claim(self) -> int:
        """A free slot (or one of a dead worker's), taken under the file's lock."""
        fcntl.flock(self._fd, fcntl.LOCK_EX)
        try:
            for slot in range(SLOTS):
                pid, _ = SLOT.unpack_from(self._map, slot * SLOT.size)
                if pid in (0, self.pid) or not _alive(pid):
                    SLOT.pack_into(self._map, slot * SLOT.size, self.pid, 0)
                    return slot
        finally:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
        raise RuntimeError(f"more than {SLOTS} workers on one accept board")

    def publish(self, count: int) -> None:
        SLOT.pack_into(self._map, self.slot * SLOT.size, self.pid, count)

    def others(self) -> list[int]:
        """The open connection counts of the other live workers."""
        counts = []
        for slot in range(SLOTS):
            pid, count = SLOT.unpack_from(self._map, slot * SLOT.size)
            if pid not in (0, self.pid) and _alive(pid):
                counts.append(count)
        return counts

    def close(self) -> None:
        SLOT.pack_into(self._map, self.slot * SLOT.size, 0, 0)
        self._map.close()
        os.close(self._fd)


def should_defer(mine: int, others: list[int], waited: float) -> bool:
    """Whether a worker with ``mine`` open connections leaves a waiting one to the others."""
    return bool(others) and mine > min(others) and waited < MAX_DEFER_SECONDS


class Acceptor:
    """Accepts connections one at a time from a shared socket, deferring to idler workers."""

    def __init__(self, server: Server, sock: socket.socket, board: Board,
                 factory: Callable[[], asyncio.Protocol]) -> None:
        self.server, self.sock, self.board, self.factory = server, sock, board, factory
        self.loop = asyncio.get_running_loop()
        self._since: float | None = None  # when this worker first deferred the waiting one
        self._timer: asyncio.TimerHandle | None = None
        self._tasks: set[asyncio.Task[object]] = set()
        self._stopped = False

    def open_connections(self) -> int:
        return len(self.server.server_state.connections)

    def start(self, backlog: int) -> None:
        self.sock.listen(backlog)  # uvicorn's supervisor binds; each server listens
        self.sock.setblocking(False)
        self.loop.add_reader(self.sock.fileno(), self._ready)
        self._publish()

    def stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        if self._timer is not None:
            self._timer.cancel()
        self.board.close()
        if self.sock.fileno() >= 0:
            self.loop.remove_reader(self.sock.fileno())

    def _publish(self) -> None:
        if self._stopped:
            return
        self.board.publish(self.open_connections())
        self._timer = self.loop.call_later(PUBLISH_SECONDS, self._publish)

    def _ready(self) -> None:
        if self._stopped:
            return
        now, mine = self.loop.time(), self.open_connections()
        waited = 0.0 if self._since is None else now - self._since
        if should_defer(mine, self.board.others(), waited):
            self._since = now if self._since is None else self._since
            self.loop.remove_reader(self.sock.fileno())
            self.loop.call_later(DEFER_SECONDS, self._rearm)
            return
        self._since = None
        try:
            conn, _ = self.sock.accept()
        except (BlockingIOError, InterruptedError):
            return  # another worker took it
        except OSError as exc:  # out of file descriptors, ...: the next try may succeed
            if exc.errno == errno.EINVAL:  # the socket no longer listens: shutting down
                self.stop()
                return
            log.warning("accepting a connection failed: %s", exc)
            self.loop.remove_reader(self.sock.fileno())
            self.loop.call_later(RETRY_SECONDS, self._rearm)
            return
        self.board.publish(mine + 1)
        conn.setblocking(False)
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        task = self.loop.create_task(self.loop.connect_accepted_socket(self.factory, conn))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _rearm(self) -> None:
        if self._stopped:
            return
        if not select.select([self.sock], [], [], 0)[0]:
            self._since = None  # another worker took the waiting connection
        self.loop.add_reader(self.sock.fileno(), self._ready)


class BalancedServer(Server):
    """uvicorn's server, accepting from the shared socket through an :class:`Acceptor`."""

    _acceptors: list[Acceptor]

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        if not sockets or self.config.workers <= 1:
            await super().startup(sockets)
            return
        await super().startup([])  # the lifespan, and no listener of uvicorn's own
        config = self.config

        def factory() -> asyncio.Protocol:
            protocol: asyncio.Protocol = config.http_protocol_class(  # type: ignore[call-arg]
                config=config, server_state=self.server_state,
                app_state=self.lifespan.state)
            return protocol

        board = board_path(os.getppid())
        self._acceptors = [Acceptor(self, sock, Board(board), factory) for sock in sockets]
        for acceptor in self._acceptors:
            acceptor.start(config.backlog)

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        for acceptor in getattr(self, "_acceptors", []):
            with contextlib.suppress(OSError, ValueError):
                acceptor.stop()
        await super().shutdown(sockets)


class BalancedProcess(multiprocess.Process):
    """A uvicorn worker process whose server is a :class:`BalancedServer`."""

    @property
    def server(self) -> Server:
        if self._server is None:
            self._server = BalancedServer(config=self.config)
        return self._server
