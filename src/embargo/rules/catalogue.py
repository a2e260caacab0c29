"""The programme catalogue: every programme tag, its authority, measure and citations.

Shipped as data (``rules/data/programmes.toml``). A tag is looked up by its
normalised code and by its raw spelling, so old and new spellings
(``RUSSIA-EO`` / ``RUSSIA-EO14024``) and the free-text labels some lists use
resolve to one programme. ``[[list]]`` entries say what being on a list means
(the SDN list blocks; OFAC's non-SDN lists only restrict).
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from embargo.errors import ConfigError
from embargo.model.entity import Entity, Program
from embargo.model.programs import normalise_program

MEASURES = frozenset({"blocking", "restricted", "export", "regional", "watchlist", "other"})


@dataclass(frozen=True, slots=True)
class Programme:
    code: str
    name: str
    authority: str
    jurisdictions: tuple[str, ...]
    measure: str
    citations: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ListInfo:
    """What a listing on one source means."""

    source: str
    name: str
    authority: str
    jurisdictions: tuple[str, ...]
    measure: str
    cadence_days: int | None = None  # the publisher's usual longest gap between updates


class Catalogue:
    """Programmes by every spelling, and list meanings by source."""

    def __init__(self, programmes: Iterable[Programme], lists: Iterable[ListInfo] = ()) -> None:
        self.programmes = tuple(programmes)
        self.lists = {info.source: info for info in lists}
        self._by_key: dict[str, Programme] = {}
        for programme in self.programmes:
            for key in (programme.code, *programme.aliases):
                self._add_key(normalise_program(key), programme)

    def _add_key(self, key: str, programme: Programme) -> None:
        known = self._by_key.get(key)
        if known is not None and known.code != programme.code:
            raise ConfigError(f"programme spelling {key!r} maps to both {known.code} "
                              f"and {programme.code}")
        self._by_key[key] = programme

    def get(self, tag: str | Program) -> Programme | None:
        """The programme for a tag (a :class:`Program` or any spelling), or None."""
        if isinstance(tag, Program):
            return self._by_key.get(tag.code) or self._by_key.get(normalise_program(tag.raw))
        return self._by_key.get(normalise_program(tag))

    def list_info(self, source: str) -> ListInfo | None:
        return self.lists.get(source)

    def cadences(self) -> dict[str, int]:
        """Each list's declared cadence in days (where the catalogue gives one)."""
        return {s: i.cadence_days for s, i in self.lists.items() if i.cadence_days}

    def unknown_tags(self, entities: Iterable[Entity]) -> dict[str, int]:
        """Programme tags (raw spelling) that the catalogue does not know, with counts."""
        unknown: dict[str, int] = {}
        for entity in entities:
            for program in entity.programs:
                if self.get(program) is None:
                    unknown[program.raw] = unknown.get(program.raw, 0) + 1
        return unknown


def _strings(data: Mapping[str, Any], key: str) -> tuple[str, ...]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"catalogue entry {data.get('code') or data.get('source')!r}: "
                          f"{key!r} must be a list of strings")
    return tuple(value)


def _measure(data: Mapping[str, Any]) -> str:
    measure = str(data.get("measure", ""))
    if measure not in MEASURES:
        raise ConfigError(f"catalogue entry {data.get('code') or data.get('source')!r}: "
                          f"unknown measure {measure!r}")
    return measure


def programme_from(data: Mapping[str, Any]) -> Programme:
    try:
        return Programme(code=normalise_program(data["code"]), name=str(data["name"]),
                         authority=str(data["authority"]),
                         jurisdictions=_strings(data, "jurisdictions"), measure=_measure(data),
                         citations=_strings(data, "citations"), aliases=_strings(data, "aliases"))
    except KeyError as exc:
        raise ConfigError(f"catalogue programme {data.get('code')!r} lacks {exc}") from None


def list_from(data: Mapping[str, Any]) -> ListInfo:
    try:
        return ListInfo(source=str(data["source"]), name=str(data["name"]),
                        authority=str(data["authority"]),
                        jurisdictions=_strings(data, "jurisdictions"), measure=_measure(data),
                        cadence_days=int(data["cadence_days"]) if "cadence_days" in data else None)
    except (KeyError, ValueError) as exc:
        raise ConfigError(f"catalogue list {data.get('source')!r} lacks {exc}") from None


def parse_catalogue(data: Mapping[str, Any]) -> Catalogue:
    return Catalogue([programme_from(p) for p in data.get("programme", [])],
                     [list_from(x) for x in data.get("list", [])])


def load_catalogue(path: Path | str) -> Catalogue:
    try:
        with open(path, "rb") as fh:
            return parse_catalogue(tomllib.load(fh))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read programme catalogue {path}: {exc}") from None


@cache
def default_catalogue() -> Catalogue:
    """The catalogue shipped with Embargo."""
    data = resources.files("embargo.rules") / "data" / "programmes.toml"
    return parse_catalogue(tomllib.loads(data.read_text(encoding="utf-8")))
