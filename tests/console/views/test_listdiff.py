"""Snapshot diffs with field-level values: the real SDN changes of 2021-08-18 → 2021-08-20."""

from __future__ import annotations

import pytest

from embargo.console.views.listdiff import snapshot_diff
from embargo.errors import NotFoundError, UsageError
from embargo.store import Store

from .conftest import add_snapshot, listed

pytestmark = pytest.mark.shared


def _ids(store: Store) -> tuple[int, int]:
    return (store.resolve_snapshot("ofac-sdn", "2021-08-18").id,
            store.resolve_snapshot("ofac-sdn", "2021-08-20").id)


def test_sdn_diff_counts_and_known_entries(sdn_store: Store) -> None:
    old, new = _ids(sdn_store)
    diff = snapshot_diff(sdn_store, old, new)
    assert diff.counts == {"added": 32, "removed": 0, "changed": 36, "unchanged": 9047}
    assert (diff.old.id, diff.new.id, diff.source) == (old, new, "ofac-sdn")
    added = {e.entity_id: e.caption for e in diff.added}
    assert added["ofac-sdn:31920"] == "AKADEMIK CHERSKIY"
    assert added["ofac-sdn:31914"] == "SAMARA HEAT AND ENERGY PROPERTY FUND"
    assert all(e.changes == () for e in diff.added)
    assert [e.entity_id for e in diff.changed] == sorted(e.entity_id for e in diff.changed)
    assert all(e.changes and all(c.added or c.removed or c.old != c.new for c in e.changes)
               for e in diff.changed)


def test_sdn_diff_matches_the_store_diff(sdn_store: Store) -> None:
    old, new = _ids(sdn_store)
    mine = snapshot_diff(sdn_store, old, new)
    theirs = sdn_store.diff(sdn_store.get_snapshot(old), sdn_store.get_snapshot(new))
    assert [(e.entity_id, e.caption) for e in mine.added] == [
        (c.entity_id, c.caption) for c in theirs.added]
    assert [(e.entity_id, e.fields) for e in mine.changed] == [
        (c.entity_id, c.fields) for c in theirs.changed]


def test_sdn_field_values(sdn_store: Store) -> None:
    diff = snapshot_diff(sdn_store, *_ids(sdn_store))
    changed = {e.entity_id: e for e in diff.changed}
    (programs,) = changed["ofac-sdn:31731"].changes
    assert (programs.field, programs.old, programs.new) == (
        "programs", ("BELARUS-EO",), ("BELARUS-EO14038",))


def test_reverse_diff(sdn_store: Store) -> None:
    old, new = _ids(sdn_store)
    back = snapshot_diff(sdn_store, new, old)
    assert back.counts["removed"] == 32 and back.counts["added"] == 0
    (programs,) = {e.entity_id: e for e in back.changed}["ofac-sdn:31731"].changes
    assert (programs.old, programs.new) == (("BELARUS-EO14038",), ("BELARUS-EO",))


def test_removed_entries_and_errors(store: Store) -> None:
    a = add_snapshot(store, "2024-01-01", [listed("1", "Acme"), listed("2", "Gone")])
    b = add_snapshot(store, "2024-02-01", [listed("1", "Acme")])
    other = add_snapshot(store, "2024-02-01", [listed("1", "Acme")], source="other-list")
    diff = snapshot_diff(store, a.id, b.id)
    assert [(e.entity_id, e.caption) for e in diff.removed] == [("test-list:2", "Gone")]
    assert diff.counts == {"added": 0, "removed": 1, "changed": 0, "unchanged": 1}
    with pytest.raises(UsageError):
        snapshot_diff(store, a.id, other.id)
    with pytest.raises(NotFoundError):
        snapshot_diff(store, a.id, 999_999)
