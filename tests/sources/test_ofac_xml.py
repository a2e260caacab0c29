"""OFAC sdnList XML: golden files on the real lists, and hostile input."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

import goldens
from embargo.errors import ParseError
from embargo.model.codec import to_dict
from embargo.model.entity import Directive, NameKind, Schema
from embargo.sources.base import ParsedList
from embargo.sources.ofac_xml import PARSERS, OfacXmlParser

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "ofac"
NS = "http://tempuri.org/sdnList.xsd"
ENTRY = (
    "<sdnEntry><uid>9640</uid><firstName>Mohammed</firstName><lastName>ABU TEIR</lastName>"
    "<sdnType>Individual</sdnType><programList><program>NS-PLC</program></programList>"
    "<akaList><aka><uid>1</uid><type>a.k.a.</type><category>weak</category>"
    "<lastName>ABU TAIR</lastName></aka></akaList>"
    "<dateOfBirthList><dateOfBirthItem><uid>2</uid><dateOfBirth>circa 1951</dateOfBirth>"
    "</dateOfBirthItem></dateOfBirthList></sdnEntry>"
)


def doc(body: str = ENTRY, count: int = 1, ns: str = NS) -> str:
    return (f'<?xml version="1.0" standalone="yes"?>\n<sdnList xmlns="{ns}">\n'
            f"<publshInformation><Publish_Date>04/06/2018</Publish_Date>"
            f"<Record_Count>{count}</Record_Count></publshInformation>\n{body}\n</sdnList>\n")


def one(path: Path, source: str | None = None) -> ParsedList:
    [parsed] = list(OfacXmlParser(source).parse(path))
    return parsed


def check_golden(name: str, data: Any) -> None:
    goldens.check_golden(GOLDEN / f"{name}.json", data)



GOLDENS = [
    ("consolidated_2025-03-28", "consolidated_2025-03-28.xml", 443, "2025-03-28",
     ["ofac-cons:31695", "ofac-cons:9640", "ofac-cons:17013"]),
    ("consolidated_2018", "2018/consolidated.xml", 639, "2018-04-06",
     ["ofac-cons:4632", "ofac-cons:17013", "ofac-cons:15036"]),
]


@pytest.mark.parametrize(("name", "rel", "count", "published", "chosen"), GOLDENS)
def test_golden(lists_dir: Path, name: str, rel: str, count: int, published: str,
                chosen: list[str]) -> None:
    parsed = one(lists_dir / "ofac-consolidated" / rel)
    entities = parsed.entities
    assert parsed.declared_count == count == len(entities)
    assert parsed.source == "ofac-cons" and not parsed.warnings
    assert parsed.published is not None and parsed.published.isoformat() == published
    by_id = {e.id: e for e in entities}
    check_golden(name, {
        "schemas": dict(sorted(Counter(e.schema.value for e in entities).items())),
        "names": dict(sorted(Counter(n.kind.value for e in entities for n in e.names).items())),
        "identifiers": dict(sorted(
            Counter(i.kind.value for e in entities for i in e.identifiers).items())),
        "directives": sum(len(e.directives) for e in entities),
        "chosen": [to_dict(by_id[i]) for i in chosen],
    })


def test_russian_central_bank_directives(lists_dir: Path) -> None:
    parsed = one(lists_dir / "ofac-consolidated" / "consolidated_2025-03-28.xml")
    bank = next(e for e in parsed.entities if e.caption == "CENTRAL BANK OF THE RUSSIAN FEDERATION")
    first = bank.directives[0]
    assert (first.authority, first.name, first.listed_on, first.effective_on) == (
        "EO 14024", "Directive 1A", "2022-02-22", "2022-03-01")
    assert [d.name for d in bank.directives] == ["Directive 1A", "Directive 4"]
    assert [p.code for p in bank.programs] == ["RUSSIA-EO14024"]


def test_csv_and_xml_agree_on_2018_consolidated(lists_dir: Path) -> None:
    from embargo.sources.ofac_csv import OfacConsCsvParser

    folder = lists_dir / "ofac-consolidated" / "2018"
    [from_csv] = list(OfacConsCsvParser().parse(folder))
    xml = one(folder / "consolidated.xml")
    assert {e.id for e in from_csv.entities} == {e.id for e in xml.entities}
    csv_by_id = {e.id: e for e in from_csv.entities}
    for entity in xml.entities:
        assert entity.schema == csv_by_id[entity.id].schema
        assert entity.caption == csv_by_id[entity.id].caption


def test_small_document_mapping(tmp_path: Path) -> None:
    path = tmp_path / "feed.xml"
    path.write_text(doc())
    [entity] = one(path, "ofac-sdn").entities
    assert entity.id == "ofac-sdn:9640" and entity.schema is Schema.PERSON
    assert entity.names[0].full == "ABU TEIR, Mohammed"
    assert (entity.names[0].given, entity.names[0].family) == ("Mohammed", "ABU TEIR")
    assert [(n.full, n.kind) for n in entity.names[1:]] == [("ABU TAIR", NameKind.WEAK)]
    assert str(entity.birth_dates[0]) == "~1951"


def test_idlist_directive_and_vessel(tmp_path: Path) -> None:
    body = (
        "<sdnEntry><uid>5</uid><lastName>SHIP</lastName><sdnType>Vessel</sdnType>"
        "<idList><id><uid>1</uid><idType>Vessel Registration Identification</idType>"
        "<idNumber>IMO 9187629</idNumber></id>"
        "<id><uid>2</uid><idType>Listing Date (EO 14024 Directive 2):</idType>"
        "<idNumber>24 Feb 2022</idNumber></id>"
        "<id><uid>3</uid><idType>Passport</idType><idNumber>A1</idNumber>"
        "<idCountry>Iran</idCountry><expirationDate>01 Jan 2020</expirationDate></id></idList>"
        "<vesselInfo><callSign>9BQL</callSign><vesselFlag>Iran</vesselFlag>"
        "<vesselOwner>NITC</vesselOwner></vesselInfo></sdnEntry>")
    path = tmp_path / "sdn.xml"
    path.write_text(doc(body))
    parsed = one(path)
    assert parsed.source == "ofac-sdn"
    [entity] = parsed.entities
    assert entity.ids_of(entity.identifiers[0].kind) == ("9187629",)
    assert [(i.kind.value, i.value, i.country, i.note) for i in entity.identifiers] == [
        ("imo", "9187629", None, None), ("passport", "A1", "ir", "expires 01 Jan 2020"),
        ("call_sign", "9BQL", None, None)]
    assert entity.directives == (Directive("EO 14024", "Directive 2", listed_on="2022-02-24"),)
    assert entity.prop("flag") == ("Iran",)
    assert entity.links[0].relation == "owner"


def test_source_from_content_when_renamed(lists_dir: Path, tmp_path: Path) -> None:
    renamed = tmp_path / "list.xml"
    shutil.copy(lists_dir / "ofac-consolidated" / "consolidated_2025-03-28.xml", renamed)
    assert one(renamed).source == "ofac-cons"
    assert OfacXmlParser().sniff(renamed, renamed.read_bytes()[:4096])
    assert one(renamed, "ofac-sdn").source == "ofac-sdn"


def test_sniff_rejects_other_formats(lists_dir: Path) -> None:
    parser = PARSERS[0]()
    csv_head = (lists_dir / "ofac-sdn" / "2021-04-25" / "sdn.csv").read_bytes()[:4096]
    assert not parser.sniff(Path("x.xml"), csv_head)
    assert not parser.sniff(Path("x.xml"), b'<?xml version="1.0"?><Sanctions><x/></Sanctions>')


def test_record_count_mismatch_warns(tmp_path: Path) -> None:
    path = tmp_path / "sdn.xml"
    path.write_text(doc(count=2))
    assert one(path).warnings == ["Record_Count says 2, found 1"]


BAD = [
    ("truncated", doc()[:300], "x.xml:"),
    ("doctype", doc().replace("<sdnList", '<!DOCTYPE sdnList [<!ENTITY a "aaaa">]>\n<sdnList', 1),
     "DTD"),
    ("billion_laughs", '<?xml version="1.0"?>\n<!DOCTYPE l [<!ENTITY a "aaaaaaaa">'
     '<!ENTITY b "&a;&a;&a;&a;&a;&a;">]>\n<sdnList>&b;</sdnList>\n', "x.xml"),
    ("external_entity", '<?xml version="1.0"?>\n<!DOCTYPE s [<!ENTITY e SYSTEM '
     '"file:///etc/passwd">]>\n<sdnList><sdnEntry><uid>1</uid><lastName>&e;</lastName>'
     "</sdnEntry></sdnList>\n", "x.xml"),
    ("wrong_root", '<?xml version="1.0"?>\n<Sanctions><x/></Sanctions>\n', "<Sanctions>"),
    ("no_uid", doc("<sdnEntry><lastName>X</lastName></sdnEntry>"), "<sdnEntry>"),
    ("empty", "", "x.xml"),
    ("csv", '36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA"\r\n', "x.xml:1"),
]


@pytest.mark.parametrize(("case", "text", "where"), BAD)
def test_bad_input_raises_parse_error(tmp_path: Path, case: str, text: str, where: str) -> None:
    path = tmp_path / "x.xml"
    path.write_text(text)
    with pytest.raises(ParseError) as info:
        one(path)
    assert where in str(info.value)
    assert "passwd" not in str(info.value) or case != "external_entity"


def test_png_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.xml"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(ParseError, match=r"x\.xml"):
        one(path)
