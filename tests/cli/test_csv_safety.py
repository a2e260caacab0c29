"""CSV output never holds a cell a spreadsheet would run as a formula (OWASP CSV injection)."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from embargo.cli import cli
from embargo.model.builder import EntityBuilder
from embargo.model.entity import Program, Schema
from embargo.settings import load_settings
from embargo.store import Store

PAYLOADS = ["=cmd|' /C calc'!A0", "@SUM(A1)", "-2+3", "+1+1", "\tTAB", "\rCR"]
DANGER = ("=", "+", "-", "@", "\t", "\r")


def run(home: Path, *args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(cli, ["--home", str(home), *args], input=stdin,
                              catch_exceptions=False)


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A store with one listed party whose name and programme are formulas."""
    home = tmp_path / "home"
    b = EntityBuilder("list-x", "1", Schema.PERSON)
    b.add_name("Vladimir Putin")
    b.add_program(Program("=HYPERLINK(\"http://x\")", "=HYPERLINK(\"http://x\")"))
    with Store.open(load_settings(home).store_url) as store:
        store.add_snapshot(source="list-x", kind="test", published=date(2024, 1, 1),
                           content_hash="x", parser_version="test/1", entities=[b.build()],
                           counts={"entities": 1})
    return home


def cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def assert_safe(table: list[list[str]]) -> None:
    for row in table:
        for cell in row:
            assert not cell.startswith(DANGER), (cell, row)


def test_screen_csv_neutralises_formulas(home: Path) -> None:
    lines = ["id,schema,name"] + [f'"{p}",Person,Vladimir Putin' for p in PAYLOADS]
    result = run(home, "screen", "-", "--format", "csv", stdin="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.output
    table = cells(result.stdout)
    assert_safe(table)
    ids = [row[0] for row in table[1:]]
    # formulas are kept, shown as text; a leading tab or CR is cleaned from input ids
    assert ids == ["'" + p for p in PAYLOADS[:4]] + ["TAB", "CR"]
    assert all(row[5] == "'=HYPERLINK(\"http://x\")" for row in table[1:])
    assert all(float(row[2]) > 0.9 for row in table[1:])  # numbers stay numbers


def test_compare_csv_neutralises_formulas(tmp_path: Path) -> None:
    rows = [f'Person,"{p}",Smith John,"{p}"' for p in PAYLOADS]
    text = "schema,name1,name2,=note\n" + "\n".join(rows) + "\n"
    result = run(tmp_path, "compare", "-", "--format", "csv", stdin=text)
    assert result.exit_code == 0, result.output
    table = cells(result.stdout)
    assert_safe(table)
    assert table[0] == ["schema", "name1", "name2", "'=note", "score", "error"]
    assert [row[1] for row in table[1:]] == ["'" + p for p in PAYLOADS]
    assert all(float(row[4]) >= 0.0 for row in table[1:])
