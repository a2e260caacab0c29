"""``embargo update``: download each configured list, verify it, import it.

A download that fails, misses its deadline, is truncated, has the wrong content type, does
not match the publisher's SHA-256 (a pinned ``sha256`` or the publisher's ``sha256_url``)
or does not parse fully leaves the snapshot in force untouched, and says so. The timeout
(``EMBARGO_FETCH_TIMEOUT``) is a deadline for the whole download, hash file included, not
for each read. A list that arrives but looks wrong (empty, a large drop, a rollback) is
stored held (see :mod:`embargo.ingest.policy`); one unchanged for longer than its expected
cadence is reported as a possible freeze.
"""

from __future__ import annotations

import hashlib
import logging
import re
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TypeVar

import httpx

from embargo.errors import DigestMismatchError, EmbargoError, FetchError
from embargo.ingest.catalog import SourceConfig
from embargo.ingest.importer import ImportResult, import_path
from embargo.ingest.policy import HoldPolicy
from embargo.store import Snapshot, Store

log = logging.getLogger(__name__)
USER_AGENT = "embargo-sanctions-screening (+https://github.com/embargo)"
HASH_FILE_BYTES = 1 << 20  # a hash file larger than this is not a hash file
_HEX64 = re.compile(r"(?<![0-9a-fA-F])[0-9a-fA-F]{64}(?![0-9a-fA-F])")
T = TypeVar("T")


@dataclass(slots=True)
class UpdateResult:
    source: str
    ok: bool
    message: str
    results: list[ImportResult]
    kept: Snapshot | None = None  # the snapshot left in force after a failure
    warnings: list[str] = field(default_factory=list)

    @property
    def held(self) -> list[ImportResult]:
        return [r for r in self.results if r.held]


@dataclass(frozen=True, slots=True)
class Download:
    size: int
    sha256: str
    expected: str | None  # the digest it was checked against
    digest_from: str  # "pinned", the hash file's URL, or "none"
    fetched_at: datetime

    def provenance(self, url: str) -> dict[str, Any]:
        return {"origin": "update", "url": url, "sha256": self.sha256, "bytes": self.size,
                "expected_sha256": self.expected, "digest_from": self.digest_from,
                "fetched_at": self.fetched_at.isoformat(timespec="seconds")}


class _Cancelled(Exception):
    pass


def _check_type(config: SourceConfig, response: httpx.Response) -> None:
    media = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if media and not any(media.startswith(t) for t in config.content_types):
        raise FetchError(f"{config.url}: unexpected content type {media!r}")


def within(timeout: float, url: str, work: Callable[[httpx.Client, threading.Event], T]) -> T:
    """Run ``work`` with a client; give up when ``timeout`` seconds have passed in all.

    The work runs in a thread so that the deadline holds however the server drips its
    bytes; on expiry the client is closed and the thread told to stop at its next read.
    """
    client = httpx.Client(timeout=timeout, follow_redirects=True,
                          headers={"User-Agent": USER_AGENT})
    cancel = threading.Event()
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["value"] = work(client, cancel)
        except BaseException as exc:  # handed to the caller below
            box["error"] = exc

    started = time.monotonic()
    thread = threading.Thread(target=run, name="embargo-fetch", daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        cancel.set()
        client.close()
        raise FetchError(f"{url}: timed out: not finished after {time.monotonic() - started:.1f} s;"
                         f" EMBARGO_FETCH_TIMEOUT={timeout:g} s is the deadline for the whole "
                         "download; stopped", timeout=timeout)
    client.close()
    if "error" in box:
        raise _as_fetch_error(url, timeout, box["error"])
    return box["value"]  # type: ignore[no-any-return]


def _as_fetch_error(url: str, timeout: float, exc: BaseException) -> BaseException:
    if isinstance(exc, EmbargoError):
        return exc
    if isinstance(exc, httpx.TimeoutException):
        return FetchError(f"{url}: no answer within {timeout:g} s (EMBARGO_FETCH_TIMEOUT)")
    if isinstance(exc, httpx.HTTPError | _Cancelled):
        return FetchError(f"{url}: {type(exc).__name__}: {exc}")
    return exc


def _stream_to(client: httpx.Client, cancel: threading.Event, config: SourceConfig,
               dest: Path, max_bytes: int) -> tuple[int, str]:
    """Stream the list into ``dest``: (bytes, SHA-256 of them)."""
    with client.stream("GET", config.url) as response:
        if response.status_code != 200:
            raise FetchError(f"{config.url}: HTTP {response.status_code}")
        _check_type(config, response)
        expected = response.headers.get("content-length")
        size, digest = _write_body(config.url, response, dest, max_bytes, cancel)
        raw_size = response.num_bytes_downloaded
    if expected is not None and expected.isdigit() and int(expected) != raw_size:
        raise FetchError(f"{config.url}: truncated download ({raw_size} of {expected} bytes)")
    if size == 0:
        raise FetchError(f"{config.url}: empty download")
    return size, digest


def _write_body(url: str, response: httpx.Response, dest: Path, max_bytes: int,
                cancel: threading.Event) -> tuple[int, str]:
    size, digest = 0, hashlib.sha256()
    with dest.open("wb") as fh:
        for chunk in response.iter_bytes():
            if cancel.is_set():
                raise _Cancelled("deadline passed")
            size += len(chunk)
            if size > max_bytes:
                raise FetchError(f"{url}: larger than {max_bytes} bytes; refused")
            digest.update(chunk)
            fh.write(chunk)
    return size, digest.hexdigest()


def digest_in(text: str, filename: str, url: str) -> str | None:
    """The SHA-256 a hash file gives for ``filename``: the one on a line naming the file,
    else the only one in the file."""
    lines = [line for line in text.splitlines() if _HEX64.search(line)]
    names = {filename.lower(), url.rsplit("/", 1)[-1].split("?")[0].lower()}
    for line in lines:
        if any(name and name in line.lower() for name in names):
            return str(_HEX64.findall(line)[0]).lower()
    found = {h.lower() for line in lines for h in _HEX64.findall(line)}
    return found.pop() if len(found) == 1 else None


def _hash_file(client: httpx.Client, config: SourceConfig) -> str:
    url = str(config.sha256_url)
    response = client.get(url)
    if response.status_code != 200:
        raise FetchError(f"{url}: HTTP {response.status_code} for the publisher's hash file; "
                         f"{config.name} cannot be verified, so it is not imported")
    if len(response.content) > HASH_FILE_BYTES:
        raise FetchError(f"{url}: hash file over {HASH_FILE_BYTES} bytes; refused")
    found = digest_in(response.content.decode("utf-8", "replace"), config.filename, config.url)
    if found is None:
        raise FetchError(f"{url}: the hash file gives no SHA-256 for {config.filename}")
    return found


def download(config: SourceConfig, dest: Path, timeout: float, max_bytes: int) -> Download:
    """Download ``config.url`` into ``dest`` and check its digest. Raises FetchError."""
    fetched_at = datetime.now(UTC)

    def work(client: httpx.Client, cancel: threading.Event) -> Download:
        expected, source = config.sha256, "pinned" if config.sha256 else "none"
        if expected is None and config.sha256_url:
            expected, source = _hash_file(client, config), config.sha256_url
        size, digest = _stream_to(client, cancel, config, dest, max_bytes)
        return Download(size, digest, expected, source, fetched_at)

    got = within(timeout, config.url, work)
    if got.expected is not None and got.expected != got.sha256:
        raise DigestMismatchError(
            f"{config.url}: SHA-256 {got.sha256} differs from the publisher's {got.expected} "
            f"({got.digest_from}): refused", url=config.url, sha256=got.sha256,
            expected=got.expected)
    return got


def freeze_warning(config: SourceConfig, in_force: Snapshot | None,
                   today: date | None = None) -> str | None:
    """A warning when the list in force is older than its expected cadence."""
    if config.max_age_days is None or in_force is None:
        return None
    age = ((today or date.today()) - in_force.published).days
    if age <= config.max_age_days:
        return None
    return (f"{config.name} has not changed since {in_force.published} ({age} days; expected "
            f"at least every {config.max_age_days} days): the publisher or mirror may be "
            "frozen")


def update_source(store: Store, config: SourceConfig, timeout: float, max_bytes: int,
                  policy: HoldPolicy | None = None) -> UpdateResult:
    """Fetch and import one list; on any failure the old snapshot stays in force."""
    with tempfile.TemporaryDirectory(prefix="embargo-fetch-") as tmp:
        dest = Path(tmp) / config.filename
        try:
            got = download(config, dest, timeout, max_bytes)
            results = import_path(store, dest, kind=config.kind, max_bytes=max_bytes,
                                  policy=policy, provenance=got.provenance(config.url))
        except EmbargoError as exc:
            kept = store.latest_snapshot(config.name)
            note = f"kept snapshot #{kept.id} of {kept.published}" if kept else "no snapshot yet"
            log.warning("update of %s failed: %s (%s)", config.name, exc.message, note)
            return UpdateResult(config.name, False, f"{exc.message} ({note})", [], kept)
    return _result(store, config, got, results)


def _result(store: Store, config: SourceConfig, got: Download,
            results: list[ImportResult]) -> UpdateResult:
    held = [r for r in results if r.held]
    created = sum(r.created for r in results)
    state = "new snapshot" if created else "unchanged"
    if held:
        state = f"{state}, HELD (not in force): {held[0].held}"
    checked = f"sha256 checked against {got.digest_from}" if got.expected else "no sha256 to check"
    message = f"{got.size} bytes, {checked}; {state}"
    warnings = []
    frozen = freeze_warning(config, store.latest_snapshot(config.name))
    if frozen:
        log.warning("%s", frozen)
        warnings.append(frozen)
    return UpdateResult(config.name, True, message, results, warnings=warnings)
