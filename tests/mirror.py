"""A misbehaving mirror on 127.0.0.1 for `update` tests: each path serves one behaviour.

``Mirror.route(path, body, ...)`` sets what a path answers: a status, a content type, a
body dripped one byte at a time, a body cut short of its announced length, or nothing.
``Mirror.hash_file(path, {name: digest})`` publishes SHA-256 lines the way a publisher does.
Shared by the verified-lists and the hostile-input tests.
"""

from __future__ import annotations

import hashlib
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

XML = "application/xml"


@dataclass(frozen=True)
class Route:
    body: bytes
    content_type: str = XML
    status: int = 200
    drip: float = 0.0  # seconds between single bytes (a slow mirror)
    cut: int | None = None  # send only this many bytes of the announced length


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, *args: Any) -> None:  # keep test output quiet
        pass

    def do_GET(self) -> None:
        route = self.server.routes.get(self.path.split("?")[0])
        if route is None:
            self.send_error(404)
            return
        self.send_response(route.status)
        self.send_header("Content-Type", route.content_type)
        self.send_header("Content-Length", str(len(route.body)))
        self.end_headers()
        body = route.body if route.cut is None else route.body[:route.cut]
        try:
            self._write(body, route.drip)
        except (BrokenPipeError, ConnectionResetError):
            return
        if route.cut is not None:
            self.close_connection = True

    def _write(self, body: bytes, drip: float) -> None:
        if not drip:
            self.wfile.write(body)
            return
        for i in range(len(body)):
            self.wfile.write(body[i:i + 1])
            self.wfile.flush()
            time.sleep(drip)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    routes: dict[str, Route]


class Mirror:
    def __init__(self, server: _Server) -> None:
        self._server = server
        self.base = f"http://127.0.0.1:{server.server_address[1]}"

    def route(self, path: str, body: bytes, **options: Any) -> str:
        """Serve ``body`` at ``path``; its URL."""
        self._server.routes[path] = Route(body, **options)
        return self.base + path

    def hash_file(self, path: str, digests: dict[str, str]) -> str:
        lines = [f"SHA-256 {name}: {digest}" for name, digest in digests.items()]
        return self.route(path, ("\n".join(lines) + "\n").encode(), content_type="text/plain")


@contextmanager
def mirror() -> Iterator[Mirror]:
    server = _Server(("127.0.0.1", 0), _Handler)
    server.routes = {}
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Mirror(server)
    finally:
        server.shutdown()
        server.server_close()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


_UN_ENTRY = re.compile(rb"<(INDIVIDUAL|ENTITY)>.*?</\1>\s*", re.S)


def un_xml(path: Path, *, generated: str | None = None, keep: float = 1.0,
           drop_refs: tuple[str, ...] = ()) -> bytes:
    """A real UN list file, changed: its ``dateGenerated``, the share of entries kept
    (every entry whose position falls outside ``keep`` is removed) and named entries."""
    data = path.read_bytes()
    if generated is not None:
        data = re.sub(rb'dateGenerated="[^"]*"', f'dateGenerated="{generated}"'.encode(),
                      data, count=1)
    counter = iter(range(1 << 30))

    def choose(match: re.Match[bytes]) -> bytes:
        index = next(counter)
        if any(f"<REFERENCE_NUMBER>{ref}<".encode() in match[0] for ref in drop_refs):
            return b""
        return match[0] if (index % 100) < keep * 100 else b""

    return _UN_ENTRY.sub(choose, data)
