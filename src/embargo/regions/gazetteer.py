"""A gazetteer of embargoed regions: find them in addresses written in any script.

Spellings are matched as whole token sequences after folding case, accents and
apostrophes, so ``ул. Ленина 1, Симферополь``, ``Simferopol'`` and
``Сімферополь`` all hit Crimea while ``Iranian Embassy`` does not hit Iran.
Country-level regions (Cuba, Iran, ...) also match an address's country code.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from embargo.errors import ConfigError
from embargo.model.countries import country_code
from embargo.model.entity import Address
from embargo.regions.address_country import settle_country

_APOSTROPHES = re.compile(r"['’ʼ`´ʹ]")
_TOKEN = re.compile(r"\w+")
MAX_WORDS = 6


@dataclass(frozen=True, slots=True)
class Region:
    id: str
    name: str
    countries: tuple[str, ...]  # countries an address in the region may name
    codes: tuple[str, ...]  # ISO codes (country or subdivision) that mean the region
    country_level: bool = False


@dataclass(frozen=True, slots=True)
class Spelling:
    region: Region
    text: str
    place: str | None  # the place's name, None for a name of the region itself
    ambiguous: bool = False
    ambiguous_in: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RegionHit:
    """A region found in a text: what matched and whether the hit is certain."""

    region: Region
    matched: str
    place: str | None
    certain: bool
    why: str = ""


def fold(text: str) -> str:
    """Case, accents and apostrophes folded; works for Latin, Cyrillic and others."""
    decomposed = unicodedata.normalize("NFKD", text).casefold()
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _APOSTROPHES.sub("", stripped)


def tokens(text: str) -> tuple[str, ...]:
    return tuple(_TOKEN.findall(fold(text)))


class Gazetteer:
    """Regions and their spellings, indexed by folded token sequence."""

    def __init__(self, regions: Iterable[Region], spellings: Iterable[Spelling]) -> None:
        self.regions = {r.id: r for r in regions}
        self._index: dict[tuple[str, ...], list[Spelling]] = {}
        for spelling in spellings:
            key = tokens(spelling.text)
            if not key or len(key) > MAX_WORDS:
                raise ConfigError(f"gazetteer spelling {spelling.text!r} has no or too many words")
            self._index.setdefault(key, []).append(spelling)
        self._codes = {code: r for r in self.regions.values() for code in r.codes}

    def find_text(self, text: str, country: str | None = None) -> list[RegionHit]:
        """Regions named in ``text``; ``country`` (ISO code) settles ambiguous places."""
        hits: list[RegionHit] = []
        words = tokens(text)
        for start in range(len(words)):
            for end in range(start + 1, min(len(words), start + MAX_WORDS) + 1):
                for spelling in self._index.get(words[start:end], ()):
                    hits.append(_hit(spelling, country))
        return _unique(hits)

    def find_code(self, code: str | None) -> RegionHit | None:
        """The region an ISO code (``ir``, ``ua-cri``) stands for, if any."""
        region = self._codes.get(code.lower()) if code else None
        if region is None or code is None:
            return None
        return RegionHit(region, code, None, True, f"country code {code}")

    def find_country(self, text: str | None) -> RegionHit | None:
        """The region a country name or code in any script stands for, if any."""
        return self.find_code(country_code(text)) if text else None

    def find_address(self, address: Address | str, hint: str | None = None) -> list[RegionHit]:
        """Regions in an address: its text, its city/region fields and its country.

        The address's own country (a country field, a US state and ZIP, an Australian
        state and postcode, a country name ...) is settled first: a town named like a
        place in a region ("Havana, IL 62644") is not in the region when the address
        is in another country. ``hint`` (the party's country, which may be a nationality
        or a place of registration) only makes such a hit doubtful.
        """
        if isinstance(address, str):
            address = Address(full=address)
        settled = settle_country(address.text())
        country = address.country or country_code(address.country_name) \
            or (settled.code if settled else None)
        texts = (address.text(), address.city or "", address.region or "")
        hits = [hit for text in texts if text for hit in self.find_text(text, country or hint)]
        if country:
            hits = [h for h in hits if h.certain or _may_be_in(h.region, country)]
        for code_hit in (self.find_code(country), self.find_country(address.country_name)):
            if code_hit is not None:
                hits.append(code_hit)
        return _unique(hits)


def _may_be_in(region: Region, country: str) -> bool:
    return not region.countries or country in region.countries \
        or country.startswith(tuple(f"{c}-" for c in region.countries))


def _hit(spelling: Spelling, country: str | None) -> RegionHit:
    region = spelling.region
    if spelling.ambiguous:
        return RegionHit(region, spelling.text, spelling.place, False,
                         f"{spelling.text!r} also names places outside {region.name}")
    if country and country in spelling.ambiguous_in:
        return RegionHit(region, spelling.text, spelling.place, False,
                         f"{spelling.text!r} also names a place in {country.upper()}")
    if country and not _may_be_in(region, country):
        return RegionHit(region, spelling.text, spelling.place, False,
                         f"address country {country.upper()} is not {region.name}'s")
    return RegionHit(region, spelling.text, spelling.place, True, "")


def _unique(hits: Iterable[RegionHit]) -> list[RegionHit]:
    """One hit per (region, place): a certain hit wins over an uncertain one."""
    best: dict[tuple[str, str | None], RegionHit] = {}
    for hit in hits:
        key = (hit.region.id, hit.place)
        if key not in best or (hit.certain and not best[key].certain):
            best[key] = hit
    return list(best.values())


def _strings(data: Mapping[str, Any], key: str) -> tuple[str, ...]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"gazetteer region {data.get('id')!r}: {key!r} must be a string list")
    return tuple(value)


def _region_spellings(data: Mapping[str, Any]) -> tuple[Region, Iterator[Spelling]]:
    region = Region(id=str(data["id"]), name=str(data["name"]),
                    countries=_strings(data, "countries"), codes=_strings(data, "codes"),
                    country_level=bool(data.get("country_level", False)))

    def spellings() -> Iterator[Spelling]:
        for name in _strings(data, "names"):
            yield Spelling(region, name, None)
        for place in data.get("places", []):
            for text in _strings(place, "spellings"):
                yield Spelling(region, text, str(place["name"]), bool(place.get("ambiguous")),
                               _strings(place, "ambiguous_in"))
    return region, spellings()


def parse_gazetteer(data: Mapping[str, Any]) -> Gazetteer:
    regions: list[Region] = []
    spellings: list[Spelling] = []
    try:
        for item in data["regions"]:
            region, found = _region_spellings(item)
            regions.append(region)
            spellings.extend(found)
    except (KeyError, TypeError) as exc:
        raise ConfigError(f"malformed gazetteer: {exc!r}") from None
    return Gazetteer(regions, spellings)


def load_gazetteer(path: Path | str) -> Gazetteer:
    try:
        return parse_gazetteer(json.loads(Path(path).read_text(encoding="utf-8")))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"cannot read gazetteer {path}: {exc}") from None


@cache
def default_gazetteer() -> Gazetteer:
    """The gazetteer shipped with Embargo."""
    data = resources.files("embargo.regions") / "data" / "gazetteer.json"
    return parse_gazetteer(json.loads(data.read_text(encoding="utf-8")))
