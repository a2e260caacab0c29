"""Failed sign-ins per name and per address in a sliding window (console/throttle.py)."""

from __future__ import annotations

from embargo.console.throttle import Limits, SignInThrottle, minutes

LIMITS = Limits(per_name=3, per_address=5, window=600.0)


def _fail(guard: SignInThrottle, name: str, address: str, *times: float) -> None:
    for t in times:
        guard.failed(name, address, t)


def test_a_name_waits_after_its_limit_until_the_oldest_failure_leaves_the_window() -> None:
    guard = SignInThrottle(LIMITS)
    _fail(guard, "ann", "10.0.0.1", 0.0, 10.0)
    assert guard.wait("ann", "10.0.0.1", 20.0) == 0.0
    _fail(guard, "ann", "10.0.0.1", 20.0)
    assert guard.wait("ann", "10.0.0.1", 30.0) == 570.0  # the first failure (t=0) ends it
    assert guard.wait(" ANN ", "10.0.0.2", 30.0) == 570.0  # any address, any case
    assert guard.wait("bob", "10.0.0.2", 30.0) == 0.0
    assert guard.wait("ann", "10.0.0.1", 600.0) == 0.0


def test_an_address_waits_whatever_names_it_tries() -> None:
    guard = SignInThrottle(LIMITS)
    for i, name in enumerate(("a", "b", "c", "d", "e")):
        _fail(guard, name, "10.0.0.9", float(i))
    assert guard.wait("zed", "10.0.0.9", 5.0) == 595.0
    assert guard.wait("zed", "10.0.0.8", 5.0) == 0.0


def test_success_clears_the_name_but_not_the_address() -> None:
    guard = SignInThrottle(LIMITS)
    _fail(guard, "ann", "10.0.0.1", 0.0, 1.0)
    guard.succeeded("Ann")
    _fail(guard, "ann", "10.0.0.1", 2.0, 3.0)
    assert guard.wait("ann", "10.0.0.1", 4.0) == 0.0
    _fail(guard, "carl", "10.0.0.1", 4.0)
    assert guard.wait("dora", "10.0.0.1", 5.0) == 595.0  # 5 failures from that address


def test_minutes_round_up() -> None:
    assert [minutes(s) for s in (0.5, 60.0, 61.0, 899.0)] == [1, 1, 2, 15]
