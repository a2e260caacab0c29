"""The shape of screening results: JSON lines (one per query) and CSV (one row per hit)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from embargo.matching.query import QueryRow
from embargo.matching.screen import Hit, Screener
from embargo.store import Snapshot

CSV_COLUMNS = ("query_id", "entity_id", "score", "caption", "source", "programs")


def hit_dict(hit: Hit, snapshots: dict[str, Snapshot]) -> dict[str, Any]:
    entity = hit.entity
    snapshot = snapshots.get(entity.source)
    return {
        "entity_id": entity.id,
        "score": round(hit.score, 4),
        "schema": str(entity.schema),
        "caption": entity.caption,
        "source": entity.source,
        "snapshot": snapshot.id if snapshot else None,
        "published": snapshot.published.isoformat() if snapshot else None,
        "programs": [p.code for p in entity.programs],
        "explanation": hit.match.explanation(),
    }


def screen_rows(screener: Screener, snapshots: dict[str, Snapshot], rows: Iterable[QueryRow],
                threshold: float | None = None, limit: int = 10) -> Iterator[dict[str, Any]]:
    """One result per input row, in order: its hits, or its error (never skipped)."""
    for row in rows:
        result: dict[str, Any] = {"id": row.id, "hits": [], "error": row.error}
        if row.warnings:
            result["warnings"] = list(row.warnings)
        if row.entity is not None:
            hits = screener.screen(row.entity, threshold, limit)
            result["hits"] = [hit_dict(h, snapshots) for h in hits]
        yield result


def csv_rows(result: dict[str, Any]) -> Iterator[list[str]]:
    """CSV rows of one result: a row per hit; an error row keeps the query visible."""
    if result["error"]:
        yield [result["id"], "", "", f"error: {result['error']}", "", ""]
    for hit in result["hits"]:
        yield [result["id"], hit["entity_id"], f"{hit['score']:.4f}", hit["caption"],
               hit["source"], ";".join(hit["programs"])]
