"""Which customers linked to changed entries can reach the threshold: a sound upper bound of
``compare``'s score, its name part worked out once per distinct set of names.

``compare`` (:func:`embargo.matching.compare`) scores a pair as its best name pair's score
``s`` (from the readings of both parties' names, their schemas and name kinds: nothing else
of them), then, when ``s > 0`` and both parties have non-name evidence,
``min(1, max(0, s + evidence_score(customer, entry)))``; otherwise ``s`` clipped to [0, 1].
So with ``s0`` the score of the customer's names alone (its prepared form without evidence):

* ``s0 == 0``: the score is 0;
* ``0 < s0 < 1``: ``s0`` is ``s``, and the score is at most ``s0 + max(0, e)``, ``e`` the
  evidence score (a negative ``e`` only lowers it), computed as ``compare`` computes it; and
  ``e`` is at most the entry's :func:`ceiling`, so a customer whose ``s0`` plus the ceiling
  is under the threshold need not even be read beyond its names;
* ``s0 >= 1``: ``s`` may exceed 1 and evidence lower it to anything: no bound but 1.

Before ``s0`` is worked out, :func:`embargo.matching.bound.reaches` tells from the readings of
the names alone (each name analysed, no prepared form built, no alignment) whether ``s0``
may reach the threshold less the ceiling at all; most linked names cannot, and are never
prepared nor compared. Customers whose names are the same (a common name, a family's
accounts) share ``s0`` with each entry: it is computed once per distinct names
(:func:`names_key`) and entry. A customer
whose bound reaches the threshold is then compared for real
(:func:`embargo.monitoring.entry_side.entry_hits`): the bound only decides who need not be,
so it may be loose but is never under the score (``tests/monitoring/test_reach.py``
checks it against ``compare`` on real pairs, and the ceiling against ``evidence_score``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from embargo.matching import Prepared, compare, prepare
from embargo.matching import weights as w
from embargo.matching.bound import Side, prepared_side, reaches, side
from embargo.matching.features import NO_EVIDENCE, Evidence, evidence, evidence_score
from embargo.matching.reading import readings
from embargo.model.codec import from_dict
from embargo.model.entity import Entity, Name, NameKind, Schema
from embargo.names.analyse import analyse_all

NamesKey = tuple[Any, tuple[tuple[Any, Any], ...]]
Stored = dict[str, Any]  # a customer version's stored dict form (model.codec.to_dict)


def names_key(data: Stored) -> NamesKey:
    """What ``prepare`` analyses of a stored entity besides its evidence: its schema and each
    name's text and kind, in order (as :func:`embargo.model.codec.from_dict` reads them)."""
    return data["schema"], tuple((n["full"], n.get("kind")) for n in data.get("names", ()))


def names_only(key: NamesKey) -> Prepared:
    """The prepared form of the names of ``key`` alone: an entity of that schema with only
    those names (text and kind) and no evidence, so ``compare`` scores the names only."""
    schema, names = key
    entity = Entity("names", "names", "names", Schema(schema), tuple(
        Name(full) if kind is None else Name(full, NameKind(kind)) for full, kind in names))
    prepared = prepare(entity)
    if not prepared.evident:
        return prepared
    return dataclasses.replace(prepared, evidence=NO_EVIDENCE, evident=False)


def names_side(key: NamesKey) -> Side:
    """What :func:`embargo.matching.bound.reaches` needs of the names of ``key``: every
    reading ``prepare`` makes of them (each name analysed as ``prepare`` analyses it), without
    the rest of the prepared form."""
    schema = Schema(key[0])
    found = [reading for full, _ in key[1] for form in analyse_all(full, schema)
             for reading in readings(form)]
    return side(found, schema is Schema.PERSON)


def ceiling(entry: Evidence) -> float:
    """The most ``evidence_score(q, entry)`` can be for any ``q``: each of its terms at its
    highest weight when ``entry`` has what the term compares, summed in the same order."""
    if entry.empty:
        return 0.0
    top = 0.0
    if entry.ids:
        top += max(0.0, w.ID_MATCH, w.ID_CONFLICT)
    if entry.parsed:
        top += max(0.0, w.DOB_EXACT, w.DOB_YEAR, w.DOB_CONFLICT)
    if entry.countries:
        top += max(0.0, w.COUNTRY_MATCH, w.COUNTRY_CONFLICT)
    if entry.gender:
        top += max(0.0, w.GENDER_CONFLICT)
    return top


class Reach:
    """Upper bounds of ``compare(prepare(customer), entries[i]).score``, name scores cached."""

    def __init__(self, entries: Sequence[Prepared], threshold: float) -> None:
        self.entries = entries
        self.threshold = threshold
        self._ceilings = [ceiling(e.evidence) if e.evident else 0.0 for e in entries]
        self._sides = [prepared_side(e) for e in entries]
        self._names: dict[NamesKey, Prepared] = {}
        self._names_sides: dict[NamesKey, Side] = {}
        self._scores: dict[tuple[NamesKey, int], float] = {}

    @property
    def distinct(self) -> int:
        """How many distinct names were analysed."""
        return len(self._names.keys() | self._names_sides.keys())

    def name_score(self, data: Stored, number: int, key: NamesKey | None = None) -> float:
        """The score of the customer's names alone against ``entries[number]``."""
        key = names_key(data) if key is None else key
        found = self._scores.get((key, number))
        if found is None:
            names = self._names.get(key)
            if names is None:
                names = self._names[key] = names_only(key)
            found = self._scores[key, number] = compare(names, self.entries[number]).score
        return found

    def may_reach(self, key: NamesKey, number: int) -> bool:
        """Whether the names' score against ``entries[number]`` plus the most its evidence
        could add may reach the threshold (:func:`embargo.matching.bound.reaches`: no
        alignment); False only when it surely cannot."""
        names = self._names_sides.get(key)
        if names is None:
            names = self._names_sides[key] = names_side(key)
        return reaches(names, self._sides[number], self.threshold - self._ceilings[number])

    def bound(self, data: Stored, number: int, facts: Evidence | None = None) -> float:
        """An upper bound of the customer's score against ``entries[number]`` (``facts``: its
        evidence, when already extracted)."""
        score = self.name_score(data, number)
        if score <= 0.0 or score >= 1.0:
            return 0.0 if score <= 0.0 else 1.0
        entry = self.entries[number]
        if not entry.evident:
            return score
        facts = evidence(from_dict(data)) if facts is None else facts
        if facts.empty:
            return score
        return score + max(0.0, evidence_score(facts, entry.evidence))

    def possible(self, data: Stored, numbers: Iterable[int]) -> bool:
        """Whether the customer may reach the threshold against one of ``entries[numbers]``."""
        key = names_key(data)
        facts: Evidence | None = None
        for number in numbers:
            if not self.may_reach(key, number):
                continue  # under the threshold whatever the names' alignment and evidence
            score = self.name_score(data, number, key)
            if score <= 0.0 or score + self._ceilings[number] < self.threshold:
                continue  # under the threshold whatever the customer's evidence
            if facts is None:
                facts = evidence(from_dict(data))
            if self.bound(data, number, facts) >= self.threshold:
                return True
        return False

    def passing(self, forms: Iterable[tuple[str, Stored]],
                links: Mapping[str, Iterable[int]]) -> list[str]:
        """The customers (id, stored form) that may reach the threshold against one of the
        entries they are linked to."""
        return [cid for cid, data in forms if self.possible(data, links[cid])]
