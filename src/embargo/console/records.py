"""Entities as rows of labelled values, for showing a customer and a listed entry side by side."""

from __future__ import annotations

from typing import Any

from embargo.model.codec import to_dict
from embargo.model.entity import Entity

LABELS = {"names": "Names", "birth_dates": "Born", "birth_places": "Birth place",
          "nationalities": "Nationality", "citizenships": "Citizenship",
          "countries": "Countries", "gender": "Gender", "addresses": "Addresses",
          "identifiers": "Identifiers", "programs": "Programmes", "positions": "Positions",
          "listed_on": "Listed on", "modified_on": "Modified on", "remarks": "Remarks",
          "schema": "Type"}
SKIP = frozenset({"id", "source", "native_id", "links", "notes", "directives", "properties",
                  "delisted_on"})
PREFERRED = ("full", "value", "code", "text", "name")


def _text(value: Any) -> str:
    if isinstance(value, dict):
        for key in PREFERRED:
            if value.get(key):
                extra = value.get("kind") or value.get("type") or ""
                return f"{value[key]} ({extra})" if extra and key != "full" else str(value[key])
        return ", ".join(f"{k}: {v}" for k, v in sorted(value.items()) if v)
    return str(value)


def record(entity: Entity | None) -> dict[str, list[str]]:
    """The entity's fields as label -> values (empty fields left out)."""
    if entity is None:
        return {}
    out: dict[str, list[str]] = {}
    for name, value in to_dict(entity).items():
        if name in SKIP:
            continue
        values = value if isinstance(value, list) else [value]
        shown = [_text(v) for v in values if v not in (None, "")]
        if shown:
            out[LABELS.get(name, name.replace("_", " ").capitalize())] = shown
    for prop, texts in entity.properties:
        out[prop] = list(texts)
    return out


def side_by_side(left: Entity | None, right: Entity | None) -> list[tuple[str, list[str],
                                                                           list[str]]]:
    """Rows (label, customer values, listed values) over the labels either side has."""
    a, b = record(left), record(right)
    labels = list(a) + [k for k in b if k not in a]
    return [(label, a.get(label, []), b.get(label, [])) for label in labels]
