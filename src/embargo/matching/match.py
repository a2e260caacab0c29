"""The result of comparing two parties, with its explanation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from embargo.matching.weights import DEFAULT_THRESHOLD


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


@dataclass(frozen=True, slots=True)
class Match:
    score: float
    features: tuple[Feature, ...]
    query_name: str
    candidate_name: str
    alignment: tuple[tuple[str, str, float], ...]

    @property
    def match(self) -> bool:
        return self.score >= DEFAULT_THRESHOLD

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
