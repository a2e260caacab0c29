"""EU Financial Sanctions Files XML parser: schema-valid fixture golden, bad input."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

import goldens
from embargo.errors import ParseError
from embargo.model import IdKind, NameKind, Schema
from embargo.model.codec import to_dict
from embargo.sources.eu_fsf import PARSERS, birth_date, is_non_latin

PARSER = PARSERS[0]()
GOLDEN = Path(__file__).parent.parent / "golden" / "eu_fsf"
SAMPLE = Path(__file__).parent.parent / "fixtures" / "eu_fsf" / "fsf_sample.xml"


def check_golden(name: str, data: Any) -> None:
    goldens.check_golden(GOLDEN / name, data)



@pytest.mark.shared
def test_fixture_is_valid_against_schema(shared: Path) -> None:
    schema = etree.XMLSchema(etree.parse(str(shared / "data" / "schemas" /
                                             "eu_fsf_schema_1_1.xsd")))
    assert schema.validate(etree.parse(str(SAMPLE))), schema.error_log


def test_fixture_golden() -> None:
    (parsed,) = PARSER.parse(SAMPLE)
    entities = parsed.entities
    assert parsed.published is not None and parsed.published.isoformat() == "2024-03-15"
    assert len(entities) == SAMPLE.read_bytes().count(b"<sanctionEntity ") == 9
    summary = {
        "schemas": dict(Counter(str(e.schema) for e in entities)),
        "name_kinds": dict(Counter(str(n.kind) for e in entities for n in e.names)),
        "original_script": sum(n.original_script for e in entities for n in e.names),
        "programs": dict(Counter(p.code for e in entities for p in e.programs)),
    }
    assert summary["schemas"] == {"Person": 6, "Organization": 3}
    check_golden("fsf_sample.json", {"summary": summary,
                                     "entities": [to_dict(e) for e in entities]})


def test_fixture_details() -> None:
    (parsed,) = PARSER.parse(SAMPLE)
    by_id = {e.id: e for e in parsed.entities}
    sechin = by_id["eu:13149"]
    assert sechin.caption == "Igor Ivanovich Sechin" and sechin.gender == "male"
    assert sechin.names[1].original_script and sechin.names[1].lang == "ru"
    assert sechin.citizenships == ("ru",) and sechin.programs[0].code == "EU-UKR"
    assert [n.full for n in by_id["eu:13150"].names_of(NameKind.WEAK)] == ["Arkadii Rotenberg"]
    kim = by_id["eu:13154"]
    assert str(kim.birth_dates[0]) == "1967/1969"
    assert kim.identifiers[0].kind is IdKind.PASSPORT and kim.identifiers[0].country == "kp"
    assert "knownExpired" in (kim.identifiers[0].note or "")
    assert str(by_id["eu:13153"].birth_dates[0]) == "~1961"
    assert by_id["eu:13156"].ids_of(IdKind.SWIFT_BIC) == ("DCBKKPPY",)
    assert by_id["eu:13157"].delisted_on == "2023-12-31"
    assert by_id["eu:13155"].schema is Schema.ORGANIZATION


@pytest.mark.parametrize(("attrs", "expected"), [
    ('birthdate="1960-09-07"', "1960-09-07"),
    ('year="1961" circa="true"', "~1961"),
    ('year="1961" monthOfYear="5"', "1961-05"),
    ('yearRangeFrom="1967" yearRangeTo="1969"', "1967/1969"),
    ('countryIso2Code="00"', None),
])
def test_birth_date(attrs: str, expected: str | None) -> None:
    parsed = birth_date(etree.fromstring(f"<birthdate {attrs}/>"))
    assert (str(parsed) if parsed else None) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Igor Sechin", False), ("Société Générale", False), ("Игорь Сечин", True),
    ("محمد", True), ("김정식", True), ("Kim 123", False),
])
def test_is_non_latin(text: str, expected: bool) -> None:
    assert is_non_latin(text) is expected


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_crlf_bom_and_rename(tmp_path: Path) -> None:
    raw = b"\xef\xbb\xbf" + SAMPLE.read_bytes().replace(b"\n", b"\r\n")
    path = write(tmp_path, "export.bin", raw)
    assert PARSER.sniff(path, raw[:1024])
    assert len(next(PARSER.parse(path)).entities) == 9


def test_latin1(tmp_path: Path) -> None:
    doc = ('<?xml version="1.0" encoding="ISO-8859-1"?>'
           '<export generationDate="2024-01-01T00:00:00" globalFileId="1">'
           '<sanctionEntity logicalId="5"><subjectType code="enterprise" classificationCode="E"/>'
           '<nameAlias wholeName="Soci\u00e9t\u00e9 G\u00e9n\u00e9rale"/>'
           "</sanctionEntity></export>")
    (parsed,) = PARSER.parse(write(tmp_path, "l1.xml", doc.encode("latin-1")))
    assert parsed.entities[0].caption == "Société Générale"
    assert not parsed.entities[0].names[0].original_script


GOOD = SAMPLE.read_bytes()


@pytest.mark.parametrize(("name", "data", "where"), [
    ("empty.xml", b"", "empty.xml"),
    ("trunc.xml", GOOD[: len(GOOD) // 2], "trunc.xml:"),
    ("other.xml", b"<Designations/>", "<Designations>"),
    ("noid.xml", GOOD.replace(b'logicalId="13150"', b""), "<sanctionEntity>"),
    ("noname.xml", b'<export generationDate="2024-01-01T00:00:00"><sanctionEntity logicalId="1">'
     b"</sanctionEntity></export>", "<sanctionEntity>"),
    ("dtd.xml", b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>'
     b'<export generationDate="2024-01-01">&a;</export>', "dtd.xml"),
    ("xxe.xml", b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
     b'<export generationDate="2024-01-01">&e;</export>', "xxe.xml"),
])
def test_bad_input(tmp_path: Path, name: str, data: bytes, where: str) -> None:
    path = write(tmp_path, name, data)
    with pytest.raises(ParseError) as info:
        list(PARSER.parse(path))
    assert str(path) in str(info.value) and where in str(info.value)


def test_sniff_rejects_other_formats() -> None:
    fixtures = Path(__file__).parent.parent / "fixtures"
    for other in (fixtures / "uk_fcdo" / "uk_sanctions_list_sample.xml",
                  fixtures / "uk_ofsi" / "conlist_current.csv"):
        assert not PARSER.sniff(other, other.read_bytes()[:1024])
