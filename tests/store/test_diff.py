"""Pure change detection: changed_fields and history_events."""

from __future__ import annotations

from dataclasses import fields, replace
from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from embargo.model.codec import content_hash
from embargo.model.entity import Entity, FuzzyDate, Name, NameKind, Schema
from embargo.store.diff import changed_fields, history_events
from embargo.store.types import HistoryEvent, Snapshot

BASE = Entity(id="x:1", source="x", native_id="1", schema=Schema.PERSON,
              names=(Name("Ivan Petrov"),))


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, ()),
        ({"names": (Name("Ivan Petrov"), Name("I. Petrov", NameKind.ALIAS))}, ("names",)),
        ({"names": (Name("Ivan Petrov", NameKind.ALIAS),)}, ("names",)),
        ({"birth_dates": (FuzzyDate("1960"),), "gender": "male"}, ("birth_dates", "gender")),
        ({"remarks": "r", "schema": Schema.COMPANY}, ("schema", "remarks")),
        ({"properties": (("flag", ("pa",)),)}, ("properties",)),
        ({"remarks": None}, ()),
    ],
)
def test_changed_fields(changes: dict[str, object], expected: tuple[str, ...]) -> None:
    assert changed_fields(BASE, replace(BASE, **changes)) == expected  # type: ignore[arg-type]


_FIELD_NAMES = [f.name for f in fields(Entity)]
_texts = st.text(min_size=1, max_size=12)
_entities = st.builds(
    Entity, id=st.just("x:1"), source=st.just("x"), native_id=st.just("1"),
    schema=st.sampled_from(list(Schema)),
    names=st.lists(st.builds(Name, _texts, st.sampled_from(list(NameKind))), max_size=3)
    .map(tuple),
    positions=st.lists(_texts, max_size=2).map(tuple),
    gender=st.sampled_from([None, "male", "female"]),
    remarks=st.none() | _texts,
)


@given(_entities, _entities)
def test_changed_fields_properties(a: Entity, b: Entity) -> None:
    found = changed_fields(a, b)
    assert found == changed_fields(b, a)
    assert changed_fields(a, a) == ()
    assert (found == ()) == (content_hash(a) == content_hash(b))
    assert list(found) == [n for n in _FIELD_NAMES if n in found]  # model order, no repeats


def _snap(n: int) -> Snapshot:
    return Snapshot(id=n, source="x", kind="t", published=date(2021, 1, n),
                    imported_at=datetime(2021, 1, n, tzinfo=UTC), content_hash=f"h{n}",
                    parser_version="1", entity_count=1, counts={}, label=None, files=())


def test_history_events_loads_only_changed_versions() -> None:
    versions = {"v1": BASE, "v2": replace(BASE, gender="male")}
    loaded: list[str] = []

    def load(digest: str) -> Entity:
        loaded.append(digest)
        return versions[digest]

    steps = [(_snap(1), None), (_snap(2), "v1"), (_snap(3), "v1"), (_snap(4), "v2"),
             (_snap(5), None), (_snap(6), None), (_snap(7), "v1")]
    assert history_events(steps, load) == [
        HistoryEvent(_snap(2), "added"),
        HistoryEvent(_snap(4), "changed", ("gender",)),
        HistoryEvent(_snap(5), "removed"),
        HistoryEvent(_snap(7), "added"),
    ]
    assert loaded == ["v1", "v2"]


def test_history_events_empty() -> None:
    assert history_events([], lambda d: BASE) == []
    assert history_events([(_snap(1), None)], lambda d: BASE) == []
