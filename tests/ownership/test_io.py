from __future__ import annotations

from pathlib import Path

import pytest

from embargo.errors import ParseError
from embargo.ownership.io import read_csv_text, read_ftm

CSV = """owner_id,asset_id,percentage,source,as_of
ofac-sdn:1,co:x,25,registry,2021-01-01
ofac-sdn:2,co:x,25%,registry,
ofac-sdn:1,co:y,abc,registry,
ofac-sdn:1,co:z,60,registry,2021-13-01
co:a,co:b,70,,
co:c,co:b,40,,
"""


def test_csv_rows_and_per_line_errors() -> None:
    result = read_csv_text(CSV, "own.csv")
    assert sorted((h.owner_id, h.asset_id, h.percentage) for h in result.holdings) == [
        ("ofac-sdn:1", "co:x", 25.0), ("ofac-sdn:2", "co:x", 25.0)]
    assert any(e.startswith("own.csv:4:") and "not a number" in e for e in result.errors)
    assert any(e.startswith("own.csv:5:") and "not a date" in e for e in result.errors)
    assert any("co:b" in e and "110%" in e for e in result.errors)


def test_csv_needs_its_columns() -> None:
    with pytest.raises(ParseError, match="percentage"):
        read_csv_text("owner_id,asset_id\na,b\n", "bad.csv")


def test_ftm_ownership_entities(lists_dir: Path) -> None:
    result = read_ftm(lists_dir / "opensanctions-ftm" / "zala" / "entities.ftm.json", "zala")
    assert result.holdings, result.errors
    assert all(0 < h.percentage <= 100 for h in result.holdings)
    assert any("has ended" in w for w in result.warnings)
    assert any("no percentage" in e for e in result.errors)
