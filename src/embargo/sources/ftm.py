"""OpenSanctions / FollowTheMoney files: ``entities.ftm.json`` and delta folders.

A release folder holds ``entities.ftm.json`` (one FtM entity per line), maybe
``index.json`` (the catalogue, for the publication time) and maybe
``delta.json`` listing versions whose ``<version>/entities.delta.json`` files
hold ``{"op": "ADD"|"MOD"|"DEL", "entity": {...}}`` lines. The URLs in
``delta.json`` are never fetched: only the files next to it are read.

Entities keep their FtM ids. Non-party entities are folded into the parties
they point at: Sanction (programmes, listing date, authority), Identification
and Passport (identifiers), CryptoWallet, Address (via ``addressEntity``) and
the relation schemata (links; ownership percentages as notes).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import orjson

from embargo.errors import ParseError
from embargo.sources.base import ParsedList

log = logging.getLogger(__name__)

KIND = "ftm"
VERSION = "1"
ENTITIES_FILE = "entities.ftm.json"
DELTA_FILE = "entities.delta.json"
DELTA_INDEX = "delta.json"
OPS = ("ADD", "MOD", "DEL")
_DELTA_INDEX_HEAD = re.compile(rb'\{\s*"versions"\s*:')
_VERSION_ID = re.compile(r"^(\d{4})(\d{2})(\d{2})\d*(?:-[A-Za-z0-9]+)?$")


def _json_lines(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, object) for each non-blank line; bad JSON is a ParseError."""
    with path.open("rb") as fh:
        for number, raw in enumerate(fh, start=1):
            raw = raw.removeprefix(b"\xef\xbb\xbf") if number == 1 else raw
            if not raw.strip():
                continue
            try:
                data = orjson.loads(raw)
            except orjson.JSONDecodeError as exc:
                message = f"not a JSON line (truncated?): {exc}"
                raise ParseError(path, message, line=number) from None
            if not isinstance(data, dict):
                raise ParseError(path, "line is not a JSON object", line=number)
            yield number, data




def version_date(version: str) -> date | None:
    """The date of an OpenSanctions version id (``20240527194702-wnk``)."""
    m = _VERSION_ID.match(version)
    if m is None:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def delta_versions(path: Path) -> list[str]:
    """The version ids a ``delta.json`` lists, oldest first (their URLs are not used)."""
    try:
        data = orjson.loads(path.read_bytes())
    except orjson.JSONDecodeError as exc:
        raise ParseError(path, f"not JSON: {exc}") from None
    versions = data.get("versions") if isinstance(data, dict) else None
    if not isinstance(versions, dict):
        raise ParseError(path, "no 'versions' object", element="versions")
    for version in versions:
        if version_date(version) is None:
            raise ParseError(path, f"bad version id {version!r}", element="versions")
    return sorted(versions)


def _index_published(index: Path, names: set[str]) -> date | None:
    """The export time of the first dataset in ``names`` that ``index.json`` describes."""
    try:
        data = orjson.loads(index.read_bytes())
    except orjson.JSONDecodeError as exc:
        raise ParseError(index, f"not JSON: {exc}") from None
    found = data.get("datasets") if isinstance(data, dict) else None
    datasets = [d for d in found if isinstance(d, dict)] if isinstance(found, list) else [data]
    for dataset in datasets:
        if isinstance(dataset, dict) and dataset.get("name") in names:
            return _stamp_date(dataset.get("last_export") or dataset.get("updated_at"))
    return None


def _stamp_date(stamp: object) -> date | None:
    try:
        return date.fromisoformat(stamp[:10]) if isinstance(stamp, str) else None
    except ValueError:
        return None


class FtmParser:
    """FollowTheMoney entity and delta files, as OpenSanctions publishes them."""

    kind = KIND
    source = "opensanctions"
    version = VERSION

    def __init__(self, dataset: str | None = None) -> None:
        self.dataset = dataset
        if dataset:
            self.source = dataset

    def sniff(self, path: Path, head: bytes) -> bool:
        if path.is_dir():
            return (path / ENTITIES_FILE).is_file() or (path / DELTA_FILE).is_file() or (
                path / DELTA_INDEX).is_file()
        text = head.removeprefix(b"\xef\xbb\xbf").lstrip()
        first = text.split(b"\n", 1)[0]
        if not text:
            return path.name == DELTA_FILE
        if first.startswith(b"{") and b'"schema"' in first and b'"properties"' in first:
            return True
        if first.startswith(b"{") and b'"op"' in first and b'"entity"' in first:
            return True
        return _DELTA_INDEX_HEAD.match(text) is not None

    def parse(self, path: Path) -> Iterator[ParsedList]:
        if path.is_dir():
            yield from self._folder(path)
        elif path.name == DELTA_INDEX or self._is_delta_index(path):
            yield from self._deltas(path)
        elif self._is_delta_file(path):
            yield self._delta(path, path.parent.name, self.dataset or path.parent.parent.name)
        else:
            yield self._full(path)

    def _folder(self, path: Path) -> Iterator[ParsedList]:
        full, index = path / ENTITIES_FILE, path / DELTA_INDEX
        if not full.is_file() and not index.is_file():
            raise ParseError(path, f"no {ENTITIES_FILE} or {DELTA_INDEX} in this folder")
        if full.is_file():
            yield self._full(full)
        if index.is_file():
            yield from self._deltas(index)

    def _full(self, path: Path) -> ParsedList:
        source = self.dataset or path.parent.name
        warnings: list[str] = []
        from embargo.sources.ftm_graph import read_entities

        entities = read_entities(path, source, warnings)
        index = path.parent / "index.json"
        published = None
        if index.is_file():
            names = {source} | {n.value for e in entities for n in e.notes if n.label == "dataset"}
            published = _index_published(index, {source}) or _index_published(index, names)
        log.info("%s: %d FtM parties", path, len(entities))
        return ParsedList(source=source, kind=KIND, parser_version=VERSION, files=(path,),
                          published=published, entities=entities, warnings=warnings)

    def _deltas(self, index: Path) -> Iterator[ParsedList]:
        source = self.dataset or index.parent.name
        releases = []
        for version in delta_versions(index):
            file = index.parent / version / DELTA_FILE
            if not file.is_file():
                raise ParseError(index, f"version {version} has no file {file}", element=version)
            releases.append(self._delta(file, version, source))
        yield from releases

    def _delta(self, path: Path, version: str, source: str) -> ParsedList:
        warnings: list[str] = []
        from embargo.sources.ftm_graph import read_delta_ops

        ops = read_delta_ops(path, source, warnings)
        return ParsedList(source=source, kind=KIND, parser_version=VERSION, files=(path,),
                          published=version_date(version), delta=ops, label=version,
                          warnings=warnings)

    @staticmethod
    def _is_delta_index(path: Path) -> bool:
        with path.open("rb") as fh:
            head = fh.read(4096).lstrip()
        return _DELTA_INDEX_HEAD.match(head) is not None

    @staticmethod
    def _is_delta_file(path: Path) -> bool:
        if path.name == DELTA_FILE:
            return True
        for _, data in _json_lines(path):
            return "op" in data and "entity" in data
        return False


PARSERS = (FtmParser,)
