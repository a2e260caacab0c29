"""``embargo spark-screen``: the batch screening of a file or dataset, on Apache Spark.

The driver resolves the snapshots from the store and takes (or builds, once) the saved
index, ships it to the executors, reads the input as a DataFrame (Parquet file or folder,
CSV with a header, FtM JSON lines), numbers its rows in input order, screens every
partition with :mod:`embargo.spark.screen` and writes a Spark output folder: Parquet with
the hit columns of ``embargo batch``, or ``screen``'s JSON lines sorted by input order.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from embargo.batch.index import index_file
from embargo.batch.records import Kind, sniff
from embargo.batch.rows import Options
from embargo.batch.run import Summary
from embargo.batch.state import Counts
from embargo.errors import IncompleteError, UsageError
from embargo.screening.lists import snapshots_for
from embargo.spark.screen import (
    RESULT_SCHEMA,
    RowCount,
    Shipped,
    hits_function,
    hits_schema,
    numbered,
    props_payload,
    results_function,
    ship_index,
    text_payload,
)
from embargo.store import Snapshot, Store

SPARK_FORMATS = ("parquet", "jsonl")
# A local-mode job is one short-lived JVM (driver and executors) that mostly moves rows
# between files and the Python workers: C1-only JIT and the serial collector halve its CPU
# time (JVM start-up 10 -> 5 CPU-s; docs/benchmarks.md, issue 10); no web UI.
LOCAL_CONF = {
    "spark.ui.enabled": "false",
    "spark.driver.extraJavaOptions": "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC",
}


@dataclass(frozen=True, slots=True)
class SparkRequest:
    input: str
    output: str
    fmt: str = "parquet"
    master: str | None = None
    partitions: int | None = None
    threshold: float | None = None
    limit: int = 10
    as_of: date | None = None
    sources: tuple[str, ...] = ()


def session(master: str | None) -> Any:
    """A Spark session: the given master, else spark-submit's, else ``local[*]``."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise UsageError("spark-screen needs pyspark: pip install 'embargo[spark]'") from None
    builder = SparkSession.builder.appName("embargo spark-screen")
    if master:
        builder = builder.master(master)
    if master is None or master.startswith("local"):  # executors run this very Python
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        builder = builder.config("spark.pyspark.python", os.environ["PYSPARK_PYTHON"])
    local = master is not None and master.startswith("local")
    if local:  # the JVM this process starts (spark-submit's is already running)
        for key, value in LOCAL_CONF.items():
            builder = builder.config(key, value)
    builder = builder.config("spark.ui.showConsoleProgress", "false")
    spark = builder.getOrCreate()
    if local:  # a shuffle of a few slices per core, not the cluster default of 200
        spark.conf.set("spark.sql.shuffle.partitions",
                       str(2 * spark.sparkContext.defaultParallelism))
    return spark


def input_kind(path: str) -> Kind:
    """Parquet for a folder (a Spark dataset) or a Parquet file, else as ``batch`` sniffs."""
    local = Path(path)
    if local.is_dir() or "://" in path:
        return "parquet"
    if not local.is_file():
        raise UsageError(f"{path}: no such file or folder")
    return sniff(local)


def read_numbered(spark: Any, path: str) -> tuple[Any, bool, RowCount]:
    """The input as (seq, line, payload) rows numbered as ``embargo batch`` numbers them;
    whether payloads are column maps (not JSON lines); the row count (``.value()``: for an
    input of one partition, known once a job has gone through the rows)."""
    kind = input_kind(path)
    if kind == "jsonl":
        return _with(numbered(spark.read.text(path), text_payload, 1), False)
    if kind == "csv":
        df = spark.read.csv(path, header=True, multiLine=True, escape='"', mode="PERMISSIVE",
                            encoding="UTF-8", inferSchema=False)
        df = df.toDF(*[c.lstrip("\ufeff") for c in df.columns])
        return _with(numbered(df, props_payload, 2, skips=False), True)
    return _with(numbered(spark.read.parquet(path), props_payload, 1, skips=False), True)


def _with(rows: tuple[Any, RowCount], props: bool) -> tuple[Any, bool, RowCount]:
    return rows[0], props, rows[1]


def screen_dataframe(spark: Any, rows: Any, props: bool, index_path: Path,
                     snapshots: Iterable[Snapshot], options: Options,
                     partitions: int | None = None, results: bool = False) -> Any:
    """Numbered rows to a DataFrame of hits (or of ``screen``'s JSON results)."""
    shipped = Shipped(ship_index(spark, index_path), {s.source: s for s in snapshots}, options)
    wanted = partitions or max(rows.rdd.getNumPartitions(),
                               2 * spark.sparkContext.defaultParallelism)
    if wanted != rows.rdd.getNumPartitions():
        rows = rows.repartition(wanted, "seq")  # hash of seq: the same split on a retry
    if results:
        return rows.mapInArrow(results_function(shipped, props), RESULT_SCHEMA)
    return rows.mapInArrow(hits_function(shipped, props), hits_schema())


def run_spark(store: Store, cache_dir: Path | None, request: SparkRequest) -> Summary:
    """Screen ``request.input`` on Spark into the output folder; counts read back from it."""
    if request.fmt not in SPARK_FORMATS:
        raise UsageError(f"spark-screen writes {' or '.join(SPARK_FORMATS)}, not {request.fmt}")
    if Path(request.output).exists():
        raise UsageError(f"{request.output} exists: Spark writes a new folder, remove it first")
    snapshots = snapshots_for(store, request.as_of, request.sources)
    options = Options(request.threshold, request.limit)
    started = time.monotonic()
    with index_file(store, snapshots, cache_dir) as index_path:
        spark = session(request.master)
        try:
            rows, props, total = read_numbered(spark, request.input)
            out = screen_dataframe(spark, rows, props, index_path, snapshots, options,
                                   request.partitions, results=request.fmt == "jsonl")
            counts = _write(spark, out, request, total)
            workers = spark.sparkContext.defaultParallelism
        finally:
            spark.stop()
    return Summary(counts, time.monotonic() - started, workers, request.output)


def _write(spark: Any, out: Any, request: SparkRequest, total: RowCount) -> Counts:
    if request.fmt == "jsonl":
        # kept: the sort first samples its input (a job of its own), which would otherwise
        # screen every row a second time
        screened = out.persist()
        try:
            screened.orderBy("seq").select("result").write.text(request.output)
        finally:
            screened.unpersist()
        counts = _result_counts(spark.read.text(request.output))
    else:
        out.write.parquet(request.output)
        counts = hit_counts(spark.read.parquet(request.output), total.value())
    if counts.rows != total.value():  # never a silently short output
        raise IncompleteError(f"{request.output}: {counts.rows:,} rows written of "
                              f"{total.value():,} read", rows=counts.rows)
    return counts


def hit_counts(hits: Any, rows: int) -> Counts:
    """Counts of a hit DataFrame of ``rows`` input rows."""
    from pyspark.sql import functions as F

    agg = hits.agg(F.count("entity_id").alias("hits"),
                   F.countDistinct(F.when(F.col("entity_id").isNotNull(), F.col("seq")))
                   .alias("with_hits"),
                   F.count("error").alias("errors")).first()
    return Counts(rows, agg["hits"], agg["with_hits"], agg["errors"])


def _result_counts(lines: Any) -> Counts:
    from pyspark.sql import functions as F

    parsed = lines.select(F.from_json("value", "hits array<string>, error string").alias("r"))
    agg = parsed.agg(F.count("*").alias("rows"), F.sum(F.size("r.hits")).alias("hits"),
                     F.sum(F.when(F.size("r.hits") > 0, 1).otherwise(0)).alias("with_hits"),
                     F.count("r.error").alias("errors")).first()
    return Counts(agg["rows"], agg["hits"] or 0, agg["with_hits"] or 0, agg["errors"])
