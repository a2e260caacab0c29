"""``prepare`` and ``compare``: score a query party against a listed party.

``prepare`` does all per-entity work once (name analysis, token folding and
skeletons, identifier and date extraction); ``compare`` on two prepared parties
aligns the best pair of name readings and adds the non-name evidence.
"""

from __future__ import annotations

from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from embargo.matching import weights as w
from embargo.matching.align import Alignment, Pairs, Spans, reading_sim
from embargo.matching.features import Evidence, evidence, evidence_features, evidence_score
from embargo.matching.match import Feature, Match
from embargo.matching.reading import Reading, proxy, readings
from embargo.model.entity import Entity, NameKind, Schema
from embargo.names.analyse import analyse_all
from embargo.names.form import NameForm, frozen

_NEUTRAL_LEGAL = frozenset(
    ["ltd", "limited", "llc", "co", "company", "jsc", "plc", "coltd", "pvt", "private", "pty"]
)


@dataclass(frozen=True, slots=True)
class Prepared:
    """An entity with its names analysed once (the index caches these)."""

    entity: Entity
    names: tuple[NameForm, ...]
    readings: tuple[tuple[Reading, ...], ...]
    evidence: Evidence
    person: bool
    flat: tuple[tuple[int, Reading], ...] = ()  # every reading with its name's position
    plain: bool = True  # no name has numbers, legal forms or is a former name
    weak_names: frozenset[int] = frozenset()  # positions of names from weak aliases only

    def __reduce__(self) -> tuple[Any, ...]:  # pickled by value, rebuilt by the constructor
        return Prepared, (self.entity, self.names, self.readings, self.evidence, self.person,
                          self.flat, self.plain, self.weak_names)


def _plain(form: NameForm) -> bool:
    return not (form.numbers or form.legal_forms or form.former)


def prepare(entity: Entity) -> Prepared:
    """Analyse every name of ``entity`` (former names written inside a name included)."""
    forms: dict[NameForm, bool] = {}  # form -> from weak aliases only
    for name in entity.names:
        weak = name.kind is NameKind.WEAK
        for form in analyse_all(name.full, entity.schema):
            forms[form] = forms.get(form, True) and weak
    found = tuple(readings(f) for f in forms)
    flat = tuple((i, r) for i, rs in enumerate(found) for r in rs)
    weak_names = frozen(i for i, weak in enumerate(forms.values()) if weak)
    return Prepared(entity, tuple(forms), found, evidence(entity),
                    entity.schema is Schema.PERSON, flat, all(_plain(f) for f in forms),
                    weak_names)


def _same_legal(a: frozenset[str], b: frozenset[str]) -> bool:
    """Some legal form in common, one written out or abbreviated (``corp``/``corporation``)."""
    return any(x.startswith(y) or y.startswith(x) for x in a for y in b)


def _factors(q: NameForm, c: NameForm) -> tuple[float, list[str]]:
    factor, why = 1.0, []
    if q.numbers != c.numbers:
        if q.numbers and c.numbers:
            factor *= w.NUMBER_CONFLICT_FACTOR
            why.append(f"numbers differ {q.numbers} vs {c.numbers}")
        else:
            factor *= w.NUMBER_MISSING_FACTOR
            why.append("number on one side only")
    if q.legal_forms and c.legal_forms:
        ql, cl = q.legal_forms - _NEUTRAL_LEGAL, c.legal_forms - _NEUTRAL_LEGAL
        if ql and cl and not _same_legal(ql, cl):
            factor *= w.LEGAL_CONFLICT_FACTOR
            why.append(f"legal forms differ {sorted(ql)} vs {sorted(cl)}")
    if q.former or c.former:
        factor *= w.FORMER_FACTOR
        why.append("former name")
    return factor, why


class _Best:
    """The best name pair; explains itself only when the match is asked to."""

    __slots__ = ("c", "found", "q")

    def __init__(self, q: Prepared, c: Prepared, found: Found) -> None:
        self.q, self.c, self.found = q, c, found

    def features(self) -> tuple[Feature, ...]:
        score, raw, _, _, qr, cr, _, _ = self.found
        query, candidate = qr.form, cr.form
        detail = f"{query.original} ~ {candidate.original}"
        rules = score / raw if raw else 0.0
        why = "; ".join(_factors(query, candidate)[1])
        q, c = self.q.evidence, self.c.evidence
        extra = () if q.empty or c.empty else evidence_features(q, c)
        return (Feature("name", raw, raw, detail),
                Feature("name_rules", rules, score - raw, why), *extra)

    def parts(self) -> tuple[tuple[str, str, float], ...]:
        _, _, _, _, qr, cr, pairs, spans = self.found
        return Alignment(qr, cr, pairs, spans).parts()


Candidate = tuple[float, int, int, Reading, Reading]
Found = tuple[float, float, int, int, Reading, Reading, "Pairs | None", Spans]


def _candidates(q: Prepared, c: Prepared) -> list[Candidate]:
    """Every pair of readings to align, likeliest first when there are many."""
    if q.plain and c.plain:  # no former names on either side
        out = [(0.0, qi, ci, qr, cr) for qi, qr in q.flat for ci, cr in c.flat]
    else:
        out = [(0.0, qi, ci, qr, cr) for qi, qr in q.flat for ci, cr in c.flat
               if not (q.names[qi].former and c.names[ci].former)]
    if len(out) > w.READING_PAIRS:
        out = [(proxy(qr, cr), qi, ci, qr, cr) for _, qi, ci, qr, cr in out]
        out.sort(key=itemgetter(0), reverse=True)  # stable: ties keep their order
        del out[w.READING_PAIRS:]
    return out


def _factor(q: Prepared, c: Prepared, qi: int, ci: int) -> float:
    if q.plain and c.plain:
        return 1.0
    qf, cf = q.names[qi], c.names[ci]
    if qf.numbers == cf.numbers and qf.legal_forms == cf.legal_forms and not (
            qf.former or cf.former):
        return 1.0
    return _factors(qf, cf)[0]


def _extra(q: Prepared, c: Prepared, qi: int, ci: int) -> bool:
    """Whether extra names may be tolerated: not against a weak alias (``LUCAS``)."""
    return not (qi in q.weak_names or ci in c.weak_names)


def _best_names(q: Prepared, c: Prepared) -> Found | None:
    person = q.person or c.person
    if len(q.flat) == 1 and len(c.flat) == 1:
        (qi, qr), (ci, cr) = q.flat[0], c.flat[0]
        factor = 1.0 if q.plain and c.plain else _factor(q, c, qi, ci)
        extra = not (q.weak_names or c.weak_names) or _extra(q, c, qi, ci)
        raw, pairs, spans = reading_sim(qr, cr, person, extra)
        return raw * factor, raw, qi, ci, qr, cr, pairs, spans
    best: Found | None = None
    factors: dict[tuple[int, int], float] = {}
    plain = q.plain and c.plain
    tolerant = not (q.weak_names or c.weak_names)
    for _, qi, ci, qr, cr in _candidates(q, c):
        if plain:
            factor = 1.0
        else:
            if (qi, ci) not in factors:
                factors[(qi, ci)] = _factor(q, c, qi, ci)
            factor = factors[(qi, ci)]
        if best is not None and factor <= best[0]:
            continue
        raw, pairs, spans = reading_sim(qr, cr, person, tolerant or _extra(q, c, qi, ci))
        if best is None or raw * factor > best[0]:
            best = (raw * factor, raw, qi, ci, qr, cr, pairs, spans)
    return best


def compare(query: Entity | Prepared, candidate: Entity | Prepared) -> Match:
    """Score ``candidate`` against ``query`` in [0, 1], with every feature explained."""
    q = query if isinstance(query, Prepared) else prepare(query)
    c = candidate if isinstance(candidate, Prepared) else prepare(candidate)
    found = _best_names(q, c)
    if found is None:
        return Match(0.0, (), "", "", ())
    score = found[0]
    if score > 0.0:
        if not (q.evidence.empty or c.evidence.empty):
            score = min(1.0, max(0.0, score + evidence_score(q.evidence, c.evidence)))
        elif score > 1.0:
            score = 1.0
    else:
        score = 0.0
    return Match(score, (), found[4].form.original, found[5].form.original, (),
                 _Best(q, c, found))
