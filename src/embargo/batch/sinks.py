"""Where a batch writes while it runs, so that a stop at any moment can be resumed exactly.

While a run is going, nothing exists under the output's name: JSONL and CSV go to
``OUTPUT.partial`` (appended, flushed and fsynced at each checkpoint), Parquet to
``OUTPUT.partial/part-NNNNNN.parquet`` (one closed part per checkpoint). The checkpoint
(:mod:`embargo.batch.state`) records the committed length (or part count); a resumed run
cuts the partial output back to it, so rows written after the last checkpoint are written
again exactly once. At the end the output is renamed (Parquet: its parts merged) to its
final name: a file under the output's name is always complete.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import Any, Protocol

from embargo.batch.formats import (
    HitRow,
    arrow_schema,
    arrow_table,
    csv_bytes,
    csv_header,
    hit_rows,
    jsonl_bytes,
)
from embargo.batch.records import parquet_module


def partial_path(output: Path) -> Path:
    return output.with_name(output.name + ".partial")


class Sink(Protocol):
    """A resumable output."""

    def add(self, seq: int, payload: Any) -> None: ...

    def commit(self) -> int: ...

    def finish(self) -> None: ...

    def close(self) -> None: ...


class TextSink:
    """JSON lines or CSV appended to ``OUTPUT.partial``; the mark is its committed length."""

    def __init__(self, output: Path, fmt: str, mark: int | None) -> None:
        self.output, self.fmt = output, fmt
        self.partial = partial_path(output)
        self.fh = open(self.partial, "r+b" if mark is not None else "wb")  # noqa: SIM115
        if mark is not None:
            self.fh.truncate(mark)
            self.fh.seek(mark)
        elif fmt == "csv":
            self.fh.write(csv_header())

    def add(self, seq: int, payload: Any) -> None:
        self.fh.write(payload)

    def commit(self) -> int:
        self.fh.flush()
        os.fsync(self.fh.fileno())
        return self.fh.tell()

    def finish(self) -> None:
        self.commit()
        self.fh.close()
        os.replace(self.partial, self.output)

    def close(self) -> None:
        if not self.fh.closed:
            self.fh.close()


class ParquetSink:
    """Hit rows in closed Parquet parts under ``OUTPUT.partial/``; the mark is the part count."""

    def __init__(self, output: Path, mark: int | None) -> None:
        self.output = output
        self.folder = partial_path(output)
        if mark is None:
            shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.parts = mark or 0
        for extra in self.folder.glob("part-*.parquet"):  # written after the last checkpoint
            if int(extra.stem.split("-")[1]) >= self.parts:
                extra.unlink()
        self.rows: list[HitRow] = []

    def add(self, seq: int, payload: Any) -> None:
        self.rows.extend(payload)

    def commit(self) -> int:
        pq = parquet_module()
        path = self.folder / f"part-{self.parts:06d}.parquet"
        tmp = path.with_suffix(".tmp")
        pq.write_table(arrow_table(self.rows), tmp)
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        self.parts += 1
        self.rows = []
        return self.parts

    def finish(self) -> None:
        if self.rows or not self.parts:
            self.commit()
        pq = parquet_module()
        tmp = self.output.with_name(f".{self.output.name}.{os.getpid()}.tmp")
        with pq.ParquetWriter(tmp, arrow_schema()) as writer:
            for number in range(self.parts):
                part = pq.ParquetFile(self.folder / f"part-{number:06d}.parquet")
                for group in range(part.num_row_groups):
                    writer.write_table(part.read_row_group(group))
        os.replace(tmp, self.output)
        shutil.rmtree(self.folder)

    def close(self) -> None:
        self.rows = []


class StdoutSink:
    """Standard output: streamed in order, not resumable."""

    def __init__(self, fmt: str) -> None:
        self.out = sys.stdout.buffer
        if fmt == "csv":
            self.out.write(csv_header())

    def add(self, seq: int, payload: Any) -> None:
        self.out.write(payload)

    def commit(self) -> int:
        self.out.flush()
        return 0

    def finish(self) -> None:
        self.out.flush()

    def close(self) -> None:
        pass


def open_sink(output: Path, fmt: str, mark: int | None) -> Sink:
    """The sink for a format; ``mark`` (a checkpoint's) resumes, None starts afresh."""
    if fmt == "parquet":
        return ParquetSink(output, mark)
    return TextSink(output, fmt, mark)


def encode(fmt: str, results: list[tuple[int, Any]]) -> Any:
    """A worker's chunk of (seq, result) in the sink's payload form."""
    if fmt == "jsonl":
        return jsonl_bytes(r for _, r in results)
    rows = [row for seq, r in results for row in hit_rows(seq, r)]
    return csv_bytes(rows) if fmt == "csv" else rows
