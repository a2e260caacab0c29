"""The official lists ``embargo update`` fetches, and where from.

The defaults are the publishers' own download addresses. A JSON file named by
``EMBARGO_SOURCES_FILE`` replaces or adds entries, e.g. to use a mirror:
``{"un": {"url": "https://mirror.example/un.xml", "kind": "un-xml"}}``. An entry may pin the
file's digest (``"sha256": "<hex>"``) or name where its publisher publishes it
(``"sha256_url"``); ``"max_age_days"`` is how long the list may stay unchanged before
``update`` warns of a freeze.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import orjson

from embargo.errors import ConfigError


@dataclass(frozen=True, slots=True)
class SourceConfig:
    name: str  # the list name in the store
    url: str
    kind: str  # the parser kind
    filename: str  # how the download is saved (its suffix matters for unpacking)
    content_types: tuple[str, ...]  # acceptable media types (prefix match)
    sha256: str | None = None  # a pinned digest of the file
    sha256_url: str | None = None  # where the publisher publishes the file's SHA-256
    max_age_days: int | None = None  # expected cadence: unchanged for longer is a warning


_XML = ("application/xml", "text/xml", "application/octet-stream", "binary/octet-stream")
_TEXT = ("text/csv", "text/plain", "application/csv", "application/octet-stream",
         "binary/octet-stream", "application/vnd.ms-excel")
_JSON = ("application/json", "application/x-ndjson", "text/plain", "application/octet-stream")

_OFAC = "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/"
# OFAC's "Hash Values for List Content Assurance": SHA-256 (and -384, -512) of each file
OFAC_HASHES = _OFAC + "SHA256.TXT"

DEFAULT_SOURCES: dict[str, SourceConfig] = {
    s.name: s
    for s in (
        SourceConfig("ofac-sdn", _OFAC + "SDN.XML", "ofac-xml", "SDN.XML", _XML,
                     sha256_url=OFAC_HASHES, max_age_days=14),
        SourceConfig("ofac-cons", _OFAC + "CONSOLIDATED.XML", "ofac-xml", "consolidated.xml",
                     _XML, sha256_url=OFAC_HASHES, max_age_days=60),
        SourceConfig("un", "https://scsanctions.un.org/resources/xml/en/consolidated.xml",
                     "un-xml", "consolidated.xml", _XML, max_age_days=60),
        SourceConfig("eu", "https://webgate.ec.europa.eu/fsd/fsf/public/files/"
                     "xmlFullSanctionsList_1_1/content?token=dG9rZW4tMjAxNw",
                     "eu-fsf-xml", "eu_fsf.xml", _XML, max_age_days=30),
        SourceConfig("uk-ofsi", "https://ofsistorage.blob.core.windows.net/publishlive/"
                     "2022format/ConList.csv", "uk-ofsi-csv", "ConList.csv", _TEXT,
                     max_age_days=30),
        SourceConfig("uk-fcdo", "https://sanctionslist.fcdo.gov.uk/docs/UK-Sanctions-List.xml",
                     "uk-fcdo-xml", "UK-Sanctions-List.xml", _XML, max_age_days=30),
        SourceConfig("bis-dpl", "https://www.bis.doc.gov/dpl/dpl.txt", "bis-dpl", "dpl.txt",
                     _TEXT, max_age_days=90),
    )
}
_HEX64 = re.compile(r"[0-9a-fA-F]{64}")


def _entry(name: str, data: object, base: SourceConfig | None) -> SourceConfig:
    if not isinstance(data, dict) or not isinstance(data.get("url", base and base.url), str):
        raise ConfigError(f"sources file: entry {name!r} needs a \"url\" string")
    kind = data.get("kind") or (base.kind if base else None)
    if not kind:
        raise ConfigError(f"sources file: entry {name!r} needs a \"kind\" (parser kind)")
    filename = data.get("filename") or (base.filename if base else f"{name}.dat")
    types = tuple(data.get("content_types") or (base.content_types if base else _XML + _TEXT))
    url = data.get("url") or base.url  # type: ignore[union-attr]
    pinned, hash_url = _digests(name, data, base)
    age = data.get("max_age_days", base.max_age_days if base else None)
    if age is not None and (not isinstance(age, int) or isinstance(age, bool) or age < 1):
        raise ConfigError(f"sources file: entry {name!r}: \"max_age_days\" must be a "
                          "positive whole number of days")
    return SourceConfig(name, url, kind, filename, types, pinned, hash_url, age)


def _digests(name: str, data: dict[str, object],
             base: SourceConfig | None) -> tuple[str | None, str | None]:
    """(pinned SHA-256, hash file URL) of an entry (a mirror keeps the publisher's hashes)."""
    pinned = data.get("sha256")
    if pinned is not None and (not isinstance(pinned, str) or not _HEX64.fullmatch(pinned)):
        raise ConfigError(f"sources file: entry {name!r}: \"sha256\" must be 64 hex digits")
    hash_url = data.get("sha256_url", base.sha256_url if base else None)
    if hash_url is not None and not isinstance(hash_url, str):
        raise ConfigError(f"sources file: entry {name!r}: \"sha256_url\" must be a URL")
    return (pinned.lower() if pinned else None), hash_url


def load_sources(path: Path | None) -> dict[str, SourceConfig]:
    """The default sources, with the entries of the sources file laid over them."""
    sources = dict(DEFAULT_SOURCES)
    if path is None:
        return sources
    try:
        data = orjson.loads(path.read_bytes())
    except (OSError, orjson.JSONDecodeError) as exc:
        raise ConfigError(f"sources file {path}: {exc}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"sources file {path}: expected a JSON object of sources")
    if data.pop("_only", False):
        sources = {}
    for name, entry in data.items():
        sources[name] = _entry(name, entry, DEFAULT_SOURCES.get(name))
    return sources
