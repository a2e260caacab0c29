"""OpenRefine reconciliation: what it shows and fetches of reconciled entries.

Data extension (property values as new columns) and the HTML preview card; the shapes
follow the Reconciliation Service API 0.2 as yente serves it.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import orjson
from followthemoney import model as ftm_model
from followthemoney import registry
from followthemoney.schema import Schema as FtmSchema

from embargo.errors import UsageError
from embargo.model import Entity
from embargo.service.reconcile import property_name, schemata

# --- data extension ----------------------------------------------------------------------

def _schema_named(name: str) -> FtmSchema:
    schema = ftm_model.get(name)
    if schema is None:
        raise UsageError(f"unknown type {name!r}: not a FollowTheMoney schema", type=name)
    return schema


def propose_properties(type_name: str, limit: int) -> dict[str, Any]:
    """The properties an entry of this type can add as columns (featured ones first)."""
    schema = _schema_named(type_name)
    props = [p for p in schema.properties.values()
             if not p.hidden and p.type != registry.entity]
    props.sort(key=lambda p: (p.name not in schema.featured, p.label))
    chosen = props[:limit] if limit > 0 else props
    return {"limit": limit, "type": schema.name,
            "properties": [{"id": p.name, "name": p.label} for p in chosen]}


@dataclass(frozen=True, slots=True)
class Extension:
    ids: tuple[str, ...]
    properties: tuple[tuple[str, int, str], ...]  # (property, limit, render)


def parse_extend(text: str) -> Extension:
    """The ``extend`` field: ``{"ids": [...], "properties": [{"id", "settings"}]}``."""
    try:
        data = orjson.loads(text)
    except orjson.JSONDecodeError:
        raise UsageError("'extend' is not valid JSON") from None
    ids, props = data.get("ids") if isinstance(data, dict) else None, []
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise UsageError("'extend' needs 'ids', a list of entity ids")
    for item in data.get("properties") or []:
        name = property_name(item.get("id")) if isinstance(item, dict) else None
        if name is None:
            raise UsageError("each extension property needs an 'id'")
        settings = item.get("settings") or {}
        limit, render = settings.get("limit", 0), settings.get("render", "caption")
        if not isinstance(limit, int) or render not in ("caption", "raw"):
            raise UsageError("settings: limit is a number, render is 'caption' or 'raw'")
        props.append((name, limit, render))
    return Extension(tuple(ids), tuple(props))


def _column(entity: Mapping[str, Any], name: str, limit: int, render: str) -> list[Any]:
    schema = ftm_model.get(entity["schema"])
    prop = schema.get(name) if schema is not None else None
    values = [v for v in entity["properties"].get(name, []) if isinstance(v, str)]
    if limit > 0:
        values = values[:limit]
    if prop is not None and render == "caption":
        values = [prop.type.caption(v) or v for v in values]
    return [{"str": v} for v in values]


def extend_answer(extension: Extension, entities: Mapping[str, Mapping[str, Any] | None]
                  ) -> dict[str, Any]:
    """Rows of property values per id (an unknown id gets an empty row), and column names."""
    names = {}
    for name, _, _ in extension.properties:
        found = [s.get(name) for s in schemata() if s.get(name) is not None]
        names[name] = found[0].label if found and found[0] is not None else name
    rows: dict[str, Any] = {}
    for entity_id in extension.ids:
        entity = entities.get(entity_id)
        rows[entity_id] = {name: _column(entity, name, limit, render) if entity else []
                           for name, limit, render in extension.properties}
    return {"meta": [{"id": n, "name": label} for n, label in names.items()], "rows": rows}


# --- preview -----------------------------------------------------------------------------

def _row(label: str, values: Iterable[str]) -> str:
    shown = [html.escape(v) for v in values if v]
    return f"<tr><th>{html.escape(label)}</th><td>{'; '.join(shown)}</td></tr>" if shown else ""


def preview_html(entity: Entity, topics: Iterable[str]) -> str:
    """A small, self-contained HTML card of a listed entry (every value escaped)."""
    rows = [
        _row("Type", [str(entity.schema)]), _row("List", [entity.source]),
        _row("Programmes", [p.raw for p in entity.programs]), _row("Topics", topics),
        _row("Other names", [n.full for n in entity.names if n.full != entity.caption][:8]),
        _row("Born", [str(d) for d in entity.birth_dates]),
        _row("Countries", [*entity.nationalities, *entity.citizenships, *entity.countries]),
        _row("Identifiers", [f"{i.label or i.kind}: {i.value}" for i in entity.identifiers][:8]),
        _row("Listed", [entity.listed_on or ""]),
    ]
    return ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>"
            f"{html.escape(entity.caption)}</title></head><body style=\"font-family:sans-serif;"
            f"font-size:13px\"><h3>{html.escape(entity.caption)}</h3>"
            f"<p><code>{html.escape(entity.id)}</code></p><table>{''.join(rows)}</table>"
            "</body></html>")
