"""Ownership holdings, their import, and OFAC's 50% rule over direct and indirect chains."""

from embargo.ownership.fifty import OFAC, BlockedShare, FiftyPercent, OwnershipPath, Threshold
from embargo.ownership.graph import Holding, OwnershipGraph
from embargo.ownership.io import ImportResult, from_entities, read_csv, read_ftm

__all__ = [
    "OFAC",
    "BlockedShare",
    "FiftyPercent",
    "Holding",
    "ImportResult",
    "OwnershipGraph",
    "OwnershipPath",
    "Threshold",
    "from_entities",
    "read_csv",
    "read_ftm",
]
