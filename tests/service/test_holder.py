"""The index holder: atomic swap on new snapshots, past snapshot sets, the index cache."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from embargo.matching.query import row_from_props
from embargo.matching.screen import Screener
from embargo.service.holder import IndexHolder, prebuild
from embargo.settings import Settings
from embargo.store import Store


def _query(name: str):  # type: ignore[no-untyped-def]
    entity = row_from_props(1, "q", {"name": [name]}, "Person").entity
    assert entity is not None
    return entity


def test_refresh_swaps_only_on_change(filled: Settings, tmp_path: Path,
                                      store_filler: Callable[[Store], None]) -> None:
    with Store.open(filled.store_url) as store:
        holder = IndexHolder(store, tmp_path / "cache")
        assert holder.current is None
        assert holder.refresh() is True and holder.refresh() is False
        old = holder.current
        assert old is not None and len(old.snapshot_ids) == 2
        assert list((tmp_path / "cache").glob("*.idx"))  # written for the next start
        store.add_snapshot(source="list-c", kind="test", published=date(2024, 8, 1),
                           content_hash="c", parser_version="t", entities=[], counts={})
        assert holder.refresh() is True
        new = holder.current
        assert new is not old and len(new.snapshot_ids) == 3  # type: ignore[union-attr]
        # a request holding the old reference still screens on the old index
        assert old.screener.screen(_query("Vladimir Putin"))[0].entity.id == "list-a:1"


def test_past_snapshot_sets(filled: Settings, tmp_path: Path) -> None:
    with Store.open(filled.store_url) as store:
        holder = IndexHolder(store, tmp_path / "cache")
        holder.refresh()
        then = holder.as_of(date(2024, 2, 1))
        assert then.sources == ("list-a",) and then.snapshot_ids == (1,)
        assert holder.for_snapshot_ids((1,)) is then  # cached
        hits = then.screener.screen(_query("Kim Jong Un"))
        assert hits and hits[0].entity.id == "list-a:2"
        assert holder.for_snapshot_ids(holder.current.snapshot_ids) is holder.current  # type: ignore[union-attr]


def test_cached_index_is_reused(filled: Settings, tmp_path: Path) -> None:
    with Store.open(filled.store_url) as store:
        first = IndexHolder(store, tmp_path / "cache")
        first.refresh()
        second = IndexHolder(store, tmp_path / "cache")
        second.refresh()
        query = _query("Bank Rossiya")
        a = first.current.screener.screen(query)  # type: ignore[union-attr]
        b = second.current.screener.screen(query)  # type: ignore[union-attr]
        assert [(h.entity.id, h.score) for h in a] == [(h.entity.id, h.score) for h in b]


def test_prebuild_leaves_an_index_the_workers_load(filled: Settings, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "prebuilt"
    monkeypatch.setenv("EMBARGO_INDEX_CACHE", str(cache))
    prebuild(filled)
    files = list(cache.glob("*.idx"))
    assert len(files) == 1
    def no_load(*_: object) -> None:
        raise AssertionError("a cached index is not loaded by the prebuild")

    with monkeypatch.context() as patch:
        patch.setattr(Screener, "load", no_load)
        prebuild(filled)  # cached: neither rebuilt nor loaded
    assert list(cache.glob("*.idx")) == files and files[0].stat().st_mtime_ns == \
        next(iter(cache.glob("*.idx"))).stat().st_mtime_ns
    with Store.open(filled.store_url) as store:
        holder = IndexHolder(store, cache)
        built = {"n": 0}
        original = Screener.from_entities

        def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
            built["n"] += 1
            return original(*args, **kwargs)

        monkeypatch.setattr(Screener, "from_entities", counting)
        holder.refresh()
        assert built["n"] == 0  # loaded, not built
        assert holder.current.screener.screen(_query("Vladimir Putin"))[0].entity.id == \
            "list-a:1"  # type: ignore[union-attr]


def test_prebuild_without_snapshots_writes_nothing(settings: Settings, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "empty"
    monkeypatch.setenv("EMBARGO_INDEX_CACHE", str(cache))
    prebuild(settings)
    assert not cache.exists() or not list(cache.glob("*.idx"))
