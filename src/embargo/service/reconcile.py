"""The OpenRefine reconciliation API (Reconciliation Service API 0.2), as yente serves it.

Pure functions from request data to response bodies: the service manifest, reconciliation
queries turned into ``/match`` queries and their answers turned back, and the suggest
services (entity, type, property). Reconciliation runs exactly ``/match`` (same scorer,
same audit trail); only the shapes differ.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

import orjson
from followthemoney import model as ftm_model
from followthemoney import registry
from followthemoney.property import Property
from followthemoney.schema import Schema as FtmSchema

from embargo.errors import UsageError
from embargo.model import Schema
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


def property_name(pid: Any) -> str | None:
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
        name = property_name(item.get("pid")) if isinstance(item, dict) else None
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
