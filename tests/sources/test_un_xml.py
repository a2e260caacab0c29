"""UN Security Council XML parser: golden tests on the real files, bad input."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

import goldens
from embargo.errors import ParseError
from embargo.model import NameKind, Schema
from embargo.model.codec import to_dict
from embargo.sources.un_xml import PARSERS, birth_date, document_kind, program_code

PARSER = PARSERS[0]()
GOLDEN = Path(__file__).parent.parent / "golden" / "un_xml"
FILES = {  # file -> (individuals, entities)
    "consolidated_2018-10-29.xml": (703, 390),
    "consolidated_2025-04-19.xml": (684, 193),
    "consolidated_2026-02-27.xml": (730, 273),
}
CHOSEN = ("un:QDi.001", "un:KPi.033", "un:TAi.005", "un:KPe.001", "un:CDi.001")


def check_golden(name: str, data: Any) -> None:
    goldens.check_golden(GOLDEN / name, data)



def summary(entities: list[Any]) -> dict[str, Any]:
    return {
        "count": len(entities),
        "schemas": dict(Counter(str(e.schema) for e in entities)),
        "name_kinds": dict(Counter(str(n.kind) for e in entities for n in e.names)),
        "original_script": sum(n.original_script for e in entities for n in e.names),
        "programs": dict(Counter(p.code for e in entities for p in e.programs)),
        "with_birth_date": sum(bool(e.birth_dates) for e in entities),
        "identifiers": dict(Counter(str(i.kind) for e in entities for i in e.identifiers)),
    }


@pytest.mark.shared
@pytest.mark.parametrize("name", sorted(FILES))
def test_real_file_golden(lists_dir: Path, name: str) -> None:
    path = lists_dir / "un" / name
    (parsed,) = PARSER.parse(path)
    individuals, entities = FILES[name]
    counts = Counter(e.schema for e in parsed.entities)
    assert counts[Schema.PERSON] == individuals
    assert counts[Schema.ORGANIZATION] == entities
    assert parsed.published is not None and parsed.published.isoformat() == name[13:23]
    assert all(e.id == f"un:{e.native_id}" and e.native_id == e.native_id.strip()
               for e in parsed.entities)
    by_id = {e.id: e for e in parsed.entities}
    chosen = {i: to_dict(by_id[i]) for i in CHOSEN if i in by_id}
    check_golden(name.replace(".xml", ".json"),
                 {"summary": summary(parsed.entities), "entities": chosen})


@pytest.mark.shared
def test_real_file_details(lists_dir: Path) -> None:
    (parsed,) = PARSER.parse(lists_dir / "un" / "consolidated_2026-02-27.xml")
    by_id = {e.id: e for e in parsed.entities}
    zidane = by_id["un:QDi.001"]
    primary = zidane.names[0]
    assert (primary.given, primary.family) == ("MOHAMMED", "ZIDANE")
    assert any(n.original_script and n.kind is NameKind.ALIAS for n in zidane.names)
    assert zidane.names_of(NameKind.WEAK)
    assert zidane.programs[0].code == "UN-AL-QAIDA"
    assert zidane.listed_on == "2001-01-25" and zidane.nationalities == ("eg",)
    assert str(by_id["un:TAi.005"].birth_dates[0]) == "~1961"
    assert str(by_id["un:KPi.066"].birth_dates[0]) == "1967/1969"
    assert by_id["un:KPi.033"].ids_of(next(iter(by_id["un:KPi.033"].identifiers)).kind)


@pytest.mark.parametrize(("raw", "code"), [
    ("Al-Qaida", "UN-AL-QAIDA"), ("DPRK", "UN-DPRK"), ("SouthSudan", "UN-SOUTHSUDAN"),
    (" Taliban ", "UN-TALIBAN"),
])
def test_program_code(raw: str, code: str) -> None:
    assert program_code(raw, "UN") == code


@pytest.mark.parametrize(("label", "kind"), [
    ("Passport", "passport"), ("Numéro de passeport", "passport"),
    ("National Identification Number", "national_id"), ("Ration card number:", "other"),
])
def test_document_kind(label: str, kind: str) -> None:
    assert document_kind(label).value == kind


@pytest.mark.parametrize(("xml", "expected"), [
    ("<D><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><DATE>1964-07-17</DATE></D>", "1964-07-17"),
    ("<D><TYPE_OF_DATE>APPROXIMATELY</TYPE_OF_DATE><YEAR>1961</YEAR></D>", "~1961"),
    ("<D><TYPE_OF_DATE>BETWEEN</TYPE_OF_DATE><FROM_YEAR>1967</FROM_YEAR>"
     "<TO_YEAR>1969</TO_YEAR></D>", "1967/1969"),
    ("<D><TYPE_OF_DATE/></D>", None),
])
def test_birth_date(xml: str, expected: str | None) -> None:
    parsed = birth_date(etree.fromstring(xml))
    assert (str(parsed) if parsed else None) == expected


SMALL = """<?xml version="1.0" encoding="UTF-8"?>
<CONSOLIDATED_LIST dateGenerated="2026-02-27T00:00:09.554Z"><INDIVIDUALS>
<INDIVIDUAL><DATAID>1</DATAID><FIRST_NAME> RI </FIRST_NAME><SECOND_NAME>WON HO</SECOND_NAME>
<THIRD_NAME/><UN_LIST_TYPE>DPRK</UN_LIST_TYPE><REFERENCE_NUMBER>KPi.033 </REFERENCE_NUMBER>
<LISTED_ON>2016-11-30</LISTED_ON><COMMENTS1>Caf\u00e9 official</COMMENTS1>
<INDIVIDUAL_ALIAS><QUALITY>Low</QUALITY><ALIAS_NAME>Ri Wonho</ALIAS_NAME></INDIVIDUAL_ALIAS>
</INDIVIDUAL></INDIVIDUALS><ENTITIES>
<ENTITY><FIRST_NAME>KOREA MINING DEVELOPMENT TRADING CORPORATION</FIRST_NAME>
<UN_LIST_TYPE>DPRK</UN_LIST_TYPE><REFERENCE_NUMBER>KPe.001</REFERENCE_NUMBER></ENTITY>
</ENTITIES></CONSOLIDATED_LIST>
"""


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_small_document_crlf_and_padding(tmp_path: Path) -> None:
    path = write(tmp_path, "renamed.dat", SMALL.replace("\n", "\r\n").encode())
    assert PARSER.sniff(path, path.read_bytes()[:1024])
    (parsed,) = PARSER.parse(path)
    person, org = parsed.entities
    assert person.id == "un:KPi.033" and person.caption == "RI WON HO"
    assert person.remarks == "Café official"
    assert [n.kind for n in person.names] == [NameKind.PRIMARY, NameKind.WEAK]
    assert org.schema is Schema.ORGANIZATION and org.names[0].given is None


def test_latin1_declared_encoding(tmp_path: Path) -> None:
    text = SMALL.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"')
    (parsed,) = PARSER.parse(write(tmp_path, "l1.xml", text.encode("latin-1")))
    assert parsed.entities[0].remarks == "Café official"


def test_bom(tmp_path: Path) -> None:
    (parsed,) = PARSER.parse(write(tmp_path, "bom.xml", b"\xef\xbb\xbf" + SMALL.encode()))
    assert len(parsed.entities) == 2


@pytest.mark.parametrize(("name", "data", "where"), [
    ("empty.xml", b"", "empty.xml"),
    ("trunc.xml", SMALL.encode()[:400], "trunc.xml:"),
    ("other.xml", b"<sdnList><sdnEntry/></sdnList>", "<sdnList>"),
    ("noref.xml", SMALL.replace("<REFERENCE_NUMBER>KPe.001</REFERENCE_NUMBER>", "").encode(),
     "<ENTITY>"),
    ("noname.xml", SMALL.replace("KOREA MINING DEVELOPMENT TRADING CORPORATION", " ").encode(),
     "<ENTITY>"),
    ("dtd.xml", b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>'
     b"<CONSOLIDATED_LIST>&a;</CONSOLIDATED_LIST>", "dtd.xml"),
    ("xxe.xml", b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
     b"<CONSOLIDATED_LIST>&e;</CONSOLIDATED_LIST>", "xxe.xml"),
    ("csv.xml", b"Name 6,Name 1,Group ID\nX,Y,1\n", "csv.xml"),
])
def test_bad_input(tmp_path: Path, name: str, data: bytes, where: str) -> None:
    path = write(tmp_path, name, data)
    with pytest.raises(ParseError) as info:
        list(PARSER.parse(path))
    assert str(path) in str(info.value) and where in str(info.value)


def test_sniff_rejects_other_formats(tmp_path: Path) -> None:
    fixtures = Path(__file__).parent.parent / "fixtures"
    for other in (fixtures / "eu_fsf" / "fsf_sample.xml",
                  fixtures / "uk_fcdo" / "uk_sanctions_list_sample.xml",
                  fixtures / "uk_ofsi" / "conlist_current.csv"):
        assert not PARSER.sniff(other, other.read_bytes()[:1024])
