"""Batch input read as a stream: CSV, FtM JSON lines or Parquet, one raw record at a time.

The reader does the cheap part only (splitting the file into records); turning a record
into a query (:mod:`embargo.batch.rows`) happens in the worker processes. Each record
carries its sequence number (0-based, in input order) and the line that screen uses as
the default query id. Memory stays flat in the input's size: nothing is read ahead
beyond the record being yielded (Parquet: one record batch).
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any, Literal

from embargo.errors import ParseError, UsageError
from embargo.matching.query import is_jsonl, normalise_prop

Kind = Literal["csv", "jsonl", "parquet"]
PARQUET_MAGIC = b"PAR1"
PARQUET_BATCH = 4096
SNIFF_BYTES = 65536


@dataclass(frozen=True, slots=True)
class Record:
    """One input record before parsing: CSV cells, a JSON line's text or a Parquet row.

    ``error`` is set when the record could not even be split (malformed CSV).
    """

    seq: int
    line: int
    data: list[str] | str | dict[str, Any] | None
    error: str | None = None


def sniff(path: Path) -> Kind:
    """The input's format, from its first bytes (as ``screen`` detects CSV and JSON lines)."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(SNIFF_BYTES)
    except OSError as exc:
        raise UsageError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if head.startswith(PARQUET_MAGIC):
        return "parquet"
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff")
    return "jsonl" if is_jsonl(text) else "csv"


def fingerprint(path: Path) -> dict[str, Any]:
    """Size and a hash of the first and last MB: tells a resumed run it reads the same file."""
    size = path.stat().st_size
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        digest.update(fh.read(2**20))
        if size > 2**20:
            fh.seek(max(2**20, size - 2**20))
            digest.update(fh.read())
    return {"path": str(path.resolve()), "size": size, "sha256_head_tail": digest.hexdigest()}


class InputFile:
    """An input file: its format, its CSV header (read first) and its records."""

    def __init__(self, path: Path, kind: Kind | None = None) -> None:
        self.path = path
        self.kind: Kind = kind or sniff(path)
        self.header: tuple[str, ...] | None = None
        self._reading: IO[str] | None = None
        if self.kind == "csv":
            with _text(path) as text:
                self.header = tuple(_header(path, csv.reader(text, strict=True)))

    def records(self, skip: int = 0) -> Iterator[Record]:
        """The records, in order, from sequence number ``skip`` on."""
        if self.kind == "parquet":
            yield from _parquet(self.path, skip)
            return
        with _text(self.path) as text:
            self._reading = text
            records = _csv(self.path, text) if self.kind == "csv" else _jsonl(text)
            for record in records:
                if record.seq >= skip:
                    yield record


    def bytes_read(self) -> int | None:
        """How far into a text file the reader got (for the progress line)."""
        reading = self._reading
        if reading is None or reading.closed:
            return None
        return int(reading.buffer.tell())  # type: ignore[attr-defined]


def _text(path: Path) -> IO[str]:
    try:
        raw = open(path, "rb")  # noqa: SIM115 - the wrapper closes it
    except OSError as exc:
        raise UsageError(f"{path}: cannot read: {exc.strerror or exc}") from None
    return io.TextIOWrapper(raw, encoding="utf-8", errors="surrogateescape", newline="")


def _csv(path: Path, text: IO[str]) -> Iterator[Record]:
    reader = csv.reader(text, strict=True)
    width = len(_header(path, reader))
    seq = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:  # the reader goes on at the next line
            yield Record(seq, reader.line_num, None, f"malformed CSV: {exc}")
            seq += 1
            continue
        if not cells or cells == [""]:
            continue
        if len(cells) == width:
            yield Record(seq, reader.line_num, cells)
        else:
            yield Record(seq, reader.line_num, None, f"{len(cells)} cells, header has {width}")
        seq += 1


def _header(path: Path, reader: Any) -> list[str]:
    try:
        for cells in reader:
            if cells and cells != [""]:
                header = [normalise_prop(c.lstrip("\ufeff")) for c in cells]
                if "name" not in header and not {"firstName", "lastName"} & set(header):
                    raise ParseError(path, "the header has no name (or firstName/lastName) "
                                     "column", line=reader.line_num)
                return header
    except csv.Error as exc:
        raise ParseError(path, f"malformed CSV header: {exc}", line=1) from None
    raise ParseError(path, "empty input: no header", line=1)


def _jsonl(text: IO[str]) -> Iterator[Record]:
    seq = 0
    for number, raw in enumerate(_lines(text), start=1):
        line = raw.lstrip("\ufeff") if number == 1 else raw
        if line.strip():
            yield Record(seq, number, line)
            seq += 1


def _lines(text: IO[str]) -> Iterator[str]:
    """Lines as ``str.splitlines`` cuts them (``\\n``, ``\\r\\n`` and ``\\r``), without ends."""
    for chunk in text:
        yield from chunk.splitlines()


def _parquet(path: Path, skip: int) -> Iterator[Record]:
    pq = parquet_module()
    try:
        table = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises its own error classes
        raise ParseError(path, f"unreadable Parquet file: {exc}") from None
    names = [normalise_prop(n) for n in table.schema_arrow.names]
    if "name" not in names and not {"firstName", "lastName"} & set(names):
        raise ParseError(path, "the Parquet file has no name (or firstName/lastName) column")
    seq = 0
    for group in range(table.num_row_groups):
        rows = table.metadata.row_group(group).num_rows
        if seq + rows <= skip:
            seq += rows
            continue
        for batch in table.iter_batches(batch_size=PARQUET_BATCH, row_groups=[group]):
            for row in batch.to_pylist():
                if seq >= skip:
                    yield Record(seq, seq + 1, {k: plain(v) for k, v in row.items()})
                seq += 1


def plain(value: Any) -> Any:
    """Parquet dates and times as ISO text, as a CSV would have them."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def parquet_module() -> Any:
    """``pyarrow.parquet``, or a clear error naming the extra to install."""
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise UsageError("Parquet needs pyarrow: pip install 'embargo[parquet]'") from None
    return pq


def count_hint(path: Path, kind: Kind) -> int | None:
    """Rows in a Parquet file (from its footer); None for text files (progress uses bytes)."""
    if kind != "parquet":
        return None
    return int(parquet_module().ParquetFile(path).metadata.num_rows)


def size_of(path: Path) -> int:
    return os.stat(path).st_size
