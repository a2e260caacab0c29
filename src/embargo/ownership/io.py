"""Reading holdings: a CSV file, FtM ``Ownership`` entities, or parsed list entities.

CSV columns: ``owner_id, asset_id, percentage, source, as_of`` (header row
required; ``source`` and ``as_of`` may be empty). Every bad row becomes a
one-line error naming its line; good rows are still read. Assets whose holdings
add up to more than 100% are errors too (their rows are dropped).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import orjson

from embargo.errors import ParseError, ValidationError
from embargo.model.entity import Entity
from embargo.ownership.graph import Holding, OwnershipGraph, check_holding
from embargo.sources.textio import read_text

COLUMNS = ("owner_id", "asset_id", "percentage", "source", "as_of")


@dataclass(slots=True)
class ImportResult:
    holdings: list[Holding] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def parse_percentage(text: str) -> float:
    cleaned = text.strip().rstrip("%").strip().replace(",", ".")
    try:
        return float(cleaned)
    except ValueError:
        raise ValidationError(f"percentage {text!r} is not a number") from None


def parse_as_of(text: str | None) -> date | None:
    if not text or not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip()[:10])
    except ValueError:
        raise ValidationError(f"as_of {text!r} is not a date (YYYY-MM-DD)") from None


def make_holding(owner: str, asset: str, pct: str, source: str = "",
                 as_of: str | None = None) -> Holding:
    """A checked holding from text values; ValidationError says what is wrong."""
    percentage = parse_percentage(pct)
    check_holding(owner.strip(), asset.strip(), percentage)
    return Holding(owner.strip(), asset.strip(), percentage, source.strip(), parse_as_of(as_of))


def _csv_rows(text: str, name: str) -> Iterator[tuple[int, dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = [c for c in COLUMNS[:3] if c not in (reader.fieldnames or [])]
    if missing:
        raise ParseError(name, f"ownership CSV lacks column(s) {', '.join(missing)}", line=1)
    for row in reader:
        yield reader.line_num, {k: (v or "") for k, v in row.items() if k}


def read_csv_text(text: str, name: str = "<ownership.csv>") -> ImportResult:
    result = ImportResult()
    for line, row in _csv_rows(text, name):
        try:
            result.holdings.append(make_holding(row["owner_id"], row["asset_id"],
                                                row["percentage"], row.get("source", ""),
                                                row.get("as_of")))
        except ValidationError as exc:
            result.errors.append(f"{name}:{line}: {exc.message}")
    return checked(result)


def read_csv(path: Path | str) -> ImportResult:
    path = Path(path)
    return read_csv_text(read_text(path), str(path))


def _ftm_holdings(data: Mapping[str, Any], source: str) -> Iterator[Holding]:
    props = data.get("properties") or {}
    owners, assets = props.get("owner") or [], props.get("asset") or []
    pcts = props.get("percentage") or []
    if not pcts:
        raise ValidationError("no percentage")
    as_of = parse_as_of((props.get("startDate") or [None])[0])
    for owner in owners:
        for asset in assets:
            yield make_holding(str(owner), str(asset), str(pcts[0]), source,
                               as_of.isoformat() if as_of else None)


def read_ftm_lines(lines: Iterable[bytes | str], name: str = "<ftm>",
                   source: str = "ftm") -> ImportResult:
    """Holdings from FtM ``Ownership`` entities (JSON lines); other schemata are skipped.

    An Ownership with an ``endDate`` has ended and is skipped (with a warning).
    """
    result = ImportResult()
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            data = orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            result.errors.append(f"{name}:{number}: not JSON: {exc}")
            continue
        if not isinstance(data, dict) or data.get("schema") != "Ownership":
            continue
        if (data.get("properties") or {}).get("endDate"):
            result.warnings.append(f"{name}:{number}: ownership {data.get('id')} has ended")
            continue
        try:
            result.holdings.extend(_ftm_holdings(data, source))
        except ValidationError as exc:
            result.errors.append(f"{name}:{number}: ownership {data.get('id')}: {exc.message}")
    return checked(result)


def read_ftm(path: Path | str, source: str = "ftm") -> ImportResult:
    path = Path(path)
    with path.open("rb") as fh:
        return read_ftm_lines(fh, str(path), source)


def from_entities(entities: Iterable[Entity]) -> ImportResult:
    """Holdings from parsed entities: ``owns`` links with ``ownership:<id>`` notes."""
    result = ImportResult()
    for entity in entities:
        shares = {n.label.removeprefix("ownership:"): n.value for n in entity.notes
                  if n.label.startswith("ownership:")}
        for link in entity.links:
            if link.relation != "owns" or not link.target_id or link.target_id not in shares:
                continue
            asset = f"{entity.source}:{link.target_id}"
            try:
                result.holdings.append(make_holding(entity.id, asset, shares[link.target_id],
                                                    entity.source))
            except ValidationError as exc:
                result.errors.append(f"{entity.id}: {exc.message}")
    return checked(result)


def checked(result: ImportResult) -> ImportResult:
    """Drop (as errors) the holdings of assets owned more than 100% in total."""
    graph = OwnershipGraph(result.holdings)
    over = graph.over_allocated()
    for asset, total in sorted(over.items()):
        result.errors.append(f"holdings of {asset} add up to {total:g}% (over 100%): "
                             "its holdings were not imported")
    if over:
        result.holdings = [h for h in graph.holdings if h.asset_id not in over]
    for group in graph.cycles():
        result.warnings.append(f"ownership cycle among {', '.join(group)}")
    return result
