"""Parties and pair scores for the table-driven scorer tests (``tests`` is on the path)."""

from __future__ import annotations

from embargo.matching import compare
from embargo.model.entity import Entity, Name, Schema


def party(name: str, schema: Schema = Schema.PERSON, key: str = "x", *aliases: str) -> Entity:
    """A party of one schema named ``name`` (and ``aliases``)."""
    names = (Name(name), *(Name(a) for a in aliases))
    return Entity(id=key, source="t", native_id=key, schema=schema, names=names)


def score(a: str, b: str, schema: Schema = Schema.PERSON) -> float:
    """``compare``'s score of two parties of ``schema``, one named ``a``, the other ``b``."""
    return compare(party(a, schema), party(b, schema)).score
