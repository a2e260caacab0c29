"""Entity history and the entry as of a date: real SDN changes, and removal / re-listing."""

from __future__ import annotations

from datetime import date

import pytest

from embargo.console.views.history import entity_as_of, entity_history, entity_state
from embargo.errors import NotFoundError
from embargo.model.builder import EntityBuilder
from embargo.model.entity import IdKind, NameKind, Program, Schema
from embargo.store import Store

from .conftest import add_snapshot, listed

pytestmark = pytest.mark.shared


def test_added_on_2021_08_20(sdn_store: Store) -> None:
    (event,) = entity_history(sdn_store, "ofac-sdn:31920")
    assert (event.change, event.published, event.caption) == (
        "added", date(2021, 8, 20), "AKADEMIK CHERSKIY")
    assert event.snapshot_id == sdn_store.resolve_snapshot("ofac-sdn", "2021-08-20").id
    assert event.source == "ofac-sdn" and event.changes == ()


@pytest.mark.parametrize(("entity_id", "removed", "added"), [
    ("ofac-sdn:31731", ("BELARUS-EO",), ("BELARUS-EO14038",)),
    ("ofac-sdn:20290", ("PEESA-EO14039 (PEESA)",), ("PEESA-EO14039 (PEESA-EO)",)),
])
def test_programme_change_with_values(sdn_store: Store, entity_id: str,
                                      removed: tuple[str, ...], added: tuple[str, ...]) -> None:
    first, second = entity_history(sdn_store, entity_id)
    assert (first.change, first.published) == ("added", date(2021, 8, 18))
    assert (second.change, second.published, second.fields) == (
        "changed", date(2021, 8, 20), ("programs",))
    (change,) = second.changes
    assert (change.removed, change.added) == (removed, added)
    assert [v for v in change.old if v not in removed] == [
        v for v in change.new if v not in added]  # the rest is kept, in order


def test_unchanged_entry_has_one_event(sdn_store: Store) -> None:
    events = entity_history(sdn_store, "ofac-sdn:36")
    assert [(e.change, e.published) for e in events] == [("added", date(2021, 8, 18))]


def test_entity_as_of_real_dates(sdn_store: Store) -> None:
    assert entity_as_of(sdn_store, "ofac-sdn:31920", date(2021, 8, 19)) is None
    vessel = entity_as_of(sdn_store, "ofac-sdn:31920", date(2021, 8, 20))
    assert vessel is not None and vessel.schema is Schema.VESSEL
    assert vessel.ids_of(IdKind.IMO) == ("8770261",)
    before = entity_as_of(sdn_store, "ofac-sdn:31731", date(2021, 8, 19))
    after = entity_as_of(sdn_store, "ofac-sdn:31731", date(2030, 1, 1))
    assert before is not None and after is not None
    assert [p.code for p in before.programs] == ["BELARUS-EO"]
    assert [p.code for p in after.programs] == ["BELARUS-EO14038"]
    assert entity_as_of(sdn_store, "ofac-sdn:36", date(2000, 1, 1)) is None  # before any list
    state = entity_state(sdn_store, "ofac-sdn:31920", date(2021, 8, 19))
    assert not state.listed and state.snapshot is not None
    assert state.snapshot.published == date(2021, 8, 18)


def test_removed_and_re_added(store: Store) -> None:
    one = listed("1", "Acme Trading")
    builder = EntityBuilder("test-list", "1", Schema.COMPANY)
    builder.add_name("Acme Trading")
    builder.add_name("Acme <Trade> & Co", NameKind.ALIAS)
    builder.add_program(Program("DPRK3", "DPRK3"))
    back = builder.build()
    other = listed("2", "Other")
    for day, entities in (("2024-01-01", [one, other]), ("2024-02-01", [other]),
                          ("2024-03-01", [other]), ("2024-04-01", [back, other])):
        add_snapshot(store, day, entities)
    events = entity_history(store, "test-list:1")
    assert [(e.change, e.published.isoformat()) for e in events] == [
        ("added", "2024-01-01"), ("removed", "2024-02-01"), ("re-added", "2024-04-01")]
    assert events[1].caption == "Acme Trading"  # the last version seen
    readded = {c.field: c for c in events[2].changes}
    assert set(readded) == {"names", "programs"}
    assert readded["names"].added == ("Acme <Trade> & Co (alias)",)
    assert (readded["programs"].old, readded["programs"].new) == (
        ("RUSSIA-EO14024",), ("DPRK3",))
    assert entity_as_of(store, "test-list:1", date(2024, 3, 15)) is None
    assert entity_as_of(store, "test-list:1", date(2024, 4, 1)) == back


def test_re_added_unchanged_has_no_changes(store: Store) -> None:
    one, other = listed("1", "Acme"), listed("2", "Other")
    add_snapshot(store, "2024-01-01", [one, other])
    add_snapshot(store, "2024-02-01", [other])
    add_snapshot(store, "2024-03-01", [one, other])
    events = entity_history(store, "test-list:1")
    assert [(e.change, e.changes) for e in events][-1] == ("re-added", ())


def test_unknown_entity(store: Store) -> None:
    add_snapshot(store, "2024-01-01", [listed("1", "Acme")])
    with pytest.raises(NotFoundError):
        entity_history(store, "test-list:404")
    with pytest.raises(NotFoundError):
        entity_as_of(store, "test-list:404", date(2024, 1, 1))
