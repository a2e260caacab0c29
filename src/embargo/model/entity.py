"""The one entity model for everything on a sanctions list.

Entities are frozen, slotted dataclasses built from tuples so that they are
hashable, cheap to keep in memory and safe to share between threads. Parsers
build them with :class:`embargo.model.builder.EntityBuilder`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from embargo.model.pickling import fast_pickle


class Schema(StrEnum):
    """The kinds of listed party, named as in FollowTheMoney."""

    PERSON = "Person"
    ORGANIZATION = "Organization"
    COMPANY = "Company"
    LEGAL_ENTITY = "LegalEntity"
    VESSEL = "Vessel"
    AIRPLANE = "Airplane"


class NameKind(StrEnum):
    """How strongly a name identifies the party."""

    PRIMARY = "primary"  # the name the list files the entry under
    ALIAS = "alias"  # a strong a.k.a. / f.k.a. / good-quality alias
    WEAK = "weak"  # a weak / low-quality alias (OFAC "a.k.a. 'X'", UN "Low")
    FORMER = "former"  # a former name (f.k.a.)


class IdKind(StrEnum):
    """Typed identifiers; values are the FtM-ish spelling of the kind."""

    PASSPORT = "passport"
    NATIONAL_ID = "national_id"
    TAX_ID = "tax_id"  # INN, TIN, VAT, ...
    REGISTRATION = "registration"  # OGRN, company number, USCC, ...
    IMO = "imo"
    MMSI = "mmsi"
    CALL_SIGN = "call_sign"
    SWIFT_BIC = "swift_bic"
    LEI = "lei"
    CRYPTO = "crypto"  # digital currency address; `label` holds the currency
    WEBSITE = "website"
    EMAIL = "email"
    PHONE = "phone"
    AIRCRAFT = "aircraft"  # tail number, manufacturer serial number
    OTHER = "other"


@fast_pickle
@dataclass(frozen=True, slots=True)
class Name:
    """One name of a party, with its parts where the source gives them."""

    full: str
    kind: NameKind = NameKind.PRIMARY
    given: str | None = None
    middle: str | None = None
    family: str | None = None
    patronymic: str | None = None
    title: str | None = None
    lang: str | None = None  # ISO 639 code when the source says so
    original_script: bool = False  # written in the party's own (non-Latin) script


@fast_pickle
@dataclass(frozen=True, slots=True)
class FuzzyDate:
    """A date that may be exact, a month, a year, a range or approximate.

    ``value`` and ``end`` are ISO prefixes: ``1962``, ``1962-05`` or
    ``1962-05-03``. A range sets ``end``; "circa" sets ``circa``.
    """

    value: str
    end: str | None = None
    circa: bool = False
    text: str | None = None  # the source's own wording, when it differed

    @property
    def year(self) -> int:
        return int(self.value[:4])

    def __str__(self) -> str:
        out = self.value if self.end is None else f"{self.value}/{self.end}"
        return f"~{out}" if self.circa else out


@fast_pickle
@dataclass(frozen=True, slots=True)
class Address:
    full: str | None = None
    street: str | None = None
    city: str | None = None
    region: str | None = None
    postal_code: str | None = None
    country: str | None = None  # ISO 3166-1 alpha-2, lower case (FtM style)
    country_name: str | None = None  # the source's spelling

    def text(self) -> str:
        if self.full:
            return self.full
        parts = (self.street, self.city, self.region, self.postal_code, self.country_name)
        return ", ".join(p for p in parts if p)


@fast_pickle
@dataclass(frozen=True, slots=True)
class Identifier:
    kind: IdKind
    value: str
    country: str | None = None  # issuing country, ISO alpha-2 lower case
    label: str | None = None  # the source's own type label ("Passport", "XBT", "OGRN")
    note: str | None = None  # issue/expiry dates and other qualifiers


@fast_pickle
@dataclass(frozen=True, slots=True)
class Program:
    """A programme tag, as listed (``raw``) and normalised (``code``)."""

    raw: str
    code: str


@fast_pickle
@dataclass(frozen=True, slots=True)
class Directive:
    """A sectoral directive attached to a listing (OFAC non-SDN lists)."""

    authority: str  # "EO 14024"
    name: str  # "Directive 1A"
    text: str | None = None
    listed_on: str | None = None
    effective_on: str | None = None


@fast_pickle
@dataclass(frozen=True, slots=True)
class Link:
    """A relation to another listed party, by id where known, else by name."""

    relation: str  # "linked_to", "owner", "associate", ...
    target_name: str | None = None
    target_id: str | None = None


@fast_pickle
@dataclass(frozen=True, slots=True)
class Note:
    """A labelled fact from the source that has no field of its own."""

    label: str
    value: str


@fast_pickle
@dataclass(frozen=True, slots=True)
class Entity:
    """A listed party as one source lists it in one snapshot."""

    id: str  # stable across snapshots: "ofac-sdn:36", "un:QDi.001", ...
    source: str  # the list: "ofac-sdn", "un", "uk-ofsi", ...
    native_id: str
    schema: Schema
    names: tuple[Name, ...]
    birth_dates: tuple[FuzzyDate, ...] = ()
    birth_places: tuple[str, ...] = ()
    nationalities: tuple[str, ...] = ()
    citizenships: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()  # other country links (jurisdiction, flag, ...)
    gender: str | None = None  # "male" / "female"
    addresses: tuple[Address, ...] = ()
    identifiers: tuple[Identifier, ...] = ()
    programs: tuple[Program, ...] = ()
    directives: tuple[Directive, ...] = ()
    links: tuple[Link, ...] = ()
    notes: tuple[Note, ...] = ()
    positions: tuple[str, ...] = ()  # titles, designations, occupations
    listed_on: str | None = None
    delisted_on: str | None = None
    modified_on: str | None = None
    remarks: str | None = None
    properties: tuple[tuple[str, tuple[str, ...]], ...] = field(default=())
    """Other FtM properties the source gives (vessel flag, tonnage, ...)."""

    @property
    def caption(self) -> str:
        for name in self.names:
            if name.kind is NameKind.PRIMARY:
                return name.full
        return self.names[0].full if self.names else self.id

    def names_of(self, *kinds: NameKind) -> tuple[Name, ...]:
        return tuple(n for n in self.names if n.kind in kinds)

    def ids_of(self, kind: IdKind) -> tuple[str, ...]:
        return tuple(i.value for i in self.identifiers if i.kind is kind)

    def prop(self, name: str) -> tuple[str, ...]:
        for key, values in self.properties:
            if key == name:
                return values
        return ()
