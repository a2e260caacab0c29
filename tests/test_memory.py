"""This process's memory figures from /proc."""

from __future__ import annotations

from embargo.memory import peak_rss_mb, pss_mb


def test_pss_of_this_process_is_within_its_resident_size() -> None:
    pss = pss_mb()
    assert pss is not None and 0 < pss <= peak_rss_mb()
