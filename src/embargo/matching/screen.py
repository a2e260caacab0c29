"""Screening: a query entity against the candidate index, scored by ``compare``."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from embargo.deadline import checkpoint
from embargo.errors import UsageError
from embargo.matching import DEFAULT_THRESHOLD, Match, Prepared, compare, prepare
from embargo.matching.index import CandidateIndex
from embargo.matching.prefilter import KEEP, LATIN_COVERAGE
from embargo.model import Entity

log = logging.getLogger(__name__)

CANDIDATES = 50  # at most this many index candidates get the full comparison ...
COVERAGE = LATIN_COVERAGE  # ... and only those the prefilter lets through (see prefilter.py)


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

    def __init__(self, index: CandidateIndex, candidates: int = CANDIDATES,
                 coverage: float = COVERAGE) -> None:
        if candidates < 1:
            raise UsageError("candidates must be at least 1")
        self.index = index
        self.candidates = candidates
        self.coverage = coverage

    @classmethod
    def from_entities(cls, entities: Iterable[Entity | Prepared], candidates: int = CANDIDATES,
                      coverage: float = COVERAGE) -> Screener:
        return cls(CandidateIndex.build(entities), candidates, coverage)

    @classmethod
    def load(cls, path: Path | str, candidates: int = CANDIDATES,
             coverage: float = COVERAGE, collect: bool = True) -> Screener:
        """A saved index (``collect``: see :meth:`CandidateIndex.load`)."""
        return cls(CandidateIndex.load(path, collect), candidates, coverage)

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

    def scored(self, query: Entity | Prepared, candidates: int | None = None) -> list[Hit]:
        """Every candidate the index proposes, fully scored, best first.

        ``candidates`` caps how many are compared (default: the screener's own cap).
        """
        prepared = query if isinstance(query, Prepared) else prepare(query)
        hits = []
        for number, _ in self.candidate_numbers(prepared, candidates):
            checkpoint()
            candidate = self.index.prepared(number)
            hits.append(Hit(candidate.entity, compare(prepared, candidate)))
        hits.sort(key=lambda hit: (-hit.score, hit.entity.id))
        return hits

    def candidate_numbers(self, prepared: Prepared,
                          candidates: int | None = None) -> list[tuple[int, float]]:
        """The index's candidates for a query: (entity number, cheap score), best first."""
        limit = self.candidates if candidates is None else max(1, candidates)
        return self.index.search(prepared, limit, self.coverage, min(KEEP, limit))

    def screen_many(self, queries: Iterable[Entity], threshold: float | None = None,
                    limit: int = 10) -> Iterator[tuple[Entity, list[Hit]]]:
        """(query, hits) for each query, in order."""
        for query in queries:
            yield query, self.screen(query, threshold, limit)
