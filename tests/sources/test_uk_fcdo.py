"""UK Sanctions List (FCDO) XML parser: hand-made fixture golden, bad input."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

import goldens
from embargo.errors import ParseError
from embargo.model import IdKind, NameKind, Schema
from embargo.model.codec import to_dict
from embargo.sources.uk_fcdo import PARSERS

PARSER = PARSERS[0]()
GOLDEN = Path(__file__).parent.parent / "golden" / "uk_fcdo"
SAMPLE = Path(__file__).parent.parent / "fixtures" / "uk_fcdo" / "uk_sanctions_list_sample.xml"


def check_golden(name: str, data: Any) -> None:
    goldens.check_golden(GOLDEN / name, data)



def test_fixture_golden() -> None:
    (parsed,) = PARSER.parse(SAMPLE)
    entities = parsed.entities
    assert parsed.published is not None and parsed.published.isoformat() == "2024-05-09"
    assert len(entities) == SAMPLE.read_bytes().count(b"<Designation>") == 10
    summary = {
        "schemas": dict(Counter(str(e.schema) for e in entities)),
        "name_kinds": dict(Counter(str(n.kind) for e in entities for n in e.names)),
        "original_script": sum(n.original_script for e in entities for n in e.names),
    }
    assert summary["schemas"] == {"Person": 6, "Organization": 2, "Vessel": 2}
    check_golden("uk_sanctions_list_sample.json",
                 {"summary": summary, "entities": [to_dict(e) for e in entities]})


def test_fixture_details() -> None:
    (parsed,) = PARSER.parse(SAMPLE)
    by_id = {e.id: e for e in parsed.entities}
    zidane = by_id["uk:AQD0104"]
    assert zidane.caption == "Mohammed Salahaldin Abd El Halim ZIDANE"
    assert [n.full for n in zidane.names_of(NameKind.WEAK)] == ["Seif AL ADEL", "Saif AL-'ADIL"]
    assert [str(d) for d in zidane.birth_dates] == ["1963-04-11", "1960-04-11"]
    assert by_id["uk:DPR0285"].schema is Schema.VESSEL
    assert by_id["uk:DPR0285"].ids_of(IdKind.IMO) == ("8937675",)
    assert by_id["uk:DPR0285"].prop("flag") == ("kp",)
    assert by_id["uk:DPR0239"].notes[0].value == "unknown"  # unparsable DOB kept
    assert by_id["uk:DPR0123"].names[1].kind is NameKind.ALIAS  # primary name variation
    assert by_id["uk:RUS0251"].programs[0].code == "UK-RUSSIA"


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_crlf_latin1_and_rename(tmp_path: Path) -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    crlf = write(tmp_path, "crlf.data", text.replace("\n", "\r\n").encode())
    assert PARSER.sniff(crlf, crlf.read_bytes()[:1024])
    assert len(next(PARSER.parse(crlf)).entities) == 10
    small = ('<?xml version="1.0" encoding="ISO-8859-1"?><Designations><Designation>'
             "<UniqueID>X1</UniqueID><IndividualEntityShip>Entity</IndividualEntityShip>"
             "<Names><Name><Name6>Soci\u00e9t\u00e9 G\u00e9n\u00e9rale</Name6>"
             "<NameType>Primary Name</NameType></Name></Names></Designation></Designations>")
    (parsed,) = PARSER.parse(write(tmp_path, "l1.xml", small.encode("latin-1")))
    assert parsed.entities[0].caption == "Société Générale"
    bom = write(tmp_path, "bom.xml", b"\xef\xbb\xbf" + small.replace("ISO-8859-1", "UTF-8")
                .encode())
    assert next(PARSER.parse(bom)).entities[0].caption == "Société Générale"


GOOD = SAMPLE.read_bytes()


@pytest.mark.parametrize(("name", "data", "where"), [
    ("empty.xml", b"", "empty.xml"),
    ("trunc.xml", GOOD[: len(GOOD) // 2], "trunc.xml:"),
    ("other.xml", b'<export generationDate="2024-01-01T00:00:00"/>', "<export>"),
    ("noid.xml", GOOD.replace(b"<UniqueID>RUS0174</UniqueID>", b""), "<Designation>"),
    ("kind.xml", GOOD.replace(b"<IndividualEntityShip>Ship", b"<IndividualEntityShip>Boat"),
     "<Designation>"),
    ("dtd.xml", b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>'
     b"<Designations>&a;</Designations>", "dtd.xml"),
    ("xxe.xml", b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
     b"<Designations>&e;</Designations>", "xxe.xml"),
])
def test_bad_input(tmp_path: Path, name: str, data: bytes, where: str) -> None:
    path = write(tmp_path, name, data)
    with pytest.raises(ParseError) as info:
        list(PARSER.parse(path))
    assert str(path) in str(info.value) and where in str(info.value)


def test_sniff_rejects_other_formats() -> None:
    fixtures = Path(__file__).parent.parent / "fixtures"
    for other in (fixtures / "eu_fsf" / "fsf_sample.xml",
                  fixtures / "uk_ofsi" / "conlist_current.csv"):
        assert not PARSER.sniff(other, other.read_bytes()[:1024])
