"""One record to one result, in ``screen``'s shape: the part every worker (and Spark) runs.

A record becomes a query with the same public parser ``screen`` uses
(:func:`embargo.matching.query.row_from_props`), is screened by the same
:func:`embargo.screening.results.screen_rows`, and a record that cannot be read or
screened becomes an error result: a bad row never stops a run.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from embargo.batch.records import Record
from embargo.matching.query import QueryRow, json_row, row_from_props
from embargo.matching.screen import Screener
from embargo.screening.results import screen_rows
from embargo.store import Snapshot

log = logging.getLogger(__name__)
Result = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Options:
    """What a run screens with; the same for every worker."""

    threshold: float | None = None
    limit: int = 10


def query_row(record: Record, header: Sequence[str] | None) -> QueryRow:
    """The query of a record, or its error (as ``screen`` reads the same CSV or JSON line)."""
    line = record.line
    data = record.data
    if record.error is not None or data is None:
        return QueryRow(line, str(line), error=record.error or "empty record")
    if isinstance(data, str):
        return json_row(line, data)
    props = dict(data) if isinstance(data, dict) else dict(zip(header or (), data, strict=True))
    return row_from_props(line, props.pop("id", None), props, props.pop("schema", None))


def screen_records(screener: Screener, snapshots: dict[str, Snapshot],
                   records: Iterable[Record], header: Sequence[str] | None,
                   options: Options) -> Iterator[tuple[int, Result]]:
    """(sequence number, result) per record, in order; never raises for one bad row."""
    for record in records:
        yield record.seq, _one(screener, snapshots, record, header, options)


def _one(screener: Screener, snapshots: dict[str, Snapshot], record: Record,
         header: Sequence[str] | None, options: Options) -> Result:
    row = QueryRow(record.line, str(record.line))
    try:
        row = query_row(record, header)
        rows = screen_rows(screener, snapshots, [row], options.threshold, options.limit)
        return next(rows)
    except Exception as exc:  # one row's failure is that row's error, logged with its trace
        log.warning("row %s (line %s) failed", record.seq, record.line, exc_info=True)
        return {"id": row.id, "hits": [], "error": f"internal error: {type(exc).__name__}: {exc}"}
