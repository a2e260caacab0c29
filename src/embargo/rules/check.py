"""``embargo check``: decide JSON-lines transactions against the lists in force on their dates.

Each input line gives one decision line. A line that cannot be read gets a
decision ``review`` with an ``error`` (it is never dropped and never
``allowed``). Items are grouped by date so that each date's list view (and
its screening index) is built once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import IO

import orjson

from embargo.errors import ValidationError
from embargo.ownership.graph import OwnershipGraph
from embargo.rules.decision import REVIEW, Decision
from embargo.rules.engine import Context, Engine
from embargo.rules.resolve import ListView, view_from_store
from embargo.rules.transaction import Transaction, parse_transaction
from embargo.store.ownership import load_holdings
from embargo.store.store import Store

log = logging.getLogger(__name__)

ViewFor = Callable[[date | None], ListView]
GraphFor = Callable[[date | None], OwnershipGraph]


def read_items(lines: Iterable[bytes | str]) -> Iterator[tuple[int, Transaction | str]]:
    """(line number, transaction or error message) for each non-blank line."""
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            yield number, parse_transaction(orjson.loads(line), str(number))
        except orjson.JSONDecodeError as exc:
            yield number, f"line {number}: not JSON: {exc}"
        except ValidationError as exc:
            yield number, f"line {number}: {exc.message}"


def _error_decision(number: int, message: str) -> Decision:
    return Decision(str(number), REVIEW, error=message)


def decide_all(items: Iterable[tuple[int, Transaction | str]], engine: Engine,
               view_for: ViewFor, graph_for: GraphFor,
               as_of: date | None = None) -> Iterator[Decision]:
    """Decisions in input order; views and graphs are cached per date."""
    views: dict[date | None, Context] = {}
    for number, item in items:
        if isinstance(item, str):
            yield _error_decision(number, item)
            continue
        day = item.date or as_of
        if day not in views:
            views[day] = Context(view_for(day), graph_for(day))
        yield engine.check(item, views[day], as_of)


def run_check(store: Store, lines: Iterable[bytes | str], *, as_of: date | None = None,
              engine: Engine | None = None) -> Iterator[Decision]:
    """Decide each JSON line against the store's snapshots and ownership in force.

    Each item is judged on its own date (``date``); ``as_of`` is the date for items
    without one, and "today" for telling dates in the future.
    """
    engine = engine or Engine(today=as_of)
    return decide_all(read_items(lines), engine, lambda day: view_from_store(store, day),
                      lambda day: OwnershipGraph(load_holdings(store, day)), as_of)


def write_decisions(decisions: Iterable[Decision], out: IO[bytes]) -> dict[str, int]:
    """Write one JSON line per decision; the count of each decision."""
    counts: dict[str, int] = {}
    for decision in decisions:
        out.write(orjson.dumps(decision.as_dict()) + b"\n")
        counts[decision.decision] = counts.get(decision.decision, 0) + 1
    return counts


def check_file(store: Store, input_path: Path | str, output: IO[bytes], *,
               as_of: date | None = None) -> dict[str, int]:
    """``embargo check INPUT [-o OUTPUT] [--as-of D]``: the count of each decision."""
    with Path(input_path).open("rb") as fh:
        return write_decisions(run_check(store, fh, as_of=as_of), output)
