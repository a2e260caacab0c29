"""A mutable helper that parsers fill in and then freeze into an Entity."""

from __future__ import annotations

from embargo.model.countries import country_code
from embargo.model.dates import parse_date
from embargo.model.entity import (
    Address,
    Directive,
    Entity,
    FuzzyDate,
    Identifier,
    IdKind,
    Link,
    Name,
    NameKind,
    Note,
    Program,
    Schema,
)

_KIND_ORDER = {kind: number for number, kind in enumerate(NameKind)}  # names sort in this order


def clean(text: str | None) -> str | None:
    """Collapse white space; None for empty values and OFAC's ``-0-``."""
    if text is None:
        return None
    text = " ".join(text.split())
    return text if text and text != "-0-" else None


class EntityBuilder:
    """Collects what a parser finds about one party, without duplicates."""

    def __init__(self, source: str, native_id: str, schema: Schema, prefix: str | None = None):
        self.source = source
        self.native_id = native_id.strip()
        self.id = f"{prefix or source}:{self.native_id}"
        self.schema = schema
        self.names: list[Name] = []
        self.birth_dates: list[FuzzyDate] = []
        self.birth_places: list[str] = []
        self.nationalities: list[str] = []
        self.citizenships: list[str] = []
        self.countries: list[str] = []
        self.gender: str | None = None
        self.addresses: list[Address] = []
        self.identifiers: list[Identifier] = []
        self.programs: list[Program] = []
        self.directives: list[Directive] = []
        self.links: list[Link] = []
        self.notes: list[Note] = []
        self.positions: list[str] = []
        self.listed_on: str | None = None
        self.delisted_on: str | None = None
        self.modified_on: str | None = None
        self.remarks: list[str] = []
        self.properties: dict[str, list[str]] = {}

    @staticmethod
    def _add(items: list, item: object) -> None:  # type: ignore[type-arg]
        if item is not None and item not in items:
            items.append(item)

    def add_name(self, full: str | None, kind: NameKind = NameKind.PRIMARY,
                 **parts: str | bool | None) -> None:
        full = clean(full)
        if full is None:
            return
        cleaned = {k: clean(v) if isinstance(v, str) else v for k, v in parts.items()}
        if any(n.full == full and n.kind == kind for n in self.names):
            return
        self._add(self.names, Name(full, kind, **cleaned))  # type: ignore[arg-type]

    def add_birth_date(self, value: str | FuzzyDate | None, month_first: bool = False) -> bool:
        """Add a date; False when the text is not a date (the caller keeps it)."""
        parsed = value if isinstance(value, FuzzyDate) else parse_date(value, month_first)
        if parsed is None:
            return False
        self._add(self.birth_dates, parsed)
        return True

    def add_birth_place(self, place: str | None) -> None:
        self._add(self.birth_places, clean(place))

    def _add_country(self, items: list[str], text: str | None) -> bool:
        code = country_code(text)
        self._add(items, code)
        return code is not None

    def add_nationality(self, text: str | None) -> bool:
        return self._add_country(self.nationalities, text)

    def add_citizenship(self, text: str | None) -> bool:
        return self._add_country(self.citizenships, text)

    def add_country(self, text: str | None) -> bool:
        return self._add_country(self.countries, text)

    def set_gender(self, text: str | None) -> None:
        value = (clean(text) or "").lower()
        if value in ("male", "m", "man"):
            self.gender = "male"
        elif value in ("female", "f", "woman"):
            self.gender = "female"

    def add_address(self, address: Address) -> None:
        if any(v for v in (address.full, address.street, address.city, address.region,
                           address.postal_code, address.country, address.country_name)):
            self._add(self.addresses, address)

    def add_identifier(self, kind: IdKind, value: str | None, country: str | None = None,
                       label: str | None = None, note: str | None = None) -> None:
        value = clean(value)
        if value is None:
            return
        code = country_code(country) if country else None
        self._add(self.identifiers, Identifier(kind, value, code, clean(label), clean(note)))

    def add_program(self, program: Program) -> None:
        self._add(self.programs, program)

    def add_directive(self, directive: Directive) -> None:
        self._add(self.directives, directive)

    def add_link(self, relation: str, target_name: str | None = None,
                 target_id: str | None = None) -> None:
        if clean(target_name) or target_id:
            self._add(self.links, Link(relation, clean(target_name), target_id))

    def add_note(self, label: str, value: str | None) -> None:
        value = clean(value)
        if value is not None:
            self._add(self.notes, Note(" ".join(label.split()), value))

    def add_position(self, text: str | None) -> None:
        self._add(self.positions, clean(text))

    def add_remark(self, text: str | None) -> None:
        self._add(self.remarks, clean(text))

    def add_property(self, prop: str, value: str | None) -> None:
        value = clean(value)
        if value is not None:
            self._add(self.properties.setdefault(prop, []), value)

    def build(self) -> Entity:
        names = sorted(self.names, key=lambda n: _KIND_ORDER[n.kind])
        return Entity(
            id=self.id, source=self.source, native_id=self.native_id, schema=self.schema,
            names=tuple(names), birth_dates=tuple(self.birth_dates),
            birth_places=tuple(self.birth_places), nationalities=tuple(self.nationalities),
            citizenships=tuple(self.citizenships), countries=tuple(self.countries),
            gender=self.gender, addresses=tuple(self.addresses),
            identifiers=tuple(self.identifiers), programs=tuple(self.programs),
            directives=tuple(self.directives), links=tuple(self.links), notes=tuple(self.notes),
            positions=tuple(self.positions), listed_on=self.listed_on,
            delisted_on=self.delisted_on, modified_on=self.modified_on,
            remarks="\n".join(self.remarks) or None,
            properties=tuple((k, tuple(v)) for k, v in sorted(self.properties.items()) if v),
        )
