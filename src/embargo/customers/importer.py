"""``embargo customers import``: read a customers file, refuse it on any bad row, upsert."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from embargo.customers.io import parse_customers, parse_records
from embargo.errors import ParseError
from embargo.matching.query import QueryRow
from embargo.monitoring.keyed import refresh_keys
from embargo.store import Store
from embargo.store.customers import CustomerStore, UpsertResult


@dataclass(frozen=True, slots=True)
class CustomerImport:
    result: UpsertResult
    rejected: tuple[QueryRow, ...]
    warnings: tuple[str, ...]


def row_errors(rows: list[QueryRow]) -> list[str]:
    return [f"line {r.line} (id {r.id}): {r.error}" for r in rows if r.error]


def import_customers(store: Store, raw: bytes, name: str, fmt: str = "auto",
                     skip_errors: bool = False) -> CustomerImport:
    """Upsert every customer of a file's bytes (see :func:`import_rows`)."""
    return import_rows(store, parse_customers(raw, name, fmt), name, skip_errors)


def import_records(store: Store, records: Sequence[Any], name: str,
                   skip_errors: bool = False) -> CustomerImport:
    """Upsert FtM-shaped records (the API's request body)."""
    return import_rows(store, parse_records(records), name, skip_errors)


def import_rows(store: Store, rows: list[QueryRow], name: str,
                skip_errors: bool = False) -> CustomerImport:
    """Upsert every customer of the file in one transaction.

    A row that cannot be screened (no id, no name, impossible date, ...) makes the whole file
    refused, naming every bad row, unless ``skip_errors`` (then those rows are reported and
    the others imported).
    """
    bad = [r for r in rows if r.error]
    if bad and not skip_errors:
        listed = "; ".join(row_errors(bad[:20]))
        more = f" (and {len(bad) - 20} more)" if len(bad) > 20 else ""
        raise ParseError(name, f"{len(bad)} bad rows, nothing imported "
                         f"(--skip-errors imports the others): {listed}{more}")
    good = [r.entity for r in rows if r.entity is not None]
    warnings = tuple(f"line {r.line} (id {r.id}): {w}" for r in rows for w in r.warnings)
    result = CustomerStore(store.engine).upsert(good, origin=name)
    if result.touched:
        refresh_keys(store.engine)  # the name keys delta runs look customers up by
    return CustomerImport(result, tuple(bad), warnings)
