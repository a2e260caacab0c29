"""Mapping :class:`Entity` to and from FollowTheMoney entities.

:func:`from_ftm` reads one FtM party (Person, Organization, Company,
LegalEntity, Vessel, Airplane and their sub-schemata); the non-party
entities that point at a party (Sanction, Passport, Ownership, ...) are
applied by :mod:`embargo.sources.ftm`. :func:`to_ftm` writes the reverse;
:func:`to_ftm_graph` adds the wallet and relation entities that a single
FtM entity cannot hold.

Conventions: an identifier's ``label`` is the FtM property it came from;
labelled notes ``topics`` and ``dataset`` hold those FtM values; the note
``target`` holds OpenSanctions' target flag; ``ownership:<id>`` notes hold
the percentage of an ownership link to ``<id>``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from followthemoney import EntityProxy, registry
from followthemoney import model as ftm_model
from followthemoney.exc import InvalidData
from followthemoney.schema import Schema as FtmSchema
from rigour.text.scripts import is_latin

from embargo.errors import ValidationError
from embargo.model.builder import EntityBuilder
from embargo.model.dates import iso_date
from embargo.model.entity import Address, Entity, IdKind, NameKind, Program, Schema
from embargo.model.programs import normalise_program

log = logging.getLogger(__name__)

# most specific first: a PublicBody is read as an Organization
_PARTY_ORDER = ("Person", "Company", "Organization", "LegalEntity", "Vessel", "Airplane")
NAME_PROPS = {"alias": NameKind.ALIAS, "weakAlias": NameKind.WEAK,
              "previousName": NameKind.FORMER}
KIND_PROPS = {kind: prop for prop, kind in NAME_PROPS.items()}
PART_PROPS = {"firstName": "given", "middleName": "middle", "lastName": "family",
              "fatherName": "patronymic", "title": "title"}
ID_PROPS: dict[str, IdKind] = {
    "passportNumber": IdKind.PASSPORT, "idNumber": IdKind.NATIONAL_ID,
    "socialSecurityNumber": IdKind.NATIONAL_ID, "taxNumber": IdKind.TAX_ID,
    "innCode": IdKind.TAX_ID, "vatCode": IdKind.TAX_ID, "registrationNumber": IdKind.REGISTRATION,
    "ogrnCode": IdKind.REGISTRATION, "uscCode": IdKind.REGISTRATION,
    "okpoCode": IdKind.REGISTRATION, "imoNumber": IdKind.IMO, "mmsi": IdKind.MMSI,
    "callSign": IdKind.CALL_SIGN, "swiftBic": IdKind.SWIFT_BIC, "leiCode": IdKind.LEI,
    "website": IdKind.WEBSITE, "email": IdKind.EMAIL, "phone": IdKind.PHONE,
    "serialNumber": IdKind.AIRCRAFT,
}
# where an identifier kind is written when its label is not an FtM property
ID_DEFAULT = {kind: prop for prop, kind in reversed(ID_PROPS.items())}
ID_DEFAULT[IdKind.OTHER] = "idNumber"
COUNTRY_PROPS = ("country", "jurisdiction", "mainCountry", "flag")
# the relation schemata kept as links: subject, object, forward and reverse relation
LINK_SCHEMATA: dict[str, tuple[str, str, str, str]] = {
    "Ownership": ("owner", "asset", "owns", "owned_by"),
    "Directorship": ("director", "organization", "director_of", "has_director"),
    "Family": ("person", "relative", "family", "family"),
    "Associate": ("person", "associate", "associate", "associate"),
    "Membership": ("member", "organization", "member_of", "has_member"),
    "Employment": ("employee", "employer", "employee_of", "employer_of"),
    "Representation": ("agent", "client", "agent_of", "represented_by"),
    "Succession": ("predecessor", "successor", "succeeded_by", "successor_of"),
    "UnknownLink": ("subject", "object", "linked_to", "linked_to"),
}
CONTEXT_NOTES = ("dataset", "target")
_HANDLED = frozenset({
    "name", *NAME_PROPS, *PART_PROPS, *ID_PROPS, *COUNTRY_PROPS, "birthDate", "birthPlace",
    "nationality", "citizenship", "gender", "address", "program", "programId", "topics",
    "createdAt", "modifiedAt", "notes", "summary", "description", "position",
})
_WORDS = re.compile(r"[\W_]+")


def party_schema(schema: FtmSchema) -> Schema | None:
    """The Embargo schema for an FtM schema, or None when it is not a party."""
    for name in _PARTY_ORDER:
        if schema.is_a(name):
            return Schema(name)
    return None


def as_proxy(data: EntityProxy | Mapping[str, Any], cleaned: bool = True) -> EntityProxy:
    """An FtM proxy for a dict: its schema is checked and unknown properties dropped.

    Values are kept as the source wrote them (FtM would drop, say, an INN with a bad
    checksum), unless ``cleaned`` is False: then FtM re-validates and normalises them.
    """
    if isinstance(data, EntityProxy):
        return data
    props = data.get("properties", {})
    if not isinstance(props, Mapping) or not all(
            isinstance(v, list) and all(isinstance(x, str) for x in v) for v in props.values()):
        raise ValidationError("FtM 'properties' is not an object of string lists")
    try:
        return ftm_model.get_proxy(dict(data), cleaned=cleaned)
    except (InvalidData, TypeError, ValueError, AttributeError) as exc:
        raise ValidationError(f"not a valid FtM entity: {exc}") from None


def is_original_script(text: str) -> bool:
    return not is_latin(text)


def _words(text: str) -> str:
    return f" {_WORDS.sub(' ', text).casefold().strip()} "


def _add_names(b: EntityBuilder, proxy: EntityProxy, caption: str | None) -> None:
    names = proxy.get("name")
    primary = caption if caption in names else (names[0] if names else None)
    parts = _name_parts(b, proxy, primary)
    for value in names:
        kind = NameKind.PRIMARY if value == primary else NameKind.ALIAS
        extra = parts if value == primary else {}
        b.add_name(value, kind, original_script=is_original_script(value), **extra)
    for prop, kind in NAME_PROPS.items():
        for value in proxy.get(prop, quiet=True):
            b.add_name(value, kind, original_script=is_original_script(value))


def _name_parts(b: EntityBuilder, proxy: EntityProxy, primary: str | None) -> dict[str, str]:
    """Parts that are unambiguous: one value, found in the primary name; others to properties."""
    parts: dict[str, str] = {}
    for prop, field in PART_PROPS.items():
        values = proxy.get(prop, quiet=True)
        if primary and len(values) == 1 and _words(values[0]) in _words(primary):
            parts[field] = values[0]
        else:
            for value in values:
                b.add_property(prop, value)
    return parts


def _add_facts(b: EntityBuilder, proxy: EntityProxy) -> None:
    for value in proxy.get("birthDate", quiet=True):
        if not b.add_birth_date(value):
            b.add_property("birthDate", value)
    for value in proxy.get("birthPlace", quiet=True):
        b.add_birth_place(value)
    for value in proxy.get("nationality", quiet=True):
        b.add_nationality(value)
    for value in proxy.get("citizenship", quiet=True):
        b.add_citizenship(value)
    for prop in COUNTRY_PROPS:
        for value in proxy.get(prop, quiet=True):
            b.add_country(value)
    b.set_gender(proxy.first("gender", quiet=True))
    for value in proxy.get("address", quiet=True):
        b.add_address(Address(full=" ".join(value.split())))
    for value in proxy.get("position", quiet=True):
        b.add_position(value)


def id_kind(schema: FtmSchema, prop: str) -> IdKind | None:
    if prop == "registrationNumber" and schema.is_a("Airplane"):
        return IdKind.AIRCRAFT
    return ID_PROPS.get(prop)


def _add_identifiers(b: EntityBuilder, proxy: EntityProxy) -> None:
    for prop in ID_PROPS:
        kind = id_kind(proxy.schema, prop)
        for value in proxy.get(prop, quiet=True):
            if kind is not None:
                b.add_identifier(kind, value, label=prop)


def _add_listing(b: EntityBuilder, proxy: EntityProxy) -> None:
    for value in proxy.get("programId", quiet=True):
        add_program(b, value, value)
    for value in proxy.get("program", quiet=True):
        add_program(b, value)
    for value in proxy.get("topics", quiet=True):
        b.add_note("topics", value)
    b.listed_on = earliest(b.listed_on, *proxy.get("createdAt", quiet=True))
    b.modified_on = latest(b.modified_on, *proxy.get("modifiedAt", quiet=True))
    for prop in ("notes", "summary", "description"):
        for value in proxy.get(prop, quiet=True):
            b.add_remark(value)


def add_program(b: EntityBuilder, raw: str, code: str | None = None) -> None:
    b.add_program(Program(raw=raw.strip(), code=code.strip() if code else normalise_program(raw)))


def earliest(current: str | None, *values: str) -> str | None:
    dates = [d for d in (current, *(iso_date(v) for v in values)) if d]
    return min(dates) if dates else None


def latest(current: str | None, *values: str) -> str | None:
    dates = [d for d in (current, *(iso_date(v) for v in values)) if d]
    return max(dates) if dates else None


def _add_other(b: EntityBuilder, proxy: EntityProxy, context: Mapping[str, Any]) -> None:
    for prop in proxy.iterprops():
        if prop.name not in _HANDLED and prop.type is not registry.entity:
            for value in proxy.get(prop):
                b.add_property(prop.name, value)
    if "flag" in proxy.schema.properties:
        for value in proxy.get("flag"):
            b.add_property("flag", value)
    for dataset in context.get("datasets") or ():
        b.add_note("dataset", str(dataset))
    if isinstance(context.get("target"), bool):
        b.add_note("target", str(context["target"]).lower())


def ftm_builder(data: EntityProxy | Mapping[str, Any], source: str) -> EntityBuilder | None:
    """A builder filled from one FtM entity, or None when it is not a party."""
    proxy = as_proxy(data)
    schema = party_schema(proxy.schema)
    if schema is None:
        return None
    if not proxy.id:
        raise ValidationError("FtM entity without an id")
    caption = proxy.context.get("caption")
    b = EntityBuilder(source, proxy.id, schema)
    _add_names(b, proxy, caption if isinstance(caption, str) else None)
    if not b.names and isinstance(caption, str):
        b.add_name(caption, original_script=is_original_script(caption))
    _add_facts(b, proxy)
    _add_identifiers(b, proxy)
    _add_listing(b, proxy)
    _add_other(b, proxy, proxy.context)
    return b


def finish(b: EntityBuilder) -> Entity | None:
    """The built entity with the FtM id as its id; None (logged) when it has no name."""
    if not b.names:
        log.warning("FtM entity %s has no name; skipped", b.native_id)
        return None
    return replace(b.build(), id=b.native_id)


def from_ftm(data: EntityProxy | Mapping[str, Any], source: str) -> Entity | None:
    """One FtM party entity as an Entity (id = the FtM id); None for non-parties."""
    b = ftm_builder(data, source)
    return None if b is None else finish(b)


# --- writing ---------------------------------------------------------------
