"""Entries of different lists that are one party, with the evidence for each link.

Built once per list view (the snapshots in force on a date): every entry's linking keys
(:mod:`embargo.linking.keys`) are collected, and entries of *different* lists sharing a key
are linked. Links are followed transitively (``un:KPe.001`` — UN reference — ``uk:…`` —
identifier — ``ofac-sdn:9345``), so any id of a party finds all its entries.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from embargo.linking.keys import keys
from embargo.model.entity import Entity, IdKind

MAX_GROUP = 12  # a key shared by more entries than this is too common to link on


@dataclass(frozen=True, slots=True)
class Link:
    """``other`` is the same party as the entry asked about, because of ``why``."""

    other: str
    why: str

    def describe(self, entity_id: str) -> str:
        return f"{entity_id} is the same party as {self.other} ({self.why})"


class Links:
    """Entry id -> the entries of other lists that are the same party."""

    def __init__(self, pairs: Iterable[tuple[str, str, str]] = ()) -> None:
        self._edges: dict[str, dict[str, str]] = {}
        for a, b, why in pairs:
            self._edges.setdefault(a, {}).setdefault(b, why)
            self._edges.setdefault(b, {}).setdefault(a, why)

    def __len__(self) -> int:
        return sum(len(v) for v in self._edges.values()) // 2

    def pairs(self) -> list[tuple[str, str, str]]:
        """Every link once, as (id, id, evidence): ``Links(links.pairs())`` is the same links."""
        return [(a, b, why) for a, others in sorted(self._edges.items())
                for b, why in sorted(others.items()) if a < b]

    def direct(self, entity_id: str) -> list[Link]:
        return [Link(o, w) for o, w in sorted(self._edges.get(entity_id, {}).items())]

    def linked(self, entity_id: str) -> list[Link]:
        """Every entry linked to ``entity_id``, directly or through others; the first step's
        evidence (or the chain) as ``why``."""
        seen = {entity_id: ""}
        queue = [entity_id]
        while queue:
            current = queue.pop(0)
            for other, why in sorted(self._edges.get(current, {}).items()):
                if other not in seen:
                    via = f"{seen[current]}; via {current}: " if seen[current] else ""
                    seen[other] = f"{via}{why}" if via else why
                    queue.append(other)
        del seen[entity_id]
        return [Link(o, w) for o, w in sorted(seen.items())]

    def group(self, entity_id: str) -> set[str]:
        return {entity_id} | {link.other for link in self.linked(entity_id)}


def _conflict(imo: dict[str, set[str]], a: str, b: str, key: str) -> bool:
    """Two vessels named alike with different IMO numbers are not one vessel."""
    named = key.startswith(("n:", "nc:"))
    return named and a in imo and b in imo and not imo[a] & imo[b]


def link_entities(entities: Iterable[Entity]) -> Links:
    """Links between entries of different lists sharing a linking key."""
    by_key: dict[str, list[tuple[str, str, str]]] = {}
    imo: dict[str, set[str]] = {}
    for entity in entities:
        for key, why in keys(entity).items():
            by_key.setdefault(key, []).append((entity.id, entity.source, why))
        numbers = {i.value.split()[-1] for i in entity.identifiers if i.kind is IdKind.IMO}
        if numbers:
            imo[entity.id] = numbers
    pairs: list[tuple[str, str, str]] = []
    names: dict[tuple[str, str], list[tuple[str, bool]]] = {}
    for key, members in by_key.items():
        if len(members) < 2 or len(members) > MAX_GROUP:
            continue
        for i, (a, source_a, why) in enumerate(members):
            for b, source_b, _ in members[i + 1:]:
                if source_a == source_b or _conflict(imo, a, b, key):
                    continue
                if key.startswith("n:"):
                    names.setdefault((a, b), []).append((why, key.endswith(":1")))
                else:
                    pairs.append((a, b, why))
    pairs += [(a, b, " and ".join(why for why, _ in shared)) for (a, b), shared in names.items()
              if len(shared) >= 2 and any(long for _, long in shared)]
    return Links(pairs)
