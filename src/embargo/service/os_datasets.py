"""OpenSanctions dataset names, as yente clients send them, mapped to Embargo's lists.

yente's documentation filters with ``include_dataset=us_ofac_sdn`` and the like; each name
below is the OpenSanctions dataset of an official list Embargo imports itself. Other names
pass through unchanged (and are judged as Embargo names).
"""

from __future__ import annotations

from collections.abc import Iterable

OPENSANCTIONS: dict[str, str] = {
    "us_ofac_sdn": "ofac-sdn",
    "us_ofac_cons": "ofac-cons",
    "un_sc_sanctions": "un",
    "eu_fsf": "eu",
    "gb_hmt_sanctions": "uk-ofsi",
    "gb_fcdo_sanctions": "uk-fcdo",
    "us_bis_denied": "bis-dpl",
}


def embargo_dataset(name: str) -> str:
    """The Embargo list for an OpenSanctions dataset name, else the name itself."""
    return OPENSANCTIONS.get(name, name)


def embargo_datasets(names: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(embargo_dataset(n) for n in names))
