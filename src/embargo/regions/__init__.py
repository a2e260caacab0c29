"""Embargoed regions and a gazetteer to find them in addresses."""

from embargo.regions.gazetteer import (
    Gazetteer,
    Region,
    RegionHit,
    default_gazetteer,
    fold,
    load_gazetteer,
)

__all__ = ["Gazetteer", "Region", "RegionHit", "default_gazetteer", "fold", "load_gazetteer"]
