"""Every listed name of a party, screened as written, finds that party at or over the threshold.

An exact alias must never lose to a sibling alias that differs only in a legal form or a
number: with many names per party only the likeliest pairs of readings are aligned, and
`OAO CHAIKA` was aligned with `PJSC CHAIKA` (legal forms differ: 0.68) instead of itself, so
the bank screening `BANK VTB OAO` got no hit. Weak aliases (nicknames such as `40`) are
exempt: they alone are not meant to match.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from embargo.demo import demo_lists
from embargo.ingest.unpack import unpacked
from embargo.matching import DEFAULT_THRESHOLD, compare, prepare
from embargo.model.entity import Entity, Name, NameKind, Schema
from embargo.sources.registry import detect

FILES = ("ofac-consolidated/consolidated_2025-03-28.xml.xz",
         "ofac-sdn/history/sdn_2024-05-03.csv.xz", "un", "uk")


def _entities(path: Path) -> Iterator[Entity]:
    with unpacked(path, 1 << 30) as plain:
        paths = sorted(p for p in plain.iterdir() if p.is_file()) if plain.is_dir() else [plain]
        for one in paths:
            for release in detect(one).parse(one):
                yield from release.entities


def _query(entity: Entity, name: Name) -> Entity:
    return Entity(id="q", source="q", native_id="q", schema=entity.schema,
                  names=(Name(name.full),))


@pytest.mark.parametrize("relative", FILES)
def test_every_listed_name_finds_its_own_party(relative: str) -> None:
    missed = []
    for entity in _entities(demo_lists() / relative):
        own = prepare(entity)
        for name in entity.names:
            if name.kind is NameKind.WEAK:
                continue
            score = compare(prepare(_query(entity, name)), own).score
            if score < DEFAULT_THRESHOLD:
                missed.append((entity.id, name.full, round(score, 3)))
    assert not missed, missed[:20]


@pytest.mark.parametrize(("query", "names"), [
    ("OAO CHAIKA", ("OPEN JOINT STOCK COMPANY CHAYKA", "PJSC CHAIKA", "OAO CHAIKA", "CHAIKA OJSC")),
    ("BANK VTB OAO", ("VTB BANK", "BANK VTB PAO", "BANK VTB OAO", "VTB BANK PJSC")),
    ("ACADEMY OF NATURAL SCIENCES", ("SECOND ACADEMY OF NATURAL SCIENCES",
                                     "2ND ACADEMY OF NATURAL SCIENCES",
                                     "ACADEMY OF NATURAL SCIENCES")),
])
def test_an_exact_alias_beats_siblings_that_differ_in_form_or_number(
        query: str, names: tuple[str, ...]) -> None:
    party = Entity(id="x:1", source="x", native_id="1", schema=Schema.ORGANIZATION,
                   names=tuple(Name(n) for n in names))
    found = compare(prepare(_query(party, Name(query))), prepare(party))
    assert found.score == pytest.approx(1.0) and found.candidate_name == query
