"""Scoring a query party against a listed party."""

from embargo.matching import kernel
from embargo.matching.compare import Prepared, compare, prepare
from embargo.matching.match import Feature, Match
from embargo.matching.weights import DEFAULT_THRESHOLD

kernel.check()

__all__ = ["DEFAULT_THRESHOLD", "Feature", "Match", "Prepared", "compare", "prepare"]
