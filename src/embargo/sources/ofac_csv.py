"""OFAC legacy CSV sets: SDN (sdn/add/alt/sdn_comments) and Consolidated (cons_*).

No header row, ``-0-`` for nulls, CRLF and a trailing 0x1A. The main file has
12 columns (ent_num, name, type, programs, title, call sign, vessel type,
tonnage, GRT, flag, owner, remarks); ``add`` 6, ``alt`` 5 and ``comments`` 2,
each keyed by ent_num. See ``ofac_cons_dat_spec.txt``.
"""

from __future__ import annotations

import csv
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from embargo.errors import ParseError
from embargo.model.builder import EntityBuilder, clean
from embargo.model.countries import country_code
from embargo.model.entity import Address, Entity, IdKind, NameKind, Schema
from embargo.model.programs import split_programs
from embargo.sources.base import ParsedList
from embargo.sources.ofac_remarks import apply_remarks, join_comments
from embargo.sources.textio import csv_rows, read_text

log = logging.getLogger(__name__)

SCHEMAS = {"individual": Schema.PERSON, "vessel": Schema.VESSEL, "aircraft": Schema.AIRPLANE,
           "entity": Schema.ORGANIZATION, "": Schema.ORGANIZATION}
ALT_KINDS = {"aka": NameKind.ALIAS, "fka": NameKind.FORMER, "nka": NameKind.ALIAS}
_WIDTHS = {"main": 12, "add": 6, "alt": 5, "comments": 2}
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
Row = tuple[int, list[str]]


@dataclass(frozen=True, slots=True)
class Layout:
    """File names of one OFAC CSV set (lower case)."""

    main: str
    add: str
    alt: str
    comments: str

    def role(self, name: str) -> str | None:
        lower = name.lower()
        for role in ("main", "add", "alt", "comments"):
            if lower == getattr(self, role):
                return role
        return None


def find_files(path: Path, layout: Layout) -> dict[str, Path]:
    """The set's files: a folder, or a main file (siblings only if named as the set)."""
    if path.is_dir():
        found = {layout.role(p.name): p for p in sorted(path.iterdir()) if p.is_file()}
        files = {role: p for role, p in found.items() if role is not None}
        if "main" not in files:
            raise ParseError(path, f"no {layout.main} in this folder")
        return files
    if not path.is_file():
        raise ParseError(path, "no such file")
    if layout.role(path.name) != "main":
        return {"main": path}
    siblings = {layout.role(p.name): p for p in sorted(path.parent.iterdir()) if p.is_file()}
    return {role: p for role, p in siblings.items() if role is not None}


def published_date(path: Path) -> date | None:
    """A ``YYYY-MM-DD`` in the file name or its folder's name, else None."""
    for text in (path.name, path.parent.name) if path.is_file() else (path.name,):
        if m := _DATE.search(text):
            try:
                return date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                continue
    return None


def read_rows(path: Path, role: str) -> list[Row]:
    """Rows of one file, each checked for width, ent_num and truncation."""
    text = read_text(path)
    if not text.strip():
        raise ParseError(path, "empty file: no records")
    if "\r\n" in text and not text.endswith("\n"):
        last = text.count("\n") + 1
        raise ParseError(path, "last row has no line end: file is truncated", line=last)
    rows = list(csv_rows(path, text))
    for line, row in rows:
        _check_row(path, role, line, row)
    return rows


def _check_row(path: Path, role: str, line: int, row: list[str]) -> None:
    width = _WIDTHS[role]
    if len(row) != width:
        raise ParseError(path, f"expected {width} columns, found {len(row)}", line=line)
    if not row[0].strip().isdigit():
        raise ParseError(path, f"ent_num is not a number: {row[0][:40]!r}", line=line)
    if any(cell.strip() in ("-", "-0") for cell in row):
        raise ParseError(path, "cut-off null marker ('-0-'): file is truncated", line=line)


def _by_ent(rows: list[Row]) -> dict[str, list[list[str]]]:
    out: dict[str, list[list[str]]] = {}
    for _line, row in rows:
        out.setdefault(row[0].strip(), []).append(row)
    return out


def _name_parts(full: str, schema: Schema) -> dict[str, str | None]:
    if schema is not Schema.PERSON or ", " not in full:
        return {}
    family, given = full.split(", ", 1)
    return {"family": family, "given": given}


def _add_name(builder: EntityBuilder, name: str, kind: NameKind) -> None:
    full = clean(name)
    if full:
        builder.add_name(full, kind, **_name_parts(full, builder.schema))


def _vessel(builder: EntityBuilder, row: list[str]) -> None:
    if all(cell.strip() == "-0-" for cell in row[5:11]):
        return
    builder.add_identifier(IdKind.CALL_SIGN, row[5], label="Call Sign")
    builder.add_property("type", row[6])
    builder.add_property("tonnage", row[7])
    builder.add_property("grossRegisteredTonnage", row[8])
    builder.add_property("flag", row[9])
    builder.add_link("owner", target_name=row[10])


def _address(builder: EntityBuilder, row: list[str]) -> None:
    country = clean(row[4])
    builder.add_address(Address(street=clean(row[2]), city=clean(row[3]),
                                country=country_code(country), country_name=country))
    builder.add_note("Address remarks", row[5])


def _alt(builder: EntityBuilder, row: list[str]) -> None:
    kind = ALT_KINDS.get((clean(row[2]) or "").lower().strip("."), NameKind.ALIAS)
    _add_name(builder, row[3], kind)
    builder.add_note("Alias remarks", row[4])


def build_entity(source: str, main: list[str], extra: dict[str, list[list[str]]]) -> Entity:
    """One entity from its main row and its add/alt/comments rows."""
    sdn_type = (clean(main[2]) or "").lower()
    builder = EntityBuilder(source, main[0], SCHEMAS.get(sdn_type, Schema.ORGANIZATION))
    _add_name(builder, main[1], NameKind.PRIMARY)
    for program in split_programs(clean(main[3])):
        builder.add_program(program)
    builder.add_position(main[4])
    _vessel(builder, main)
    for row in extra.get("add", ()):
        _address(builder, row)
    for row in extra.get("alt", ()):
        _alt(builder, row)
    remarks = join_comments(main[11], (row[1] for row in extra.get("comments", ())))
    apply_remarks(builder, remarks)
    return builder.build()


def looks_like_main(head: bytes) -> bool:
    """Whether ``head`` starts like an OFAC main file: 12 columns, ent_num first."""
    text = head.removeprefix(b"\xef\xbb\xbf").decode("cp1252", errors="replace")
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        return False
    row = next(csv.reader([lines[0]]), [])
    return len(row) == 12 and row[0].strip().isdigit()


class OfacCsvParser:
    """Shared code of the two OFAC CSV set parsers (stateless)."""

    kind = "ofac-csv"
    source = "ofac"
    version = "1"
    layout = Layout("sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv")

    def _named_like(self, name: str) -> bool:
        raise NotImplementedError

    def sniff(self, path: Path, head: bytes) -> bool:
        if path.is_dir():
            return any(self.layout.role(p.name) == "main" for p in path.iterdir())
        return self._named_like(path.name.lower()) and looks_like_main(head)

    def parse(self, path: Path) -> Iterator[ParsedList]:
        files = find_files(path, self.layout)
        rows = {role: read_rows(p, role) for role, p in files.items()}
        parsed = ParsedList(source=self.source, kind=self.kind, parser_version=self.version,
                            files=tuple(files[r] for r in _WIDTHS if r in files),
                            published=published_date(path))
        extra = {role: _by_ent(rows[role]) for role in ("add", "alt", "comments") if role in rows}
        seen: set[str] = set()
        for line, row in rows["main"]:
            ent = row[0].strip()
            if ent in seen:
                raise ParseError(files["main"], f"duplicate ent_num {ent}", line=line)
            seen.add(ent)
            _warn_type(parsed, row, line)
            parsed.entities.append(build_entity(self.source, row, {
                role: by_ent.get(ent, []) for role, by_ent in extra.items()}))
        for role, by_ent in extra.items():
            orphans = sorted(set(by_ent) - seen, key=int)
            if orphans:
                parsed.warnings.append(f"{files[role].name}: {len(orphans)} rows for unknown "
                                       f"ent_num (first: {orphans[0]})")
        for warning in parsed.warnings:
            log.warning("%s: %s", path, warning)
        yield parsed


def _warn_type(parsed: ParsedList, row: list[str], line: int) -> None:
    sdn_type = (clean(row[2]) or "").lower()
    if sdn_type not in SCHEMAS:
        parsed.warnings.append(f"line {line}: unknown SDN_Type {row[2]!r}, read as Organization")


class OfacSdnCsvParser(OfacCsvParser):
    """The SDN legacy CSV set: sdn.csv (+ add.csv, alt.csv, sdn_comments.csv)."""

    kind = "ofac-sdn-csv"
    source = "ofac-sdn"

    def _named_like(self, name: str) -> bool:
        return "cons" not in name and name.endswith(".csv")


class OfacConsCsvParser(OfacCsvParser):
    """The Consolidated (non-SDN) legacy CSV set: cons_prim.csv (+ cons_add/alt/comments)."""

    kind = "ofac-cons-csv"
    source = "ofac-cons"
    layout = Layout("cons_prim.csv", "cons_add.csv", "cons_alt.csv", "cons_comments.csv")

    def _named_like(self, name: str) -> bool:
        return "cons" in name and name.endswith(".csv")


PARSERS = (OfacSdnCsvParser, OfacConsCsvParser)
