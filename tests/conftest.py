"""Shared test fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

from embargo.settings import load_settings


@pytest.fixture(scope="session")
def shared() -> Path:
    """The shared data folder (``EMBARGO_SHARED``, default ``../shared``); skip if absent."""
    path = load_settings().shared
    if not (path / "data" / "lists").is_dir():
        pytest.skip(f"shared data not found at {path}")
    return path


@pytest.fixture(scope="session")
def lists_dir(shared: Path) -> Path:
    return shared / "data" / "lists"
