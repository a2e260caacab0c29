"""The result of comparing two parties, with its explanation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from embargo.matching.weights import DEFAULT_THRESHOLD

Parts = tuple[tuple[str, str, float], ...]


@dataclass(frozen=True, slots=True)
class Feature:
    """One piece of evidence: its raw value, what it added to the score, and why."""

    name: str
    value: float
    contribution: float
    detail: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "value": round(self.value, 4),
            "contribution": round(self.contribution, 4),
            "detail": self.detail,
        }


class Details(Protocol):
    """What a match explains itself from, worked out only when asked for."""

    def features(self) -> tuple[Feature, ...]: ...

    def parts(self) -> Parts: ...


class Match:
    """A score in [0, 1] with the features behind it and the aligned name parts.

    ``features`` and ``alignment`` may be given as values or, through ``details``,
    computed on first use (screening scores many pairs and explains few).
    """

    __slots__ = (
        "_alignment",
        "_details",
        "_features",
        "candidate_name",
        "query_name",
        "score",
    )

    def __init__(self, score: float, features: tuple[Feature, ...], query_name: str,
                 candidate_name: str, alignment: Parts, details: Details | None = None,
                 ) -> None:
        self.score = score
        self.query_name = query_name
        self.candidate_name = candidate_name
        self._features = features
        self._alignment = alignment
        self._details = details

    @property
    def features(self) -> tuple[Feature, ...]:
        if self._details is not None:
            self._resolve(self._details)
        return self._features

    @property
    def alignment(self) -> Parts:
        if self._details is not None:
            self._resolve(self._details)
        return self._alignment

    def _resolve(self, details: Details) -> None:
        self._features = details.features() + self._features
        self._alignment = details.parts()
        self._details = None

    @property
    def match(self) -> bool:
        return self.score >= DEFAULT_THRESHOLD

    def __repr__(self) -> str:
        return (f"Match(score={self.score:.4f}, query_name={self.query_name!r}, "
                f"candidate_name={self.candidate_name!r})")

    def explanation(self) -> dict[str, Any]:
        """A JSON-ready account of the score."""
        return {
            "score": round(self.score, 4),
            "match": self.match,
            "threshold": DEFAULT_THRESHOLD,
            "query_name": self.query_name,
            "candidate_name": self.candidate_name,
            "features": [f.as_dict() for f in self.features],
            "alignment": [
                {"query": q, "candidate": c, "similarity": round(s, 4)}
                for q, c, s in self.alignment
            ],
        }
