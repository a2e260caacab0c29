"""``prepare`` and ``compare``: score a query party against a listed party."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from embargo.matching import weights as w
from embargo.matching.align import Reading, reading_sim, readings
from embargo.matching.features import entity_features
from embargo.matching.match import Feature, Match
from embargo.model.entity import Entity, Schema
from embargo.names.analyse import analyse_all
from embargo.names.form import NameForm

_NEUTRAL_LEGAL = frozenset(
    ["ltd", "limited", "llc", "co", "company", "jsc", "plc", "coltd", "pvt", "private", "pty"]
)


@dataclass(frozen=True, slots=True)
class Prepared:
    """An entity with its names analysed once (the index caches these)."""

    entity: Entity
    names: tuple[NameForm, ...]
    readings: tuple[tuple[Reading, ...], ...]


def prepare(entity: Entity) -> Prepared:
    """Analyse every name of ``entity`` (former names written inside a name included)."""
    forms: list[NameForm] = []
    for name in entity.names:
        for form in analyse_all(name.full, entity.schema):
            if form not in forms:
                forms.append(form)
    return Prepared(entity, tuple(forms), tuple(readings(f) for f in forms))


def _factors(q: NameForm, c: NameForm) -> tuple[float, list[str]]:
    factor, why = 1.0, []
    if q.numbers and c.numbers and set(q.numbers) != set(c.numbers):
        factor *= w.NUMBER_CONFLICT_FACTOR
        why.append(f"numbers differ {q.numbers} vs {c.numbers}")
    elif bool(q.numbers) != bool(c.numbers):
        factor *= w.NUMBER_MISSING_FACTOR
        why.append("number on one side only")
    ql, cl = q.legal_forms - _NEUTRAL_LEGAL, c.legal_forms - _NEUTRAL_LEGAL
    if ql and cl and not ql & cl:
        factor *= w.LEGAL_CONFLICT_FACTOR
        why.append(f"legal forms differ {sorted(ql)} vs {sorted(cl)}")
    if q.former or c.former:
        factor *= w.FORMER_FACTOR
        why.append("former name")
    return factor, why


def _schema(query: Prepared, candidate: Prepared) -> Schema:
    if Schema.PERSON in (query.entity.schema, candidate.entity.schema):
        return Schema.PERSON
    return candidate.entity.schema


def best_names(query: Prepared, candidate: Prepared) -> tuple[float, Match]:
    """The best-aligned pair of names and its name-only match."""
    schema = _schema(query, candidate)
    best: tuple[float, Match] | None = None
    for qf, qrs in zip(query.names, query.readings, strict=True):
        for cf, crs in zip(candidate.names, candidate.readings, strict=True):
            if qf.former and cf.former:
                continue
            factor, why = _factors(qf, cf)
            for qr in qrs:
                for cr in crs:
                    raw, aligned = reading_sim(qr, cr, schema is Schema.PERSON)
                    score = raw * factor
                    if best is None or score > best[0]:
                        best = (score, _name_match(score, raw, why, qf, cf, aligned))
    if best is None:
        return 0.0, Match(0.0, (), "", "", ())
    return best


def _name_match(score: float, raw: float, why: list[str], qf: NameForm, cf: NameForm,
                aligned: Sequence[tuple[object, object, float]]) -> Match:
    pairs = tuple(
        (getattr(a, "text", ""), getattr(b, "text", ""), sim) for a, b, sim in aligned
    )
    features = (
        Feature("name", raw, raw, f"{qf.original} ~ {cf.original}"),
        Feature("name_rules", score / raw if raw else 0.0, score - raw, "; ".join(why)),
    )
    return Match(score, features, qf.original, cf.original, pairs)


def _as_prepared(value: Entity | Prepared) -> Prepared:
    return value if isinstance(value, Prepared) else prepare(value)


def compare(query: Entity | Prepared, candidate: Entity | Prepared) -> Match:
    """Score ``candidate`` against ``query`` in [0, 1], with every feature explained."""
    q, c = _as_prepared(query), _as_prepared(candidate)
    name_score, name_match = best_names(q, c)
    extra = entity_features(q.entity, c.entity)
    score = min(1.0, max(0.0, name_score + sum(f.contribution for f in extra)))
    if name_score <= 0.0:
        score = 0.0
    return Match(
        score, name_match.features + extra, name_match.query_name,
        name_match.candidate_name, name_match.alignment,
    )
