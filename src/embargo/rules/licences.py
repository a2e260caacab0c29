"""Which licence or waiver, if any, lifts a prohibition for a transaction."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from embargo.model.entity import Entity
from embargo.rules.definitions import Licence
from embargo.rules.resolve import id_key, name_key
from embargo.rules.targets import binds
from embargo.rules.transaction import Transaction

if TYPE_CHECKING:
    from embargo.rules.hits import Hit


def _names_of(entity: Entity) -> set[str]:
    return {name_key(n.full) for n in entity.names}


def _ids_of(entity: Entity) -> set[str]:
    return {id_key(entity.id)} | {id_key(i.value) for i in entity.identifiers}


def _parties_fit(licence: Licence, hit: Hit) -> bool:
    if not licence.party_names and not licence.party_ids:
        return True
    names = {name_key(n) for n in licence.party_names}
    ids = {id_key(i) for i in licence.party_ids}
    listed: list[Entity] = [hit.entity] if hit.entity is not None else []
    if licence.owned:
        listed += hit.heads
    for entity in listed:
        if _names_of(entity) & names or _ids_of(entity) & ids:
            return True
    own_name = {name_key(hit.party.name)} if hit.party.name else set()
    return bool(own_name & names or {id_key(i) for i in hit.party.ids} & ids)


def _programmes(hit: Hit) -> set[str]:
    listed = [hit.entity] if hit.entity is not None else list(hit.heads)
    return {p.code for entity in listed for p in entity.programs}


def _programmes_lifted(licence: Licence, hit: Hit) -> bool:
    """Every programme the party is listed under is one the licence lifts (a listing under
    another programme as well stays prohibited)."""
    programmes = _programmes(hit)
    return bool(programmes) and programmes <= set(licence.programmes)


def covers(licence: Licence, tx: Transaction, day: date, hit: Hit) -> bool:
    if not licence.in_force(day) or binds(licence.jurisdictions, tx.jurisdiction).value is False:
        return False
    if hit.rule.id not in licence.rules and not _programmes_lifted(licence, hit):
        return False
    if licence.kinds and tx.kind not in licence.kinds:
        return False
    if licence.purposes and tx.purpose not in licence.purposes:
        return False
    if licence.issued_before is not None and not _issued_before(tx, licence.issued_before):
        return False
    return _parties_fit(licence, hit)


def _issued_before(tx: Transaction, day: date) -> bool:
    """The instrument was issued before ``day`` (an unknown issue date is not covered)."""
    issued = tx.instrument.issue_date if tx.instrument is not None else None
    return issued is not None and issued < day


def find_licence(licences: Iterable[Licence], tx: Transaction, day: date,
                 hit: Hit) -> Licence | None:
    """The first licence (by id) that covers the prohibition ``hit`` on ``day``: one that
    lifts it for certain before one whose scope is in doubt (``effect = "review"``)."""
    for licence in sorted(licences, key=lambda lic: (not lic.certain, lic.id)):
        if covers(licence, tx, day, hit):
            return licence
    return None
