"""The CLI contract of the matching issue: `embargo screen` and `embargo compare`."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from embargo.cli import cli

pytestmark = pytest.mark.shared

CUSTOMERS = """id,schema,name,birthDate,nationality,imoNumber
q1,Person,Владимир Путин,1952-10-07,ru,
q2,Vessel,MV AKADEMIK CHERSKIY,,,8770261
q3,Person,Ingeborg Abrahamsen,1972-11-21,fr,
q4,Person,John Smith,1980-13-45,,
q5,Person,   ,,,
q6,Alien,Somebody,,,
"""


def run(home: Path, *args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(cli, ["--home", str(home), *args], input=stdin,
                              catch_exceptions=False)


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory, lists_dir: Path) -> Path:
    home = tmp_path_factory.mktemp("home")
    result = run(home, "import", str(lists_dir / "ofac-sdn" / "history" / "sdn_2024-05-03.csv"))
    assert result.exit_code == 0, result.output
    return home


def test_screen_jsonl_stdin(home: Path) -> None:
    result = run(home, "screen", "-", stdin=CUSTOMERS)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in rows] == ["q1", "q2", "q3", "q4", "q5", "q6"]
    by_id = {r["id"]: r for r in rows}
    putin = by_id["q1"]["hits"][0]
    assert putin["entity_id"] == "ofac-sdn:35096" and putin["source"] == "ofac-sdn"
    assert {"score", "schema", "caption", "snapshot", "programs", "explanation"} <= set(putin)
    assert putin["explanation"]["features"]
    assert by_id["q2"]["hits"][0]["entity_id"] == "ofac-sdn:31920"
    assert by_id["q3"]["hits"] == [] and by_id["q3"]["error"] is None
    for bad in ("q4", "q5", "q6"):
        assert by_id[bad]["error"] and by_id[bad]["hits"] == []
    scores = [h["score"] for r in rows for h in r["hits"]]
    assert all(0.0 <= s <= 1.0 for s in scores)


def test_screen_csv_output_and_options(home: Path, tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text(CUSTOMERS)
    out = tmp_path / "out.csv"
    result = run(home, "screen", str(source), "-o", str(out), "--format", "csv",
                 "--threshold", "0.5", "--limit", "2", "--source", "ofac-sdn")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert list(rows[0]) == ["query_id", "entity_id", "score", "caption", "source", "programs"]
    assert sum(r["query_id"] == "q1" for r in rows) <= 2
    assert any(r["entity_id"] == "ofac-sdn:35096" for r in rows)


def test_screen_jsonl_input(home: Path) -> None:
    line = json.dumps({"id": "x", "schema": "Person",
                       "properties": {"name": ["PUTIN, Vladimir"], "birthDate": ["1952"]}})
    result = run(home, "screen", "-", stdin=line + "\n{not json\n")
    rows = [json.loads(x) for x in result.stdout.splitlines()]
    assert rows[0]["hits"][0]["entity_id"] == "ofac-sdn:35096"
    assert rows[1]["error"] and "JSON" in rows[1]["error"]


def test_screen_unknown_source_is_an_error(home: Path) -> None:
    result = CliRunner().invoke(cli, ["--home", str(home), "screen", "-", "--source", "nope"],
                                input=CUSTOMERS)
    assert result.exit_code != 0


def test_compare_pairs(tmp_path: Path, shared: Path) -> None:
    pairs = shared / "eval" / "pairs" / "cascade-name-pairs.csv"
    result = run(tmp_path, "compare", str(pairs))
    rows = [json.loads(x) for x in result.stdout.splitlines()]
    with pairs.open() as fh:
        records = list(csv.DictReader(fh))
    assert len(rows) == len(records)
    assert all({"score", "match", "explanation"} <= set(r) for r in rows)
    labelled = [(r["match"], rec["is_match"] == "true") for r, rec in zip(rows, records,
                                                                         strict=True)]
    accuracy = sum(a == b for a, b in labelled) / len(labelled)
    assert accuracy > 0.85


def test_compare_bad_rows_and_csv(tmp_path: Path) -> None:
    text = ("schema,name1,name2,birthDate_1,birthDate_2,extra\n"
            "Person,John Smith,Smith John,1970-01-01,1970,a\n"
            "Person,,Bob,,,b\n"
            "Person,Al Capone,Al Capone,1899-13-45,,c\n"
            "Wizard,A,B,,,d\n")
    rows = [json.loads(x) for x in run(tmp_path, "compare", "-", stdin=text).stdout.splitlines()]
    assert rows[0]["match"] is True and rows[0]["error"] is None
    assert [bool(r["error"]) for r in rows] == [False, True, True, True]
    out = run(tmp_path, "compare", "-", "--format", "csv", stdin=text).stdout
    table = list(csv.DictReader(io.StringIO(out)))
    assert table[0]["extra"] == "a" and float(table[0]["score"]) >= 0.75
