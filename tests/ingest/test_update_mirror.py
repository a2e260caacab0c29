"""`update` against a misbehaving mirror on 127.0.0.1: digests, deadlines, holds, freezes.

Every refusal leaves the store exactly as it was (same snapshots, the log verifies); every
suspicious list is stored held, and the list in force does not change.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from embargo.cli import cli
from embargo.ingest.catalog import SourceConfig
from embargo.ingest.fetch import UpdateResult, digest_in, update_source
from embargo.store import Store
from mirror import Mirror, mirror, sha256, un_xml

pytestmark = pytest.mark.shared
XML = ("application/xml", "text/xml")
OLD, NEW = "consolidated_2025-04-19.xml", "consolidated_2026-02-27.xml"


@pytest.fixture(scope="module")
def files(lists_dir: Path) -> dict[str, bytes]:
    un = lists_dir / "un"
    return {"old": (un / OLD).read_bytes(), "new": (un / NEW).read_bytes(),
            "future": un_xml(un / NEW, generated="2099-12-31T00:00:00Z",
                             drop_refs=("QDi.001",)),
            "empty": un_xml(un / NEW, keep=0.0),
            "drop40": un_xml(un / NEW, generated="2026-03-01T00:00:00Z", keep=0.6,
                             drop_refs=("QDi.001",))}


@pytest.fixture(scope="module")
def site() -> Iterator[Mirror]:
    with mirror() as m:
        yield m


@pytest.fixture()
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(f"sqlite:///{tmp_path / 's.db'}") as opened:
        yield opened


def source(url: str, **extra: object) -> SourceConfig:
    return replace(SourceConfig("un", url, "un-xml", "consolidated.xml", XML), **extra)


def _update(store: Store, config: SourceConfig, timeout: float = 20) -> UpdateResult:
    return update_source(store, config, timeout=timeout, max_bytes=50 << 20)


def _baseline(store: Store, site: Mirror, files: dict[str, bytes]) -> int:
    result = _update(store, source(site.route("/base.xml", files["new"])))
    assert result.ok and not result.held, result.message
    return result.results[0].snapshot.id


def _unchanged(store: Store, before: int) -> None:
    assert [s.id for s in store.snapshots()] == [before]
    assert store.latest_snapshot("un").id == before  # type: ignore[union-attr]
    assert store.verify().ok


def test_good_download_with_publisher_hash_records_provenance(
        store: Store, site: Mirror, files: dict[str, bytes]) -> None:
    url = site.route("/good.xml", files["new"])
    hashes = site.hash_file("/good.sha256", {"other.xml": "ab" * 32,
                                             "consolidated.xml": sha256(files["new"])})
    result = _update(store, source(url, sha256_url=hashes))
    assert result.ok and "sha256 checked against " + hashes in result.message
    snapshot = result.results[0].snapshot
    provenance = store.provenance(snapshot.id)
    assert provenance["url"] == url and provenance["sha256"] == sha256(files["new"])
    assert provenance["expected_sha256"] == sha256(files["new"])
    assert provenance["files_sha256"] == {"consolidated.xml": sha256(files["new"])}
    assert provenance["fetched_at"] and store.verify().ok


@pytest.mark.parametrize("how", ["hash_file", "pinned", "no_hash_for_file", "hash_file_404"])
def test_wrong_digest_is_refused_and_changes_nothing(
        store: Store, site: Mirror, files: dict[str, bytes], how: str) -> None:
    before = _baseline(store, site, files)
    url = site.route(f"/tampered-{how}.xml", files["drop40"])
    extra: dict[str, object] = {
        "hash_file": {"sha256_url": site.hash_file(f"/h-{how}", {"consolidated.xml":
                                                                  sha256(files["new"])})},
        "pinned": {"sha256": sha256(files["new"])},
        "no_hash_for_file": {"sha256_url": site.hash_file(f"/h2-{how}", {"a.xml": "1" * 64,
                                                                         "b.xml": "2" * 64})},
        "hash_file_404": {"sha256_url": site.base + "/nothing.sha256"},
    }[how]
    result = _update(store, source(url, **extra))
    assert not result.ok
    expected = {"hash_file": "differs from the publisher's", "pinned": "(pinned): refused",
                "no_hash_for_file": "gives no SHA-256 for consolidated.xml",
                "hash_file_404": "HTTP 404 for the publisher's hash file"}[how]
    assert expected in result.message and f"kept snapshot #{before}" in result.message
    _unchanged(store, before)


@pytest.mark.parametrize("case,words", [
    ("truncated", "RemoteProtocolError"), ("empty", "empty download"),
    ("html", "unexpected content type 'text/html'"), ("missing", "HTTP 404"),
    ("error", "HTTP 503"),
])
def test_broken_downloads_keep_the_snapshot_in_force(
        store: Store, site: Mirror, files: dict[str, bytes], case: str, words: str) -> None:
    before = _baseline(store, site, files)
    body = files["drop40"]
    url = {
        "truncated": lambda: site.route("/cut.xml", body, cut=len(body) // 2),
        "empty": lambda: site.route("/empty.xml", b""),
        "html": lambda: site.route("/page", b"<html>maintenance</html>",
                                   content_type="text/html"),
        "missing": lambda: site.base + "/missing.xml",
        "error": lambda: site.route("/busy.xml", b"busy", status=503),
    }[case]()
    result = _update(store, source(url))
    assert not result.ok and words in result.message, result.message
    _unchanged(store, before)


def test_slow_drip_meets_the_whole_download_deadline(
        store: Store, site: Mirror, files: dict[str, bytes]) -> None:
    """One byte every 0.2 s never trips a per-read timeout; the deadline stops it."""
    before = _baseline(store, site, files)
    url = site.route("/drip.xml", files["new"][:400], drip=0.2)
    started = time.monotonic()
    result = _update(store, source(url), timeout=1.0)
    elapsed = time.monotonic() - started
    assert not result.ok and elapsed < 2.5, (elapsed, result.message)
    assert "timed out" in result.message and "deadline for the whole download" in result.message
    _unchanged(store, before)


def test_future_dated_list_is_refused(store: Store, site: Mirror,
                                      files: dict[str, bytes]) -> None:
    before = _baseline(store, site, files)
    result = _update(store, source(site.route("/future.xml", files["future"])))
    assert not result.ok and "2099-12-31" in result.message
    assert "refused, nothing was stored" in result.message
    _unchanged(store, before)
    assert store.entity_as_of("un:QDi.001").listed


@pytest.mark.parametrize("case,reason", [
    ("empty", "empty list: 0 entities read"),
    ("drop40", "removes "),
    ("old", "rollback: published 2025-04-19"),
])
def test_suspicious_lists_are_held(store: Store, site: Mirror, files: dict[str, bytes],
                                   case: str, reason: str) -> None:
    before = _baseline(store, site, files)
    result = _update(store, source(site.route(f"/{case}.xml", files[case])))
    assert result.ok and len(result.held) == 1 and "HELD" in result.message
    held = result.held[0]
    assert held.held is not None and reason in held.held
    assert store.latest_snapshot("un").id == before  # type: ignore[union-attr]
    assert store.entity_as_of("un:QDi.001").listed
    assert [s.id for s in store.held_snapshots()] == [held.snapshot.id]
    again = _update(store, source(site.route(f"/{case}-again.xml", files[case])))
    assert again.held and not again.results[0].created  # still held, not stored twice
    assert store.verify().ok


def test_stale_mirror_warns_of_a_freeze(store: Store, site: Mirror,
                                        files: dict[str, bytes]) -> None:
    _baseline(store, site, files)
    published = date(2026, 2, 27)
    age = (date.today() - published).days
    result = _update(store, source(site.route("/stale.xml", files["new"]),
                                   max_age_days=max(age - 1, 1)))
    assert result.ok and "unchanged" in result.message
    assert any("may be frozen" in w for w in result.warnings), result.warnings
    fresh = _update(store, source(site.route("/stale.xml", files["new"]), max_age_days=age + 1))
    assert fresh.warnings == []


def test_cli_exit_codes(tmp_path: Path, site: Mirror, files: dict[str, bytes]) -> None:
    """`update` exits 6 on a refused download, 7 on a held snapshot, 0 otherwise."""
    home = tmp_path / "home"
    sources = tmp_path / "sources.json"

    def run(body: bytes, **entry: object) -> tuple[int, str]:
        url = site.route(f"/cli-{len(body)}-{len(entry)}.xml", body)
        sources.write_text(json.dumps({"_only": True, "un": {"url": url, "kind": "un-xml",
                                                            **entry}}))
        result = CliRunner().invoke(cli, ["--home", str(home), "update"],
                                    env={"EMBARGO_SOURCES_FILE": str(sources)})
        return result.exit_code, result.output

    assert run(files["new"], sha256=sha256(files["new"]))[0] == 0
    code, out = run(files["drop40"], sha256=sha256(files["new"]))
    assert code == 6 and "differs from the publisher's" in out
    code, out = run(files["drop40"])
    assert code == 7 and "HELD" in out and "embargo release" in out
    listed = CliRunner().invoke(cli, ["--home", str(home), "lists", "--held", "--json"])
    assert [s["held"][:8] for s in json.loads(listed.output)] == ["removes "]
    provenance = json.loads(listed.output)[0]["provenance"]
    assert provenance["sha256"] == sha256(files["drop40"]) and provenance["url"].startswith(
        site.base) and provenance["digest_from"] == "none"


@pytest.mark.parametrize("text,expected", [
    ("SDN.XML  " + "a" * 64 + "\nCONS.XML " + "b" * 64, "a" * 64),
    ("c" * 64 + "\n", "c" * 64),
    ("sha256(other.xml)= " + "d" * 64 + "\nsdn.xml: " + "E" * 64, "e" * 64),
    ("a" * 64 + "\n" + "b" * 64, None),
    ("no digest here", None),
    ("x" * 65, None),
])
def test_digest_in_hash_files(text: str, expected: str | None) -> None:
    assert digest_in(text, "sdn.xml", "https://x/api/exports/SDN.XML") == expected


def test_freeze_warning_uses_the_cadence() -> None:
    from embargo.ingest.fetch import freeze_warning
    from embargo.store.types import Snapshot

    snap = Snapshot(1, "un", "un-xml", date(2026, 1, 1), None, "h", "1", 1, {}, None, ())  # type: ignore[arg-type]
    config = source("http://x", max_age_days=30)
    assert freeze_warning(config, snap, date(2026, 1, 31)) is None
    assert "31 days" in str(freeze_warning(config, snap, date(2026, 2, 1)))
    assert freeze_warning(replace(config, max_age_days=None), snap,
                          date(2026, 1, 1) + timedelta(days=999)) is None
