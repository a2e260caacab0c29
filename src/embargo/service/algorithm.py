"""The scoring algorithm the service offers, its version fingerprint and feature docs.

The version names the package version and a digest of the scorer's and name analysis' source
files, so an audit record says exactly which scoring code produced its results.
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import resources
from typing import Any

from embargo import __version__
from embargo.errors import UsageError
from embargo.matching import DEFAULT_THRESHOLD

NAME = "embargo"
# yente's algorithm names, accepted so that yente clients need no change; all run Embargo's
# scorer (one scorer: there is no separate name-only or regression model to choose).
YENTE_NAMES: dict[str, str] = {
    "best": "yente's pointer to its best algorithm",
    "logic-v1": "yente's rule-based matcher (v1)",
    "logic-v2": "yente's rule-based matcher (v2, its default 'best')",
    "regression-v1": "yente's regression model (v1)",
    "regression-v2": "yente's regression model (v2)",
    "name-based": "yente's name-only matcher",
    "name-qualified": "yente's name matcher with birth date and country qualifiers",
    "ofac-249": "yente's OFAC-style name matcher",
    "default": "yente's default algorithm",
}
ALIASES = frozenset({NAME, *YENTE_NAMES})
FEATURES: dict[str, str] = {
    "name": "similarity of the best-aligned pair of names (transliterated, token-aligned)",
    "name_rules": "adjustments to the name score: weak tokens, numbers, legal forms, former "
                  "names",
    "identifier": "an identifier (passport, IMO, tax, registration number) is equal or differs",
    "birth_date": "birth dates agree exactly, loosely, or conflict",
    "country": "a nationality, citizenship or country in common, or none",
    "gender": "genders conflict",
}


def check_algorithm(name: str) -> str:
    """The algorithm to run for a requested name (UsageError, a 400, when unknown)."""
    if name.strip().lower() not in ALIASES:
        raise UsageError(f"unknown algorithm {name!r}; accepted: {', '.join(sorted(ALIASES))} "
                         f"(every one runs Embargo's scorer, {NAME!r})", algorithm=name)
    return NAME


def algorithm_named(requested: str) -> dict[str, str]:
    """What a response says about its algorithm: the name asked for and what ran."""
    return {"requested": requested, "name": check_algorithm(requested)}


def check_config(config: dict[str, Any]) -> None:
    """yente refuses configuration keys its algorithm lacks; Embargo's scorer has none."""
    if config:
        raise UsageError(f"invalid configuration parameter(s) {', '.join(sorted(config))}: "
                         f"Embargo's scorer ({NAME!r}) takes none", config=sorted(config))


def weights_warning(weights: dict[str, float]) -> list[str]:
    """A warning when a request sets feature weights, which Embargo's scorer does not take."""
    if not weights:
        return []
    return [f"weights ignored ({', '.join(sorted(weights))}): Embargo's scorer has fixed "
            "weights; see /algorithms"]


@cache
def algorithm_version() -> str:
    """``<package version>+<digest of the matching and names source files>``."""
    digest = hashlib.sha256()
    for package in ("embargo.matching", "embargo.names"):
        root = resources.files(package)
        for item in sorted(root.iterdir(), key=lambda p: p.name):
            if item.name.endswith(".py"):
                digest.update(item.name.encode() + b"\0" + item.read_bytes())
    return f"{NAME}-{__version__}+{digest.hexdigest()[:12]}"


def feature_docs() -> dict[str, dict[str, Any]]:
    return {name: {"description": text, "coefficient": None, "url": None}
            for name, text in FEATURES.items()}


def algorithm_doc() -> dict[str, Any]:
    return {"name": NAME, "version": algorithm_version(), "threshold": DEFAULT_THRESHOLD,
            "description": "Embargo's cross-script name matcher with birth date, country, "
                           "gender and identifier evidence.",
            "features": feature_docs()}


def alias_docs() -> list[dict[str, Any]]:
    """One ``/algorithms`` entry per yente name, each saying it runs Embargo's scorer."""
    base = algorithm_doc()
    return [{**base, "name": name,
             "description": f"{text}: mapped to Embargo's scorer ({NAME!r}, the same scores)"}
            for name, text in sorted(YENTE_NAMES.items())]
