"""The batch reader: formats, sequence numbers and lines, skipping for a resume; customers."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from embargo.batch.records import InputFile, sniff
from embargo.errors import ParseError
from embargo.evaluation.customers import Parts, Planted, customers, variant
from embargo.model import Schema


@pytest.mark.parametrize(("text", "kind", "records"), [
    ("\ufeffid,name\n1,A B\n\n2,\"C\nD\"\n3,E F\n", "csv",
     [(0, 2, ["1", "A B"]), (1, 5, ["2", "C\nD"]), (2, 6, ["3", "E F"])]),
    ('\ufeff{"id": "1", "name": "A"}\n\n{"id": "2"}\r\n', "jsonl",
     [(0, 1, '{"id": "1", "name": "A"}'), (1, 3, '{"id": "2"}')]),
])
def test_records_keep_order_lines_and_skip(tmp_path: Path, text: str, kind: str,
                                           records: list[tuple[int, int, object]]) -> None:
    path = tmp_path / "in"
    path.write_text(text, encoding="utf-8", newline="")
    source = InputFile(path)
    assert source.kind == kind == sniff(path)
    got = [(r.seq, r.line, r.data) for r in source.records()]
    assert got == records
    assert [(r.seq, r.line, r.data) for r in source.records(skip=1)] == records[1:]


def test_csv_errors_are_records_and_a_nameless_header_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_text('name,country\nA,x\n"B"x,y\nC\nD,z\n', encoding="utf-8")
    got = [(r.seq, r.error is not None) for r in InputFile(path).records()]
    assert got == [(0, False), (1, True), (2, True), (3, False)]
    path.write_text("city,country\nParis,fr\n", encoding="utf-8")
    with pytest.raises(ParseError, match="no name"):
        InputFile(path)


def test_parquet_records(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    import datetime

    import pyarrow.parquet as pq

    table = pa.table({"id": ["a", "b", "c"], "name": [["X Y", "Z"], None, ["W"]],
                      "birthDate": [datetime.date(1970, 1, 2), None, None]})
    pq.write_table(table, tmp_path / "in.parquet", row_group_size=2)
    source = InputFile(tmp_path / "in.parquet")
    rows = list(source.records())
    assert source.kind == "parquet" and [r.seq for r in rows] == [0, 1, 2]
    assert rows[0].data == {"id": "a", "name": ["X Y", "Z"], "birthDate": "1970-01-02"}
    assert [r.data for r in source.records(skip=2)] == [rows[2].data]


def test_synthetic_customers_are_seeded_and_plant_what_they_say() -> None:
    parts = [Parts(("Anna", "Олег"), ("Smith", "Иванов"), ("de", "ru"))]
    planted = [Planted("ofac-sdn:1", Schema.PERSON, "Vladimir Vladimirovich Putin", "1952")]
    first = list(customers(random.Random(3), parts, planted, 500, 0.1))
    again = list(customers(random.Random(3), parts, planted, 500, 0.1))
    assert first == again
    plants = [(row, plant) for row, plant in first if plant]
    assert 20 < len(plants) < 90 and all(p[0] == "ofac-sdn:1" for _, p in plants)
    assert any(row[2] != "Vladimir Vladimirovich Putin" for row, _ in plants)
    name, changes = variant(random.Random(1), "Example Trading Company", Schema.COMPANY)
    assert changes in {"case", "accents", "punctuation", "none"} or "+" in changes
    assert name.lower().split() == ["example", "trading", "company"] or changes != "none"


@pytest.mark.parametrize(("countries", "swapped"), [(frozenset({"cn"}), False),
                                                    (frozenset({"ir"}), True)])
def test_chinese_romanisations_get_no_transliteration_swaps(countries: frozenset[str],
                                                             swapped: bool) -> None:
    """Shih and Chih are two Chinese names, not two spellings of one: no sh/ch swap there."""
    labels = {variant(random.Random(seed), "CHEN, Shih Huan", Schema.PERSON, countries)[1]
              for seed in range(200)}
    assert any("swap" in label for label in labels) is swapped


@pytest.mark.parametrize(("name", "dropped"), [
    ("HUSSEIN, Mazen Ali", {"HUSSEIN, Mazen"}),  # a middle name, not the first given name
    ("ABU DHESS, Mohamed", {"ABU DHESS, Mohamed"}),  # nothing of the family name
    ("Ali Mohamed Rage", {"Ali Rage"}),
    ("Ali Rage", {"Ali Rage"}),
])
def test_drop_middle_drops_a_middle_name_only(name: str, dropped: set[str]) -> None:
    from embargo.evaluation.customers import _drop_middle

    assert {_drop_middle(random.Random(seed), name) for seed in range(20)} == dropped


def test_vessel_variants_keep_the_number() -> None:
    for seed in range(100):
        name, _ = variant(random.Random(seed), "FU YUAN YU 7604", Schema.VESSEL)
        assert name.split()[-1] == "7604" and name.casefold().startswith("fu yuan yu")


def test_progress_line_shows_rate_share_and_eta() -> None:
    import io

    from embargo.batch.progress import Progress

    stream = io.StringIO()
    progress = Progress(None, 1000, stream=stream, enabled=True, started=0.0)
    line = progress.line(500, 250, now=10.0)
    assert line == "screening: 500 rows  50 rows/s  25%  ETA 0:00:30"
    progress.update(500, 250, force=True)
    assert "rows/s" in stream.getvalue()
    assert "ETA" not in Progress(None, None, stream=stream).line(10, None, now=1e9)

