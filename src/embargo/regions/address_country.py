"""The country an address is in, settled before any town name is matched to a region.

"201 Main St, Havana, IL 62644" is in Illinois, not Cuba; "Balaclava VIC 3183" is in
Victoria, Australia, not Crimea. The country is read, strongest evidence first, from:

1. a postal block that only one country writes: a US state code and ZIP (``IL 62644``,
   ``MD 20872-1234``), an Australian state and a four-digit postcode (``VIC 3183``), a
   Canadian province and postal code (``ON M5V 3L9``), a UK postcode (``SW1A 2AA``);
2. a US state, Australian state or Canadian province written out, as its own part of the
   address (``..., Damascus, Maryland``);
3. a country name or ISO code in any language as a whole part of the address, last part
   first (``..., Россия``, ``..., Deutschland``, ``..., USA``).

Two-letter parts are read as countries only when they are the last part, so ``IL`` or
``CA`` on their own do not turn a US address into Israel or Canada.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from embargo.model.countries import country_code

US_STATES = {
    "al": "alabama", "ak": "alaska", "az": "arizona", "ar": "arkansas", "ca": "california",
    "co": "colorado", "ct": "connecticut", "de": "delaware", "dc": "district of columbia",
    "fl": "florida", "ga": "georgia", "hi": "hawaii", "id": "idaho", "il": "illinois",
    "in": "indiana", "ia": "iowa", "ks": "kansas", "ky": "kentucky", "la": "louisiana",
    "me": "maine", "md": "maryland", "ma": "massachusetts", "mi": "michigan",
    "mn": "minnesota", "ms": "mississippi", "mo": "missouri", "mt": "montana",
    "ne": "nebraska", "nv": "nevada", "nh": "new hampshire", "nj": "new jersey",
    "nm": "new mexico", "ny": "new york", "nc": "north carolina", "nd": "north dakota",
    "oh": "ohio", "ok": "oklahoma", "or": "oregon", "pa": "pennsylvania",
    "ri": "rhode island", "sc": "south carolina", "sd": "south dakota", "tn": "tennessee",
    "tx": "texas", "ut": "utah", "vt": "vermont", "va": "virginia", "wa": "washington",
    "wv": "west virginia", "wi": "wisconsin", "wy": "wyoming", "pr": "puerto rico",
}
AU_STATES = {
    "nsw": "new south wales", "vic": "victoria", "qld": "queensland",
    "sa": "south australia", "wa": "western australia", "tas": "tasmania",
    "nt": "northern territory", "act": "australian capital territory",
}
CA_PROVINCES = {
    "ab": "alberta", "bc": "british columbia", "mb": "manitoba", "nb": "new brunswick",
    "nl": "newfoundland and labrador", "ns": "nova scotia", "nt": "northwest territories",
    "nu": "nunavut", "on": "ontario", "pe": "prince edward island", "qc": "quebec",
    "sk": "saskatchewan", "yt": "yukon",
}


def _codes(table: dict[str, str]) -> str:
    return "|".join(sorted(table, key=len, reverse=True))


_POSTAL = (
    ("us", re.compile(rf"\b({_codes(US_STATES)})\.?\s+\d{{5}}(?:-\d{{4}})?\b", re.I),
     "US state and ZIP code"),
    ("au", re.compile(rf"\b({_codes(AU_STATES)})\.?\s+\d{{4}}\b", re.I),
     "Australian state and postcode"),
    ("ca", re.compile(rf"\b({_codes(CA_PROVINCES)})\.?\s+[a-z]\d[a-z]\s?\d[a-z]\d\b", re.I),
     "Canadian province and postal code"),
    ("gb", re.compile(r"\b[a-z]{1,2}\d[a-z\d]?\s+\d[abd-hjlnp-uw-z]{2}(?=\s*(?:[,;\n]|$))",
                      re.I),
     "UK postcode"),
)
_SUBDIVISIONS = (("us", US_STATES, "US state"), ("au", AU_STATES, "Australian state"),
                 ("ca", CA_PROVINCES, "Canadian province"))
_PART = re.compile(r"[,;\n]+")


@dataclass(frozen=True, slots=True)
class SettledCountry:
    """An address's country and the evidence for it."""

    code: str
    evidence: str


def _clean(part: str) -> str:
    return " ".join(part.replace(".", " ").split()).casefold()


def _postal(text: str) -> SettledCountry | None:
    for code, pattern, what in _POSTAL:
        found = pattern.search(text)
        if found:
            return SettledCountry(code, f"{what} {found.group(0).strip()!r}")
    return None


def _subdivision(parts: list[str]) -> SettledCountry | None:
    for part in parts[1:]:  # never the first part (a street or a town)
        clean = _clean(part)
        for code, table, what in _SUBDIVISIONS:
            if clean in table.values():
                return SettledCountry(code, f"{what} {part.strip()!r}")
    return None


def _named(parts: list[str]) -> SettledCountry | None:
    for position, part in enumerate(reversed(parts)):
        clean = part.strip()
        if len(clean) <= 3 and position > 0:
            continue  # "IL", "CA", "MD" inside an address are states, not countries
        code = country_code(clean) if clean else None
        if code:
            return SettledCountry(code, f"country {clean!r}")
    return None


def settle_country(address: str) -> SettledCountry | None:
    """The country an address says it is in, with the evidence, or None."""
    parts = [p for p in _PART.split(address) if p.strip()]
    if len(parts) < 2:
        return _postal(address)
    return _postal(address) or _subdivision(parts) or _named(parts)
