"""Adjacent entities for ``/entities/{id}?nested=true``, in yente's nested form.

yente answers an entity with the entities around it nested in its properties: a
``Sanction`` per listing (under ``sanctions``) and the relations to other parties (under
``ownershipOwner``, ``associates``, ...), each relation with the other party nested in turn
when it is listed. nomenklatura's ``YenteEnricher.expand`` walks exactly this. Embargo
builds them from the entry: its programmes (with the catalogue's authority), and its links
to other entries by id.

References between entities use the FtM form of ids (``ofac-sdn-35096``): FtM refuses the
colon of Embargo's ids (``ofac-sdn:35096``) in entity-typed values and clients drop them.
``/entities/{id}`` takes either form (:func:`resolve_id`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date
from typing import Any

from followthemoney import model as ftm_model

from embargo.errors import NotFoundError
from embargo.model import Entity
from embargo.model.entity import Link, Program
from embargo.model.ftm import LINK_SCHEMATA
from embargo.model.ftm_export import ftm_id
from embargo.rules.catalogue import default_catalogue
from embargo.service.results import entity_response
from embargo.store import Store

Lookup = Callable[[str], dict[str, Any] | None]  # entity id -> its yente form, if listed


def _id(*parts: str) -> str:
    return "emb-" + hashlib.sha1("\0".join(parts).encode()).hexdigest()[:20]


def _authority(entity: Entity, program: Program) -> str | None:
    catalogue = default_catalogue()
    programme = catalogue.get(program)
    if programme is not None:
        return programme.authority
    info = catalogue.list_info(entity.source)
    return info.authority if info else None


def sanction(entity: Entity, program: Program) -> dict[str, Any]:
    """One listing of the entry under one programme, as an FtM ``Sanction``."""
    props: dict[str, list[Any]] = {"entity": [ftm_id(entity.id)], "program": [program.raw],
                                   "programId": [program.code]}
    for prop, value in (("authority", _authority(entity, program)),
                        ("listingDate", entity.listed_on), ("modifiedAt", entity.modified_on),
                        ("endDate", entity.delisted_on)):
        if value:
            props[prop] = [value]
    return {"id": _id(entity.id, "sanction", program.code), "schema": "Sanction",
            "caption": program.raw, "properties": props, "datasets": [entity.source]}


def relation(entity: Entity, link: Link, lookup: Lookup) -> tuple[str, dict[str, Any]] | None:
    """(the entry's property, the relation entity) for a link by id, if FtM can hold it."""
    for schema_name, (subject, obj, forward, reverse) in LINK_SCHEMATA.items():
        if link.target_id is None or link.relation not in (forward, reverse):
            continue
        mine, theirs = (subject, obj) if link.relation == forward else (obj, subject)
        schema = ftm_model.get(schema_name)
        prop = schema.get(mine) if schema is not None else None
        if prop is None or prop.reverse is None:
            return None
        own = ftm_model.get(str(entity.schema))
        if own is None or own.get(prop.reverse.name) is None:
            return None
        other: Any = lookup(link.target_id) or ftm_id(link.target_id)
        rel = {"id": _id(schema_name, *sorted((entity.id, link.target_id))),
               "schema": schema_name, "caption": schema_name,
               "properties": {mine: [ftm_id(entity.id)], theirs: [other]},
               "datasets": [entity.source]}
        return prop.reverse.name, rel
    return None


def nested_properties(entity: Entity, lookup: Lookup) -> dict[str, list[dict[str, Any]]]:
    """The adjacent entities by the entry's property that points to them."""
    out: dict[str, list[dict[str, Any]]] = {}
    if entity.programs:
        out["sanctions"] = [sanction(entity, p) for p in entity.programs]
    for link in entity.links:
        found = relation(entity, link, lookup)
        if found is not None:
            out.setdefault(found[0], []).append(found[1])
    return out


def adjacent_lookup(store: Store, as_of: date | None) -> Lookup:
    """Other entries in yente's form, as listed on ``as_of`` (None when not listed then)."""

    def lookup(entity_id: str) -> dict[str, Any] | None:
        try:
            state = store.entity_as_of(entity_id, as_of)
        except NotFoundError:
            return None
        return entity_response(state.entity) if state.listed and state.entity else None

    return lookup


def resolve_id(store: Store, entity_id: str) -> str:
    """Embargo's id for an id in either form: ``ofac-sdn:35096`` or FtM's ``ofac-sdn-35096``
    (the longest list name that prefixes it wins). An id the store knows as given, or one
    found in neither form, comes back unchanged."""
    if ":" in entity_id or _known(store, entity_id):
        return entity_id
    for source in sorted(store.sources(), key=len, reverse=True):
        if entity_id.startswith(f"{source}-") and len(entity_id) > len(source) + 1:
            candidate = f"{source}:{entity_id[len(source) + 1:]}"
            if _known(store, candidate):
                return candidate
    return entity_id


def _known(store: Store, entity_id: str) -> bool:
    try:
        store.entity_as_of(entity_id, None)
    except NotFoundError:
        return False
    return True
