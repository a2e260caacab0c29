"""Canonical copies: equal values stored once, nothing else changed."""

from __future__ import annotations

import pickle

from embargo.matching import compare, prepare
from embargo.matching.canonical import canonical
from embargo.model import Entity, Name, Schema


def _entity(i: int, *names: str, schema: Schema = Schema.PERSON) -> Entity:
    return Entity(id=f"t:{i}", source="t", native_id=str(i), schema=schema,
                  names=tuple(Name(n) for n in names))


def test_equal_strings_and_tuples_become_one() -> None:
    a, b = "".join(["ab", "c"]), "".join(["a", "bc"])
    assert a is not b
    out = canonical([(a, 1), (b, 1)])
    assert out[0] is out[1]
    assert out[0][0] is out[1][0]


def test_numbers_of_other_types_are_kept_apart() -> None:
    out = canonical([(1,), (1.0,), (True,), frozenset([1]), frozenset([1.0])])
    assert [type(t[0]) for t in out[:3]] == [int, float, bool]
    assert out[3] is not out[4]
    assert [type(next(iter(s))) for s in out[3:]] == [int, float]


def test_sharing_is_kept() -> None:
    inner = ("x", "y")
    out = canonical([(inner, inner, "".join(["x", "y"]))])
    assert out[0][0] is out[0][1]
    assert out[0][2] == "xy"


def test_prepared_entities_score_the_same() -> None:
    entities = [_entity(1, "Vladimir Vladimirovich PUTIN", "Владимир Путин"),
                _entity(2, "Kilifi Coastal Traders Ltd", schema=Schema.COMPANY),
                _entity(3, "Sergey LAVROV", "谢尔盖·拉夫罗夫")]
    prepared = [prepare(e) for e in entities]
    again = canonical(prepared)
    query = prepare(_entity(9, "Putin Vladimir"))
    for before, after in zip(prepared, again, strict=True):
        assert after is not before
        assert after.entity == before.entity
        assert after.names == before.names
        assert compare(query, after).score == compare(query, before).score
    assert len(pickle.dumps(again)) <= len(pickle.dumps(prepared))
