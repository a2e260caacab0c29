"""Build ``src/embargo/model/data/countries.json.gz`` from rigour's territory data.

rigour knows every territory's codes and its names in many languages, but
loading its name index costs seconds per process. This derives a compact
lookup table (normalised name or code -> FtM country code) once, at
development time:

    .venv/bin/python scripts/build_countries.py
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

from followthemoney.types import registry
from rigour.territories import lookup

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from embargo.model.countries import normalise_country  # noqa: E402

OUT = ROOT / "src" / "embargo" / "model" / "data" / "countries.json.gz"


def main() -> None:
    known = set(registry.country.names)  # the codes FtM accepts
    table: dict[str, str] = {}
    for territory, strongs, weaks, _places in lookup._load_territory_names():
        code = territory.ftm_country if hasattr(territory, "ftm_country") else territory.code
        code = registry.country.clean(territory.code) or code
        if code not in known:
            continue
        for name in strongs + weaks:
            table.setdefault(normalise_country(name), code)
    for ident, territory in lookup._get_identifier_map().items():
        code = registry.country.clean(territory.code)
        if code in known:
            table.setdefault(normalise_country(ident), code)
    table.pop("", None)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(OUT, "wt", encoding="utf-8") as fh:
        json.dump(dict(sorted(table.items())), fh, ensure_ascii=False, separators=(",", ":"))
    print(f"{len(table)} names -> {OUT}")


if __name__ == "__main__":
    main()
