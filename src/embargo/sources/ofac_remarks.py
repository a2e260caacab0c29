"""The OFAC remarks field: ``DOB 1962; POB Baghdad, Iraq; Passport A1 (Iran); ...``.

OFAC's legacy flat files pack typed facts into one free-text field. This module
splits it at top-level semicolons, recognises each item by its label (table
driven: :data:`LABELS`) and maps it onto an :class:`EntityBuilder`. Whatever
cannot be read is put back into the entity's ``remarks``: nothing is dropped.
The same item reader serves the XML ``idList`` (``idType`` + ``idNumber``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum

from embargo.model.builder import EntityBuilder
from embargo.model.countries import country_code
from embargo.model.dates import iso_date
from embargo.model.entity import Directive, IdKind, NameKind


class Field(StrEnum):
    """What an item of the remarks field is about."""

    DOB = "dob"
    POB = "pob"
    NATIONALITY = "nationality"
    CITIZENSHIP = "citizenship"
    COUNTRY = "country"
    GENDER = "gender"
    NAME = "name"
    LINK = "link"
    IDENTIFIER = "identifier"
    DIRECTIVE = "directive"
    PROPERTY = "property"
    NOTE = "note"
    REMARK = "remark"  # no known label: kept as free text


_I, _P, _N = Field.IDENTIFIER, Field.PROPERTY, Field.NOTE
# (field, kind, "label|label|..."): kind is an IdKind/NameKind value or a property name
LABELS: tuple[tuple[Field, str | None, str], ...] = (
    (Field.DOB, None, "DOB"),
    (Field.POB, None, "POB"),
    (Field.NATIONALITY, None, "nationality"),
    (Field.CITIZENSHIP, None, "citizen|citizenship"),
    (Field.COUNTRY, None, "Nationality of Registration|Registration Country"),
    (Field.GENDER, None, "Gender"),
    (Field.NAME, NameKind.WEAK, "a.k.a."),
    (Field.NAME, NameKind.FORMER, "f.k.a."),
    (Field.NAME, NameKind.ALIAS, "n.k.a.|d.b.a."),
    (Field.LINK, "linked_to", "Linked To:"),
    (_I, IdKind.PASSPORT, "Passport|Passport No.:|Passport Booklet|Passport Booklet:|"
     "Diplomatic Passport|British National Overseas Passport|Stateless Person Passport|"
     "Travel Document Number|U.S.A. Passport"),
    (_I, IdKind.NATIONAL_ID, "National ID No.|National ID No.:|Cedula No.|C.U.R.P.|C.U.R.P. #|"
     "D.N.I.|Identification Number|Personal ID Card|Kenyan ID No.|Turkish Identification Number|"
     "Numero de Identidad|Citizen's Card Number|Bosnian Personal ID No.|Refugee ID Card|"
     "Moroccan Personal ID No.|Tazkira National ID Card|CNP (Personal Numerical Code)|"
     "National Foreign ID Number|UAE Identification|Electoral Registry No.|Credencial electoral|"
     "I.F.E.|C.U.I.|C.U.I.P.|SSN|Birth Certificate Number|Stateless Person ID Card|N.I.E.|"
     "Residency Number|Military Registration Number|Cartilla de Servicio Militar Nacional"),
    (_I, IdKind.TAX_ID, "Tax ID No.|NIT #|RUC #|R.F.C.|R.F.C. #|RFC|V.A.T. Number|US FEIN|"
     "Italian Fiscal Code|Italian Fiscal Code:|C.U.I.T.|RIF #|Paraguayan tax identification number|"
     "Fiscal Code|Romanian Tax Registration|RTN|C.I.F.|RSIN|"
     "Numero Unico de Identificacao Tributaria (NUIT)"),
    (_I, IdKind.REGISTRATION, "Registration Number|Registration ID|Business Registration Number|"
     "Company Number|UK Company Number|Commercial Registry Number|Folio Mercantil No.|"
     "Matricula Mercantil No|C.R. No.|Government Gazette Number|Unified Social Credit Code (USCC)|"
     "United Social Credit Code Certificate (USCCC)|Economic Register Number (CBLS)|"
     "Chamber of Commerce Number|Central Registration System Number|Public Registration Number|"
     "Trade License No.|Business Registration Document #|Business Number|Enterprise Number|"
     "Istanbul Chamber of Comm. No.|Dubai Chamber of Commerce Membership No.|"
     "Registered Charity No.|Branch Unit Number|Certificate of Incorporation Number|"
     "Organization Code|Romanian C.R.|License|Permit Number|D-U-N-S Number|MSB Registration Number|"
     "Afghan Money Service Provider License Number|Business Registration Document|LE Number"),
    (_I, IdKind.LEI, "Legal Entity Number"),
    (_I, IdKind.IMO, "Vessel Registration Identification IMO|Identification Number IMO|"
     "Company Number IMO|International Maritime Organization No."),
    (_I, IdKind.MMSI, "MMSI"),
    (_I, IdKind.CALL_SIGN, "Call Sign|Other Vessel Call Sign|Vessel Call Sign"),
    (_I, IdKind.SWIFT_BIC, "SWIFT/BIC"),
    (_I, IdKind.WEBSITE, "Website"),
    (_I, IdKind.EMAIL, "Email Address|Email"),
    (_I, IdKind.PHONE, "Telephone|Telephone:|Telephone No.|Telephone Number:|Phone Number|"
     "Phone No.|Phone|Fax|Fax:|Fax No.|Alt. Fax:|Alt. Telephone:|TELEX"),
    (_I, IdKind.AIRCRAFT, "Aircraft Manufacturer's Serial Number (MSN)|"
     "Aircraft Construction Number (also called L/N or S/N or F/N)|Aircraft Tail Number|"
     "Previous Aircraft Tail Number|Aircraft Mode S Transponder Code|"
     "Aircraft Serial Identification"),
    (_I, IdKind.OTHER, "ISIN|Identification Number ISIN:|Equity Ticker|BIK (RU)|"
     "Chinese Commercial Code|"
     "Driver's License No.|VisaNumberID|Immigration No.|Public Security and Immigration No.|"
     "Pilot License Number|SRE Permit No.|Tarjeta Profesional|Romanian Permanent Resident CAN|"
     "Vessel Registration Identification|File Number|Serial No.|UN/LOCODE"),
    (_P, "incorporationDate", "Organization Established Date"),
    (_P, "model", "Aircraft Model"),
    (_P, "operator", "Aircraft Operator"),
    (_P, "buildDate", "Aircraft Manufacture Date|Vessel Year of Build"),
    (_P, "pastFlags", "Former Vessel Flag|Other Vessel Flag"),
    (_N, None, "Other Vessel Type"),
    (_N, None, "Secondary sanctions risk:|Additional Sanctions Information -|Target Type|"
     "Transactions Prohibited For Persons Owned or Controlled By U.S. Financial Institutions:|"
     "Organization Type:|CAATSA Section 235 Information:|IFCA Determination -|Issuer Name|"
     "For more information, please see:|"
     "For more information on directives, please visit the following link:|"
     "Listing Date (CMIC)|Effective Date (CMIC)|Purchase/Sales For Divestment Date (CMIC)"),
)
# labels with a variable part, by first word: (pattern, field, kind)
_PATTERNS: dict[str, tuple[tuple[re.Pattern[str], Field, str | None], ...]] = {
    "digital": ((re.compile(r"Digital Currency Address - [0-9A-Za-z]+", re.I), _I, IdKind.CRYPTO),),
    "listing": ((re.compile(r"Listing Date \(EO ?\d+ Directive [0-9A-Za-z]+\):?", re.I),
                 Field.DIRECTIVE, "date"),),
    "effective": ((re.compile(r"Effective Date \(EO ?\d+ Directive [0-9A-Za-z]+\):?", re.I),
                   Field.DIRECTIVE, "date"),),
    "executive": (
        (re.compile(r"Executive Order \d+ Directive (?:Determination|Information)\s*[-:]?", re.I),
         Field.DIRECTIVE, "info"),
        (re.compile(r"Executive Order \d+ information:", re.I), _N, None),
    ),
}
_ALT = re.compile(r"^alt\.\s+", re.I)
_TAIL = re.compile(r"\s+(?=(?:issued|expires|expired|expiration|issue date)\b)", re.I)
_PAREN = re.compile(r"^(?P<value>.*?)\s*\((?P<country>[^()]*)\)\s*$", re.S)
_EO = re.compile(r"(?:Executive Order|EO) ?(\d+)", re.I)
_DIRECTIVE = re.compile(r"Directive ([0-9A-Za-z]+)\b", re.I)
_SUBJECT = re.compile(r"^\s*Subject to Directive [0-9A-Za-z]+\b", re.I)
_YEAR_RANGE = re.compile(r"\b(\d{4})\s*-\s*(\d{4})\b")


@dataclass(frozen=True, slots=True)
class RemarkItem:
    """One item of a remarks field, as written (``raw``) and as read.

    ``label``, ``value``, ``country`` and ``note`` together hold every letter
    and digit of ``raw`` (only white space and punctuation around them go).
    """

    field: Field
    raw: str
    label: str = ""
    value: str = ""
    alt: bool = False
    kind: str | None = None  # IdKind / NameKind value, property name, "date"/"info"
    country: str | None = None  # the ``(Country)`` suffix as written
    note: str | None = None  # trailing qualifiers: ``issued 2001 expires 2005``


def _index() -> dict[str, list[tuple[str, Field, str | None]]]:
    index: dict[str, list[tuple[str, Field, str | None]]] = {}
    for field, kind, labels in LABELS:
        for label in labels.split("|"):
            index.setdefault(label.split()[0].lower(), []).append((label, field, kind))
    for entries in index.values():
        entries.sort(key=lambda entry: -len(entry[0]))
    return index


_INDEX = _index()


def _unclosed(piece: str) -> bool:
    """Whether ``piece`` opens a bracket or double quote that it does not close."""
    return (piece.count("(") > piece.count(")") or piece.count("[") > piece.count("]")
            or piece.count('"') % 2 == 1)


def split_remarks(text: str) -> list[str]:
    """Pieces between top-level ``;`` (``";".join(pieces) == text``).

    A ``;`` inside brackets or double quotes does not split; a bracket that is
    never closed is taken literally.
    """
    parts = text.split(";")
    pieces: list[str] = []
    start = 0
    while start < len(parts):
        piece, end = parts[start], start
        while _unclosed(piece) and end + 1 < len(parts):
            end += 1
            piece += ";" + parts[end]
        if end > start and _unclosed(piece):
            piece, end = parts[start], start
        pieces.append(piece)
        start = end + 1
    return pieces


def _find_label(body: str) -> tuple[str, Field, str | None, str] | None:
    """The longest known label that starts ``body``: (label, field, kind, rest)."""
    words = body.split(None, 1)
    first = words[0].lower() if words else ""
    for pattern, field, kind in _PATTERNS.get(first, ()):
        if m := pattern.match(body):
            return m[0], field, kind, body[m.end():]
    for label, field, kind in _INDEX.get(first, ()):
        head, rest = body[: len(label)], body[len(label):]
        if head.lower() == label.lower() and (
            not rest or not rest[0].isalnum() or not label[-1].isalnum()
        ):
            return head, field, kind, rest
    return None


def _split_tail(value: str) -> tuple[str, str | None]:
    parts = _TAIL.split(value, maxsplit=1)
    return parts[0], (parts[1] if len(parts) > 1 else None)


def _split_country(value: str) -> tuple[str, str | None]:
    m = _PAREN.match(value)
    if m and m["value"] and country_code(m["country"]):
        return m["value"], m["country"]
    return value, None


def parse_item(raw: str) -> RemarkItem:
    """Read one item; an item with no known label is a ``REMARK``."""
    body = raw.strip()
    alt = bool(_ALT.match(body))
    body = _ALT.sub("", body, count=1)
    if body.startswith("(") and body.endswith(")"):
        body = body[1:-1].strip()
    found = _find_label(body)
    if found is None:
        return RemarkItem(Field.REMARK, raw, value=raw.strip())
    label, field, kind, rest = found
    value = rest.strip().lstrip(":").strip()
    if field is not Field.IDENTIFIER:
        return RemarkItem(field, raw, label, value, alt, kind)
    value, note = _split_tail(value)
    value, country = _split_country(value)
    return RemarkItem(field, raw, label, value, alt, kind, country, note)


def parse_remarks(text: str | None) -> list[RemarkItem]:
    """Every item of a remarks field (the field's final full stop is dropped)."""
    if not text or text.strip() in ("", "-0-"):
        return []
    body = text.strip()
    body = body[:-1] if body.endswith(".") else body
    return [parse_item(piece) for piece in split_remarks(body) if piece.strip()]


def join_comments(remarks: str | None, continuations: Iterable[str]) -> str | None:
    """Remarks with their ``*_comments.csv`` overflow appended (cut mid-word: no gap)."""
    extra = "".join(continuations)
    if not extra:
        return remarks
    base = "" if remarks is None or remarks.strip() == "-0-" else remarks
    return base + extra


def _label_text(label: str) -> str:
    return label.strip().rstrip(":-").strip()


def _directive_key(authority: str, name: str) -> tuple[str, str] | None:
    """("EO 14024", "Directive 1A") named in ``authority`` and ``name``, or None."""
    eo, directive = _EO.search(authority), _DIRECTIVE.search(name)
    if eo is None or directive is None:
        return None
    return f"EO {eo[1]}", f"Directive {directive[1].upper()}"


class DirectiveMerger:
    """Collects directive facts; listing/effective dates merge into their directive."""

    def __init__(self) -> None:
        self._parts: dict[tuple[str, str], dict[str, str]] = {}

    def add(self, item: RemarkItem) -> bool:
        """Take a DIRECTIVE item; False when it names no directive (it is a note)."""
        if item.kind == "date":
            key = _directive_key(item.label, item.label)
            date = iso_date(item.value)
            if key is None or date is None:
                return False
            slot = "listed_on" if item.label.lower().startswith("listing") else "effective_on"
            self._parts.setdefault(key, {})[slot] = date
            return True
        key = _directive_key(item.label, item.value) if _SUBJECT.match(item.value) else None
        if key is None:
            return False
        parts = self._parts.setdefault(key, {})
        parts.setdefault("text", item.value)
        return True

    def directives(self) -> list[Directive]:
        return [Directive(authority=key[0], name=key[1], **parts)
                for key, parts in self._parts.items()]


def _name(builder: EntityBuilder, item: RemarkItem) -> bool:
    value = item.value.rstrip(".").strip() if item.value.endswith("'.") else item.value
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        value = value[1:-1]
    if not value.strip():
        return False
    builder.add_name(value, NameKind(item.kind or NameKind.WEAK))
    return True


def _identifier(builder: EntityBuilder, item: RemarkItem) -> bool:
    if not item.value:
        return False
    kind = IdKind(item.kind or IdKind.OTHER)
    label = item.label.split()[-1] if kind is IdKind.CRYPTO else _label_text(item.label)
    builder.add_identifier(kind, item.value, item.country, label, item.note)
    return True


def _property(builder: EntityBuilder, item: RemarkItem) -> bool:
    if not item.value or item.kind is None:
        return False
    dated = item.kind in ("incorporationDate", "buildDate")
    builder.add_property(item.kind, (iso_date(item.value) or item.value) if dated else item.value)
    return True


def _note(builder: EntityBuilder, item: RemarkItem) -> bool:
    if not item.value:
        return False
    builder.add_note(_label_text(item.label), item.value)
    return True


def _gender(builder: EntityBuilder, item: RemarkItem) -> bool:
    builder.set_gender(item.value)
    return builder.gender is not None and item.value.lower().rstrip(".") in ("male", "female")


def _link(builder: EntityBuilder, item: RemarkItem) -> bool:
    if not item.value:
        return False
    builder.add_link(item.kind or "linked_to", target_name=item.value)
    return True


def _dob(builder: EntityBuilder, item: RemarkItem) -> bool:
    if builder.add_birth_date(item.value):
        return True
    return builder.add_birth_date(_YEAR_RANGE.sub(r"\1 to \2", item.value))


def _pob(builder: EntityBuilder, item: RemarkItem) -> bool:
    builder.add_birth_place(item.value)
    return bool(item.value)


_APPLY: dict[Field, Callable[[EntityBuilder, RemarkItem], bool]] = {
    Field.DOB: _dob,
    Field.POB: _pob,
    Field.NATIONALITY: lambda b, i: b.add_nationality(i.value),
    Field.CITIZENSHIP: lambda b, i: b.add_citizenship(i.value),
    Field.COUNTRY: lambda b, i: b.add_country(i.value),
    Field.GENDER: _gender,
    Field.NAME: _name,
    Field.LINK: _link,
    Field.IDENTIFIER: _identifier,
    Field.PROPERTY: _property,
    Field.NOTE: _note,
    Field.REMARK: lambda b, i: False,
}


def apply_items(builder: EntityBuilder, items: Iterable[RemarkItem],
                merger: DirectiveMerger | None = None) -> None:
    """Put each item on ``builder``; unreadable items go to ``remarks`` as written.

    Directives are collected in ``merger`` (a fresh one, flushed here, unless
    the caller passes its own to merge with other sources such as the XML idList).
    """
    own = merger is None
    merger = merger or DirectiveMerger()
    for item in items:
        if item.field is Field.DIRECTIVE:
            done = merger.add(item) or _note(builder, item)
        else:
            done = _APPLY[item.field](builder, item)
        if not done:
            builder.add_remark(item.raw.strip())
    if own:
        flush_directives(builder, merger)


def flush_directives(builder: EntityBuilder, merger: DirectiveMerger) -> None:
    for directive in merger.directives():
        builder.add_directive(directive)


def apply_remarks(builder: EntityBuilder, text: str | None) -> None:
    """Parse a remarks field and put what it says on ``builder``."""
    apply_items(builder, parse_remarks(text))
