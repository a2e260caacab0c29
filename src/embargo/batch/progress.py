"""A progress line with rows/s and ETA on a terminal, and the summary at the end."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from typing import IO

from embargo.batch.state import Counts

REFRESH_S = 0.5


def clock(seconds: float) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


@dataclass(slots=True)
class Progress:
    """Redraws one stderr line at most every half second; silent when not a terminal.

    The ETA comes from the share of the input done: rows of a Parquet file (known from its
    footer), else bytes of the text file read so far.
    """

    total_rows: int | None
    total_bytes: int | None
    start_rows: int = 0
    stream: IO[str] = field(default_factory=lambda: sys.stderr)
    enabled: bool = False
    started: float = field(default_factory=time.monotonic)
    drawn: float = 0.0

    def __post_init__(self) -> None:
        self.enabled = self.enabled or self.stream.isatty()

    def update(self, rows: int, bytes_read: int | None = None, force: bool = False) -> None:
        now = time.monotonic()
        if not self.enabled or (not force and now - self.drawn < REFRESH_S):
            return
        self.drawn = now
        self.stream.write("\r\033[K" + self.line(rows, bytes_read, now))
        self.stream.flush()

    def line(self, rows: int, bytes_read: int | None, now: float) -> str:
        took = max(now - self.started, 1e-9)
        rate = (rows - self.start_rows) / took
        share = self._share(rows, bytes_read)
        text = f"screening: {rows:,} rows  {rate:,.0f} rows/s"
        if share and rate > 0:
            left = rows / share - rows
            text += f"  {min(share, 1.0):.0%}  ETA {clock(left / rate)}"
        return text

    def _share(self, rows: int, bytes_read: int | None) -> float | None:
        if self.total_rows:
            return rows / self.total_rows
        if self.total_bytes and bytes_read is not None:
            return bytes_read / self.total_bytes
        return None

    def done(self) -> None:
        if self.enabled:
            self.stream.write("\r\033[K")
            self.stream.flush()


def summary(counts: Counts, elapsed: float, workers: int, output: str) -> str:
    rate = counts.rows / elapsed if elapsed > 0 else 0.0
    return (f"batch: {counts.rows:,} rows screened, {counts.hits:,} hits in "
            f"{counts.rows_with_hits:,} rows, {counts.errors:,} errors, {clock(elapsed)} "
            f"({rate:,.0f} rows/s, {workers} workers) -> {output}")
