"""EU Financial Sanctions Files (FSF) XML 1.1: ``export`` / ``sanctionEntity``.

Elements are matched by local name, so the namespace
(``http://eu.europa.ec/fpi/fsd/export``) may be present or not. The first
``nameAlias`` is the primary name; later ones are aliases, weak when
``strong="false"``; names written in a non-Latin script are flagged
``original_script``. ``regulation/@programme`` becomes
``Program(raw, "EU-" + upper-case slug)``.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from lxml import etree

from embargo.errors import ParseError
from embargo.model import Address, Entity, FuzzyDate, IdKind, NameKind, Program, Schema
from embargo.model.builder import EntityBuilder, clean
from embargo.model.countries import country_code
from embargo.model.dates import full_date, iso_date
from embargo.sources.base import ParsedList
from embargo.sources.un_xml import program_code
from embargo.sources.xmlio import children, local, parse_xml, unique_entities

log = logging.getLogger(__name__)

KIND = "eu-fsf-xml"
SOURCE = "eu"
VERSION = "1"
ROOT = "export"
SUBJECTS = {"person": Schema.PERSON, "enterprise": Schema.ORGANIZATION}
ID_KINDS = {"passport": IdKind.PASSPORT, "id": IdKind.NATIONAL_ID, "ssn": IdKind.NATIONAL_ID,
            "fiscalcode": IdKind.TAX_ID, "tin": IdKind.TAX_ID, "regnumber": IdKind.REGISTRATION,
            "imo": IdKind.IMO, "swiftbic": IdKind.SWIFT_BIC}
CONTACTS = {"email": IdKind.EMAIL, "phone": IdKind.PHONE, "fax": IdKind.PHONE,
            "web": IdKind.WEBSITE, "website": IdKind.WEBSITE}
ID_FLAGS = ("diplomatic", "knownExpired", "knownFalse", "reportedLost", "revokedByIssuer")


def _attr(element: etree._Element, name: str) -> str | None:
    return clean(element.get(name))


def _country(element: etree._Element) -> str | None:
    code = _attr(element, "countryIso2Code")
    return None if code in (None, "00") else code


def is_non_latin(text: str) -> bool:
    """Whether any letter of ``text`` is outside the Latin script."""
    return any(ch.isalpha() and not unicodedata.name(ch, "").startswith("LATIN") for ch in text)


def _add_alias(b: EntityBuilder, alias: etree._Element, first: bool) -> None:
    whole = _attr(alias, "wholeName")
    given, middle, family = (_attr(alias, n) for n in ("firstName", "middleName", "lastName"))
    whole = whole or " ".join(p for p in (given, middle, family) if p) or None
    if whole is None:
        return
    kind = NameKind.PRIMARY if first else NameKind.ALIAS
    if not first and (alias.get("strong") or "").strip().lower() == "false":
        kind = NameKind.WEAK
    b.add_name(whole, kind, given=given, middle=middle, family=family,
               title=_attr(alias, "title"), lang=(_attr(alias, "nameLanguage") or "").lower()
               or None, original_script=is_non_latin(whole))
    b.set_gender(_attr(alias, "gender"))
    b.add_position(_attr(alias, "function"))


def birth_date(el: etree._Element) -> FuzzyDate | None:
    """A ``birthdate`` element: full date, day/month/year parts or a year range."""
    circa = (el.get("circa") or "").strip().lower() == "true"
    start, end = iso_date(_attr(el, "yearRangeFrom")), iso_date(_attr(el, "yearRangeTo"))
    if start and end:
        return FuzzyDate(start, end=end, circa=circa)
    value = iso_date(_attr(el, "birthdate"))
    if value is None and (year := _attr(el, "year")):
        parts = [year, _attr(el, "monthOfYear"), _attr(el, "dayOfMonth")]
        value = iso_date("-".join(p for p in parts if p))
    return FuzzyDate(value, circa=circa) if value else None


def _add_birth(b: EntityBuilder, el: etree._Element) -> None:
    b.add_birth_date(birth_date(el))
    parts = (_attr(el, n) for n in ("city", "place", "region", "countryDescription"))
    place = ", ".join(p for p in parts if p and p.upper() != "UNKNOWN")
    b.add_birth_place(place or None)


def _add_address(b: EntityBuilder, el: etree._Element) -> None:
    street = ", ".join(p for p in (_attr(el, "street"), _attr(el, "poBox")) if p)
    country = _attr(el, "countryDescription")
    b.add_address(Address(street=street or None, city=_attr(el, "city"),
                          region=", ".join(p for p in (_attr(el, "region"), _attr(el, "place"))
                                           if p) or None,
                          postal_code=_attr(el, "zipCode"), country=country_code(_country(el)),
                          country_name=None if country == "UNKNOWN" else country))
    for info in children(el, "contactInfo"):
        kind = CONTACTS.get((info.get("key") or "").strip().lower())
        if kind:
            b.add_identifier(kind, info.get("value"), label=info.get("key"))


def _add_identification(b: EntityBuilder, el: etree._Element) -> None:
    code = (_attr(el, "identificationTypeCode") or "").lower()
    notes = [f"{n}" for n in ID_FLAGS if (el.get(n) or "").lower() == "true"]
    notes += [f"{n} {v}" for n in ("issueDate", "validFrom", "validTo", "issuedBy",
                                   "nameOnDocument") if (v := _attr(el, n))]
    b.add_identifier(ID_KINDS.get(code, IdKind.OTHER),
                     _attr(el, "number") or _attr(el, "latinNumber"), country=_country(el),
                     label=_attr(el, "identificationTypeDescription") or code or None,
                     note="; ".join(notes) or None)


def _subject(el: etree._Element) -> Schema:
    for subject in children(el, "subjectType"):
        code = (subject.get("code") or "").strip().lower()
        if code in SUBJECTS:
            return SUBJECTS[code]
        klass = (subject.get("classificationCode") or "").strip().upper()
        return Schema.PERSON if klass == "P" else Schema.ORGANIZATION
    return Schema.LEGAL_ENTITY


def _add_details(b: EntityBuilder, el: etree._Element) -> None:
    for index, alias in enumerate(children(el, "nameAlias")):
        _add_alias(b, alias, index == 0)
    for cit in children(el, "citizenship"):
        b.add_citizenship(_country(cit) or _attr(cit, "countryDescription"))
    for dob in children(el, "birthdate"):
        _add_birth(b, dob)
    for addr in children(el, "address"):
        _add_address(b, addr)
    for ident in children(el, "identification"):
        _add_identification(b, ident)
    for reg in children(el, "regulation"):
        if programme := _attr(reg, "programme"):
            b.add_program(Program(programme, program_code(programme, "EU")))
        b.add_note("Regulation", _attr(reg, "numberTitle"))
    for remark in children(el, "remark"):
        b.add_remark(remark.text)


def entity_from(el: etree._Element, path: Path) -> Entity:
    """One ``sanctionEntity`` as an Entity."""
    logical_id = _attr(el, "logicalId")
    if logical_id is None:
        raise ParseError(path, "sanctionEntity without logicalId", line=el.sourceline,
                         element="sanctionEntity")
    b = EntityBuilder(SOURCE, logical_id, _subject(el))
    _add_details(b, el)
    if not b.names:
        raise ParseError(path, f"sanctionEntity {logical_id} has no name", line=el.sourceline,
                         element="sanctionEntity")
    b.listed_on = iso_date(_attr(el, "designationDate"))
    b.delisted_on = iso_date(_attr(el, "delistingDate"))
    b.add_note("EU reference number", _attr(el, "euReferenceNumber"))
    b.add_note("UN reference number", _attr(el, "unitedNationId"))
    b.add_note("Designation details", _attr(el, "designationDetails"))
    return b.build()


def _published(root: etree._Element) -> date | None:
    return full_date(root.get("generationDate"))


class EuFsfParser:
    """Parser for the EU Financial Sanctions Files XML 1.1."""

    kind = KIND
    source = SOURCE
    version = VERSION

    def sniff(self, path: Path, head: bytes) -> bool:
        return b"<export" in head and (b"fsd/export" in head or b"generationDate" in head)

    def parse(self, path: Path) -> Iterator[ParsedList]:
        root = parse_xml(path)
        if local(root.tag) != ROOT or root.get("generationDate") is None:
            raise ParseError(path, f"not an EU FSF export (root is <{local(root.tag)}>)",
                             line=root.sourceline, element=local(root.tag))
        entities, warnings = unique_entities(path, children(root, "sanctionEntity"), entity_from)
        log.info("%s: %d EU entries", path, len(entities))
        yield ParsedList(source=SOURCE, kind=KIND, parser_version=VERSION, files=(path,),
                         published=_published(root), entities=entities,
                         warnings=warnings)


PARSERS = (EuFsfParser,)
