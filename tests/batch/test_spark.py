"""`embargo spark-screen` in local mode: hits and scores identical to `embargo batch`."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import orjson
import pytest

from batch.helpers import customer_rows, run, write_csv


def _need_spark() -> None:
    pytest.importorskip("pyarrow")
    try:
        import pyspark  # noqa: F401
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("pyspark is not installed (scripts/test installs the spark extra)")
        pytest.skip("pyspark is not installed")
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        if os.environ.get("CI"):
            pytest.fail("no Java: scripts/test installs openjdk-17-jre-headless")
        pytest.skip("no Java runtime: Spark needs Java 17")


def _rows(path: Path) -> list[tuple[object, ...]]:
    import pyarrow.parquet as pq

    return sorted(tuple(r.values()) for r in pq.read_table(path).to_pylist())


def test_spark_local_mode_gives_the_hits_and_scores_of_batch(home: Path,
                                                             tmp_path: Path) -> None:
    _need_spark()
    source = write_csv(tmp_path / "in.csv", customer_rows(3))
    batch_out, spark_out = tmp_path / "batch.parquet", tmp_path / "spark"
    result = run(home, "batch", str(source), "-o", str(batch_out), "--format", "parquet",
                 "--workers", "2")
    assert result.exit_code == 0, result.output
    summary = tmp_path / "summary.json"
    result = run(home, "spark-screen", str(source), str(spark_out), "--master", "local[2]",
                 "--partitions", "3", "--summary", str(summary))
    assert result.exit_code == 0, result.output
    batch_rows, spark_rows = _rows(batch_out), _rows(spark_out)
    assert spark_rows == batch_rows
    # one partition read: numbered without a counting pass, the count taken as it numbers
    assert orjson.loads(summary.read_bytes())["rows"] == len(customer_rows(3))
    assert any(r[2] for r in batch_rows) and any(r[-1] for r in batch_rows)  # hits and errors
    assert "rows screened" in result.stderr

    jsonl_batch, jsonl_spark = tmp_path / "batch.jsonl", tmp_path / "spark-jsonl"
    assert run(home, "batch", str(source), "-o", str(jsonl_batch)).exit_code == 0
    result = run(home, "spark-screen", str(source), str(jsonl_spark), "--format", "jsonl",
                 "--master", "local[2]")
    assert result.exit_code == 0, result.output
    parts = sorted(jsonl_spark.glob("part-*"))
    lines = [line for part in parts for line in part.read_text(encoding="utf-8").splitlines()]
    assert lines == jsonl_batch.read_text(encoding="utf-8").splitlines()


def test_numbering_one_partition_and_several() -> None:
    """Rows get their input position whether Spark reads them as one partition (no counting
    pass: the count comes from the numbering) or as several (offsets counted first)."""
    _need_spark()
    from embargo.spark.job import session
    from embargo.spark.screen import numbered, props_payload

    spark = session("local[2]")
    try:
        for parts, rows in ((1, 50), (3, 100)):
            df = spark.range(0, rows, numPartitions=parts)
            out, total = numbered(df, props_payload, 1, skips=parts == 3)
            got = sorted((r["seq"], orjson.loads(r["payload"])["id"], r["line"])
                         for r in out.collect())
            assert got == [(n, n, n + 1) for n in range(rows)]
            assert total.value() == rows
    finally:
        spark.stop()
