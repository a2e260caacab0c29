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
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import orjson
from followthemoney import EntityProxy, registry
from followthemoney import model as ftm_model

from embargo.errors import ParseError, ValidationError
from embargo.model.builder import EntityBuilder
from embargo.model.entity import Address, Entity, IdKind
from embargo.model.ftm import (
    LINK_SCHEMATA,
    add_program,
    as_proxy,
    earliest,
    finish,
    ftm_builder,
    party_schema,
)
from embargo.sources.base import DeltaOp, ParsedList

log = logging.getLogger(__name__)

KIND = "ftm"
VERSION = "1"
ENTITIES_FILE = "entities.ftm.json"
DELTA_FILE = "entities.delta.json"
DELTA_INDEX = "delta.json"
OPS = ("ADD", "MOD", "DEL")
_DELTA_INDEX_HEAD = re.compile(rb'\{\s*"versions"\s*:')
_VERSION_ID = re.compile(r"^(\d{4})(\d{2})(\d{2})\d*(?:-[A-Za-z0-9]+)?$")


@dataclass
class Graph:
    """The entities of one file: by id, and the non-parties pointing at each id."""

    by_id: dict[str, EntityProxy] = field(default_factory=dict)
    referrers: dict[str, list[EntityProxy]] = field(default_factory=lambda: defaultdict(list))

    def add(self, proxy: EntityProxy) -> None:
        assert proxy.id is not None
        self.by_id[proxy.id] = proxy
        if party_schema(proxy.schema) is None:
            for value in graph_refs(proxy):
                if proxy not in self.referrers[value]:
                    self.referrers[value].append(proxy)

    def caption(self, entity_id: str) -> str | None:
        proxy = self.by_id.get(entity_id)
        return None if proxy is None else str(proxy.context.get("caption") or proxy.caption)


# --- lines -------------------------------------------------------------------

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


def _proxy(path: Path, line: int, data: dict[str, Any]) -> EntityProxy:
    schema = data.get("schema")
    if not isinstance(schema, str) or ftm_model.get(schema) is None:
        raise ParseError(path, f"unknown FtM schema {schema!r}", line=line)
    if not isinstance(data.get("id"), str) or not data["id"].strip():
        raise ParseError(path, "FtM entity without an id", line=line)
    try:
        return as_proxy(data)  # values kept as published; schema and property names checked
    except ValidationError as exc:
        raise ParseError(path, exc.message, line=line) from None


# --- folding related entities into parties -----------------------------------

def _apply_sanction(b: EntityBuilder, sanction: EntityProxy) -> None:
    ids, names = sanction.get("programId"), sanction.get("program")
    if len(ids) == 1 and len(names) == 1:
        add_program(b, names[0], ids[0])
    else:
        for value in ids:
            add_program(b, value, value)
        for value in names:
            add_program(b, value)
    b.listed_on = earliest(b.listed_on, *sanction.get("listingDate"), *sanction.get("startDate"))
    for label, prop in (("authority", "authority"), ("provisions", "provisions"),
                        ("sanctionStatus", "status"), ("sanctionEnd", "endDate")):
        for value in sanction.get(prop):
            b.add_note(label, value)
    for value in sanction.get("reason"):
        b.add_remark(value)


def _apply_document(b: EntityBuilder, doc: EntityProxy) -> None:
    passport = doc.schema.is_a("Passport")
    kind = IdKind.PASSPORT if passport else IdKind.NATIONAL_ID
    numbers = doc.get("number") + (doc.get("passportNumber") if passport else [])
    dates = [f"{p} {v}" for p in ("startDate", "endDate") for v in doc.get(p)]
    for number in numbers:
        b.add_identifier(kind, number, country=doc.first("country"),
                         label=doc.first("type") or doc.schema.name, note="; ".join(dates) or None)


def _apply_wallet(b: EntityBuilder, wallet: EntityProxy) -> None:
    label = wallet.first("currencySymbol") or wallet.first("currency")
    for key in wallet.get("publicKey") + wallet.get("cryptoAddress"):
        b.add_identifier(IdKind.CRYPTO, key, label=label)


def _apply_link(b: EntityBuilder, rel: EntityProxy, graph: Graph) -> None:
    subject, obj, forward, reverse = LINK_SCHEMATA[rel.schema.name]
    ends = ((subject, obj, forward), (obj, subject, reverse))
    for mine, theirs, relation in ends:
        if b.native_id not in rel.get(mine):
            continue
        for other in rel.get(theirs):
            b.add_link(relation, graph.caption(other), other)
            for pct in rel.get("percentage", quiet=True):
                b.add_note(f"ownership:{other}", pct)


def _apply_address(b: EntityBuilder, addr: EntityProxy) -> None:
    b.add_address(Address(
        full=addr.first("full"), street=addr.first("street"), city=addr.first("city"),
        region=addr.first("region") or addr.first("state"), postal_code=addr.first("postalCode"),
        country=addr.first("country"),
    ))


def apply_related(b: EntityBuilder, party: EntityProxy, graph: Graph) -> None:
    """Fold the graph's non-party entities about ``party`` into its builder."""
    for addr_id in party.get("addressEntity", quiet=True):
        addr = graph.by_id.get(addr_id)
        if addr is not None and addr.schema.is_a("Address"):
            _apply_address(b, addr)
    for rel in graph.referrers.get(b.native_id, ()):
        if rel.schema.is_a("Sanction") and b.native_id in rel.get("entity"):
            _apply_sanction(b, rel)
        elif rel.schema.is_a("Identification") and b.native_id in rel.get("holder"):
            _apply_document(b, rel)
        elif rel.schema.is_a("CryptoWallet") and b.native_id in rel.get("holder"):
            _apply_wallet(b, rel)
        elif rel.schema.name in LINK_SCHEMATA:
            _apply_link(b, rel, graph)


def _party(proxy: EntityProxy, graph: Graph, source: str) -> Entity | None:
    b = ftm_builder(proxy, source)
    if b is None:
        return None
    apply_related(b, proxy, graph)
    return finish(b)


# --- releases ------------------------------------------------------------------

def _entities(path: Path, source: str, warnings: list[str]) -> list[Entity]:
    graph, parties = Graph(), []
    for line, data in _json_lines(path):
        proxy = _proxy(path, line, data)
        if proxy.id in graph.by_id:
            warnings.append(f"{path}:{line}: duplicate entity id {proxy.id}; the last one is kept")
        graph.add(proxy)
        if party_schema(proxy.schema) is not None:
            parties.append(proxy)
    out = {p.id: e for p in parties if (e := _party(p, graph, source)) is not None}
    return list(out.values())


def _delta_ops(path: Path, source: str, warnings: list[str]) -> list[DeltaOp]:
    graph, ops = Graph(), list[tuple[str, str, EntityProxy | None]]()
    for line, data in _json_lines(path):
        op, body = data.get("op"), data.get("entity")
        if op not in OPS or not isinstance(body, dict):
            raise ParseError(path, f"unknown delta op {op!r} or no entity object", line=line)
        if op == "DEL":
            if not isinstance(body.get("id"), str) or not body["id"]:
                raise ParseError(path, "DEL without an entity id", line=line)
            ops.append((str(op), body["id"], None))
            continue
        proxy = _proxy(path, line, body)
        graph.add(proxy)
        ops.append((str(op), str(proxy.id), proxy))
    parties = {eid for _, eid, p in ops if p is not None and party_schema(p.schema) is not None}
    loose = sorted({p.schema.name for _, _, p in ops if p is not None and party_schema(p.schema)
                    is None and not parties.intersection(graph_refs(p))})
    if loose:
        warnings.append(f"{path}: {', '.join(loose)} entities refer to no party in this delta; "
                        "their facts are not applied")
    return [DeltaOp(op, eid, _party(p, graph, source) if p else None)
            for op, eid, p in ops if p is None or eid in parties]


def graph_refs(proxy: EntityProxy) -> set[str]:
    return {v for prop, v in proxy.itervalues() if prop.type is registry.entity}


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
        entities = _entities(path, source, warnings)
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
        ops = _delta_ops(path, source, warnings)
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
