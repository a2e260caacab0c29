"""`embargo update` against a local HTTP server on 127.0.0.1 serving the shared files."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from embargo.ingest.catalog import SourceConfig, load_sources
from embargo.ingest.fetch import update_source
from embargo.store import Store

pytestmark = pytest.mark.shared
XML = ("application/xml", "text/xml")


class Handler(BaseHTTPRequestHandler):
    files: ClassVar[dict[str, Path]] = {}

    def log_message(self, *args: object) -> None:  # keep test output quiet
        pass

    def do_GET(self) -> None:
        name = self.path.strip("/")
        if name == "slow":
            time.sleep(3)
        if name == "html":
            self._send(b"<html>maintenance</html>", "text/html")
        elif name == "truncated":
            body = self.files["un"].read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", "application/xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
        elif name == "broken":
            self._send(self.files["un"].read_bytes()[:50000], "application/xml")
        elif name in self.files:
            self._send(self.files[name].read_bytes(), "application/xml")
        else:
            self.send_error(404)

    def _send(self, body: bytes, ctype: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def server(lists_dir: Path) -> Iterator[str]:
    Handler.files = {
        "un": lists_dir / "un" / "consolidated_2025-04-19.xml",
        "un-new": lists_dir / "un" / "consolidated_2026-02-27.xml",
        "slow": lists_dir / "un" / "consolidated_2026-02-27.xml",
    }
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture()
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(f"sqlite:///{tmp_path / 's.db'}") as store:
        yield store


def config(server: str, path: str) -> SourceConfig:
    return SourceConfig("un", f"{server}/{path}", "un-xml", "consolidated.xml", XML)


def test_update_imports_then_keeps_on_failure(server: str, store: Store) -> None:
    first = update_source(store, config(server, "un"), timeout=10, max_bytes=50 << 20)
    assert first.ok and first.results[0].created
    kept = store.latest_snapshot("un")
    assert kept is not None and kept.entity_count == 684 + 193
    again = update_source(store, config(server, "un"), timeout=10, max_bytes=50 << 20)
    assert again.ok and not again.results[0].created and "unchanged" in again.message
    for path, words in (("truncated", "truncated"), ("html", "content type"),
                        ("missing", "HTTP 404"), ("broken", "malformed XML"),
                        ("slow", "timed out")):
        result = update_source(store, config(server, path), timeout=1, max_bytes=50 << 20)
        assert not result.ok, path
        assert words in result.message, (path, result.message)
        assert result.kept == kept and f"kept snapshot #{kept.id}" in result.message
        assert store.snapshots() == [kept]


def test_update_new_release(server: str, store: Store) -> None:
    update_source(store, config(server, "un"), timeout=10, max_bytes=50 << 20)
    result = update_source(store, config(server, "un-new"), timeout=10, max_bytes=50 << 20)
    assert result.ok and result.results[0].created
    assert [s.published.isoformat() for s in store.snapshots("un")] == ["2025-04-19", "2026-02-27"]


def test_size_limit(server: str, store: Store) -> None:
    result = update_source(store, config(server, "un"), timeout=10, max_bytes=1000)
    assert not result.ok and "larger than 1000 bytes" in result.message


def test_sources_file(tmp_path: Path) -> None:
    path = tmp_path / "sources.json"
    path.write_text(json.dumps({"un": {"url": "http://127.0.0.1:1/un.xml"},
                                "mine": {"url": "http://127.0.0.1:1/x", "kind": "bis-dpl"}}))
    sources = load_sources(path)
    assert sources["un"].url == "http://127.0.0.1:1/un.xml" and sources["un"].kind == "un-xml"
    assert sources["mine"].kind == "bis-dpl" and "ofac-sdn" in sources
