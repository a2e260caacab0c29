"""The keys on which entries of different lists are the same party.

* OFAC's entry number, which the SDN and the non-SDN lists share for one party;
* a UN reference number (``KPe.001``): the UN entry's own id, and the number as other lists
  quote it in remarks, notes, identifiers or other fields ("UN Ref KPe.001");
* a strong identifier (IMO, SWIFT/BIC, LEI, registration or tax number, passport, MMSI,
  crypto address) of six or more characters, of the same kind;
* a person's name with the same full birth date (a name alone links nobody);
* an organisation's or vessel's full name of three or more words with a country in common,
  or two names in common of which one has three or more words (``n:`` keys: a pair of
  entries is linked on them only when it shares two).

Keys are pure functions of one entry; :mod:`embargo.linking.links` joins entries that
share a key and come from different lists.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from embargo.model.entity import Entity, IdKind, Schema

UN_REF = re.compile(r"\b([A-Z]{2}[a-z]\.\d{3})\b")
STRONG = frozenset({IdKind.IMO, IdKind.LEI, IdKind.SWIFT_BIC, IdKind.TAX_ID,
                    IdKind.REGISTRATION, IdKind.MMSI, IdKind.PASSPORT, IdKind.CRYPTO})
MIN_ID = 6
MIN_NAME_WORDS = 3
_WORD = re.compile(r"\w+")


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text).casefold()
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def name_words(text: str) -> tuple[str, ...]:
    """A name's words, folded and sorted (word order differs between lists)."""
    return tuple(sorted(_WORD.findall(fold(text))))


def _texts(entity: Entity) -> Iterator[str]:
    if entity.remarks:
        yield entity.remarks
    for note in entity.notes:
        yield note.value
    for ident in entity.identifiers:
        yield ident.value
        if ident.note:
            yield ident.note
    for _, values in entity.properties:
        yield from values


def un_refs(entity: Entity) -> set[str]:
    """The UN reference numbers an entry is or quotes."""
    refs = {m for text in _texts(entity) for m in UN_REF.findall(text)}
    if entity.source == "un" and UN_REF.fullmatch(entity.native_id):
        refs.add(entity.native_id)
    return refs


def _id_value(value: str) -> str:
    """The identifier's characters; a label before it ("IMO 9123456") is dropped."""
    words = value.split()
    if len(words) > 1 and words[0].isalpha() and any(c.isdigit() for c in words[-1]):
        value = "".join(words[1:])
    return "".join(c for c in fold(value) if c.isalnum())


def keys(entity: Entity) -> dict[str, str]:
    """Linking key -> what it says (for the decision's explanation)."""
    out = {f"un:{ref.upper()}": f"UN reference {ref}" for ref in un_refs(entity)}
    if entity.source.startswith("ofac-"):  # OFAC numbers a party once across its lists
        out[f"ofac:{entity.native_id}"] = f"OFAC entry number {entity.native_id}"
    for ident in entity.identifiers:
        value = _id_value(ident.value)
        if ident.kind in STRONG and len(value) >= MIN_ID:
            out[f"id:{ident.kind.value}:{value}"] = f"{ident.kind.value} {ident.value}"
    out.update(_name_keys(entity))
    return out


def _countries(entity: Entity) -> set[str]:
    found = set(entity.countries) | set(entity.nationalities) | set(entity.citizenships)
    return found | {a.country for a in entity.addresses if a.country}


def _name_keys(entity: Entity) -> dict[str, str]:
    out: dict[str, str] = {}
    names = {name_words(n.full): n.full for n in entity.names}
    if entity.schema is Schema.PERSON:
        days = {d.value for d in entity.birth_dates if len(d.value) == 10}
        for words, full in names.items():
            for day in days:
                if len(words) >= 2:
                    out[f"pd:{' '.join(words)}:{day}"] = f"name {full} and birth date {day}"
        return out
    countries = _countries(entity)
    for words, full in names.items():
        if not words:
            continue
        out[f"n:{' '.join(words)}:{int(len(words) >= MIN_NAME_WORDS)}"] = f"name {full}"
        if len(words) >= MIN_NAME_WORDS:
            for country in countries:
                out[f"nc:{' '.join(words)}:{country}"] = f"name {full} and country {country}"
    return out
