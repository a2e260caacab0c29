"""A home with the bundled UN list, and customer files, for the batch and Spark tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from batch.helpers import customer_rows, run, write_csv
from embargo.demo import demo_customers, demo_lists


@pytest.fixture(scope="session")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("batch-home")
    result = run(home, "import", str(demo_lists() / "un"))
    assert result.exit_code == 0, result.output
    result = run(home, "screen", str(demo_customers()), "-o", str(home / "warm.jsonl"))
    assert result.exit_code == 0, result.output  # builds and caches the index once
    return home


@pytest.fixture
def customers(tmp_path: Path) -> Path:
    return write_csv(tmp_path / "customers.csv", customer_rows())
