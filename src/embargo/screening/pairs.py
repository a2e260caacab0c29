"""``embargo compare``: score labelled or unlabelled name pairs, one result per row.

Reads the layout of the shared evaluation files: ``schema,name1,name2,...``
with optional ``<property>_1`` / ``<property>_2`` columns (``birthDate_1``...);
other columns are ignored (and kept for CSV output). A row that cannot be
scored (empty name, bad date, unknown schema) gets an ``error``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from embargo.errors import ParseError
from embargo.matching import DEFAULT_THRESHOLD, compare
from embargo.matching.query import KNOWN_PROPS, QueryRow, csv_records, row_from_props

REQUIRED = ("name1", "name2")


def _side(line: int, record: dict[str, str], side: str) -> QueryRow:
    props: dict[str, Any] = {"name": record.get(f"name{side}", "")}
    for key, value in record.items():
        base, _, suffix = key.rpartition("_")
        if suffix == side and base in KNOWN_PROPS and value.strip():
            props[base] = value
    return row_from_props(line, f"{line}:{side}", props, record.get("schema") or None)


def _score(line: int, record: dict[str, str], threshold: float) -> dict[str, Any]:
    left, right = _side(line, record, "1"), _side(line, record, "2")
    if left.entity is None or right.entity is None:
        which = "name1" if left.entity is None else "name2"
        error = left.error if left.entity is None else right.error
        return {"row": line, "score": None, "match": None, "error": f"{which}: {error}"}
    match = compare(left.entity, right.entity)
    return {"row": line, "score": round(match.score, 4), "match": match.score >= threshold,
            "explanation": match.explanation(), "error": None}


def _records(text: str, name: str) -> Iterator[tuple[int, dict[str, str] | None, str | None]]:
    lines = [ln for ln in text.splitlines(keepends=True) if not ln.lstrip().startswith("#")]
    reader = csv.DictReader(io.StringIO("".join(lines), newline=""), strict=True)
    if reader.fieldnames is None or not set(REQUIRED) <= set(reader.fieldnames):
        raise ParseError(name, f"a pairs file needs the columns {', '.join(REQUIRED)}", line=1)
    for line, record, error in csv_records(reader):
        yield line, None if record is None else {k: v or "" for k, v in record.items() if k}, error


Scored = tuple[dict[str, str], dict[str, Any]]


def compare_pairs(text: str, name: str = "<pairs>",
                  threshold: float | None = None) -> Iterator[Scored]:
    """(input record, result) per row, in input order."""
    cut = DEFAULT_THRESHOLD if threshold is None else threshold
    for line, record, error in _records(text, name):
        if record is None:
            yield {}, {"row": line, "score": None, "match": None, "error": error}
        else:
            yield record, _score(line, record, cut)
