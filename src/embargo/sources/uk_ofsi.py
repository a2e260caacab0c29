"""UK OFSI Consolidated List ("ConList") CSV: one row per alias, grouped by Group ID.

Columns are read by header name, so both the older layout (header row first,
sometimes with an extra blank-named leading index column) and the current one
(a ``Last Updated,DD/MM/YYYY`` line, then the header, with extra columns such
as ``Name Non-Latin Script``) are read; unknown columns are ignored. Names:
Name 1..5 are given/middle names, Name 6 is the family (or entity) name.
Regimes become ``Program(raw, "UK-" + upper-case slug)``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from embargo.errors import ParseError
from embargo.model import Address, Entity, IdKind, NameKind, Program, Schema
from embargo.model.builder import EntityBuilder, clean
from embargo.model.countries import country_code
from embargo.model.dates import full_date, iso_date
from embargo.sources.base import ParsedList, latest_change
from embargo.sources.textio import csv_rows, decode_bytes, read_text
from embargo.sources.un_xml import program_code

log = logging.getLogger(__name__)

KIND = "uk-ofsi-csv"
SOURCE = "uk-ofsi"
VERSION = "1"
REQUIRED = ("Name 6", "Group ID", "Alias Type")
GROUP_TYPES = {"individual": Schema.PERSON, "entity": Schema.ORGANIZATION,
               "ship": Schema.VESSEL}
ALIAS_TYPES = {"prime alias": NameKind.PRIMARY, "aka": NameKind.ALIAS,
               "primary name variation": NameKind.ALIAS, "fka": NameKind.FORMER}
_NUMBERED = re.compile(r"\(?\b(?:\d{1,2}|[a-h])\)\s*")
_IMO = re.compile(r"\bIMO:?\s*(\d{7})\b", re.I)
_ID_TOKEN = re.compile(r"\b([A-Z]{0,4}[-\s]?\d[\dA-Z\-/]{3,})\b", re.I)

Row = dict[str, str]


def split_numbered(text: str | None) -> list[str]:
    """``"1) Iraq 2) Syria"`` / ``"(1) X (2) Y"`` / ``"a) X, b) Y"`` -> items."""
    if not text:
        return []
    parts = (clean(p.strip(" ,;")) for p in _NUMBERED.split(text))
    return [p for p in parts if p]


def id_number(text: str) -> str | None:
    """Best-effort document number in free text ("Passport No: 592667 (...)")."""
    match = _ID_TOKEN.search(text)
    return match.group(1).strip() if match else None


def _cell(row: Row, name: str) -> str | None:
    return clean(row.get(name))


def _schema(rows: list[Row]) -> Schema:
    kind = (_cell(rows[0], "Group Type") or "").lower()
    return GROUP_TYPES.get(kind, Schema.LEGAL_ENTITY)


def _add_name(b: EntityBuilder, row: Row) -> None:
    parts = [_cell(row, f"Name {i}") for i in range(1, 7)]
    full = " ".join(p for p in parts if p)
    alias = (_cell(row, "Alias Type") or "").lower()
    kind = ALIAS_TYPES.get(alias, NameKind.ALIAS)
    if kind is NameKind.ALIAS and (_cell(row, "Alias Quality") or "").lower() == "low":
        kind = NameKind.WEAK
    if b.schema is Schema.PERSON:
        b.add_name(full, kind, given=parts[0], middle=" ".join(p for p in parts[1:5] if p),
                   family=parts[5], title=_cell(row, "Title"))
    else:
        b.add_name(full, kind)
    b.add_name(_cell(row, "Name Non-Latin Script"), NameKind.ALIAS, original_script=True)


def _add_identifiers(b: EntityBuilder, row: Row) -> None:
    specs = (("Passport", IdKind.PASSPORT, "Passport Number", "Passport Details"),
             ("National ID", IdKind.NATIONAL_ID, "National Identification Number",
              "National Identification Details"),
             ("National ID", IdKind.NATIONAL_ID, None, "NI Number"))
    for label, kind, number_col, detail_col in specs:
        details = _cell(row, detail_col)
        number = _cell(row, number_col) if number_col else None
        if number:
            b.add_identifier(kind, number, label=label, note=details)
            continue
        for item in split_numbered(details):
            b.add_identifier(kind, id_number(item), label=label, note=item)
        b.add_note(detail_col, details)


def _add_person(b: EntityBuilder, row: Row) -> None:
    for dob in split_numbered(_cell(row, "DOB")):
        if not b.add_birth_date(dob):
            b.add_note("DOB", dob)
    towns = split_numbered(_cell(row, "Town of Birth"))
    countries = split_numbered(_cell(row, "Country of Birth"))
    if len(towns) == len(countries):
        for town, country in zip(towns, countries, strict=True):
            b.add_birth_place(f"{town}, {country}")
    else:
        for place in towns + countries:
            b.add_birth_place(place)
    for nat in split_numbered(_cell(row, "Nationality")):
        if not b.add_nationality(nat):
            b.add_note("Nationality", nat)
    for position in split_numbered(_cell(row, "Position")):
        b.add_position(position)
    _add_identifiers(b, row)


def _add_common(b: EntityBuilder, row: Row) -> None:
    lines = [_cell(row, f"Address {i}") for i in range(1, 7)]
    country = _cell(row, "Country")
    b.add_address(Address(street=", ".join(p for p in lines if p) or None,
                          postal_code=_cell(row, "Post/Zip Code"),
                          country=country_code(country), country_name=country))
    if regime := _cell(row, "Regime"):
        b.add_program(Program(regime, program_code(regime, "UK")))
    other = _cell(row, "Other Information")
    b.add_remark(other)
    for imo in _IMO.findall(other or ""):
        b.add_identifier(IdKind.IMO, imo, label="IMO")
    for label in ("UK Sanctions List Ref", "UK Sanctions List Date Designated", "Group Status",
                  "Non-Latin Script Type", "Non-Latin Script Language"):
        b.add_note(label, _cell(row, label))


def _dates(b: EntityBuilder, rows: list[Row]) -> None:
    listed = [d for d in (iso_date(_cell(r, "Listed On")) for r in rows) if d]
    updated = [d for d in (iso_date(_cell(r, "Last Updated")) for r in rows) if d]
    b.listed_on = min(listed, default=None)
    b.modified_on = max(updated, default=None)


def entity_from(group_id: str, rows: list[Row]) -> Entity:
    """All rows of one Group ID as one Entity."""
    b = EntityBuilder(SOURCE, group_id, _schema(rows), prefix="uk")
    for row in rows:
        _add_name(b, row)
        if b.schema is Schema.PERSON:
            _add_person(b, row)
        _add_common(b, row)
    _dates(b, rows)
    return b.build()


def _published(first: list[str]) -> date | None:
    if len(first) >= 2 and first[0].strip().lower() == "last updated":
        return full_date(first[1])
    return None


def _header(path: Path, rows: Iterator[tuple[int, list[str]]]) -> tuple[list[str], date | None]:
    published: date | None = None
    for line, row in rows:
        cells = [c.strip() for c in row]
        if line <= 2 and _published(cells):
            published = _published(cells)
            continue
        if not all(name in cells for name in REQUIRED):
            raise ParseError(path, "not an OFSI ConList CSV: header lacks "
                             + ", ".join(n for n in REQUIRED if n not in cells), line=line)
        return cells, published
    raise ParseError(path, "empty file: no OFSI header row")


def _record(path: Path, header: list[str], line: int, row: list[str]) -> Row:
    if len(row) == len(header) - 1 and header[0] == "":
        row = ["", *row]  # the leading index column is absent from data rows
    if len(row) > len(header) and not any(c.strip() for c in row[len(header):]):
        row = row[: len(header)]
    if len(row) != len(header):
        raise ParseError(path, f"row has {len(row)} cells, header has {len(header)}", line=line)
    record = dict(zip(header, row, strict=True))
    if not clean(record.get("Group ID")):
        raise ParseError(path, "row has no Group ID", line=line)
    return record


def _groups(path: Path, text: str) -> tuple[dict[str, list[Row]], date | None]:
    rows = csv_rows(path, text)
    header, published = _header(path, rows)
    groups: dict[str, list[Row]] = {}
    for line, row in rows:
        record = _record(path, header, line, row)
        groups.setdefault(record["Group ID"].strip(), []).append(record)
    return groups, published


class UkOfsiParser:
    """Parser for the UK OFSI Consolidated List CSV."""

    kind = KIND
    source = SOURCE
    version = VERSION

    def sniff(self, path: Path, head: bytes) -> bool:
        text = decode_bytes(head, path) if b"\x00" not in head else ""
        return "Name 6" in text and "Group ID" in text and "Alias Type" in text

    def parse(self, path: Path) -> Iterator[ParsedList]:
        groups, published = _groups(path, read_text(path))
        entities = [entity_from(gid, rows) for gid, rows in groups.items()]
        log.info("%s: %d OFSI groups", path, len(entities))
        yield ParsedList(source=SOURCE, kind=KIND, parser_version=VERSION, files=(path,),
                         published=published or latest_change(entities), entities=entities)


PARSERS = (UkOfsiParser,)
