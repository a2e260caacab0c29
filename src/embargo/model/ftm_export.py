"""Writing Embargo entities as FollowTheMoney entities (``embargo export --format ftm``).

The reading half, and the property tables both halves share, are in
:mod:`embargo.model.ftm`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator
from typing import BinaryIO

import orjson
from followthemoney import EntityProxy, registry
from followthemoney import model as ftm_model
from followthemoney.schema import Schema as FtmSchema

from embargo.model.entity import Entity, Identifier, IdKind, NameKind
from embargo.model.ftm import (
    CONTEXT_NOTES,
    ID_DEFAULT,
    KIND_PROPS,
    LINK_SCHEMATA,
    PART_PROPS,
    id_kind,
)

log = logging.getLogger(__name__)


def ftm_id(entity_id: str) -> str:
    """The id as a valid FtM entity id (``ofac-sdn:36`` -> ``ofac-sdn-36``)."""
    if registry.entity.clean(entity_id):
        return entity_id
    return re.sub(r"[^0-9a-zA-Z.\-]+", "-", entity_id).strip("-.") or "entity"


def _put(proxy: EntityProxy, prop: str, values: Iterable[str | None],
         verbatim: bool = False) -> None:
    """Add values FtM validates and normalises (``verbatim``: kept as the list wrote them)."""
    clean = [v for v in values if v]
    if clean and prop in proxy.schema.properties:
        proxy.add(prop, clean, cleaned=verbatim)
    elif clean:
        log.debug("%s has no property %s; dropped %r", proxy.schema.name, prop, clean)


def _put_names(proxy: EntityProxy, entity: Entity) -> None:
    primary = entity.names_of(NameKind.PRIMARY)
    _put(proxy, "name", [n.full for n in primary])
    for kind, prop in KIND_PROPS.items():
        _put(proxy, prop, [n.full for n in entity.names_of(kind)])
    if primary:
        for prop, field in PART_PROPS.items():
            _put(proxy, prop, [getattr(primary[0], field)])


def id_prop(schema: FtmSchema, ident: Identifier) -> str | None:
    """The FtM property for an identifier: its label when that fits, else the default."""
    for prop in (ident.label, ID_DEFAULT.get(ident.kind), "idNumber", "registrationNumber"):
        if prop and prop in schema.properties and id_kind(schema, prop) is ident.kind:
            return prop
    fallback = ID_DEFAULT.get(ident.kind), "idNumber", "registrationNumber"
    return next((p for p in fallback if p and p in schema.properties), None)


def _put_identifiers(proxy: EntityProxy, entity: Entity) -> list[str]:
    """Write identifiers as the list gave them (FtM would drop, say, an INN with a bad
    checksum or a phone field holding three numbers); return notes for those FtM cannot hold.
    """
    lost: list[str] = []
    for ident in entity.identifiers:
        prop = None if ident.kind is IdKind.CRYPTO else id_prop(proxy.schema, ident)
        if prop is None:
            if ident.kind is not IdKind.CRYPTO:
                lost.append(f"{ident.label or ident.kind}: {ident.value}")
            continue
        _put(proxy, prop, [ident.value], verbatim=True)
    return lost


def _notes_text(entity: Entity) -> list[str]:
    texts = (entity.remarks or "").split("\n")
    for note in entity.notes:
        if note.label not in (*CONTEXT_NOTES, "topics") and not note.label.startswith("ownership:"):
            texts.append(f"{note.label}: {note.value}")
    for d in entity.directives:
        texts.append(" ".join(p for p in ("Directive:", d.authority, d.name, d.text) if p))
    for link in entity.links:
        if link.target_id is None:
            texts.append(f"{link.relation}: {link.target_name}")
    return texts


def _put_context(proxy: EntityProxy, entity: Entity) -> None:
    proxy.context["caption"] = entity.caption
    datasets = [n.value for n in entity.notes if n.label == "dataset"]
    proxy.context["datasets"] = datasets or [entity.source]
    for note in entity.notes:
        if note.label == "target":
            proxy.context["target"] = note.value == "true"


def to_ftm(entity: Entity) -> EntityProxy:
    """The entity as one FtM entity proxy (values validated by FtM)."""
    proxy = ftm_model.make_entity(str(entity.schema))
    proxy.id = ftm_id(entity.id)
    _put_context(proxy, entity)
    _put_names(proxy, entity)
    _put(proxy, "birthDate", [d.value for d in entity.birth_dates])
    _put(proxy, "birthPlace", entity.birth_places)
    _put(proxy, "nationality", entity.nationalities)
    _put(proxy, "citizenship", entity.citizenships)
    _put(proxy, "country", entity.countries)
    _put(proxy, "gender", [entity.gender])
    _put(proxy, "address", [a.text() for a in entity.addresses])
    _put(proxy, "position", entity.positions)
    _put(proxy, "program", [p.raw for p in entity.programs])
    _put(proxy, "topics", [n.value for n in entity.notes if n.label == "topics"])
    _put(proxy, "createdAt", [entity.listed_on])
    _put(proxy, "modifiedAt", [entity.modified_on])
    for key, values in entity.properties:
        prop = proxy.schema.properties.get(key)
        if prop is not None and not prop.stub and prop.type is not registry.entity:
            proxy.add(key, list(values))
    _put(proxy, "notes", [*_notes_text(entity), *_put_identifiers(proxy, entity)])
    return proxy


def _wallets(entity: Entity, holder: str) -> Iterator[EntityProxy]:
    for ident in entity.identifiers:
        if ident.kind is IdKind.CRYPTO:
            wallet = ftm_model.make_entity("CryptoWallet")
            wallet.make_id("wallet", holder, ident.value)
            wallet.add("publicKey", ident.value)
            wallet.add("currencySymbol", ident.label)
            wallet.add("holder", holder)
            yield wallet


def _relations(entity: Entity, me: str) -> Iterator[EntityProxy]:
    percentages = {n.label.split(":", 1)[1]: n.value for n in entity.notes
                   if n.label.startswith("ownership:")}
    for link in entity.links:
        for schema, (subject, obj, forward, reverse) in LINK_SCHEMATA.items():
            if link.target_id is None or link.relation not in (forward, reverse):
                continue
            other = ftm_id(link.target_id)
            pair = (me, other) if link.relation == forward else (other, me)
            rel = ftm_model.make_entity(schema)
            rel.make_id(schema, *(sorted(pair) if forward == reverse else pair))
            rel.add(subject, pair[0])
            rel.add(obj, pair[1])
            if schema == "Ownership":
                rel.add("percentage", percentages.get(link.target_id))
            yield rel
            break


def to_ftm_graph(entity: Entity) -> list[EntityProxy]:
    """The party and the entities FtM keeps apart: crypto wallets and relations by id."""
    party = to_ftm(entity)
    assert party.id is not None
    return [party, *_wallets(entity, party.id), *_relations(entity, party.id)]


def write_ftm_lines(entities: Iterable[Entity], out: BinaryIO) -> int:
    """Write standard FtM JSON lines (``proxy.to_dict()``); return the number written."""
    seen: set[str] = set()
    for entity in entities:
        for proxy in to_ftm_graph(entity):
            if proxy.id is None or proxy.id in seen:
                continue
            seen.add(proxy.id)
            data = proxy.to_dict()
            # id first, as FtM's own writer does, so that lines sort by id
            out.write(orjson.dumps({"id": data.pop("id"), **data}) + b"\n")
    return len(seen)

