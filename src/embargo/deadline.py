"""Cooperative cancellation: a deadline for the work of the current thread.

The service runs each request's screening in a worker thread with :func:`deadline`; the long
loops of a query's path (reading its values, analysing its names, planning the index search,
scoring candidates) call :func:`checkpoint`, which raises :class:`~embargo.errors.Timeout`
once the deadline has passed. So a request that times out stops its work within one step of
one of those loops instead of running on after its caller gave up. Outside a deadline (the
CLI, the evaluation) a checkpoint costs one attribute lookup and never raises.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from embargo.errors import Timeout

_local = threading.local()


@contextmanager
def deadline(at: float | None, what: str = "the work") -> Iterator[None]:
    """Run the block under a deadline (``time.monotonic()`` seconds; None: none)."""
    before = getattr(_local, "at", None), getattr(_local, "what", "")
    _local.at, _local.what = at, what
    try:
        yield
    finally:
        _local.at, _local.what = before


def checkpoint() -> None:
    """Raise Timeout if this thread's deadline has passed."""
    at = getattr(_local, "at", None)
    if at is not None and time.monotonic() > at:
        raise Timeout(f"{_local.what} took longer than allowed and was stopped")


def remaining() -> float | None:
    """Seconds left before this thread's deadline (None: no deadline)."""
    at = getattr(_local, "at", None)
    return None if at is None else at - time.monotonic()
