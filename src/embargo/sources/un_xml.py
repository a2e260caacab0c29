"""UN Security Council Consolidated List XML (``CONSOLIDATED_LIST``).

Name parts: the list files a person under FIRST_NAME .. FOURTH_NAME, padded
with spaces. The primary name is the non-empty parts joined in order;
``given`` is FIRST_NAME, ``family`` the last non-empty part (when there are
two or more) and ``middle`` the parts in between. Entities have their whole
name in FIRST_NAME and no parts. Programmes: ``UN_LIST_TYPE`` ("Al-Qaida",
"DPRK") becomes ``Program(raw, "UN-" + upper-case slug)``, e.g. ``UN-AL-QAIDA``.
"""

from __future__ import annotations

import logging
import re
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
from embargo.sources.xmlio import (
    child_text,
    children,
    local,
    parse_root,
    unique_entities,
)

log = logging.getLogger(__name__)

KIND = "un-xml"
SOURCE = "un"
VERSION = "1"
ROOT = "CONSOLIDATED_LIST"
NAME_PARTS = ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")
QUALITY = {"good": NameKind.ALIAS, "a.k.a.": NameKind.ALIAS, "": NameKind.ALIAS,
           "low": NameKind.WEAK, "f.k.a.": NameKind.FORMER}
_SLUG = re.compile(r"[^A-Z0-9]+")


def program_code(raw: str, authority: str) -> str:
    """``"Al-Qaida"`` -> ``"UN-AL-QAIDA"`` (authority prefix + upper-case slug)."""
    return f"{authority}-{_SLUG.sub('-', raw.upper()).strip('-')}"


def _text(element: etree._Element, name: str) -> str | None:
    value = clean(child_text(element, name))
    return None if value is None or value.lower() == "na" else value


def _values(element: etree._Element, name: str) -> list[str]:
    out: list[str] = []
    for holder in children(element, name):
        out.extend(v for v in (clean(c.text) for c in children(holder, "VALUE")) if v)
    return out


def _add_names(b: EntityBuilder, el: etree._Element, person: bool, path: Path) -> None:
    parts = [p for p in (_text(el, n) for n in NAME_PARTS) if p]
    if not parts:
        raise ParseError(path, f"{b.native_id}: no name", line=el.sourceline,
                         element=local(el.tag))
    if person and len(parts) > 1:
        b.add_name(" ".join(parts), NameKind.PRIMARY, given=parts[0],
                   middle=" ".join(parts[1:-1]) or None, family=parts[-1])
    else:
        b.add_name(" ".join(parts), NameKind.PRIMARY)
    b.add_name(_text(el, "NAME_ORIGINAL_SCRIPT"), NameKind.ALIAS, original_script=True)


def _add_alias(b: EntityBuilder, alias: etree._Element) -> None:
    quality = (_text(alias, "QUALITY") or "").lower()
    kind = QUALITY.get(quality, NameKind.ALIAS)
    name = _text(alias, "ALIAS_NAME")
    b.add_name(name, kind)
    dob = _text(alias, "DATE_OF_BIRTH")
    if dob and not b.add_birth_date(dob):
        b.add_note("Alias date of birth", f"{name}: {dob}")
    place = ", ".join(p for p in (_text(alias, "CITY_OF_BIRTH"),
                                  _text(alias, "COUNTRY_OF_BIRTH")) if p)
    b.add_birth_place(place or None)
    if note := _text(alias, "NOTE"):
        b.add_note("Alias note", f"{name}: {note}")


def birth_date(el: etree._Element) -> FuzzyDate | None:
    """An INDIVIDUAL_DATE_OF_BIRTH as a FuzzyDate (EXACT, APPROXIMATELY, BETWEEN)."""
    kind = (_text(el, "TYPE_OF_DATE") or "").upper()
    circa = kind == "APPROXIMATELY"
    start, end = iso_date(_text(el, "FROM_YEAR")), iso_date(_text(el, "TO_YEAR"))
    if start and end:
        return FuzzyDate(start, end=end, circa=circa)
    value = iso_date(_text(el, "DATE")) or iso_date(_text(el, "YEAR"))
    return FuzzyDate(value, circa=circa) if value else None


def _add_birth(b: EntityBuilder, el: etree._Element) -> None:
    for dob in children(el, "INDIVIDUAL_DATE_OF_BIRTH"):
        b.add_birth_date(birth_date(dob))
        b.add_note("Date of birth note", _text(dob, "NOTE"))
    for pob in children(el, "INDIVIDUAL_PLACE_OF_BIRTH"):
        parts = (_text(pob, n) for n in ("STREET", "CITY", "STATE_PROVINCE", "COUNTRY"))
        b.add_birth_place(", ".join(p for p in parts if p) or None)
        b.add_note("Place of birth note", _text(pob, "NOTE"))


def _add_addresses(b: EntityBuilder, el: etree._Element, tag: str) -> None:
    for addr in children(el, tag):
        country = _text(addr, "COUNTRY")
        b.add_address(Address(
            street=_text(addr, "STREET"), city=_text(addr, "CITY"),
            region=_text(addr, "STATE_PROVINCE"), postal_code=_text(addr, "ZIP_CODE"),
            country=country_code(country), country_name=country,
        ))
        b.add_note("Address note", _text(addr, "NOTE"))


def document_kind(label: str) -> IdKind:
    text = label.lower()
    if "passport" in text or "passeport" in text or "pasaporte" in text:
        return IdKind.PASSPORT
    if "national" in text or "identi" in text:
        return IdKind.NATIONAL_ID
    return IdKind.OTHER


def _add_documents(b: EntityBuilder, el: etree._Element) -> None:
    for doc in children(el, "INDIVIDUAL_DOCUMENT"):
        labels = [t for t in (_text(doc, "TYPE_OF_DOCUMENT"), _text(doc, "TYPE_OF_DOCUMENT2")) if t]
        label = " / ".join(labels) or "document"
        issued = _text(doc, "DATE_OF_ISSUE")
        notes = [f"issued {issued}" if issued else None, _text(doc, "CITY_OF_ISSUE"),
                 _text(doc, "NOTE")]
        country = _text(doc, "ISSUING_COUNTRY") or _text(doc, "COUNTRY_OF_ISSUE")
        b.add_identifier(document_kind(label), _text(doc, "NUMBER"), country=country,
                         label=label, note="; ".join(n for n in notes if n) or None)


def _add_person_facts(b: EntityBuilder, el: etree._Element) -> None:
    b.set_gender(_text(el, "GENDER"))
    for nat in _values(el, "NATIONALITY") + [n for n in [_text(el, "NATIONALITY2")] if n]:
        if not b.add_nationality(nat):
            b.add_note("Nationality", nat)
    for position in _values(el, "TITLE") + _values(el, "DESIGNATION"):
        b.add_position(position)
    _add_birth(b, el)
    _add_documents(b, el)


def entity_from(el: etree._Element, path: Path) -> Entity:
    """One INDIVIDUAL or ENTITY element as an Entity."""
    person = local(el.tag) == "INDIVIDUAL"
    ref = _text(el, "REFERENCE_NUMBER")
    if ref is None:
        raise ParseError(path, "missing REFERENCE_NUMBER", line=el.sourceline,
                         element=local(el.tag))
    b = EntityBuilder(SOURCE, ref, Schema.PERSON if person else Schema.ORGANIZATION)
    _add_names(b, el, person, path)
    tag = "INDIVIDUAL" if person else "ENTITY"
    for alias in children(el, f"{tag}_ALIAS"):
        _add_alias(b, alias)
    if person:
        _add_person_facts(b, el)
    _add_addresses(b, el, f"{tag}_ADDRESS")
    if list_type := _text(el, "UN_LIST_TYPE"):
        b.add_program(Program(list_type, program_code(list_type, "UN")))
    b.listed_on = iso_date(_text(el, "LISTED_ON"))
    b.delisted_on = iso_date(_text(el, "DELISTED_ON"))
    updated = [d for d in (iso_date(v) for v in _values(el, "LAST_DAY_UPDATED")) if d]
    b.modified_on = max(updated, default=None)
    b.add_remark(_text(el, "COMMENTS1"))
    b.add_note("Submitted by", _text(el, "SUBMITTED_BY"))
    return b.build()


def _published(root: etree._Element) -> date | None:
    return full_date(root.get("dateGenerated"))


class UnXmlParser:
    """Parser for the UN Security Council Consolidated List XML."""

    kind = KIND
    source = SOURCE
    version = VERSION

    def sniff(self, path: Path, head: bytes) -> bool:
        return f"<{ROOT}".encode() in head

    def parse(self, path: Path) -> Iterator[ParsedList]:
        root = parse_root(path, ROOT, "a UN consolidated list")
        entities, warnings = unique_entities(path, root.iter("INDIVIDUAL", "ENTITY"), entity_from)
        log.info("%s: %d UN entries", path, len(entities))
        yield ParsedList(source=SOURCE, kind=KIND, parser_version=VERSION, files=(path,),
                         published=_published(root), entities=entities,
                         warnings=warnings)


PARSERS = (UnXmlParser,)
