"""The output shapes of a batch: JSON lines (``screen``'s), and one row per hit (CSV, Parquet).

JSONL: one line per query, exactly ``embargo screen``'s, explanations included.
CSV, Parquet and Spark DataFrames: one row per hit with :data:`HIT_COLUMNS`; a query
that could not be screened is one row with its ``error`` and empty hit columns; a query
without hits has no row (the summary counts it). ``seq`` is the query's 0-based position
in the input, so any ordering can be undone.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

import orjson

from embargo.csvsafe import safe_row

Result = dict[str, Any]
HitRow = tuple[int, str, str | None, float | None, str | None, str | None, str | None,
               int | None, str | None, list[str] | None, str | None]
HIT_COLUMNS = ("seq", "query_id", "entity_id", "score", "caption", "schema", "source",
               "snapshot", "published", "programs", "error")
FORMATS = ("jsonl", "csv", "parquet")


def jsonl_bytes(results: Iterable[Result]) -> bytes:
    """Results as JSON lines, byte for byte what ``screen`` writes."""
    return b"".join(orjson.dumps(r) + b"\n" for r in results)


def hit_rows(seq: int, result: Result) -> list[HitRow]:
    """The rows of one result: one per hit, or one error row."""
    rows: list[HitRow] = []
    if result.get("error"):
        rows.append((seq, str(result["id"]), None, None, None, None, None, None, None, None,
                     str(result["error"])))
    for hit in result["hits"]:
        rows.append((seq, str(result["id"]), hit["entity_id"], hit["score"], hit["caption"],
                     hit["schema"], hit["source"], hit["snapshot"], hit["published"],
                     list(hit["programs"]), None))
    return rows


def csv_header() -> bytes:
    return _csv_text([list(HIT_COLUMNS)])


def csv_bytes(rows: Iterable[HitRow]) -> bytes:
    """Hit rows as CSV (programmes joined by ``;``), every text cell spreadsheet-safe."""
    return _csv_text([_csv_cells(row) for row in rows])


def _csv_cells(row: HitRow) -> list[Any]:
    cells: list[Any] = list(row)
    cells[3] = "" if row[3] is None else f"{row[3]:.4f}"
    cells[9] = "" if row[9] is None else ";".join(row[9])
    return safe_row("" if c is None else c for c in cells)


def _csv_text(rows: list[list[Any]]) -> bytes:
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue().encode("utf-8", errors="surrogateescape")


def arrow_schema() -> Any:
    """The hit rows' Arrow schema (Parquet output, Spark's DataFrame of hits)."""
    import pyarrow as pa

    return pa.schema([
        ("seq", pa.int64()), ("query_id", pa.string()), ("entity_id", pa.string()),
        ("score", pa.float64()), ("caption", pa.string()), ("schema", pa.string()),
        ("source", pa.string()), ("snapshot", pa.int64()), ("published", pa.string()),
        ("programs", pa.list_(pa.string())), ("error", pa.string()),
    ])


def arrow_table(rows: list[HitRow]) -> Any:
    """Hit rows as one Arrow table with :func:`arrow_schema`."""
    import pyarrow as pa

    columns = list(zip(*rows, strict=True)) if rows else [()] * len(HIT_COLUMNS)
    schema = arrow_schema()
    return pa.Table.from_arrays([pa.array(list(col), type=field.type)
                                 for col, field in zip(columns, schema, strict=True)],
                                schema=schema)
