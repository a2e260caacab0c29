"""Screening input (CSV with a header, or FtM-shaped JSON lines) to query entities.

Every row yields one :class:`QueryRow`: either a query :class:`Entity` (source ``query``) or a
one-line error for that row. Rows are never skipped silently and bad rows never stop the file.

Policy for awkward values:

* control characters (``Cc``) become spaces and format characters (``Cf``: zero-width, BOM)
  are dropped; white space is collapsed;
* a name longer than :data:`MAX_NAME_CHARS` is an error for that row (truncating could hide
  the part that matches);
* a date that is given but is not a date (``1980-13-45``) is an error; an unknown country,
  gender or column is a warning;
* bytes that are not UTF-8 make their row an error (the rest of the file is read).
"""

from __future__ import annotations

import csv
import io
import logging
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import product
from pathlib import Path
from typing import Any, Protocol, TypeVar

import orjson

from embargo.deadline import checkpoint
from embargo.errors import ParseError
from embargo.model import Address, Entity, IdKind, NameKind, Schema
from embargo.model.builder import EntityBuilder

log = logging.getLogger(__name__)
R_co = TypeVar("R_co", covariant=True)

MAX_NAME_CHARS = 1000
SOURCE = "query"

# other spellings of the FtM property names seen in screening files
_ALIASES = {
    "full_name": "name", "fullname": "name", "first_name": "firstName",
    "given_name": "firstName", "middle_name": "middleName", "last_name": "lastName",
    "family_name": "lastName", "surname": "lastName", "date_of_birth": "birthDate",
    "dob": "birthDate", "birth_date": "birthDate", "place_of_birth": "birthPlace",
    "citizenship": "nationality", "jurisdiction": "country", "imo": "imoNumber",
    "passport": "passportNumber", "national_id": "idNumber", "tax_id": "taxNumber",
    "inn": "taxNumber", "registration": "registrationNumber", "weakalias": "weakAlias",
}
_IDS = {
    "imoNumber": IdKind.IMO, "passportNumber": IdKind.PASSPORT, "idNumber": IdKind.NATIONAL_ID,
    "taxNumber": IdKind.TAX_ID, "registrationNumber": IdKind.REGISTRATION,
    "innCode": IdKind.TAX_ID, "ogrnCode": IdKind.REGISTRATION, "mmsi": IdKind.MMSI,
    "swiftBic": IdKind.SWIFT_BIC, "leiCode": IdKind.LEI,
}
_TEXT_PROPS = {"name", "alias", "weakAlias", "previousName", "firstName", "middleName",
               "lastName", "fatherName", "birthDate", "birthPlace", "nationality", "citizenship",
               "country", "gender", "address"}
KNOWN_PROPS = frozenset(_TEXT_PROPS | set(_IDS))
MAX_PART_NAMES = 8  # names built from combinations of name parts
_PERSON_PROPS = ("firstName", "lastName", "middleName", "fatherName", "birthDate",
                 "birthPlace", "gender", "passportNumber", "nationality", "citizenship")


NAME_PROPS = frozenset({"name", "alias", "weakAlias", "previousName", "firstName", "middleName",
                        "lastName", "fatherName"})


@dataclass(frozen=True, slots=True)
class QueryLimits:
    """A query's work budget: name values per query, values per property (None: no limit).

    Counted on the raw values before any is cleaned or analysed (a cell's ``;`` separators
    included), so an oversized query is refused at once. ``names_setting`` and
    ``values_setting`` name the settings in the error.
    """

    names: int | None = None
    values: int | None = None
    names_setting: str = "names per query"
    values_setting: str = "values per property"


def _value_count(value: Any) -> int:
    """How many values a raw property value holds at most (cheap: nothing is cleaned)."""
    if isinstance(value, str):
        return value.count(";") + 1
    if isinstance(value, list | tuple):
        return sum(_value_count(item) for item in value)
    return 1


def check_limits(raw_props: Mapping[str, Any], limits: QueryLimits) -> None:
    """RowError if the query's raw properties are over its budget."""
    counts = {str(key): _value_count(value) for key, value in raw_props.items()}
    names = sum(n for key, n in counts.items() if normalise_prop(key) in NAME_PROPS)
    if limits.names is not None and names > limits.names:
        raise RowError(f"{names} names in one query, over the limit of {limits.names} "
                       f"({limits.names_setting})")
    for key, count in counts.items():
        if limits.values is not None and count > limits.values:
            raise RowError(f"{count} values of {key[:50]!r}, over the limit of "
                           f"{limits.values} ({limits.values_setting})")


@dataclass(frozen=True, slots=True)
class QueryRow:
    """One input row: its line (CSV) or line number (JSONL) and an entity or an error."""

    line: int
    id: str
    entity: Entity | None = None
    error: str | None = None
    warnings: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.entity is not None


class RowError(ValueError):
    """A value that makes its row unusable."""


def clean_text(text: str) -> str:
    """Control characters to spaces, format characters dropped, white space collapsed."""
    if text.isprintable():  # no control, format or surrogate character: the common case
        return " ".join(text.split())
    return _clean_unprintable(text)


def _clean_unprintable(text: str) -> str:
    if any(0xD800 <= ord(ch) <= 0xDFFF for ch in text):
        raise RowError("not valid UTF-8")
    out = []
    for ch in text:
        cat = unicodedata.category(ch)
        if cat == "Cc":
            out.append(" ")
        elif cat != "Cf":
            out.append(ch)
    return " ".join("".join(out).split())


def split_values(value: Any) -> list[str]:
    """A cell or JSON value as cleaned values; ``;`` separates several values in a cell."""
    if value is None:
        return []
    if type(value) is str and ";" not in value:  # one value (nearly every cell): no split
        cleaned = clean_text(value)
        return [cleaned] if cleaned else []
    if isinstance(value, list | tuple):
        out: list[str] = []
        for item in value:
            checkpoint()
            out.extend(split_values(item))
        return out
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise RowError(f"unexpected value {value!r}")
    parts = (clean_text(p) for p in str(value).split(";"))
    return [p for p in parts if p]


def normalise_prop(key: str) -> str:
    key = key.strip()
    return _ALIASES.get(key.lower(), key)


def infer_schema(props: Mapping[str, list[str]], given: str | None) -> Schema:
    """The schema named in the row, else guessed from its properties."""
    if given:
        try:
            return Schema(given.strip())
        except ValueError:
            if given.strip().lower() in {"thing", "any"}:
                return Schema.LEGAL_ENTITY
            raise RowError(f"unknown schema {given!r}") from None
    if props.get("imoNumber") or props.get("mmsi"):
        return Schema.VESSEL
    if any(props.get(p) for p in _PERSON_PROPS):
        return Schema.PERSON
    return Schema.LEGAL_ENTITY


def _part_names(props: Mapping[str, list[str]]) -> list[tuple[str, dict[str, str]]]:
    """Names from parts: one per given x family name (FtM values are alternatives, such as
    a family name in Latin and in Cyrillic), middle and father's names between them."""
    middle = " ".join([*props.get("middleName", []), *props.get("fatherName", [])])
    out: list[tuple[str, dict[str, str]]] = []
    for first, last in product(props.get("firstName") or [""], props.get("lastName") or [""]):
        parts = {k: v for k, v in (("given", first), ("middle", middle), ("family", last)) if v}
        full = " ".join(p for p in (first, middle, last) if p)
        if (first or last) and (full, parts) not in out:
            out.append((full, parts))
    return out[:MAX_PART_NAMES]


def _names(props: Mapping[str, list[str]]) -> list[tuple[str, NameKind, dict[str, str]]]:
    from_parts = _part_names(props)
    parts = from_parts[0][1] if from_parts else {}
    out: list[tuple[str, NameKind, dict[str, str]]] = []
    for name in props.get("name", []):
        out.append((name, NameKind.PRIMARY, parts))
        parts = {}
    if not out:
        out.extend((full, NameKind.PRIMARY if i == 0 else NameKind.ALIAS, found)
                   for i, (full, found) in enumerate(from_parts))
    kinds = (("alias", NameKind.ALIAS), ("previousName", NameKind.FORMER),
             ("weakAlias", NameKind.WEAK))
    out.extend((n, kind, {}) for prop, kind in kinds for n in props.get(prop, []))
    for name, _, _ in out:
        if len(name) > MAX_NAME_CHARS:
            raise RowError(f"name is {len(name)} characters, over the limit of {MAX_NAME_CHARS}")
    if not out:
        raise RowError("no name (give name, or firstName and lastName)")
    return out


def _countries(b: EntityBuilder, props: Mapping[str, list[str]], warnings: list[str]) -> None:
    adders = (("nationality", b.add_nationality), ("citizenship", b.add_citizenship),
              ("country", b.add_country))
    for prop, add in adders:
        for value in props.get(prop, []):
            if not add(value):
                warnings.append(f"unknown country {value!r} in {prop}")


def _dates_and_gender(b: EntityBuilder, props: Mapping[str, list[str]],
                      warnings: list[str], strict: bool) -> None:
    for value in props.get("birthDate", []):
        if not b.add_birth_date(value):
            if strict:
                raise RowError(f"birthDate {value!r} is not a date")
            warnings.append(f"birthDate {value!r} is not a date: ignored")
    for value in props.get("birthPlace", []):
        b.add_birth_place(value)
    for value in props.get("gender", []):
        b.set_gender(value)
        if b.gender is None:
            warnings.append(f"unknown gender {value!r}")


def build_query(row_id: str, props: Mapping[str, list[str]], schema: str | None,
                warnings: list[str], strict: bool = True) -> Entity:
    """A query entity from normalised properties; RowError when the row is unusable."""
    b = EntityBuilder(SOURCE, row_id, infer_schema(props, schema))
    for full, kind, parts in _names(props):
        checkpoint()
        b.add_name(full, kind, **parts)
    _dates_and_gender(b, props, warnings, strict)
    _countries(b, props, warnings)
    for value in props.get("address", []):
        b.add_address(Address(full=value))
    for prop, id_kind in _IDS.items():
        for value in props.get(prop, []):
            b.add_identifier(id_kind, value)
    return b.build()


def row_from_props(line: int, raw_id: Any, raw_props: Mapping[str, Any],
                   schema: Any, strict: bool = True,
                   limits: QueryLimits | None = None) -> QueryRow:
    """One QueryRow from a row's id, raw properties and schema; errors become the row's error."""
    row_id = str(line)
    warnings: list[str] = []
    try:
        ids = split_values(raw_id)
        row_id = ids[0] if ids else row_id
        if limits is not None:
            check_limits(raw_props, limits)
        props: dict[str, list[str]] = {}
        for key, value in raw_props.items():
            prop = normalise_prop(str(key))
            if prop not in KNOWN_PROPS:
                warnings.append(f"unknown property {key!r} ignored")
                continue
            props.setdefault(prop, []).extend(split_values(value))
        schemas = split_values(schema)
        entity = build_query(row_id, props, schemas[0] if schemas else None, warnings, strict)
    except RowError as exc:
        return QueryRow(line, row_id, error=str(exc), warnings=tuple(warnings))
    return QueryRow(line, row_id, entity=entity, warnings=tuple(warnings))


class CsvReader(Protocol[R_co]):
    """``csv.reader`` and ``csv.DictReader`` alike: records, and the line reached."""

    @property
    def line_num(self) -> int: ...

    def __next__(self) -> R_co: ...


def csv_records(reader: CsvReader[R_co]) -> Iterator[tuple[int, R_co | None, str | None]]:
    """(line, record, error) per CSV record; a malformed record is an error, not a crash.

    The file ends at a malformed record (the reader cannot tell where the next one starts).
    """
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield reader.line_num, None, f"malformed CSV: {exc}"
            return
        yield reader.line_num, record, None


def _csv_records(text: str) -> Iterator[tuple[int, list[str] | None, str | None]]:
    """(line, cells, error) per CSV record, blank lines skipped."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    for line, cells, error in csv_records(reader):
        if cells is None or (cells and cells != [""]):  # a row of blanks is an error later
            yield line, cells, error


def parse_csv(text: str, strict: bool = True) -> Iterator[QueryRow]:
    """Rows of a CSV file whose first record is a header of property names."""
    records = _csv_records(text)
    head = next(records, None)
    if head is None or head[1] is None:
        return
    header = [normalise_prop(c.lstrip("\ufeff")) for c in head[1]]
    if "name" not in header and not {"firstName", "lastName"} & set(header):
        raise RowError("the header has no name (or firstName/lastName) column")
    for line, cells, error in records:
        if cells is None:
            yield QueryRow(line, str(line), error=error)
        elif len(cells) != len(header):
            yield QueryRow(line, str(line), error=f"{len(cells)} cells, header has {len(header)}")
        else:
            rec = dict(zip(header, cells, strict=True))
            yield row_from_props(line, rec.pop("id", None), rec, rec.pop("schema", None), strict)


def json_row(line: int, raw: str, strict: bool = True) -> QueryRow:
    """The query of one FtM-shaped JSON line, or its error (``screen`` and ``batch``)."""
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        return QueryRow(line, str(line), error=f"malformed JSON: {exc}")
    props = record_properties(data)
    if isinstance(props, str):
        return QueryRow(line, str(line), error=props)
    return row_from_props(line, data.get("id"), props, data.get("schema"), strict)


def record_properties(data: Any) -> dict[str, Any] | str:
    """The properties of an FtM-shaped record (``{"id", "schema", "properties"}``, or flat
    properties beside ``id`` and ``schema``), or why it has none."""
    if not isinstance(data, dict):
        return "a JSON line must hold an object"
    props = data.get("properties")
    if props is None:
        props = {k: v for k, v in data.items() if k not in ("id", "schema")}
    if not isinstance(props, dict):
        return "properties must be an object"
    return props


def parse_jsonl(text: str, strict: bool = True) -> Iterator[QueryRow]:
    """Rows of a JSON lines file (one FtM-shaped entity per line)."""
    for number, raw in enumerate(text.splitlines(), start=1):
        if raw.strip():
            yield json_row(number, raw, strict)


def is_jsonl(text: str) -> bool:
    return text.lstrip("\ufeff \t\r\n").startswith("{")


def parse_queries(data: bytes | str, strict: bool = True) -> Iterator[QueryRow]:
    """Query rows from CSV or JSON lines (detected from the first character).

    ``strict=False`` turns impossible birth dates into warnings instead of row errors.
    """
    text = data if isinstance(data, str) else data.decode("utf-8", errors="surrogateescape")
    text = text.lstrip("\ufeff")
    if is_jsonl(text):
        yield from parse_jsonl(text, strict)
    else:
        yield from parse_csv(text, strict)


def read_queries(path: Path | str, strict: bool = True) -> Iterator[QueryRow]:
    """Query rows from a file; an unreadable file or header raises ParseError."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ParseError(path, f"cannot read: {exc.strerror or exc}") from None
    try:
        yield from parse_queries(raw, strict)
    except RowError as exc:
        raise ParseError(path, str(exc), line=1) from None


def query_entities(rows: Iterable[QueryRow]) -> Iterator[Entity]:
    """Only the good rows' entities (callers that report errors use the rows)."""
    for row in rows:
        if row.entity is not None:
            yield row.entity
