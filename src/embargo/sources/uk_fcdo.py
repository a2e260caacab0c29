"""UK Sanctions List XML as published by the FCDO (``Designations``/``Designation``).

Elements are matched by local name. Names: Name 1..5 are given/middle names,
Name 6 the family (or entity/ship) name; ``NameType`` "Primary Name" is the
primary name, aliases with ``AliasStrength`` "Weak"/"Low" are weak. Non-Latin
names are aliases flagged ``original_script``. ``IndividualEntityShip``
selects Person / Organization / Vessel. Regimes become
``Program(raw, "UK-" + upper-case slug)``, as in the OFSI parser.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from lxml import etree

from embargo.errors import ParseError
from embargo.model import Address, Entity, IdKind, NameKind, Program, Schema
from embargo.model.builder import EntityBuilder, clean
from embargo.model.countries import country_code
from embargo.model.dates import full_date, iso_date
from embargo.sources.base import ParsedList
from embargo.sources.un_xml import program_code
from embargo.sources.xmlio import (
    child_text,
    children,
    parse_root,
    unique_entities,
)

log = logging.getLogger(__name__)

KIND = "uk-fcdo-xml"
SOURCE = "uk-fcdo"
VERSION = "1"
ROOT = "Designations"
SCHEMAS = {"individual": Schema.PERSON, "entity": Schema.ORGANIZATION, "ship": Schema.VESSEL}
WEAK = ("weak", "low")


def find(element: etree._Element, path: str) -> list[etree._Element]:
    """Descendants along ``a/b/c`` by local name (namespace-agnostic)."""
    found = [element]
    for step in path.split("/"):
        found = [c for parent in found for c in children(parent, step)]
    return found


def texts(element: etree._Element, path: str) -> list[str]:
    return [t for t in (clean(e.text) for e in find(element, path)) if t]


def _text(element: etree._Element, name: str) -> str | None:
    return clean(child_text(element, name))


def _name_kind(name: etree._Element) -> NameKind:
    kind = (_text(name, "NameType") or "").lower()
    if kind.startswith("primary name") and "variation" not in kind:
        return NameKind.PRIMARY
    strength = (_text(name, "AliasStrength") or "").lower()
    return NameKind.WEAK if any(w in strength for w in WEAK) else NameKind.ALIAS


def _add_names(b: EntityBuilder, el: etree._Element) -> None:
    for name in find(el, "Names/Name"):
        parts = [_text(name, f"Name{i}") for i in range(1, 7)]
        full = " ".join(p for p in parts if p)
        if b.schema is Schema.PERSON:
            b.add_name(full, _name_kind(name), given=parts[0],
                       middle=" ".join(p for p in parts[1:5] if p), family=parts[5])
        else:
            b.add_name(full, _name_kind(name))
    for holder in find(el, "NonLatinNames"):
        for item in [holder, *children(holder, "NonLatinName")]:
            b.add_name(_text(item, "NameNonLatinScript"), NameKind.ALIAS, original_script=True)


def _pairs(el: etree._Element, path: str, value: str, extra: str) -> Iterator[tuple[str, str]]:
    """(number, note) from ``X`` elements holding text or ``value``/``extra`` children."""
    for item in find(el, path):
        number = _text(item, value) if len(item) else clean(item.text)
        if number:
            yield number, _text(item, extra) or ""


def _add_individual(b: EntityBuilder, ind: etree._Element) -> None:
    for dob in texts(ind, "DOBs/DOB"):
        if not b.add_birth_date(dob):
            b.add_note("DOB", dob)
    for nat in texts(ind, "Nationalities/Nationality"):
        if not b.add_nationality(nat):
            b.add_note("Nationality", nat)
    for loc in find(ind, "BirthDetails/Location"):
        parts = (_text(loc, n) for n in ("TownOfBirth", "CountryOfBirth"))
        b.add_birth_place(", ".join(p for p in parts if p) or None)
    for gender in texts(ind, "Genders/Gender"):
        b.set_gender(gender)
    for number, note in _pairs(ind, "PassportNumbers/PassportNumber", "PassportNumber",
                               "PassportAdditionalInformation"):
        b.add_identifier(IdKind.PASSPORT, number, label="Passport", note=note)
    for number, note in _pairs(ind, "NationalIdentifierNumbers/NationalIdentifierNumber",
                               "NationalIdentifierNumber",
                               "NationalIdentifierAdditionalInformation"):
        b.add_identifier(IdKind.NATIONAL_ID, number, label="National ID", note=note)
    for position in texts(ind, "Positions/Position"):
        b.add_position(position)


def _add_ship(b: EntityBuilder, ship: etree._Element) -> None:
    for imo in texts(ship, "IMONumbers/IMONumber"):
        b.add_identifier(IdKind.IMO, imo.upper().removeprefix("IMO").strip(), label="IMO")
    for flag in texts(ship, "CurrentBelievedFlagOfShips/CurrentBelievedFlagOfShip"):
        b.add_property("flag", country_code(flag) or flag)
    for kind in texts(ship, "TypeOfShipDetails/TypeOfShip"):
        b.add_property("type", kind)


def _add_contacts(b: EntityBuilder, el: etree._Element) -> None:
    for addr in find(el, "Addresses/Address"):
        lines = [_text(addr, f"AddressLine{i}") for i in range(1, 7)]
        country = _text(addr, "AddressCountry")
        b.add_address(Address(street=", ".join(p for p in lines if p) or None,
                              postal_code=_text(addr, "AddressPostalCode"),
                              country=country_code(country), country_name=country))
    for phone in texts(el, "PhoneNumbers/PhoneNumber"):
        b.add_identifier(IdKind.PHONE, phone)
    for email in texts(el, "EmailAddresses/EmailAddress"):
        b.add_identifier(IdKind.EMAIL, email)
    for site in texts(el, "WebsiteAddresses/WebsiteAddress"):
        b.add_identifier(IdKind.WEBSITE, site)


def _add_listing(b: EntityBuilder, el: etree._Element) -> None:
    for regime in texts(el, "RegimeName"):
        b.add_program(Program(regime, program_code(regime, "UK")))
    for label, tag in (("OFSI group ID", "OFSIGroupID"), ("UN reference", "UNReferenceNumber"),
                       ("Designation source", "DesignationSource"),
                       ("Sanctions imposed", "SanctionsImposed")):
        b.add_note(label, _text(el, tag))
    b.add_remark(_text(el, "OtherInformation"))
    b.add_remark(_text(el, "UKStatementofReasons"))
    b.listed_on = iso_date(_text(el, "DateDesignated"))
    b.modified_on = iso_date(_text(el, "LastUpdated"))


def entity_from(el: etree._Element, path: Path) -> Entity:
    """One ``Designation`` as an Entity."""
    unique_id = _text(el, "UniqueID")
    kind = (_text(el, "IndividualEntityShip") or "").lower()
    if unique_id is None or kind not in SCHEMAS:
        what = "UniqueID" if unique_id is None else f"IndividualEntityShip {kind!r}"
        raise ParseError(path, f"Designation with missing or bad {what}", line=el.sourceline,
                         element="Designation")
    b = EntityBuilder(SOURCE, unique_id, SCHEMAS[kind], prefix="uk")
    _add_names(b, el)
    if not b.names:
        raise ParseError(path, f"Designation {unique_id} has no name", line=el.sourceline,
                         element="Designation")
    for ind in find(el, "IndividualDetails/Individual"):
        _add_individual(b, ind)
    for ship in find(el, "ShipDetails/Ship"):
        _add_ship(b, ship)
    _add_contacts(b, el)
    _add_listing(b, el)
    return b.build()


def _published(root: etree._Element) -> date | None:
    return full_date(root.get("DateGenerated") or _text(root, "DateGenerated"))


class UkFcdoParser:
    """Parser for the UK Sanctions List XML (FCDO)."""

    kind = KIND
    source = SOURCE
    version = VERSION

    def sniff(self, path: Path, head: bytes) -> bool:
        return f"<{ROOT}".encode() in head

    def parse(self, path: Path) -> Iterator[ParsedList]:
        root = parse_root(path, ROOT, "a UK Sanctions List")
        entities, warnings = unique_entities(path, children(root, "Designation"), entity_from)
        log.info("%s: %d FCDO designations", path, len(entities))
        yield ParsedList(source=SOURCE, kind=KIND, parser_version=VERSION, files=(path,),
                         published=_published(root), entities=entities,
                         warnings=warnings)


PARSERS = (UkFcdoParser,)
