"""Screening: a query entity against the candidate index, scored by ``compare``."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from embargo.errors import UsageError
from embargo.matching import DEFAULT_THRESHOLD, Match, Prepared, compare, prepare
from embargo.matching.index import CandidateIndex
from embargo.model import Entity

log = logging.getLogger(__name__)

CANDIDATES = 50  # how many index candidates get the full comparison


@dataclass(frozen=True, slots=True)
class Hit:
    """One listed party that matched a query, with the scorer's evidence."""

    entity: Entity
    match: Match

    @property
    def score(self) -> float:
        return self.match.score


class Screener:
    """Screens query entities against an index of listed parties."""

    def __init__(self, index: CandidateIndex, candidates: int = CANDIDATES) -> None:
        if candidates < 1:
            raise UsageError("candidates must be at least 1")
        self.index = index
        self.candidates = candidates

    @classmethod
    def from_entities(cls, entities: Iterable[Entity], candidates: int = CANDIDATES) -> Screener:
        return cls(CandidateIndex.build(entities), candidates)

    @classmethod
    def load(cls, path: Path | str, candidates: int = CANDIDATES) -> Screener:
        return cls(CandidateIndex.load(path), candidates)

    def save(self, path: Path | str) -> None:
        self.index.save(path)

    def __len__(self) -> int:
        return len(self.index)

    def screen(self, query: Entity | Prepared, threshold: float | None = None,
               limit: int = 10) -> list[Hit]:
        """Hits at or over ``threshold`` (default: the scorer's), best first, at most ``limit``."""
        cut = DEFAULT_THRESHOLD if threshold is None else threshold
        if not 0.0 <= cut <= 1.0:
            raise UsageError(f"threshold must be between 0 and 1, not {cut}")
        if limit < 1:
            return []
        hits = [hit for hit in self.scored(query) if hit.score >= cut]
        return hits[:limit]

    def scored(self, query: Entity | Prepared) -> list[Hit]:
        """Every candidate the index proposes, fully scored, best first."""
        prepared = query if isinstance(query, Prepared) else prepare(query)
        hits = []
        for number, _ in self.index.search(prepared, self.candidates):
            candidate = self.index.prepared(number)
            hits.append(Hit(candidate.entity, compare(prepared, candidate)))
        hits.sort(key=lambda hit: (-hit.score, hit.entity.id))
        return hits

    def screen_many(self, queries: Iterable[Entity], threshold: float | None = None,
                    limit: int = 10) -> Iterator[tuple[Entity, list[Hit]]]:
        """(query, hits) for each query, in order."""
        for query in queries:
            yield query, self.screen(query, threshold, limit)
