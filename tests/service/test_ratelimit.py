"""Token buckets per key."""

from __future__ import annotations

from embargo.service.ratelimit import RateLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_burst_then_refill() -> None:
    clock = Clock()
    limiter = RateLimiter(rate=2.0, burst=3, clock=clock)
    assert [limiter.acquire("a") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert limiter.acquire("a") == 0.5  # one token comes back every 0.5 s
    assert limiter.acquire("b") == 0.0  # buckets are per key
    clock.now = 0.5
    assert limiter.acquire("a") == 0.0 and limiter.acquire("a") > 0
    clock.now = 100.0
    assert [limiter.acquire("a") for _ in range(4)].count(0.0) == 3  # capped at the burst


def test_zero_rate_means_unlimited() -> None:
    limiter = RateLimiter(rate=0, burst=1)
    assert all(limiter.acquire("a") == 0.0 for _ in range(1000))
