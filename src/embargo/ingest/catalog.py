"""The official lists ``embargo update`` fetches, and where from.

The defaults are the publishers' own download addresses. A JSON file named by
``EMBARGO_SOURCES_FILE`` replaces or adds entries, e.g. to use a mirror:
``{"un": {"url": "https://mirror.example/un.xml", "kind": "un-xml"}}``.
"""

from __future__ import annotations

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


_XML = ("application/xml", "text/xml", "application/octet-stream", "binary/octet-stream")
_TEXT = ("text/csv", "text/plain", "application/csv", "application/octet-stream",
         "binary/octet-stream", "application/vnd.ms-excel")
_JSON = ("application/json", "application/x-ndjson", "text/plain", "application/octet-stream")

DEFAULT_SOURCES: dict[str, SourceConfig] = {
    s.name: s
    for s in (
        SourceConfig("ofac-sdn", "https://sanctionslistservice.ofac.treas.gov/api/"
                     "PublicationPreview/exports/SDN.XML", "ofac-xml", "SDN.XML", _XML),
        SourceConfig("ofac-cons", "https://sanctionslistservice.ofac.treas.gov/api/"
                     "PublicationPreview/exports/CONSOLIDATED.XML", "ofac-xml",
                     "consolidated.xml", _XML),
        SourceConfig("un", "https://scsanctions.un.org/resources/xml/en/consolidated.xml",
                     "un-xml", "consolidated.xml", _XML),
        SourceConfig("eu", "https://webgate.ec.europa.eu/fsd/fsf/public/files/"
                     "xmlFullSanctionsList_1_1/content?token=dG9rZW4tMjAxNw",
                     "eu-fsf-xml", "eu_fsf.xml", _XML),
        SourceConfig("uk-ofsi", "https://ofsistorage.blob.core.windows.net/publishlive/"
                     "2022format/ConList.csv", "uk-ofsi-csv", "ConList.csv", _TEXT),
        SourceConfig("uk-fcdo", "https://sanctionslist.fcdo.gov.uk/docs/UK-Sanctions-List.xml",
                     "uk-fcdo-xml", "UK-Sanctions-List.xml", _XML),
        SourceConfig("bis-dpl", "https://www.bis.doc.gov/dpl/dpl.txt", "bis-dpl", "dpl.txt",
                     _TEXT),
    )
}


def _entry(name: str, data: object, base: SourceConfig | None) -> SourceConfig:
    if not isinstance(data, dict) or not isinstance(data.get("url", base and base.url), str):
        raise ConfigError(f"sources file: entry {name!r} needs a \"url\" string")
    kind = data.get("kind") or (base.kind if base else None)
    if not kind:
        raise ConfigError(f"sources file: entry {name!r} needs a \"kind\" (parser kind)")
    filename = data.get("filename") or (base.filename if base else f"{name}.dat")
    types = tuple(data.get("content_types") or (base.content_types if base else _XML + _TEXT))
    return SourceConfig(name, data.get("url") or base.url, kind, filename, types)  # type: ignore[union-attr]


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
