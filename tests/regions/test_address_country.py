"""An address's country, settled from postal blocks, subdivisions and country names."""

from __future__ import annotations

import pytest

from embargo.regions.address_country import settle_country


@pytest.mark.parametrize(("address", "code"), [
    ("201 Main St, Havana, IL 62644", "us"),
    ("Sebastopol, CA 95472", "us"),
    ("Damascus, MD 20872-1234", "us"),
    ("Damascus, Maryland", "us"),
    ("Balaclava VIC 3183", "au"),
    ("Balaclava, Victoria", "au"),
    ("Sevastopol, ON K1A 0B1", "ca"),
    ("10 Downing Street, London SW1A 2AA", "gb"),
    ("Simferopol, Россия", "ru"),
    ("Damaskus, Syrien", "sy"),
    ("La Habana, Cuba", "cu"),
    ("Kyiv, UA", "ua"),
])
def test_settled(address: str, code: str) -> None:
    settled = settle_country(address)
    assert settled is not None and settled.code == code, settled


@pytest.mark.parametrize("address", [
    "Havana", "Sevastopol", "Building A1 2nd floor, Sevastopol", "IL, Sevastopol street 1",
])
def test_not_settled(address: str) -> None:
    assert settle_country(address) is None
