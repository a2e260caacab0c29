"""A worker's collector: off between chunks, a young pass after each, a full one now and then."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from embargo.batch.collector import ChunkCollector


class Node:
    def __init__(self) -> None:
        self.other: Node | None = None


def cycle() -> weakref.ref[Node]:
    """A reference cycle no one holds: only the cyclic collector can free it."""
    a, b = Node(), Node()
    a.other, b.other = b, a
    return weakref.ref(a)


@pytest.fixture
def collector() -> Iterator[ChunkCollector]:
    was = gc.isenabled()
    gc.collect()
    try:
        yield ChunkCollector(full_every=1000)
    finally:
        if was:
            gc.enable()


def test_a_cycle_left_by_a_chunk_is_freed_at_its_end(collector: ChunkCollector) -> None:
    collector.start()
    assert not gc.isenabled()
    dead = cycle()
    for _ in range(5000):  # far more allocations than the automatic collector's threshold
        Node()
    assert dead() is not None  # nothing collected in the middle of a chunk
    collector.after(500)
    assert dead() is None and collector.passes == [1, 0]


def test_a_cycle_that_outlived_its_chunk_is_freed_by_the_full_pass(
        collector: ChunkCollector) -> None:
    collector.start()
    held = [cycle()().other]  # type: ignore[union-attr]
    old = weakref.ref(held[0])
    collector.after(500)  # alive: moved to the old generation
    held.clear()
    collector.after(499)  # a young pass does not walk the old generation
    assert old() is not None and collector.passes == [2, 0]
    collector.after(1)  # 1,000 rows since the last full pass
    assert old() is None and collector.passes == [2, 1] and collector.rows == 0
