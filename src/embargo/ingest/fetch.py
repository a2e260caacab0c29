"""``embargo update``: download each configured list, verify it, import it.

A download that fails, times out, is truncated, has the wrong content type or
does not parse fully leaves the snapshot in force untouched, and says so.
"""

from __future__ import annotations

import logging
import tempfile
from dataclasses import dataclass
from pathlib import Path

import httpx

from embargo.errors import EmbargoError, FetchError
from embargo.ingest.catalog import SourceConfig
from embargo.ingest.importer import ImportResult, import_path
from embargo.store import Snapshot, Store

log = logging.getLogger(__name__)
USER_AGENT = "embargo-sanctions-screening (+https://github.com/embargo)"


@dataclass(slots=True)
class UpdateResult:
    source: str
    ok: bool
    message: str
    results: list[ImportResult]
    kept: Snapshot | None = None  # the snapshot left in force after a failure


def _check_type(config: SourceConfig, response: httpx.Response) -> None:
    media = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if media and not any(media.startswith(t) for t in config.content_types):
        raise FetchError(f"{config.url}: unexpected content type {media!r}")


def download(config: SourceConfig, dest: Path, timeout: float, max_bytes: int) -> int:
    """Stream ``config.url`` into ``dest``; returns the byte count. Raises FetchError."""
    try:
        with httpx.stream("GET", config.url, timeout=timeout, follow_redirects=True,
                          headers={"User-Agent": USER_AGENT}) as response:
            if response.status_code != 200:
                raise FetchError(f"{config.url}: HTTP {response.status_code}")
            _check_type(config, response)
            expected = response.headers.get("content-length")
            size = _write_body(config, response, dest, max_bytes)
            raw_size = response.num_bytes_downloaded
    except httpx.TimeoutException:
        raise FetchError(f"{config.url}: timed out after {timeout:g} s") from None
    except httpx.HTTPError as exc:
        raise FetchError(f"{config.url}: {type(exc).__name__}: {exc}") from None
    if expected is not None and expected.isdigit() and int(expected) != raw_size:
        raise FetchError(f"{config.url}: truncated download ({raw_size} of {expected} bytes)")
    if size == 0:
        raise FetchError(f"{config.url}: empty download")
    return size


def _write_body(config: SourceConfig, response: httpx.Response, dest: Path,
                max_bytes: int) -> int:
    size = 0
    with dest.open("wb") as fh:
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > max_bytes:
                raise FetchError(f"{config.url}: larger than {max_bytes} bytes; refused")
            fh.write(chunk)
    return size


def update_source(store: Store, config: SourceConfig, timeout: float,
                  max_bytes: int) -> UpdateResult:
    """Fetch and import one list; on any failure the old snapshot stays in force."""
    with tempfile.TemporaryDirectory(prefix="embargo-fetch-") as tmp:
        dest = Path(tmp) / config.filename
        try:
            size = download(config, dest, timeout, max_bytes)
            results = import_path(store, dest, kind=config.kind, max_bytes=max_bytes)
        except EmbargoError as exc:
            kept = store.latest_snapshot(config.name)
            note = f"kept snapshot #{kept.id} of {kept.published}" if kept else "no snapshot yet"
            log.warning("update of %s failed: %s (%s)", config.name, exc.message, note)
            return UpdateResult(config.name, False, f"{exc.message} ({note})", [], kept)
    created = sum(r.created for r in results)
    message = f"{size} bytes; " + ("new snapshot" if created else "unchanged")
    return UpdateResult(config.name, True, message, results)
