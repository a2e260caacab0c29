"""Worker-pool helpers: memory sampling."""

from __future__ import annotations

import pytest


def test_pss_sampler_keeps_the_largest_sample_at_most_every_interval(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from embargo.batch import pool

    readings = iter([100.0, 300.0, 200.0])
    monkeypatch.setattr(pool, "pss_mb", lambda: next(readings))
    clock = iter([0.0, 5.0, 10.5, 25.0])
    sampler = pool.PssSampler(every=10.0, clock=lambda: next(clock))
    assert sampler.sample() == 100.0  # the first call samples
    assert sampler.sample() == 100.0  # 5 s later: not sampled again
    assert sampler.sample() == 300.0
    assert sampler.sample() == 300.0  # a smaller later sample keeps the peak

