"""`embargo batch`: the same results as `screen`, every input and output format, bad rows."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from batch.helpers import BAD_ROWS, customer_rows, run, run_failing, write_csv
from embargo.batch.formats import HIT_COLUMNS


def test_jsonl_is_exactly_screens_output(home: Path, customers: Path, tmp_path: Path) -> None:
    screened = run(home, "screen", str(customers), "-o", str(tmp_path / "screen.jsonl"))
    assert screened.exit_code == 0, screened.output
    result = run(home, "batch", str(customers), "-o", str(tmp_path / "batch.jsonl"),
                 "--workers", "2", "--summary", str(tmp_path / "summary.json"))
    assert result.exit_code == 0, result.output
    batch = (tmp_path / "batch.jsonl").read_bytes()
    assert batch == (tmp_path / "screen.jsonl").read_bytes()
    rows = [json.loads(line) for line in batch.splitlines()]
    assert any(r["hits"] for r in rows) and sum(bool(r["error"]) for r in rows) == 3
    summary = orjson.loads((tmp_path / "summary.json").read_bytes())
    assert summary["rows"] == len(rows) and summary["errors"] == 3
    assert summary["hits"] == sum(len(r["hits"]) for r in rows)
    workers = summary["per_worker"].values()
    assert 1 <= len(workers) <= 2 and sum(w["rows"] for w in workers) == len(rows)
    assert all(w["cpu_s"] > w["start_cpu_s"] >= 0 and w["rows_per_cpu_s"] > 0 for w in workers)
    assert summary["parent_cpu_s"] >= summary["parent_start_cpu_s"] > 0  # rounded to 0.1 s
    assert not list(tmp_path.glob("*.partial")) and not list(tmp_path.glob("*.state.json"))
    assert "rows screened" in result.stderr


def test_csv_rows_per_hit_errors_and_formula_safety(home: Path, customers: Path,
                                                    tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    result = run(home, "batch", str(customers), "-o", str(out), "--format", "csv",
                 "--workers", "1", "--threshold", "0.5", "--limit", "2")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert tuple(rows[0]) == HIT_COLUMNS
    hits = [r for r in rows if r["entity_id"]]
    assert hits and all(r["entity_id"].startswith("un:") and r["snapshot"] for r in hits)
    assert all(0.5 <= float(r["score"]) <= 1 for r in hits)
    per_query: dict[str, int] = {}
    for r in hits:
        per_query[r["query_id"]] = per_query.get(r["query_id"], 0) + 1
    assert max(per_query.values()) <= 2
    errors = {r["query_id"]: r["error"] for r in rows if r["error"]}
    assert set(errors) == {"bad-date", "no-name", "alien"}
    assert all(r["query_id"] != BAD_ROWS[-1]["id"] for r in rows)  # no hit, and no formula
    assert not any(cell.startswith(("=", "+", "@")) for r in rows for cell in r.values())
    seqs = [int(r["seq"]) for r in rows]
    assert seqs == sorted(seqs)


def _hits(path: Path) -> list[tuple[object, ...]]:
    import pyarrow.parquet as pq

    return sorted((r["seq"], r["query_id"], r["entity_id"] or "", r["score"], r["error"] or "")
                  for r in pq.read_table(path).to_pylist())


def test_parquet_and_jsonl_inputs_give_the_same_hits(home: Path, tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = customer_rows()
    source = write_csv(tmp_path / "in.csv", rows)
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "in.parquet")
    with open(tmp_path / "in.jsonl", "w", encoding="utf-8") as fh:
        for row in rows:
            props = {k: [v] for k, v in row.items() if k not in ("id", "schema") and v}
            fh.write(json.dumps({"id": row["id"], "schema": row["schema"],
                                 "properties": props}) + "\n\n")  # blank lines are skipped
    outputs = []
    for name in ("in.csv", "in.parquet", "in.jsonl"):
        out = tmp_path / f"{name}.out.parquet"
        result = run(home, "batch", str(tmp_path / name), "-o", str(out), "--format", "parquet",
                     "--workers", "2")
        assert result.exit_code == 0, result.output
        outputs.append(_hits(out))
    assert outputs[0] == outputs[1] == outputs[2]
    assert any(entity for _, _, entity, _, _ in outputs[0]) and source.exists()


def test_a_malformed_csv_record_is_an_error_row_and_the_run_goes_on(home: Path,
                                                                     tmp_path: Path) -> None:
    source = tmp_path / "bad.csv"
    source.write_text('id,name\nq1,Vladimir Putin\nq2,"Broken"quote\nq3,Kim Jong Un\n'
                      "q4,too,many\n", encoding="utf-8")
    out = tmp_path / "bad.jsonl"
    result = run(home, "batch", str(source), "-o", str(out), "--workers", "1")
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [bool(r["error"]) for r in rows] == [False, True, False, True]
    assert rows[2]["id"] == "q3" and "malformed CSV" in rows[1]["error"]


def test_stdin_stdout_and_usage_errors(home: Path, customers: Path, tmp_path: Path) -> None:
    result = run(home, "batch", str(customers), "-o", "-", "--workers", "1")
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == len(customer_rows())
    piped = run(home, "batch", "-", "-o", "-", "--workers", "1",
                stdin=customers.read_text(encoding="utf-8"))
    assert piped.exit_code == 0 and piped.stdout == result.stdout
    for args in (["-o", "-", "--resume"], ["-o", "-", "--format", "parquet"],
                 ["-o", str(tmp_path / "x"), "--resume"]):
        result = run_failing(home, "batch", str(customers), *args)
        assert result.exit_code != 0
    missing = run_failing(home, "batch", str(tmp_path / "nope.csv"), "-o", str(tmp_path / "o"))
    assert missing.exit_code != 0
    header = tmp_path / "noname.csv"
    header.write_text("id,city\n1,Paris\n")
    assert run_failing(home, "batch", str(header), "-o", str(tmp_path / "o2")).exit_code != 0


def test_forked_workers_share_the_parents_index(home: Path, customers: Path,
                                                tmp_path: Path) -> None:
    """A one-thread parent loads the index once and forks: its workers load nothing (their
    start-up is a few milliseconds of CPU, not the seconds of loading the index) and give
    exactly ``screen``'s results."""
    screened = run(home, "screen", str(customers), "-o", str(tmp_path / "screen.jsonl"))
    assert screened.exit_code == 0, screened.output
    out, summary = tmp_path / "batch.jsonl", tmp_path / "summary.json"
    subprocess.run([sys.executable, "-m", "embargo.cli", "--home", str(home), "batch",
                    str(customers), "-o", str(out), "--workers", "2", "--chunk-rows", "5",
                    "--summary", str(summary)], check=True, capture_output=True)
    assert out.read_bytes() == (tmp_path / "screen.jsonl").read_bytes()
    report = orjson.loads(summary.read_bytes())
    workers = report["per_worker"].values()
    assert len(workers) == 2 and all(w["rows"] > 0 for w in workers)
    assert all(w["start_cpu_s"] <= 0.05 for w in workers), workers
    assert report["parent_start_cpu_s"] >= report["index_cpu_s"] > 0  # loaded once, there
    # memory: each process's resident peak counts the shared index pages again; its PSS
    # counts a shared page once over the processes sharing it
    pss, rss = report["peak_pss_mb"], report["peak_mb"]
    assert set(pss) == set(rss) and len(pss) == 3, (pss, rss)
    assert all(0 < pss[name] <= rss[name] for name in pss)
    assert sum(pss.values()) < sum(rss.values())
