"""Country names and codes to ISO 3166-1 alpha-2 (lower case, FtM style).

The lookup table is derived from rigour's territory data by
``scripts/build_countries.py`` and shipped compressed, so that a lookup costs
a dict access instead of loading rigour's name index (seconds) per process.
"""

from __future__ import annotations

import gzip
import json
import re
import unicodedata
from functools import cache, lru_cache
from importlib import resources

_SPLIT = re.compile(r"\s*(?:;|\d\)|\b[a-h]\))\s*")
_SKIP = re.compile(r"[.()\[\],;:_\-/ʻ'’\"]+")


def normalise_country(text: str) -> str:
    """Lookup key: accents removed, case folded, punctuation dropped, spaces squashed."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(_SKIP.sub(" ", stripped.casefold()).split())


@cache
def _table() -> dict[str, str]:
    data = resources.files("embargo.model") / "data" / "countries.json.gz"
    with gzip.open(str(data), "rt", encoding="utf-8") as fh:
        table: dict[str, str] = json.load(fh)
    return table


@lru_cache(maxsize=8192)
def country_code(text: str | None) -> str | None:
    """The ISO code for a country name or code, or None when unknown."""
    if text is None:
        return None
    key = normalise_country(text)
    return _table().get(key) if key else None


def country_codes(text: str | None) -> tuple[str, ...]:
    """Codes for a field that may hold several countries ("1) Iraq 2) Syria")."""
    if not text:
        return ()
    out: list[str] = []
    for part in _SPLIT.split(text):
        code = country_code(part)
        if code and code not in out:
            out.append(code)
    return tuple(out)
