"""Reading customer files: ``screen``'s input columns as CSV, FtM JSON lines or Parquet.

Each row becomes a :class:`~embargo.matching.query.QueryRow` (a query entity whose id is the
customer id, or a one-line error). Unlike ``screen``, a customer needs an ``id``: upserts are
by id, so a row without one is an error, as is an id given twice in one file.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

import orjson

from embargo.errors import ParseError, UsageError
from embargo.matching.query import (
    QueryRow,
    csv_records,
    normalise_prop,
    record_properties,
    row_from_props,
)

FORMATS = ("auto", "csv", "ftm", "parquet")
PARQUET_MAGIC = b"PAR1"


def detect_format(path: str, raw: bytes) -> str:
    """``parquet`` by magic bytes, ``ftm`` for JSON lines, else ``csv``."""
    if raw[:4] == PARQUET_MAGIC:
        return "parquet"
    head = raw.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if head == b"{":
        return "ftm"
    if path.endswith((".parquet", ".pq")):
        return "parquet"
    return "csv"


def _plain(value: Any) -> Any:
    """Parquet cells to the values ``row_from_props`` takes (dates as ISO text)."""
    if isinstance(value, datetime | date):
        return value.isoformat()[:10]
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _row(line: int, record: Mapping[str, Any], schema: Any, props: Mapping[str, Any]) -> QueryRow:
    raw_id = record.get("id")
    if raw_id is None or not str(raw_id).strip():
        return QueryRow(line, str(line), error="no customer id (the id column is required)")
    if not isinstance(raw_id, str | int) or isinstance(raw_id, bool) or len(str(raw_id)) > 300:
        return QueryRow(line, str(line), error="a customer id is a text of 1 to 300 characters")
    return row_from_props(line, raw_id, props, schema)


def _csv_rows(text: str) -> Iterator[QueryRow]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records = ((ln, cells, err) for ln, cells, err in csv_records(reader)
               if cells is None or cells != [""])
    head = next(records, None)
    if head is None or head[1] is None:
        return
    header = [normalise_prop(c.lstrip("\ufeff")) for c in head[1]]
    if "id" not in header:
        raise ParseError("<customers>", "a customers file needs an id column", line=1)
    for line, cells, error in records:
        if cells is None or len(cells) != len(header):
            yield QueryRow(line, str(line), error=error or f"{len(cells or [])} cells, "
                           f"header has {len(header)}")
            continue
        rec = dict(zip(header, cells, strict=True))
        schema = rec.pop("schema", None)
        yield _row(line, rec, schema, {k: v for k, v in rec.items() if k != "id"})


def record_row(line: int, data: Any) -> QueryRow:
    """One FtM-shaped record (``{"id", "schema", "properties"}``, or flat properties)."""
    props = record_properties(data)
    if isinstance(props, str):
        return QueryRow(line, str(line), error=props)
    return _row(line, data, data.get("schema"), props)


def _ftm_rows(text: str) -> Iterator[QueryRow]:
    for line, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            data = orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            yield QueryRow(line, str(line), error=f"malformed JSON: {exc}")
            continue
        yield record_row(line, data)


def _parquet_rows(raw: bytes, name: str) -> Iterator[QueryRow]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(pa.BufferReader(raw))
    except (pa.ArrowException, OSError) as exc:
        raise ParseError(name, f"not a readable Parquet file: {exc}") from None
    if "id" not in table.column_names:
        raise ParseError(name, "a customers file needs an id column")
    for line, record in enumerate(table.to_pylist(), start=1):
        rec = {normalise_prop(k): _plain(v) for k, v in record.items()}
        schema = rec.pop("schema", None)
        yield _row(line, rec, schema, {k: v for k, v in rec.items()
                                       if k != "id" and v is not None})


def parse_customers(raw: bytes, name: str = "<customers>", fmt: str = "auto") -> list[QueryRow]:
    """Every row of a customers file; duplicate ids become errors (after their first row)."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown customers format {fmt!r}; use {', '.join(FORMATS)}")
    kind = detect_format(name, raw) if fmt == "auto" else fmt
    if kind == "parquet":
        rows = list(_parquet_rows(raw, name))
    else:
        text = raw.decode("utf-8", errors="surrogateescape").lstrip("\ufeff")
        try:
            rows = list(_ftm_rows(text) if kind == "ftm" else _csv_rows(text))
        except ParseError as exc:
            raise ParseError(name, exc.message.split(": ", 1)[-1], line=1) from None
    return _flag_duplicates(rows)


def parse_records(records: Sequence[Any]) -> list[QueryRow]:
    """Rows of FtM-shaped records already parsed (the API's request body)."""
    return _flag_duplicates([record_row(n, r) for n, r in enumerate(records, start=1)])


def _flag_duplicates(rows: list[QueryRow]) -> list[QueryRow]:
    seen: dict[str, int] = {}
    out = []
    for row in rows:
        if row.entity is not None and row.id in seen:
            row = QueryRow(row.line, row.id, error=f"customer id {row.id!r} already given "
                           f"on line {seen[row.id]}")
        elif row.entity is not None:
            seen[row.id] = row.line
        out.append(row)
    return out


def read_customers(path: Path | str, fmt: str = "auto") -> list[QueryRow]:
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ParseError(path, f"cannot read: {exc.strerror or exc}") from None
    return parse_customers(raw, str(path), fmt)
