"""A signed export of the snapshot log, which someone without the store can verify.

``embargo verify --write-export FILE --sign-key KEY.pem`` verifies the store, then writes
every log record (each snapshot's row, content digest, hold and provenance; each release)
and a statement naming the chain head, signed with an Ed25519 key. ``embargo verify
--export FILE --public-key KEY`` checks, with no store: the chain of the records, that the
statement names its head and length, and the signature against the key given. A third
party holding the same list files can then re-import them and compare content digests.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from embargo.errors import UsageError
from embargo.store import ledger
from embargo.store.verify import check_chain

FORMAT = "embargo-snapshot-log/1"


@dataclass(slots=True)
class ExportReport:
    records: int = 0
    head: str = ledger.GENESIS
    signed_by: str | None = None  # the public key (hex) the signature was checked with
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "records": self.records, "head": self.head,
                "signed_by": self.signed_by, "problems": self.problems, "notes": self.notes}


def load_private_key(path: Path) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as exc:
        raise UsageError(f"{path}: not a readable, unencrypted PEM private key ({exc})") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise UsageError(f"{path}: not an Ed25519 key (make one with "
                         "`openssl genpkey -algorithm ed25519 -out key.pem`)")
    return key


def load_public_key(value: str) -> Ed25519PublicKey:
    """A public key: 64 hex digits (raw Ed25519) or the path of a PEM file."""
    text = value.strip()
    try:
        if len(text) == 64 and all(c in "0123456789abcdefABCDEF" for c in text):
            return Ed25519PublicKey.from_public_bytes(bytes.fromhex(text))
        key = serialization.load_pem_public_key(Path(text).read_bytes())
    except (OSError, ValueError) as exc:
        raise UsageError(f"{value}: not an Ed25519 public key (hex or PEM file): {exc}") from None
    if not isinstance(key, Ed25519PublicKey):
        raise UsageError(f"{value}: not an Ed25519 public key")
    return key


def public_hex(key: Ed25519PublicKey) -> str:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw).hex()


def _statement(data: dict[str, Any]) -> bytes:
    return ledger.canonical({k: data.get(k) for k in ("format", "head", "records",
                                                      "exported_at")})


def export_log(records: list[ledger.LogRecord],
               key: Ed25519PrivateKey | None = None) -> dict[str, Any]:
    """The export of ``records``, signed with ``key`` when given."""
    data: dict[str, Any] = {
        "format": FORMAT, "head": records[-1].digest if records else ledger.GENESIS,
        "records": len(records),
        "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "log": [{"seq": r.seq, "event": r.event, "snapshot_id": r.snapshot_id,
                 "body": r.body, "prev_digest": r.prev_digest, "digest": r.digest}
                for r in records],
    }
    if key is not None:
        data["public_key"] = public_hex(key.public_key())
        data["signature"] = key.sign(_statement(data)).hex()
    return data


def _records(data: dict[str, Any]) -> list[ledger.LogRecord]:
    try:
        return [ledger.LogRecord(int(r["seq"]), str(r["event"]), int(r["snapshot_id"]),
                                 dict(r["body"]), str(r["prev_digest"]), str(r["digest"]))
                for r in data["log"]]
    except (KeyError, TypeError, ValueError) as exc:
        raise UsageError(f"not an Embargo log export: {type(exc).__name__}: {exc}") from None


def verify_export(data: Any, public_key: Ed25519PublicKey | None) -> ExportReport:
    """Check an export's chain, its statement and its signature."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise UsageError(f"not an Embargo log export (expected format {FORMAT})")
    records = _records(data)
    report = ExportReport(records=len(records),
                          head=records[-1].digest if records else ledger.GENESIS)
    report.problems.extend(check_chain(records))
    if (data.get("head"), data.get("records")) != (report.head, report.records):
        report.problems.append(f"the statement names head {data.get('head')} of "
                               f"{data.get('records')} records; the log ends at "
                               f"{report.head} after {report.records}")
    _check_signature(data, public_key, report)
    return report


def _check_signature(data: dict[str, Any], public_key: Ed25519PublicKey | None,
                     report: ExportReport) -> None:
    signature = data.get("signature")
    if not signature:
        report.notes.append("the export is not signed: it proves its own consistency only")
        if public_key is not None:
            report.problems.append("a public key was given but the export is not signed")
        return
    if public_key is None:
        public_key = load_public_key(str(data.get("public_key", "")))
        report.notes.append("checked with the key inside the export: pass --public-key to "
                            "check who signed it")
    try:
        public_key.verify(bytes.fromhex(str(signature)), _statement(data))
    except (InvalidSignature, ValueError):
        report.problems.append("the signature does not match the statement and key "
                               f"{public_hex(public_key)}")
        return
    report.signed_by = public_hex(public_key)
