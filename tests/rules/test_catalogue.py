"""Every programme tag in the shared lists is in the catalogue; spellings map to one programme."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from embargo.errors import ConfigError
from embargo.model.programs import split_programs
from embargo.rules.catalogue import default_catalogue, parse_catalogue
from embargo.sources.registry import detect

# parsed with the parsers (fast); the big SDN CSV history is read for its programme column
PARSED = ["ofac-sdn/2021-04-25", "ofac-consolidated/consolidated_2025-03-28.xml",
          "ofac-consolidated/2018/consolidated.xml", "ofac-consolidated/2018",
          "un/consolidated_2018-10-29.xml", "un/consolidated_2025-04-19.xml",
          "un/consolidated_2026-02-27.xml", "uk/ofsi_conlist_extract_2020.csv", "us-bis/dpl.txt",
          "opensanctions-ftm/parteispenden", "opensanctions-ftm/t1", "opensanctions-ftm/t2",
          "opensanctions-ftm/zala"]


def test_every_tag_in_the_shared_lists_is_catalogued(lists_dir: Path) -> None:
    catalogue = default_catalogue()
    unknown: dict[str, int] = {}
    for rel in PARSED:
        for parsed in detect(lists_dir / rel).parse(lists_dir / rel):
            entities = parsed.entities or [op.entity for op in parsed.delta or [] if op.entity]
            unknown.update(catalogue.unknown_tags(entities))
    for path in sorted((lists_dir / "ofac-sdn" / "history").glob("sdn_*.csv")):
        with path.open(encoding="utf-8", errors="replace", newline="") as fh:
            for row in csv.reader(fh):
                for program in split_programs(row[3] if len(row) > 3 else None):
                    if catalogue.get(program) is None:
                        unknown[program.raw] = unknown.get(program.raw, 0) + 1
    assert unknown == {}


@pytest.mark.parametrize(("tag", "code"), [
    ("RUSSIA-EO", "RUSSIA-EO14024"), ("RUSSIA-EO14024", "RUSSIA-EO14024"),
    ("US-RUSHAR", "RUSSIA-EO14024"), ("PEESA", "PEESA-EO14039"), ("PEESA-EO", "PEESA-EO14039"),
    ("[PEESA-EO14039]", "PEESA-EO14039"), ("BELARUS-EO", "BELARUS-EO14038"),
    ("UKR", "EU-UKR"), ("UN-DPRK", "UN-DPRK"), ("Denied Persons List", "BIS-DPL"),
])
def test_spellings(tag: str, code: str) -> None:
    found = default_catalogue().get(tag)
    assert found is not None and found.code == code


def test_sdn_blocks_and_non_sdn_restricts() -> None:
    catalogue = default_catalogue()
    sdn, cons = catalogue.list_info("ofac-sdn"), catalogue.list_info("ofac-cons")
    assert sdn is not None and sdn.measure == "blocking"
    assert cons is not None and cons.measure == "restricted"
    programme = catalogue.get("RUSSIA-EO14024")
    assert programme is not None and "EO 14024 (15 April 2021)" in programme.citations


@pytest.mark.parametrize("data", [
    {"programme": [{"code": "A", "name": "a", "authority": "X", "measure": "blocking",
                    "jurisdictions": ["us"], "aliases": ["B"]},
                   {"code": "B", "name": "b", "authority": "X", "measure": "blocking",
                    "jurisdictions": ["us"]}]},
    {"programme": [{"code": "A", "name": "a", "authority": "X", "measure": "freeze-ish",
                    "jurisdictions": ["us"]}]},
    {"programme": [{"code": "A", "authority": "X", "measure": "blocking"}]},
])
def test_bad_catalogues_fail_loudly(data: dict) -> None:
    with pytest.raises(ConfigError):
        parse_catalogue(data)
