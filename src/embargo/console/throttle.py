"""Failed sign-ins slow an attacker down: too many for one user name or one address, a wait.

Each worker process keeps, for every user name and every client address, the times of its
recent failed sign-ins. Once a name has failed :attr:`Limits.per_name` times within
:attr:`Limits.window` (default 5 in 15 minutes), or an address :attr:`Limits.per_address`
times (default 20: an office behind one address has several analysts), the sign-in page
answers 429 with the minutes to wait, **without checking the password**, so that guessing
goes no faster than the limit. A successful sign-in clears its name's failures. The limits
hold per worker process (the API's rate limit does the same); several workers multiply them
at most by their number. Settings: ``EMBARGO_CONSOLE_SIGNIN_ATTEMPTS`` (per name; the
address limit is four times it) and ``EMBARGO_CONSOLE_SIGNIN_LOCK_MINUTES``.
"""

from __future__ import annotations

import math
import threading
from collections import deque
from dataclasses import dataclass

MAX_KEYS = 100_000  # names and addresses remembered at most (an attacker may invent many)


@dataclass(frozen=True, slots=True)
class Limits:
    per_name: int = 5
    per_address: int = 20
    window: float = 15 * 60.0  # seconds


class SignInThrottle:
    """Failure times per key (``name:...``, ``addr:...``) in a sliding window."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def wait(self, name: str, address: str, now: float) -> float:
        """Seconds until a sign-in as ``name`` from ``address`` is heard again (0: now)."""
        with self._lock:
            return max(self._wait(_name(name), self.limits.per_name, now),
                       self._wait(_addr(address), self.limits.per_address, now))

    def failed(self, name: str, address: str, now: float) -> None:
        with self._lock:
            if len(self._failures) >= MAX_KEYS:
                self._forget_old(now)
            for key in (_name(name), _addr(address)):
                self._failures.setdefault(key, deque()).append(now)

    def succeeded(self, name: str) -> None:
        with self._lock:
            self._failures.pop(_name(name), None)

    def _wait(self, key: str, limit: int, now: float) -> float:
        times = self._failures.get(key)
        if not times:
            return 0.0
        while times and times[0] <= now - self.limits.window:
            times.popleft()
        if len(times) < limit:
            return 0.0
        return times[-limit] + self.limits.window - now

    def _forget_old(self, now: float) -> None:
        cutoff = now - self.limits.window
        for key in [k for k, t in self._failures.items() if not t or t[-1] <= cutoff]:
            del self._failures[key]
        if len(self._failures) >= MAX_KEYS:  # all recent: keep the newest half
            keep = sorted(self._failures.items(), key=lambda kv: kv[1][-1])[MAX_KEYS // 2:]
            self._failures = dict(keep)


def minutes(seconds: float) -> int:
    """A wait as whole minutes for people (at least one)."""
    return max(1, math.ceil(seconds / 60.0))


def _name(name: str) -> str:
    return "name:" + name.strip().casefold()


def _addr(address: str) -> str:
    return "addr:" + address
