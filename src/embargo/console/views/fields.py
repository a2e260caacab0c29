"""Field-level changes between two versions of a listed entry, with their values as text.

:func:`field_changes` names the same fields as :func:`embargo.store.diff.changed_fields` (it
uses it) and adds, for each, the old and new values as short display strings plus which
values were added and removed, so a page can show "programs: UKRAINE-EO13662 → RUSSIA-EO14024".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from embargo.model.entity import (
    Address,
    Directive,
    Entity,
    FuzzyDate,
    Identifier,
    Link,
    Name,
    Note,
    Program,
)
from embargo.store.diff import changed_fields


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One top-level field of an entry that differs between two versions.

    ``old`` and ``new`` are the whole field as display strings (in list order); ``added`` and
    ``removed`` the strings only in ``new`` / only in ``old``.
    """

    field: str
    old: tuple[str, ...]
    new: tuple[str, ...]
    added: tuple[str, ...]
    removed: tuple[str, ...]


def _name(n: Name) -> str:
    return n.full if n.kind == "primary" else f"{n.full} ({n.kind})"


def _identifier(i: Identifier) -> str:
    out = f"{i.label or i.kind}: {i.value}"
    extra = ", ".join(x for x in (i.country, i.note) if x)
    return f"{out} ({extra})" if extra else out


def _directive(d: Directive) -> str:
    return f"{d.authority} {d.name}" + (f": {d.text}" if d.text else "")


def _link(link: Link) -> str:
    return f"{link.relation}: {link.target_name or link.target_id or '?'}"


_PART_TEXT: dict[type, Callable[[Any], str]] = {
    Name: _name,
    FuzzyDate: str,
    Address: lambda a: a.text(),
    Identifier: _identifier,
    Program: lambda p: p.code if p.code == p.raw else f"{p.code} ({p.raw})",
    Directive: _directive,
    Link: _link,
    Note: lambda n: f"{n.label}: {n.value}",
}


def _item(value: Any) -> str:
    render = _PART_TEXT.get(type(value))
    return render(value) if render is not None else str(value)


def field_values(entity: Entity, field: str) -> tuple[str, ...]:
    """The entry's ``field`` as display strings (``()`` when empty)."""
    value = getattr(entity, field)
    if value is None or value == ():
        return ()
    if field == "properties":
        return tuple(f"{key}: {'; '.join(values)}" for key, values in value)
    if isinstance(value, tuple):
        return tuple(_item(v) for v in value)
    return (str(value),)


def field_changes(old: Entity, new: Entity) -> tuple[FieldChange, ...]:
    """Each changed field with its values before and after, in model order."""
    out = []
    for name in changed_fields(old, new):
        before, after = field_values(old, name), field_values(new, name)
        out.append(FieldChange(
            field=name, old=before, new=after,
            added=tuple(v for v in after if v not in before),
            removed=tuple(v for v in before if v not in after)))
    return tuple(out)
