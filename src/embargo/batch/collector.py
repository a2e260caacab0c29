"""The cyclic collector in a batch worker: at the end of each chunk, not in the middle of it.

Screening frees its garbage by reference counting: over 8,000 rows of ``bench/batch.py``'s
customers the collector's 601 automatic passes found **no** unreachable object, yet took
14% of the worker's CPU (``bench/batch_worker.py``): its young passes walk each query's
live objects, and its full passes (every ~5,000 rows) walk the caches of analysed names and
index look-ups, ~200,000 objects, each time. In a worker the automatic collector is off and
:meth:`ChunkCollector.after` runs

* a young pass (generations 0 and 1) after every chunk: everything the chunk allocated is
  still in them, so a cycle the chunk left behind is freed before the next chunk starts;
* a full pass every :data:`FULL_EVERY` rows, for a cycle that would reach the old
  generation through a cache (none was seen: an insurance that memory stays flat).

The loaded index is frozen before the workers fork (:mod:`embargo.batch.pool`): no pass
walks it, and none writes to its shared pages.
"""

from __future__ import annotations

import gc

FULL_EVERY = 100_000  # rows between full passes (~1 s of CPU each, once caches are full)


class ChunkCollector:
    """Collection at chunk boundaries for the process that calls :meth:`start`."""

    def __init__(self, full_every: int = FULL_EVERY) -> None:
        self.full_every = full_every
        self.rows = 0  # since the last full pass
        self.passes = [0, 0]  # young, full

    def start(self) -> None:
        """Turn the automatic collector off (in a worker process only)."""
        gc.disable()

    def after(self, rows: int) -> None:
        """A chunk of ``rows`` rows is done: collect what it left, and the old generation
        every :attr:`full_every` rows."""
        self.rows += rows
        if self.rows >= self.full_every:
            self.rows = 0
            self.passes[1] += 1
            gc.collect()
        else:
            self.passes[0] += 1
            gc.collect(1)
