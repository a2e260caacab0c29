"""OFAC XML in the ``sdnList`` schema: SDN.XML and consolidated.xml (any namespace)."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

from lxml import etree

from embargo.errors import ParseError
from embargo.model.builder import EntityBuilder
from embargo.model.countries import country_code
from embargo.model.dates import full_date
from embargo.model.entity import Address, Entity, IdKind, NameKind, Schema
from embargo.model.programs import split_programs
from embargo.sources.base import ParsedList
from embargo.sources.ofac_remarks import (
    DirectiveMerger,
    Field,
    apply_items,
    flush_directives,
    parse_item,
    parse_remarks,
)
from embargo.sources.xmlio import child_text, children, local, parse_xml

log = logging.getLogger(__name__)

SCHEMAS = {"individual": Schema.PERSON, "vessel": Schema.VESSEL, "aircraft": Schema.AIRPLANE,
           "entity": Schema.ORGANIZATION}
AKA_KINDS = {"a.k.a.": NameKind.ALIAS, "f.k.a.": NameKind.FORMER, "n.k.a.": NameKind.ALIAS}
# programme tags and idList facts found only on OFAC's non-SDN (consolidated) lists
_NON_SDN = re.compile(r"^(?:NS-|FSE-|561|CMIC|SSI)|Directive Determination|Not on the SDN List")
_ROOT = re.compile(rb"<(?:\w+:)?sdnList[\s>]")
_ENTRY = re.compile(rb"<(?:\w+:)?(?:publshInformation|sdnEntry)[\s>]")


def _texts(element: etree._Element, *path: str) -> list[str]:
    """Texts of the elements at ``path`` (local names) below ``element``."""
    nodes = [element]
    for name in path:
        nodes = [child for node in nodes for child in children(node, name)]
    return [text for node in nodes if (text := (node.text or "").strip())]


def _name(builder: EntityBuilder, node: etree._Element, kind: NameKind) -> None:
    first, last = child_text(node, "firstName"), child_text(node, "lastName")
    full = f"{last}, {first}" if first and last else (last or first)
    builder.add_name(full, kind, given=first, family=last if first else None)


def _aka(builder: EntityBuilder, aka: etree._Element) -> None:
    kind = AKA_KINDS.get((child_text(aka, "type") or "").lower(), NameKind.ALIAS)
    if (child_text(aka, "category") or "").lower() == "weak":
        kind = NameKind.WEAK
    _name(builder, aka, kind)


def _address(builder: EntityBuilder, node: etree._Element) -> None:
    lines = [t for n in ("address1", "address2", "address3") if (t := child_text(node, n))]
    country = child_text(node, "country")
    builder.add_address(Address(
        street=", ".join(lines) or None, city=child_text(node, "city"),
        region=child_text(node, "stateOrProvince"), postal_code=child_text(node, "postalCode"),
        country=country_code(country), country_name=country))


def _ids(builder: EntityBuilder, entry: etree._Element, merger: DirectiveMerger) -> None:
    for node in [n for lst in children(entry, "idList") for n in children(lst, "id")]:
        id_type, number = child_text(node, "idType") or "", child_text(node, "idNumber") or ""
        item = parse_item(f"{id_type} {number}")
        notes = [f"{label} {value}" for label, value in (
            ("issued", child_text(node, "issueDate")),
            ("expires", child_text(node, "expirationDate"))) if value]
        country = child_text(node, "idCountry")
        if item.field is Field.IDENTIFIER:
            item = replace(item, country=country or item.country,
                           note=" ".join(filter(None, [item.note, *notes])) or None)
        apply_items(builder, [item], merger)


def _vessel(builder: EntityBuilder, entry: etree._Element) -> None:
    for info in children(entry, "vesselInfo"):
        builder.add_identifier(IdKind.CALL_SIGN, child_text(info, "callSign"), label="Call Sign")
        for tag, prop in (("vesselType", "type"), ("vesselFlag", "flag"), ("tonnage", "tonnage"),
                          ("grossRegisteredTonnage", "grossRegisteredTonnage")):
            builder.add_property(prop, child_text(info, tag))
        builder.add_link("owner", target_name=child_text(info, "vesselOwner"))


def _person_facts(builder: EntityBuilder, entry: etree._Element) -> None:
    for text in _texts(entry, "dateOfBirthList", "dateOfBirthItem", "dateOfBirth"):
        if not builder.add_birth_date(text):
            builder.add_remark(f"DOB {text}")
    for text in _texts(entry, "placeOfBirthList", "placeOfBirthItem", "placeOfBirth"):
        builder.add_birth_place(text)
    for text in _texts(entry, "nationalityList", "nationality", "country"):
        if not builder.add_nationality(text):
            builder.add_remark(f"nationality {text}")
    for text in _texts(entry, "citizenshipList", "citizenship", "country"):
        if not builder.add_citizenship(text):
            builder.add_remark(f"citizen {text}")


def build_entity(source: str, entry: etree._Element) -> Entity:
    uid = child_text(entry, "uid") or ""
    sdn_type = (child_text(entry, "sdnType") or "entity").lower()
    builder = EntityBuilder(source, uid, SCHEMAS.get(sdn_type, Schema.ORGANIZATION))
    _name(builder, entry, NameKind.PRIMARY)
    for program in _texts(entry, "programList", "program"):
        for parsed in split_programs(program):
            builder.add_program(parsed)
    builder.add_position(child_text(entry, "title"))
    for aka in [a for lst in children(entry, "akaList") for a in children(lst, "aka")]:
        _aka(builder, aka)
    for node in [a for lst in children(entry, "addressList") for a in children(lst, "address")]:
        _address(builder, node)
    merger = DirectiveMerger()
    _ids(builder, entry, merger)
    apply_items(builder, parse_remarks(child_text(entry, "remarks")), merger)
    flush_directives(builder, merger)
    _person_facts(builder, entry)
    _vessel(builder, entry)
    return builder.build()


def _published(root: etree._Element) -> tuple[date | None, int | None]:
    info = next(iter(children(root, "publshInformation")), None)
    if info is None:
        return None, None
    day = full_date(child_text(info, "Publish_Date"), month_first=True)
    count = child_text(info, "Record_Count")
    return day, int(count) if count and count.isdigit() else None


def guess_source(path: Path, root: etree._Element) -> str:
    """``ofac-cons`` for the consolidated list, by file name, else by content."""
    name = path.name.lower()
    if "cons" in name:
        return "ofac-cons"
    if "sdn" in name:
        return "ofac-sdn"
    entries = children(root, "sdnEntry")
    marked = sum(1 for entry in entries if any(
        _NON_SDN.search(text) for text in _texts(entry, "programList", "program")
        + _texts(entry, "idList", "id", "idType") + _texts(entry, "idList", "id", "idNumber")))
    return "ofac-cons" if entries and marked * 2 >= len(entries) else "ofac-sdn"


class OfacXmlParser:
    """OFAC ``sdnList`` XML (stateless; ``source`` may be forced)."""

    kind = "ofac-xml"
    version = "1"

    def __init__(self, source: str | None = None) -> None:
        self.forced = source
        self.source = source or "ofac-sdn"

    def sniff(self, path: Path, head: bytes) -> bool:
        return bool(_ROOT.search(head)) and bool(_ENTRY.search(head))

    def parse(self, path: Path) -> Iterator[ParsedList]:
        root = parse_xml(path)
        if local(root.tag) != "sdnList":
            raise ParseError(path, "not an OFAC sdnList document", element=local(root.tag))
        source = self.forced or guess_source(path, root)
        published, count = _published(root)
        parsed = ParsedList(source=source, kind=self.kind, parser_version=self.version,
                            files=(path,), published=published, declared_count=count)
        for index, entry in enumerate(children(root, "sdnEntry"), start=1):
            parsed.entities.append(_entry(path, source, entry, index))
        if count is not None and count != len(parsed.entities):
            parsed.warnings.append(f"Record_Count says {count}, found {len(parsed.entities)}")
            log.warning("%s: %s", path, parsed.warnings[-1])
        yield parsed


def _entry(path: Path, source: str, entry: etree._Element, index: int) -> Entity:
    if child_text(entry, "uid") is None:
        raise ParseError(path, f"sdnEntry #{index} has no uid", line=entry.sourceline,
                         element="sdnEntry")
    return build_entity(source, entry)


PARSERS = (OfacXmlParser,)
