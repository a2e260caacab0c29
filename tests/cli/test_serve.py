"""``embargo serve``: one worker process per usable core unless --workers says otherwise."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from embargo.cli import cli
from embargo.service import commands


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, ...]]:
    calls: list[tuple[Any, ...]] = []
    monkeypatch.setattr(commands, "serve", lambda *args: calls.append(args))
    return calls


def test_workers_default_to_the_usable_cores(tmp_path: Path, served: list[tuple[Any, ...]],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2})
    result = CliRunner().invoke(cli, ["--home", str(tmp_path), "serve"], catch_exceptions=False)
    assert result.exit_code == 0
    assert served[0][1:] == ("127.0.0.1", 8000, 3)


def test_workers_option_wins(tmp_path: Path, served: list[tuple[Any, ...]]) -> None:
    CliRunner().invoke(cli, ["--home", str(tmp_path), "serve", "--workers", "1", "--port",
                             "9000"], catch_exceptions=False)
    assert served[0][1:] == ("127.0.0.1", 9000, 1)
