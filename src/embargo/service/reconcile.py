"""The OpenRefine reconciliation API (Reconciliation Service API 0.2), as yente serves it.

Pure functions from request data to response bodies: the service manifest, reconciliation
queries turned into ``/match`` queries and their answers turned back, and the suggest
services (entity, type, property). Reconciliation runs exactly ``/match`` (same scorer,
same audit trail); only the shapes differ.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import orjson
from followthemoney import model as ftm_model
from followthemoney import registry
from followthemoney.property import Property
from followthemoney.schema import Schema as FtmSchema

from embargo.errors import UsageError
from embargo.model import Entity, Schema
from embargo.service.models import EntityExample, MatchRequest

BASE_SCHEMA = "Thing"  # yente's default type: any party
DEFAULT_LIMIT = 5
SUGGESTIONS = 10
SCHEMA_SPACE = "https://followthemoney.tech/explorer/schemata/"
OK = {"code": "/api/status/ok", "status": "200 OK"}
_CALLBACK = re.compile(r"^[A-Za-z_$][\w$.]{0,99}$")


def schemata() -> list[FtmSchema]:
    """The FtM schemata Embargo's lists hold (the types a query can ask for)."""
    found = (ftm_model.get(str(s)) for s in Schema)
    return [s for s in found if s is not None]


def freebase_type(schema: FtmSchema) -> dict[str, Any]:
    return {"id": schema.name, "name": schema.plural,
            "description": schema.description or schema.label}


def manifest(base: str, dataset: str, query: str, preview: bool = True) -> dict[str, Any]:
    """The service manifest; ``query`` (the request's query string, e.g. ``api_key=...``)
    is passed on to the services it names, as yente does, since OpenRefine sends no
    headers."""
    suffix = f"?{query}" if query else ""
    joiner = "&" if query else "?"
    service = f"{base}/reconcile/{dataset}"
    data: dict[str, Any] = {
        "versions": ["0.2"], "name": f"Embargo sanctions screening ({dataset})",
        "identifierSpace": f"{base}/entities/", "schemaSpace": SCHEMA_SPACE,
        "view": {"url": f"{service}/preview{suffix}{joiner}id={{{{id}}}}"},
        "batchSize": 10,
        "suggest": {kind: {"service_url": service, "service_path": f"/suggest/{kind}{suffix}"}
                    for kind in ("entity", "type", "property")},
        "defaultTypes": [freebase_type(s) for s in schemata()],
    }
    data["extend"] = {
        "propose_properties": {"service_url": service,
                               "service_path": f"/extend/property{suffix}"},
        "property_settings": [
            {"name": "limit", "label": "Limit", "type": "number", "default": 0,
             "help_text": "Values per row and property (0: all)"},
            {"name": "render", "label": "Values", "type": "select", "default": "caption",
             "choices": [{"id": "caption", "name": "Readable (Russia)"},
                         {"id": "raw", "name": "Codes (ru)"}],
             "help_text": "Readable values or the codes FtM stores"}]}
    if preview:
        data["preview"] = {"url": f"{service}/preview{suffix}{joiner}id={{{{id}}}}",
                           "width": 430, "height": 300}
    return data


# --- queries -----------------------------------------------------------------------------

def parse_queries(text: str) -> dict[str, Any]:
    """The ``queries`` field: a JSON object of query key -> query (UsageError if not)."""
    try:
        data = orjson.loads(text)
    except orjson.JSONDecodeError:
        raise UsageError("'queries' is not valid JSON") from None
    if not isinstance(data, dict) or not data:
        raise UsageError("'queries' must be a JSON object of query key -> query")
    for key, query in data.items():
        if not isinstance(query, dict):
            raise UsageError(f"query {key!r} must be an object with 'query', 'type', "
                             "'properties', 'limit'", query=key)
    return data


def _schema(value: Any) -> str:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("id")
    if value is None or value == "":
        return BASE_SCHEMA
    if not isinstance(value, str):
        raise UsageError(f"type must be a schema name, not {value!r}")
    return value


def _values(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    out = []
    for item in items:
        if isinstance(item, dict):
            item = item.get("id") or item.get("name") or item.get("str")
        if item is not None and str(item).strip():
            out.append(str(item))
    return out


def _property_name(pid: Any) -> str | None:
    """A property id as OpenRefine sends it (``Person:birthDate`` or ``birthDate``)."""
    if not isinstance(pid, str):
        return None
    prop = ftm_model.get_qname(pid) if ":" in pid else None
    return prop.name if prop is not None else pid.split(":")[-1] or None


def query_example(query: Mapping[str, Any]) -> EntityExample:
    """A reconciliation query as a ``/match`` query entity."""
    properties: dict[str, list[str]] = {}
    text = query.get("query")
    if isinstance(text, str) and text.strip():
        properties["name"] = [text]
    for item in query.get("properties") or []:
        name = _property_name(item.get("pid")) if isinstance(item, dict) else None
        if name is not None:
            properties.setdefault(name, []).extend(_values(item.get("v")))
    return EntityExample.model_validate({"schema": _schema(query.get("type")),
                                         "properties": properties})


def query_limit(query: Mapping[str, Any], maximum: int) -> int:
    limit = query.get("limit", DEFAULT_LIMIT)
    if not isinstance(limit, int) or isinstance(limit, bool) or limit < 1:
        raise UsageError(f"limit must be a positive integer, not {limit!r}")
    return min(limit, maximum)


def match_request(queries: Mapping[str, Any]) -> MatchRequest:
    return MatchRequest.model_validate(
        {"queries": {k: query_example(q) for k, q in queries.items()}})


def recon_result(result: Mapping[str, Any]) -> dict[str, Any]:
    """A scored ``/match`` result as a reconciliation candidate."""
    schema = ftm_model.get(result["schema"])
    return {"id": result["id"], "name": result["caption"],
            "description": schema.label if schema else result["schema"],
            "type": [freebase_type(schema)] if schema else [],
            "score": result["score"], "match": result["match"]}


def recon_answer(match_body: Mapping[str, Any], limits: Mapping[str, int]) -> dict[str, Any]:
    """A ``/match`` answer as reconciliation results, query key by query key."""
    out: dict[str, Any] = {}
    for key, answer in match_body["responses"].items():
        results = [recon_result(r) for r in answer["results"][:limits.get(key, DEFAULT_LIMIT)]]
        out[key] = {"result": results}
        if answer.get("error"):
            out[key]["error"] = answer["error"]["message"]
    return out


# --- suggest -----------------------------------------------------------------------------

def match_prefix(prefix: str, *labels: str | None) -> bool:
    """Whether any word of the labels starts with the prefix (case-blind; empty: yes)."""
    wanted = prefix.strip().lower()
    if not wanted:
        return True
    for label in labels:
        text = (label or "").lower()
        if text.startswith(wanted) or any(w.startswith(wanted) for w in text.split()):
            return True
    return False


def suggest_types(prefix: str) -> dict[str, Any]:
    found = [freebase_type(s) for s in schemata() if match_prefix(prefix, s.name, s.label)]
    return {**OK, "prefix": prefix, "result": found[:SUGGESTIONS]}


def _properties() -> Iterable[Property]:
    seen: set[str] = set()
    for schema in schemata():
        for prop in schema.properties.values():
            if prop.hidden or prop.type == registry.entity or prop.qname in seen:
                continue
            seen.add(prop.qname)
            yield prop


def suggest_properties(prefix: str) -> dict[str, Any]:
    found = [{"id": p.qname, "name": p.label, "description": p.description}
             for p in _properties() if match_prefix(prefix, p.name, p.label)]
    return {**OK, "prefix": prefix, "result": found[:SUGGESTIONS]}


def suggest_entities(prefix: str, search_body: Mapping[str, Any]) -> dict[str, Any]:
    """``/search`` results as entity suggestions."""
    result = []
    for found in search_body["results"]:
        schema = ftm_model.get(found["schema"])
        result.append({"id": found["id"], "name": found["caption"],
                       "description": schema.label if schema else found["schema"],
                       "type": [freebase_type(schema)] if schema else []})
    return {**OK, "prefix": prefix, "result": result}


def check_callback(name: str | None) -> str | None:
    """A JSONP callback name, if safe to echo (UsageError if not)."""
    if name is None or name == "":
        return None
    if not _CALLBACK.match(name):
        raise UsageError("callback must be a JavaScript identifier")
    return name


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
        name = _property_name(item.get("id")) if isinstance(item, dict) else None
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
