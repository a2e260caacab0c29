"""A signed export of the snapshot log is verified without the store; edits and wrong keys fail."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from embargo.cli import cli
from embargo.errors import UsageError, VerificationError
from embargo.model.entity import Entity
from embargo.store import Snapshot, Store
from embargo.store.attest import export_log, public_hex, verify_export

Add = Callable[..., Snapshot]


@pytest.fixture
def logged(store: Store, add: Add, ents: dict[str, Entity]) -> Store:
    add("2021-01-01", ents["A1"], ents["B1"])
    add("2021-02-01", ents["A2"], ents["B1"])
    return store


def _export(store: Store, key: Ed25519PrivateKey | None) -> dict[str, Any]:
    return json.loads(json.dumps(export_log(store.log_records(), key)))  # as read from disk


def test_signed_export_verifies_with_the_signers_key(logged: Store) -> None:
    key = Ed25519PrivateKey.generate()
    report = verify_export(_export(logged, key), key.public_key())
    assert report.ok and report.records == 2 and report.signed_by == public_hex(key.public_key())
    assert report.head == logged.verify().head


def test_wrong_key_edited_record_and_truncation_fail(logged: Store) -> None:
    key, other = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    data = _export(logged, key)
    assert "signature does not match" in verify_export(data, other.public_key()).problems[0]
    edited = json.loads(json.dumps(data))
    edited["log"][0]["body"]["members"] = 1
    assert "log record #1: digest does not match" in verify_export(
        edited, key.public_key()).problems[0]
    cut = json.loads(json.dumps(data))
    cut["log"].pop()
    assert "the statement names head" in verify_export(cut, key.public_key()).problems[0]
    resigned = export_log(logged.log_records()[:1], other)  # a shorter log, re-signed by another
    assert not verify_export(json.loads(json.dumps(resigned)), key.public_key()).ok


def test_unsigned_export(logged: Store) -> None:
    data = _export(logged, None)
    report = verify_export(data, None)
    assert report.ok and report.signed_by is None and "not signed" in report.notes[0]
    assert not verify_export(data, Ed25519PrivateKey.generate().public_key()).ok
    with pytest.raises(UsageError, match="not an Embargo log export"):
        verify_export({"format": "other"}, None)


def test_cli_round_trip(logged: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EMBARGO_DATABASE_URL", str(logged.engine.url.render_as_string(
        hide_password=False)))
    key = Ed25519PrivateKey.generate()
    pem = tmp_path / "key.pem"
    pem.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                      serialization.PrivateFormat.PKCS8,
                                      serialization.NoEncryption()))
    out = tmp_path / "log.json"
    home = ["--home", str(tmp_path / "home")]
    written = CliRunner().invoke(cli, [*home, "verify", "--write-export", str(out),
                                       "--sign-key", str(pem)])
    assert written.exit_code == 0, written.output
    public = public_hex(key.public_key())
    checked = CliRunner().invoke(cli, [*home, "verify", "--export", str(out),
                                       "--public-key", public])
    assert checked.exit_code == 0 and f"signed by {public}" in checked.output
    data = json.loads(out.read_text())
    data["head"] = "0" * 64
    out.write_text(json.dumps(data))
    failed = CliRunner().invoke(cli, [*home, "verify", "--export", str(out),
                                      "--public-key", public])
    assert isinstance(failed.exception, VerificationError)
