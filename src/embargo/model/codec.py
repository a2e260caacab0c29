"""Entities to and from plain JSON-ready dicts, and their content hash.

The dict form is the storage format (one JSON document per entity version),
so it is canonical: empty fields are left out and key order is fixed.
"""

from __future__ import annotations

import hashlib
from dataclasses import fields
from typing import Any

import orjson

from embargo.model.entity import (
    Address,
    Directive,
    Entity,
    FuzzyDate,
    Identifier,
    IdKind,
    Link,
    Name,
    NameKind,
    Note,
    Program,
    Schema,
)

_PARTS: dict[str, type] = {
    "names": Name,
    "birth_dates": FuzzyDate,
    "addresses": Address,
    "identifiers": Identifier,
    "programs": Program,
    "directives": Directive,
    "links": Link,
    "notes": Note,
}
_ENUMS: dict[str, type] = {"kind": NameKind, "schema": Schema}


def _defaults(cls: type) -> tuple[tuple[str, Any], ...]:
    return tuple((f.name, f.default) for f in fields(cls))


_PART_FIELDS: dict[type, tuple[tuple[str, Any], ...]] = {
    cls: _defaults(cls) for cls in _PARTS.values()
}
_ENTITY_FIELDS = tuple(f.name for f in fields(Entity))


def _part_to_dict(part: Any) -> dict[str, Any]:
    """Fields that differ from their defaults; ``kind`` always (as a string)."""
    out: dict[str, Any] = {}
    for name, default in _PART_FIELDS[type(part)]:
        value = getattr(part, name)
        if name == "kind":
            out[name] = str(value)
        elif value is not None and value is not False and value != default:
            out[name] = value
    return out


def to_dict(entity: Entity) -> dict[str, Any]:
    """The canonical dict form of an entity (JSON-ready)."""
    out: dict[str, Any] = {}
    for name in _ENTITY_FIELDS:
        value = getattr(entity, name)
        if value is None or value == ():
            continue
        if name in _PARTS:
            out[name] = [_part_to_dict(p) for p in value]
        elif name == "properties":
            out[name] = {k: list(v) for k, v in value}
        elif name == "schema":
            out[name] = str(value)
        elif isinstance(value, tuple):
            out[name] = list(value)
        else:
            out[name] = value
    return out


def _part_from_dict(cls: type, data: dict[str, Any]) -> Any:
    kwargs = dict(data)
    if cls is Name and "kind" in kwargs:
        kwargs["kind"] = NameKind(kwargs["kind"])
    if cls is Identifier:
        kwargs["kind"] = IdKind(kwargs["kind"])
    return cls(**kwargs)


def from_dict(data: dict[str, Any]) -> Entity:
    """Rebuild an entity from :func:`to_dict` output."""
    kwargs: dict[str, Any] = {}
    for key, value in data.items():
        if key in _PARTS:
            kwargs[key] = tuple(_part_from_dict(_PARTS[key], v) for v in value)
        elif key == "properties":
            kwargs[key] = tuple((k, tuple(v)) for k, v in value.items())
        elif key == "schema":
            kwargs[key] = Schema(value)
        elif isinstance(value, list):
            kwargs[key] = tuple(value)
        else:
            kwargs[key] = value
    return Entity(**kwargs)


def dumps(entity: Entity) -> bytes:
    return orjson.dumps(to_dict(entity), option=orjson.OPT_SORT_KEYS)


def loads(raw: bytes | str) -> Entity:
    return from_dict(orjson.loads(raw))


def content_hash(entity: Entity) -> str:
    """A short, stable hash of an entity's content (for change detection)."""
    return hashlib.sha1(dumps(entity)).hexdigest()
