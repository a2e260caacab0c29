"""FtM entity graphs: parties with the non-party entities folded into them.

Kept apart from :mod:`embargo.sources.ftm` because it needs the
``followthemoney`` package, which takes seconds to import: format detection
and the other parsers never pay for it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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
from embargo.sources.base import DeltaOp
from embargo.sources.ftm import OPS, _json_lines


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

def read_entities(path: Path, source: str, warnings: list[str]) -> list[Entity]:
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


def read_delta_ops(path: Path, source: str, warnings: list[str]) -> list[DeltaOp]:
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
