"""``prepare`` and ``compare``: score a query party against a listed party.

``prepare`` does all per-entity work once (name analysis, token folding and
skeletons, identifier and date extraction); ``compare`` on two prepared parties
aligns the best pair of name readings and adds the non-name evidence.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from embargo.deadline import checkpoint
from embargo.matching import weights as w
from embargo.matching.align import Alignment, reading_score, reading_sim
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
    facts: tuple[Facts, ...] = ()  # per name: what the name rules look at
    evident: bool = False  # some evidence besides the names (``not evidence.empty``)

    def __reduce__(self) -> tuple[Any, ...]:  # pickled by value, rebuilt by the constructor
        return Prepared, (self.entity, self.names, self.readings, self.evidence, self.person,
                          self.flat, self.plain, self.weak_names, self.facts, self.evident)


Facts = tuple[tuple[str, ...], frozenset[str], bool, frozenset[str]]
"""A name's numbers, legal forms, whether it is a former name, and its national legal forms."""


def _facts(form: NameForm) -> Facts:
    return form.numbers, form.legal_forms, form.former, frozen(form.legal_forms - _NEUTRAL_LEGAL)


def prepare(entity: Entity) -> Prepared:
    """Analyse every name of ``entity`` (former names written inside a name included)."""
    forms: dict[NameForm, bool] = {}  # form -> from weak aliases only
    for name in entity.names:
        checkpoint()
        weak = name.kind is NameKind.WEAK
        for form in analyse_all(name.full, entity.schema):
            forms[form] = forms.get(form, True) and weak
    found: list[tuple[Reading, ...]] = []
    flat: list[tuple[int, Reading]] = []
    facts: list[Facts] = []
    weak_names: list[int] = []
    plain = True
    for i, (form, weak) in enumerate(forms.items()):
        checkpoint()
        these = readings(form)
        found.append(these)
        flat.extend([(i, r) for r in these])
        fact = _facts(form)
        facts.append(fact)
        plain = plain and not (fact[0] or fact[1] or fact[2])
        if weak:
            weak_names.append(i)
    extra = evidence(entity)
    return Prepared(entity, tuple(forms), tuple(found), extra, entity.schema is Schema.PERSON,
                    tuple(flat), plain, frozen(weak_names), tuple(facts), not extra.empty)


def _same_legal(a: frozenset[str], b: frozenset[str]) -> bool:
    """Some legal form in common, one written out or abbreviated (``corp``/``corporation``)."""
    for x in a:
        for y in b:
            if x.startswith(y) or y.startswith(x):
                return True
    return False


def _factors(q: Facts, c: Facts, why: list[str] | None = None, person: bool = False) -> float:
    """The name rules' factor for two names; their reasons go to ``why`` when given.

    A number on one side only costs a company or vessel name (``FU YUAN YU 7880`` is not
    ``FU YUAN YU``), not a person's (``Vladimir Putin 1952``: a year of birth typed in)."""
    factor = 1.0
    qn, qf, qk, cn, cf, ck = q[0], q[2], q[3], c[0], c[2], c[3]
    if qn != cn:
        if qn and cn:
            factor *= w.NUMBER_CONFLICT_FACTOR
            if why is not None:
                why.append(f"numbers differ {qn} vs {cn}")
        elif not person:
            factor *= w.NUMBER_MISSING_FACTOR
            if why is not None:
                why.append("number on one side only")
    if qk and ck and not _same_legal(qk, ck):  # legal forms in common are neutral
        factor *= w.LEGAL_CONFLICT_FACTOR
        if why is not None:
            why.append(f"legal forms differ {sorted(qk)} vs {sorted(ck)}")
    if qf or cf:
        factor *= w.FORMER_FACTOR
        if why is not None:
            why.append("former name")
    return factor


class _Best:
    """The best name pair; explains itself only when the match is asked to."""

    __slots__ = ("c", "found", "q")

    def __init__(self, q: Prepared, c: Prepared, found: Found) -> None:
        self.q, self.c, self.found = q, c, found

    def features(self) -> tuple[Feature, ...]:
        score, raw, qi, ci, qr, cr = self.found
        detail = f"{qr.form.original} ~ {cr.form.original}"
        rules = score / raw if raw else 0.0
        reasons: list[str] = []
        _factors(self.q.facts[qi], self.c.facts[ci], reasons, self.q.person or self.c.person)
        why = "; ".join(reasons)
        q, c = self.q.evidence, self.c.evidence
        extra = () if q.empty or c.empty else evidence_features(q, c)
        return (Feature("name", raw, raw, detail),
                Feature("name_rules", rules, score - raw, why), *extra)

    def parts(self) -> tuple[tuple[str, str, float], ...]:
        """The aligned tokens, worked out again for the best pair of readings only."""
        _, _, qi, ci, qr, cr = self.found
        q, c = self.q, self.c
        _, pairs, spans = reading_sim(qr, cr, q.person or c.person, _extra(q, c, qi, ci))
        return Alignment(qr, cr, pairs, spans).parts()


Candidate = tuple[int, int, Reading, Reading]  # names' positions and readings
Found = tuple[float, float, int, int, Reading, Reading]  # score, name score, names, readings


def _candidates(q: Prepared, c: Prepared) -> list[Candidate]:
    """Every pair of readings to align, likeliest first when there are many."""
    both = q.plain and c.plain  # no former names on either side
    out = [(qi, ci, qr, cr) for qi, qr in q.flat for ci, cr in c.flat
           if both or not (q.facts[qi][2] and c.facts[ci][2])]
    if len(out) <= w.READING_PAIRS:
        return out
    ranked = [(-proxy(qr, cr), k) for k, (_, _, qr, cr) in enumerate(out)]
    ranked.sort()  # likeliest first, ties in their order
    chosen = [k for _, k in ranked[:w.READING_PAIRS]]
    seen = {id(out[k][2]) for k in chosen}
    for _, k in ranked[w.READING_PAIRS:]:  # each query reading's likeliest pair too: one
        reading = out[k][2]                 # reading of an abjad name may be far likelier
        if id(reading) not in seen:
            seen.add(id(reading))
            chosen.append(k)
    return [out[k] for k in chosen]


def _factor(q: Prepared, c: Prepared, qi: int, ci: int) -> float:
    if q.plain and c.plain:
        return 1.0
    return _factors(q.facts[qi], c.facts[ci], None, q.person or c.person)


def _extra(q: Prepared, c: Prepared, qi: int, ci: int) -> bool:
    """Whether extra names may be tolerated: not against a weak alias (``LUCAS``)."""
    return not (q.weak_names or c.weak_names) or not (qi in q.weak_names or ci in c.weak_names)


def _best_names(q: Prepared, c: Prepared) -> Found | None:
    person = q.person or c.person
    plain = q.plain and c.plain
    if len(q.flat) * len(c.flat) > w.READING_PAIRS:
        best: Found | None = None
        for qi, ci, qr, cr in _candidates(q, c):
            best = _better(q, c, qi, ci, qr, cr, person, plain, best)
        return best
    if len(q.flat) == 1 and len(c.flat) == 1:  # one name each: former or not
        (qi, qr), (ci, cr) = q.flat[0], c.flat[0]
        return _better(q, c, qi, ci, qr, cr, person, plain, None)
    best = None
    for qi, qr in q.flat:  # few enough: every pair of readings, in order
        for ci, cr in c.flat:
            if plain or not (q.facts[qi][2] and c.facts[ci][2]):
                best = _better(q, c, qi, ci, qr, cr, person, plain, best)
    return best


def _better(q: Prepared, c: Prepared, qi: int, ci: int, qr: Reading, cr: Reading,
            person: bool, plain: bool, best: Found | None) -> Found | None:
    """``best``, or this pair of readings if it scores higher."""
    factor = 1.0 if plain else _factor(q, c, qi, ci)
    if best is not None and factor <= best[0]:
        return best
    raw = reading_score(qr, cr, person, _extra(q, c, qi, ci))
    if best is None or raw * factor > best[0]:
        return raw * factor, raw, qi, ci, qr, cr
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
        if q.evident and c.evident:
            score = min(1.0, max(0.0, score + evidence_score(q.evidence, c.evidence)))
        elif score > 1.0:
            score = 1.0
    else:
        score = 0.0
    return Match(score, (), found[4].form.original, found[5].form.original, (),
                 _Best(q, c, found))
