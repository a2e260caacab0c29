"""Change dates (``changed_since``): when each entry took its current form."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from embargo.model.entity import Entity
from embargo.store import Store
from embargo.store.changes import change_dates, changed_since
from embargo.store.types import Snapshot

D1, D2, D3 = date(2024, 1, 1), date(2024, 2, 1), date(2024, 3, 1)


def add(store: Store, day: date, entities: list[Entity], source: str = "test-list") -> Snapshot:
    return store.add_snapshot(source=source, kind="test", published=day,
                              content_hash=f"{source}-{day}", parser_version="test/1",
                              entities=entities, counts={"entities": len(entities)})


Make = Callable[..., Entity]


@pytest.fixture
def history(store: Store, make: Make) -> tuple[Snapshot, Snapshot, Snapshot]:
    """A unchanged; B changed on D2 and changed back on D3; C added D2, gone D3; E re-added."""
    first = add(store, D1, [make("A", "Alpha"), make("B", "Beta"), make("E", "Echo")])
    second = add(store, D2, [make("A", "Alpha"), make("B", "Beta Two"), make("C", "Gamma")])
    third = add(store, D3, [make("A", "Alpha"), make("B", "Beta"), make("E", "Echo")])
    return first, second, third


@pytest.mark.parametrize(("snapshot", "expected"), [
    (0, {"A": D1, "B": D1, "E": D1}),
    (1, {"A": D1, "B": D2, "C": D2}),
    (2, {"A": D1, "B": D3, "E": D3}),
])
def test_change_dates(store: Store, history: tuple[Snapshot, ...], snapshot: int,
                      expected: dict[str, date]) -> None:
    found = change_dates(store, history[snapshot])
    assert found == {f"test-list:{k}": v for k, v in expected.items()}


def test_changed_since(store: Store, history: tuple[Snapshot, ...], make: Make) -> None:
    other = add(store, D1, [make("X", "Xray", source="other")], source="other")
    in_force = [history[2], other]
    assert changed_since(store, in_force, D3) == {"test-list:B", "test-list:E"}
    assert changed_since(store, in_force, D2) == {"test-list:B", "test-list:E"}
    assert changed_since(store, in_force, D1) == {"test-list:A", "test-list:B",
                                                  "test-list:E", "other:X"}
    assert changed_since(store, in_force, date(2024, 3, 2)) == frozenset()
