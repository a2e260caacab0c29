"""Screening a Spark DataFrame with the batch screener, partition by partition.

The index file is shipped to the executors once (``SparkContext.addFile``); each executor's
Python worker loads it on its first partition and keeps it for the next ones (Spark reuses
its Python workers). Every partition goes through :func:`embargo.batch.rows.screen_records`,
the code ``embargo batch`` runs, so the hits and scores are the same, row for row.

Rows are first numbered in input order (``seq``, as ``embargo batch`` numbers them), then
carried as one JSON payload column, so that repartitioning for more parallelism can never
change which number a row gets. An input of several partitions needs a first pass that
counts each partition's rows (the offsets); an input read as one partition (a CSV file, a
JSON lines or Parquet file under Spark's split size) is numbered from 0 without it, and its
row count comes back from the numbering itself (:class:`RowCount`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from embargo.batch.formats import arrow_schema, arrow_table, hit_rows
from embargo.batch.records import Record
from embargo.batch.rows import Options, Result, screen_records
from embargo.store import Snapshot

PAYLOAD_SCHEMA = "seq long, line long, payload string"
RESULT_SCHEMA = "seq long, result string"
_LOADED: dict[str, Any] = {}


@dataclass(frozen=True, slots=True)
class Shipped:
    """What every partition needs: the shipped index's file name, snapshots and options."""

    index_name: str
    snapshots: dict[str, Snapshot]
    options: Options


def ship_index(spark: Any, index_path: Path) -> str:
    """Send the index file to every executor once; the name it has there."""
    spark.sparkContext.addFile(str(index_path))
    return index_path.name


def _screener(name: str) -> Any:
    """The shipped index, loaded once per executor Python worker."""
    if _LOADED.get("name") != name:
        from pyspark import SparkFiles

        from embargo.batch.pool import load_screener

        _LOADED["screener"] = load_screener(Path(SparkFiles.get(name)))
        _LOADED["name"] = name
    return _LOADED["screener"]


# numbering ------------------------------------------------------------------------------
class _PartitionRows:
    """Accumulates {partition: rows} (an ``AccumulatorParam``). A task run again (a retry,
    a lost shuffle file) reports the same count for the same partition: merging is
    idempotent, never double."""

    def zero(self, value: dict[int, int]) -> dict[int, int]:
        return {}

    def addInPlace(self, a: dict[int, int], b: dict[int, int]) -> dict[int, int]:
        a.update(b)
        return a


class RowCount:
    """The input's row count: known before screening (counted per partition), or taken
    from the numbering once the job that screens the rows has run."""

    def __init__(self, known: int | None, parts: Any = None) -> None:
        self.known, self.parts = known, parts

    def value(self) -> int:
        if self.known is not None:
            return self.known
        counted: dict[int, int] = self.parts.value
        if not counted:
            raise RuntimeError("the rows have not been numbered yet: run the job first")
        return sum(counted.values())


def text_payload(row: dict[str, Any]) -> str | None:
    """A JSON line's text (None for a blank line, skipped as ``embargo batch`` skips it)."""
    line = str(row.get("value") or "").lstrip("\ufeff")
    return line if line.strip() else None


def props_payload(row: dict[str, Any]) -> str | None:
    """A CSV or Parquet row's columns as JSON (dates as ISO text)."""
    from embargo.batch.records import plain

    return orjson.dumps({k: plain(v) for k, v in row.items()}, default=str).decode()


Payload = Callable[[dict[str, Any]], str | None]


def numbered(df: Any, payload: Payload, first_line: int,
             skips: bool = True) -> tuple[Any, RowCount]:
    """``df`` as (seq, line, payload) rows, numbered in input order from 0; and their count.

    One partition is numbered from 0 as it is read (no first pass). Several need each
    partition's row count first: ``skips`` tells whether ``payload`` skips some rows (blank
    lines); if not, the JVM counts them, without a Python pass.
    """
    offsets: dict[int, int] = {0: 0}
    if df.rdd.getNumPartitions() == 1:
        parts = df.sparkSession.sparkContext.accumulator({}, _PartitionRows())
        total = RowCount(None, parts)
    else:
        offsets, count = _offsets(df, payload, skips)
        total, parts = RowCount(count), None

    def number(batches: Iterable[Any]) -> Iterator[Any]:
        import pyarrow as pa

        part = _partition()
        seq = start = offsets.get(part, 0)
        for batch in batches:
            out: dict[str, list[Any]] = {"seq": [], "line": [], "payload": []}
            for row in batch.to_pylist():
                text = payload(row)
                if text is not None:
                    out["seq"].append(seq)
                    out["line"].append(seq + first_line)
                    out["payload"].append(text)
                    seq += 1
            yield pa.RecordBatch.from_pydict(out, schema=_payload_arrow())
        if parts is not None:  # after the partition's last row
            parts.add({part: seq - start})

    return df.mapInArrow(number, PAYLOAD_SCHEMA), total


def _offsets(df: Any, payload: Payload, skips: bool) -> tuple[dict[int, int], int]:
    """Each partition's first sequence number, and the row count (a first pass)."""
    if skips:
        counts = dict(df.mapInArrow(_counter(payload), "part int, rows long").collect())
    else:
        from pyspark.sql import functions as F

        part = F.spark_partition_id().alias("part")
        counts = {r["part"]: r["count"] for r in df.groupBy(part).count().collect()}
    offsets, total = {}, 0
    for part in sorted(counts):
        offsets[part], total = total, total + counts[part]
    return offsets, total


def _counter(payload: Payload) -> Callable[[Iterable[Any]], Iterator[Any]]:
    def count(batches: Iterable[Any]) -> Iterator[Any]:
        import pyarrow as pa

        rows = sum(payload(r) is not None for b in batches for r in b.to_pylist())
        part = _partition()
        yield pa.RecordBatch.from_pydict({"part": [part], "rows": [rows]},
                                         schema=pa.schema([("part", pa.int32()),
                                                           ("rows", pa.int64())]))
    return count


def _partition() -> int:
    """The partition a ``mapInArrow`` function is running on."""
    from pyspark import TaskContext

    context = TaskContext.get()
    if context is None:
        raise RuntimeError("not running in a Spark task")
    return int(context.partitionId())


def _payload_arrow() -> Any:
    import pyarrow as pa

    return pa.schema([("seq", pa.int64()), ("line", pa.int64()), ("payload", pa.string())])


# screening ------------------------------------------------------------------------------
def _results(shipped: Shipped, batches: Iterable[Any], props: bool) -> Iterator[
        list[tuple[int, Result]]]:
    screener = _screener(shipped.index_name)
    for batch in batches:
        records = [Record(r["seq"], r["line"], orjson.loads(r["payload"]) if props
                          else r["payload"]) for r in batch.to_pylist()]
        yield list(screen_records(screener, shipped.snapshots, records, None, shipped.options))


def hits_function(shipped: Shipped, props: bool) -> Callable[[Iterable[Any]], Iterator[Any]]:
    """The ``mapInArrow`` function that turns payload rows into hit rows."""
    def screen(batches: Iterable[Any]) -> Iterator[Any]:
        for results in _results(shipped, batches, props):
            rows = [row for seq, result in results for row in hit_rows(seq, result)]
            yield from arrow_table(rows).to_batches()
    return screen


def results_function(shipped: Shipped, props: bool) -> Callable[[Iterable[Any]], Iterator[Any]]:
    """The ``mapInArrow`` function that turns payload rows into ``screen``'s JSON results."""
    def screen(batches: Iterable[Any]) -> Iterator[Any]:
        import pyarrow as pa

        for results in _results(shipped, batches, props):
            yield pa.RecordBatch.from_pydict(
                {"seq": [s for s, _ in results],
                 "result": [orjson.dumps(r).decode() for _, r in results]},
                schema=pa.schema([("seq", pa.int64()), ("result", pa.string())]))
    return screen


def hits_schema() -> str:
    """The hit DataFrame's schema as Spark DDL (the columns of ``embargo batch``)."""
    types = {"int64": "long", "string": "string", "double": "double",
             "list<item: string>": "array<string>"}
    return ", ".join(f"`{f.name}` {types[str(f.type)]}" for f in arrow_schema())
