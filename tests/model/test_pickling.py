"""Fast pickling of slotted dataclasses: round trips, older list states, still frozen."""

from __future__ import annotations

import pickle
from dataclasses import FrozenInstanceError, dataclass, fields

import pytest

from embargo.matching import prepare
from embargo.model import Entity, Name, Schema
from embargo.model.pickling import fast_pickle


@fast_pickle
@dataclass(frozen=True, slots=True)
class _Point:
    x: int
    y: str = "y"


@fast_pickle
@dataclass(frozen=True, slots=True)
class _One:
    only: tuple[int, ...]


def _entity() -> Entity:
    return Entity(id="t:1", source="t", native_id="1", schema=Schema.PERSON,
                  names=(Name("Vladimir PUTIN"), Name("Владимир Путин")))


@pytest.mark.parametrize("value", [_Point(1), _Point(2, "z"), _One((1, 2)), _One(())])
def test_round_trip(value: object) -> None:
    assert pickle.loads(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)) == value


def test_state_is_field_values_in_order() -> None:
    point = _Point(3, "w")
    assert point.__getstate__() == (3, "w")  # type: ignore[attr-defined]
    assert _One((4,)).__getstate__() == ((4,),)  # type: ignore[attr-defined]


def test_older_list_state_still_loads() -> None:
    point = object.__new__(_Point)
    point.__setstate__([5, "v"])  # type: ignore[attr-defined]  # what dataclasses wrote
    assert point == _Point(5, "v")


def test_wrong_state_length_refused() -> None:
    point = object.__new__(_Point)
    with pytest.raises(ValueError):
        point.__setstate__((1,))  # type: ignore[attr-defined]


def test_still_frozen_after_loading() -> None:
    point = pickle.loads(pickle.dumps(_Point(1)))
    with pytest.raises(FrozenInstanceError):
        point.x = 2  # type: ignore[misc]


def test_not_a_dataclass_refused() -> None:
    with pytest.raises(TypeError):
        fast_pickle(int)


def test_prepared_entity_round_trip() -> None:
    prep = prepare(_entity())
    back = pickle.loads(pickle.dumps(prep, protocol=pickle.HIGHEST_PROTOCOL))
    assert back.entity == prep.entity
    assert [f.name for f in fields(back)] == [f.name for f in fields(prep)]
    assert [r.tokens[0].text for rs in back.readings for r in rs] == \
        [r.tokens[0].text for rs in prep.readings for r in rs]
