"""What every list parser provides, and what it returns."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Protocol

from embargo.model import Entity


@dataclass(frozen=True, slots=True)
class DeltaOp:
    """One change in a delta file: ``ADD``/``MOD`` carry an entity, ``DEL`` an id."""

    op: str
    entity_id: str
    entity: Entity | None = None


@dataclass(slots=True)
class ParsedList:
    """One release of one list, as a parser read it.

    A full release has ``entities``; a delta release (FtM delta files) has
    ``delta`` and is applied to the previous snapshot of ``source``.
    """

    source: str  # the list's name in the store: "ofac-sdn", "un", ...
    kind: str  # the parser's kind (format): "ofac-csv", "un-xml", ...
    parser_version: str
    files: tuple[Path, ...]
    published: date | None = None
    entities: list[Entity] = field(default_factory=list)
    delta: list[DeltaOp] | None = None
    declared_count: int | None = None  # how many entries the file says it holds
    warnings: list[str] = field(default_factory=list)
    label: str | None = None  # e.g. the FtM delta version id


class Parser(Protocol):
    """A parser for one list format. Parsers are stateless."""

    kind: str  # the value of ``--source`` that selects it
    source: str  # the list name its output is stored under
    version: str  # bumped whenever its output changes for the same input

    def sniff(self, path: Path, head: bytes) -> bool:
        """Whether this parser reads ``path`` (``head``: its first few KiB)."""
        ...

    def parse(self, path: Path) -> Iterator[ParsedList]:
        """Read ``path`` fully; yield one release (several for FtM deltas).

        Raises :class:`embargo.errors.ParseError` naming the file and line
        or element on any malformed input; never yields a partial release.
        """
        ...


def latest_change(entities: list[Entity]) -> date | None:
    """The newest full ``modified_on`` date of the entities: a publication date
    for files that carry none in a header (the list cannot predate its last change).
    Dates after today are typos in the source (BIS has a ``2922-09-01``) and ignored."""
    today = date.today().isoformat()
    days = [e.modified_on for e in entities
            if e.modified_on and len(e.modified_on) == 10 and e.modified_on <= today]
    return date.fromisoformat(max(days)) if days else None
