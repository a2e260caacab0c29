"""US Commerce BIS Denied Persons List (tab-separated text, one row per address).

The list has no native id. Each row gets the key ``<name slug>-<effective
date>``: the name folded to ASCII, lower-cased, every run of other characters
turned into ``-`` (cut at 64 characters), plus the ISO effective date (or
``undated``), e.g. ``bis-dpl:abdulah-al-nasser-2002-03-04``. The key only
depends on the name and the order date, which do not change between
releases, so a party keeps its id. Rows that share a key (one denial order
listing several addresses of the same party) are merged into one entity.
Persons and firms are mixed: names with a company marker become
Organization, the rest stay LegalEntity.
"""

from __future__ import annotations

import hashlib
import logging
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

from embargo.errors import ParseError
from embargo.model import Address, Entity, NameKind, Program, Schema
from embargo.model.builder import EntityBuilder, clean
from embargo.model.countries import country_code
from embargo.model.dates import iso_date
from embargo.sources.base import ParsedList, latest_change
from embargo.sources.textio import csv_rows, decode_bytes, read_text

log = logging.getLogger(__name__)

KIND = "bis-dpl"
SOURCE = "bis-dpl"
VERSION = "1"
HEADER = ("Name", "Street_Address", "City", "State", "Country", "Postal_Code",
          "Effective_Date", "Expiration_Date", "Standard_Order", "Last_Update", "Action",
          "FR_Citation")
PROGRAM = Program("Denied Persons List", "BIS-DPL")
_ORG = re.compile(
    r"\b(?:INC|LTD|LLC|CO|CORP|CORPORATION|COMPANY|GMBH|S\.?A|S\.?L|B\.?V|AG|PLC|LIMITED"
    r"|TRADING|AIRLINES?|GROUP|INTERNATIONAL|INDUSTRIES|ENTERPRISES?|TECHNOLOG(?:Y|IES)"
    r"|SERVICES|SOLUTIONS|SYSTEMS|ELECTRONICS|AVIATION|IMPORT|EXPORT|ASSOCIATES"
    r"|ENGINEERING|SUPPLY|LOGISTICS|VERTRIEBS|FZE|FZCO|JSC|OOO|PVT)\b\.?", re.I)
_NON_ALNUM = re.compile(r"[^a-z0-9]+")

Row = dict[str, str]


def name_slug(name: str) -> str:
    """``"Al-Naser  Airlines"`` -> ``"al-naser-airlines"`` (ASCII, max 64 chars)."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = _NON_ALNUM.sub("-", folded.lower()).strip("-")[:64].strip("-")
    if slug:
        return slug
    return "h" + hashlib.sha1(name.strip().casefold().encode()).hexdigest()[:12]


def row_key(name: str, effective: str | None) -> str:
    """The stable native id of a row: name slug + ISO effective date."""
    return f"{name_slug(name)}-{iso_date(effective, month_first=True) or 'undated'}"


def guess_schema(name: str) -> Schema:
    return Schema.ORGANIZATION if _ORG.search(name) else Schema.LEGAL_ENTITY


def _cell(row: Row, name: str) -> str | None:
    return clean(row.get(name))


def _add_row(b: EntityBuilder, row: Row) -> None:
    name = _cell(row, "Name")
    if not any(n.full == name for n in b.names):  # a spelling variant folding to the same key
        b.add_name(name, NameKind.PRIMARY if not b.names else NameKind.ALIAS)
    country = _cell(row, "Country")
    b.add_address(Address(street=_cell(row, "Street_Address"), city=_cell(row, "City"),
                          region=_cell(row, "State"), postal_code=_cell(row, "Postal_Code"),
                          country=country_code(country), country_name=country))
    b.add_country(country)
    b.add_program(PROGRAM)
    expires = _cell(row, "Expiration_Date")
    b.add_note("Expiration date", iso_date(expires, month_first=True) or expires)
    b.add_note("Standard order", _cell(row, "Standard_Order"))
    b.add_note("Action", _cell(row, "Action"))
    b.add_note("Federal Register citation", _cell(row, "FR_Citation"))
    b.listed_on = iso_date(_cell(row, "Effective_Date"), month_first=True)
    updated = iso_date(_cell(row, "Last_Update"), month_first=True)
    if updated and (b.modified_on is None or updated > b.modified_on):
        b.modified_on = updated


def _records(path: Path, text: str) -> Iterator[tuple[int, Row]]:
    rows = csv_rows(path, text, delimiter="\t")
    first = next(rows, None)
    if first is None:
        raise ParseError(path, "empty file: no BIS DPL header row")
    line, header = first
    if tuple(c.strip() for c in header) != HEADER:
        raise ParseError(path, "not a BIS Denied Persons List: unexpected header", line=line)
    for line, row in rows:
        if len(row) != len(HEADER):
            raise ParseError(path, f"row has {len(row)} fields, expected {len(HEADER)}",
                             line=line)
        if not clean(row[0]):
            raise ParseError(path, "row has no Name", line=line)
        yield line, dict(zip(HEADER, row, strict=True))


def build_entities(path: Path, text: str) -> tuple[list[Entity], int]:
    """The merged entities and the number of data rows read."""
    builders: dict[str, EntityBuilder] = {}
    count = 0
    for _line, row in _records(path, text):
        count += 1
        name = row["Name"].strip()
        key = row_key(name, row["Effective_Date"])
        if key not in builders:
            builders[key] = EntityBuilder(SOURCE, key, guess_schema(name))
        _add_row(builders[key], row)
    return [b.build() for b in builders.values()], count


class BisDplParser:
    """Parser for the BIS Denied Persons List."""

    kind = KIND
    source = SOURCE
    version = VERSION

    def sniff(self, path: Path, head: bytes) -> bool:
        text = decode_bytes(head, path) if b"\x00" not in head else ""
        first = text.lstrip().split("\n", 1)[0]
        cells = [c.strip().strip('"') for c in first.split("\t")]
        return tuple(cells[:7]) == HEADER[:7]

    def parse(self, path: Path) -> Iterator[ParsedList]:
        entities, rows = build_entities(path, read_text(path))
        log.info("%s: %d rows merged into %d entities", path, rows, len(entities))
        warnings = [] if rows == len(entities) else [
            f"{rows} rows merged into {len(entities)} entities (rows sharing name and "
            "effective date are one party listed at several addresses)"]
        yield ParsedList(source=SOURCE, kind=KIND, parser_version=VERSION, files=(path,),
                         published=latest_change(entities), entities=entities,
                         warnings=warnings)


PARSERS = (BisDplParser,)
