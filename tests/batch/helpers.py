"""Helpers of the batch and Spark tests: the CLI runner, customer rows and files."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from click.testing import CliRunner, Result

from embargo.cli import cli
from embargo.demo import demo_customers

# bad rows of every kind screen reports as errors, and one with a formula-like id
BAD_ROWS = [
    {"id": "bad-date", "schema": "Person", "name": "John Smith", "birthDate": "1980-13-45"},
    {"id": "no-name", "schema": "Person", "name": "   "},
    {"id": "alien", "schema": "Alien", "name": "Somebody"},
    {"id": "=cmd|' /C calc'!A0", "schema": "Person", "name": "Harmless Name"},
]


def run(home: Path, *args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(cli, ["--home", str(home), *args], input=stdin,
                              catch_exceptions=False)


def run_failing(home: Path, *args: str) -> Result:
    """A run expected to fail: its error becomes the result's exit code, not an exception."""
    return CliRunner().invoke(cli, ["--home", str(home), *args])


def customer_rows(copies: int = 1) -> list[dict[str, str]]:
    """The demo customers (listed parties in many scripts, clean names) and bad rows."""
    base = list(csv.DictReader(io.StringIO(demo_customers().read_text(encoding="utf-8"))))
    rows = []
    for copy in range(copies):
        for row in [*base, *BAD_ROWS]:
            rows.append({**row, "id": f"{row['id']}" if copies == 1 else f"{row['id']}-{copy}"})
    return rows


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    columns = sorted({k for row in rows for k in row}, key=lambda c: (c != "id", c))
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, columns)
        writer.writeheader()
        writer.writerows(rows)
    return path
