"""Non-name evidence: identifiers, birth dates, countries and gender."""

from __future__ import annotations

import re
from dataclasses import dataclass

from embargo.matching import weights as w
from embargo.matching.match import Feature
from embargo.model.entity import Entity, FuzzyDate, IdKind
from embargo.model.pickling import fast_pickle
from embargo.names.form import frozen

_STRONG_IDS = frozenset({
    IdKind.IMO, IdKind.PASSPORT, IdKind.NATIONAL_ID, IdKind.TAX_ID, IdKind.REGISTRATION,
    IdKind.SWIFT_BIC, IdKind.LEI, IdKind.MMSI, IdKind.CRYPTO, IdKind.AIRCRAFT,
})
_NON_ALNUM = re.compile(r"[^0-9A-Z]")


def _norm_id(value: str) -> str:
    out = _NON_ALNUM.sub("", value.upper())
    return out[3:] if out.startswith("IMO") else out


def _ids(entity: Entity) -> dict[IdKind, set[str]]:
    out: dict[IdKind, set[str]] = {}
    for ident in entity.identifiers:
        if ident.kind in _STRONG_IDS and (value := _norm_id(ident.value)):
            out.setdefault(ident.kind, set()).add(value)
    return out


def id_feature(q: Entity, c: Entity) -> Feature | None:
    qi, ci = _ids(q), _ids(c)
    shared = [k for k in qi if k in ci]
    if not shared:
        return None
    for kind in shared:
        if qi[kind] & ci[kind]:
            return Feature("identifier", 1.0, w.ID_MATCH, f"same {kind.value}")
    names = ", ".join(k.value for k in shared)
    return Feature("identifier", 0.0, w.ID_CONFLICT, f"different {names}")


def _date_parts(date: FuzzyDate) -> tuple[int, int | None, int | None]:
    parts = date.value.split("-")
    month = int(parts[1]) if len(parts) > 1 else None
    day = int(parts[2]) if len(parts) > 2 else None
    return int(parts[0]), month, day


def _date_sim(a: FuzzyDate, b: FuzzyDate) -> float:
    ya, ma, da = _date_parts(a)
    yb, mb, db = _date_parts(b)
    if a.end or b.end or a.circa or b.circa:
        lo, hi = int((a.end or a.value)[:4]), int((b.end or b.value)[:4])
        return 0.6 if ya <= hi + 1 and yb <= lo + 1 else 0.0  # ranges a year apart at most
    if ya != yb:  # a year apart: a common error or a different year reckoning
        return 0.4 if abs(ya - yb) == 1 else 0.0
    if None in (ma, mb, da, db):
        return 0.8 if ma is None or mb is None or ma == mb else 0.3
    if (ma, da) == (mb, db):
        return 1.0
    return 0.7 if (ma, da) == (db, mb) else 0.3


def date_feature(q: Entity, c: Entity) -> Feature | None:
    if not q.birth_dates or not c.birth_dates:
        return None
    return _dates(q.birth_dates, c.birth_dates)


def _dates(qd: tuple[FuzzyDate, ...], cd: tuple[FuzzyDate, ...]) -> Feature:
    best = max(_date_sim(a, b) for a in qd for b in cd)
    if best >= 1.0:
        return Feature("birth_date", best, w.DOB_EXACT, "same birth date")
    if best >= 0.6:
        return Feature("birth_date", best, w.DOB_YEAR, "birth dates agree loosely")
    if best >= 0.3:
        return Feature("birth_date", best, 0.0, "same year, other day; or a year apart")
    return Feature("birth_date", best, w.DOB_CONFLICT, "different birth dates")


def _countries(entity: Entity) -> set[str]:
    out = set(entity.nationalities) | set(entity.citizenships) | set(entity.countries)
    return {c.lower() for c in out if c}


def country_feature(q: Entity, c: Entity) -> Feature | None:
    qc, cc = _countries(q), _countries(c)
    if not qc or not cc:
        return None
    return _country(frozenset(qc), frozenset(cc))


def _country(qc: frozenset[str], cc: frozenset[str]) -> Feature:
    if qc & cc:
        return Feature("country", 1.0, w.COUNTRY_MATCH, ",".join(sorted(qc & cc)))
    return Feature("country", 0.0, w.COUNTRY_CONFLICT, "no country in common")


def gender_feature(q: Entity, c: Entity) -> Feature | None:
    if q.gender and c.gender and q.gender != c.gender:
        return Feature("gender", 0.0, w.GENDER_CONFLICT, f"{q.gender} vs {c.gender}")
    return None


def entity_features(q: Entity, c: Entity) -> tuple[Feature, ...]:
    """Every non-name feature that applies to the pair."""
    found = (id_feature(q, c), date_feature(q, c), country_feature(q, c), gender_feature(q, c))
    return tuple(f for f in found if f is not None)


@fast_pickle
@dataclass(frozen=True, slots=True)
class Evidence:
    """What of an entity the non-name features look at, extracted once."""

    ids: tuple[tuple[IdKind, frozenset[str]], ...]
    dates: tuple[FuzzyDate, ...]
    countries: frozenset[str]
    gender: str | None
    empty: bool = False  # nothing to compare
    parsed: tuple[Parsed, ...] = ()  # the dates as numbers, for :func:`evidence_score`


Parsed = tuple[int, "int | None", "int | None", bool, int]
"""A birth date as year, month, day, whether it is a range or approximate, and its end year."""


def _parsed(date: FuzzyDate) -> Parsed:
    year, month, day = _date_parts(date)
    return year, month, day, bool(date.end or date.circa), int((date.end or date.value)[:4])


NO_EVIDENCE = Evidence((), (), frozenset(), None, True)
"""A name-only party's evidence: one shared object (screening queries are mostly these)."""


def evidence(entity: Entity) -> Evidence:
    if not (entity.identifiers or entity.birth_dates or entity.nationalities
            or entity.citizenships or entity.countries or entity.gender):
        return NO_EVIDENCE
    ids = tuple((k, frozenset(v)) for k, v in sorted(_ids(entity).items(), key=str))
    countries = frozen(_countries(entity))
    empty = not (ids or entity.birth_dates or countries or entity.gender)
    parsed = tuple(_parsed(d) for d in entity.birth_dates)
    return Evidence(ids, entity.birth_dates, countries, entity.gender, empty, parsed)


def _parsed_sim(a: Parsed, b: Parsed) -> float:
    """:func:`_date_sim` on parsed dates."""
    ya, ma, da, loose_a, lo = a
    yb, mb, db, loose_b, hi = b
    if loose_a or loose_b:
        return 0.6 if ya <= hi + 1 and yb <= lo + 1 else 0.0
    if ya != yb:
        return 0.4 if abs(ya - yb) == 1 else 0.0
    if ma is None or mb is None or da is None or db is None:
        return 0.8 if ma is None or mb is None or ma == mb else 0.3
    if ma == mb and da == db:
        return 1.0
    return 0.7 if ma == db and da == mb else 0.3


def _date_contribution(qd: tuple[Parsed, ...], cd: tuple[Parsed, ...]) -> float:
    best = max([_parsed_sim(a, b) for a in qd for b in cd])
    if best >= 1.0:
        return w.DOB_EXACT
    if best >= 0.6:
        return w.DOB_YEAR
    return 0.0 if best >= 0.3 else w.DOB_CONFLICT


def evidence_score(q: Evidence, c: Evidence) -> float:
    """The summed contribution of :func:`evidence_features`, without building them."""
    total = 0.0
    if q.ids and c.ids:
        found = _id_evidence(q, c)
        if found is not None:
            total += found.contribution
    if q.parsed and c.parsed:
        total += _date_contribution(q.parsed, c.parsed)
    if q.countries and c.countries:
        total += w.COUNTRY_MATCH if q.countries & c.countries else w.COUNTRY_CONFLICT
    if q.gender and c.gender and q.gender != c.gender:
        total += w.GENDER_CONFLICT
    return total


def _id_evidence(q: Evidence, c: Evidence) -> Feature | None:
    theirs = dict(c.ids)
    shared = [(k, v) for k, v in q.ids if k in theirs]
    if not shared:
        return None
    for kind, values in shared:
        if values & theirs[kind]:
            return Feature("identifier", 1.0, w.ID_MATCH, f"same {kind.value}")
    names = ", ".join(k.value for k, _ in shared)
    return Feature("identifier", 0.0, w.ID_CONFLICT, f"different {names}")


def evidence_features(q: Evidence, c: Evidence) -> tuple[Feature, ...]:
    """The non-name features from evidence extracted by :func:`evidence`."""
    if q.empty or c.empty:
        return ()
    found = [_id_evidence(q, c)]
    if q.dates and c.dates:
        found.append(_dates(q.dates, c.dates))
    if q.countries and c.countries:
        found.append(_country(q.countries, c.countries))
    if q.gender and c.gender and q.gender != c.gender:
        found.append(Feature("gender", 0.0, w.GENDER_CONFLICT, f"{q.gender} vs {c.gender}"))
    return tuple(f for f in found if f is not None)
