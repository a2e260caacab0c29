"""Country names and codes to ISO 3166-1 alpha-2 (lower case, FtM style)."""

from __future__ import annotations

import re
from functools import lru_cache

from followthemoney.types import registry

_SPLIT = re.compile(r"\s*(?:;|\d\)|\b[a-h]\))\s*")


@lru_cache(maxsize=4096)
def country_code(text: str | None) -> str | None:
    """The ISO code for a country name or code, or None when unknown."""
    if text is None:
        return None
    text = text.strip().strip(".").strip()
    if not text:
        return None
    code = registry.country.clean(text)
    return str(code) if code else None


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
