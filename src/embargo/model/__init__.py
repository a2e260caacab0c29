"""The entity model: what a list says about one party."""

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

__all__ = [
    "Address",
    "Directive",
    "Entity",
    "FuzzyDate",
    "IdKind",
    "Identifier",
    "Link",
    "Name",
    "NameKind",
    "Note",
    "Program",
    "Schema",
]
