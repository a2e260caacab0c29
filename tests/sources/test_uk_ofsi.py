"""UK OFSI ConList CSV parser: old and current layouts, bad input."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest

import goldens
from embargo.errors import ParseError
from embargo.model import IdKind, NameKind, Schema
from embargo.model.codec import to_dict
from embargo.sources.uk_ofsi import PARSERS, id_number, split_numbered

PARSER = PARSERS[0]()
GOLDEN = Path(__file__).parent.parent / "golden" / "uk_ofsi"
CURRENT = Path(__file__).parent.parent / "fixtures" / "uk_ofsi" / "conlist_current.csv"


def check_golden(name: str, data: Any) -> None:
    goldens.check_golden(GOLDEN / name, data)



def summary(entities: list[Any]) -> dict[str, Any]:
    return {
        "count": len(entities),
        "schemas": dict(Counter(str(e.schema) for e in entities)),
        "name_kinds": dict(Counter(str(n.kind) for e in entities for n in e.names)),
        "programs": dict(Counter(p.code for e in entities for p in e.programs)),
        "identifiers": dict(Counter(str(i.kind) for e in entities for i in e.identifiers)),
        "birth_dates": sum(len(e.birth_dates) for e in entities),
    }


@pytest.mark.shared
def test_old_layout_golden(lists_dir: Path) -> None:
    path = lists_dir / "uk" / "ofsi_conlist_extract_2020.csv"
    (parsed,) = PARSER.parse(path)
    rows = path.read_bytes().count(b"\n") - 1  # one header line, no multi-line cells
    group_ids = {line.rsplit(b",", 1)[-1].strip() for line in path.read_bytes().splitlines()[1:]}
    assert rows == 77 and len(parsed.entities) == len(group_ids) == 41
    assert parsed.published == date(2020, 2, 20)  # newest "Last Updated" in the file
    by_id = {e.id: e for e in parsed.entities}
    qahtani = by_id["uk:13349"]
    assert [d.value for d in qahtani.birth_dates] == ["1980", "1981"]
    assert qahtani.nationalities == ("sa", "qa") and qahtani.ids_of(IdKind.PASSPORT) == ("592667",)
    assert by_id["uk:13556"].ids_of(IdKind.IMO) == ("8937675",)
    chosen = {i: to_dict(by_id[i]) for i in ("uk:13349", "uk:12999", "uk:13556", "uk:13562")}
    check_golden("ofsi_conlist_extract_2020.json",
                 {"summary": summary(parsed.entities), "entities": chosen})


def test_current_layout_golden() -> None:
    (parsed,) = PARSER.parse(CURRENT)
    assert parsed.published is not None and parsed.published.isoformat() == "2024-03-15"
    assert len(parsed.entities) == 6
    by_id = {e.id: e for e in parsed.entities}
    sechin = by_id["uk:14196"]
    assert sechin.caption == "Igor Ivanovich SECHIN"
    assert [n.kind for n in sechin.names] == [NameKind.PRIMARY, NameKind.ALIAS, NameKind.WEAK]
    assert sechin.names[1].original_script
    assert by_id["uk:13556"].schema is Schema.VESSEL
    assert by_id["uk:13440"].ids_of(IdKind.PASSPORT) == ("381310014",)
    assert by_id["uk:12858"].ids_of(IdKind.NATIONAL_ID) == ("1-78-09-44621-80",)
    assert by_id["uk:10918"].names_of(NameKind.ALIAS)[0].full == "KOMID"
    check_golden("conlist_current.json", {"summary": summary(parsed.entities),
                                          "entities": [to_dict(e) for e in parsed.entities]})


@pytest.mark.parametrize(("text", "items"), [
    ("1) Saudi Arabia 2) Qatar", ["Saudi Arabia", "Qatar"]),
    ("(1) Ndele, CAR (2) Algenana, Sudan", ["Ndele, CAR", "Algenana, Sudan"]),
    ("a) General, b) Minister for Security", ["General", "Minister for Security"]),
    ("Iraq", ["Iraq"]), ("", []), (None, []),
])
def test_split_numbered(text: str | None, items: list[str]) -> None:
    assert split_numbered(text) == items


@pytest.mark.parametrize(("text", "number"), [
    ("Passport No: 592667 (Qatari passport issued on 3 May 2007).", "592667"),
    ("no: P04838205 (Passport issued under the name of X)", "P04838205"),
    ("202-2708-8368 (Sudan)", "202-2708-8368"),
    ("none known", None),
])
def test_id_number(text: str, number: str | None) -> None:
    assert id_number(text) == number


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_cp1252_bom_crlf_and_rename(tmp_path: Path) -> None:
    text = CURRENT.read_text(encoding="utf-8").replace("Rosneft.", "Rosneft \u201cR\u201d.")
    keep = [line for line in text.splitlines() if "Иго" not in line and "محمد" not in line]
    raw = "\r\n".join(keep).encode("cp1252")
    path = write(tmp_path, "list.bin", raw)
    assert PARSER.sniff(path, raw[:1024])
    (parsed,) = PARSER.parse(path)
    assert len(parsed.entities) == 6
    (parsed_bom,) = PARSER.parse(write(tmp_path, "bom.csv", b"\xef\xbb\xbf" + text.encode()))
    assert parsed_bom.entities[0].names[1].full == "Игорь Иванович СЕЧИН"


@pytest.mark.parametrize(("name", "data", "where"), [
    ("empty.csv", b"", "empty.csv"),
    ("trunc.csv", CURRENT.read_bytes()[:900], "trunc.csv:"),
    ("quote.csv", CURRENT.read_bytes() + b'X,"unterminated\n', "quote.csv:"),
    ("wrong.csv", b'"Name"\t"Street_Address"\n"A"\t"B"\n', "wrong.csv:1"),
    ("xml.csv", b"<CONSOLIDATED_LIST/>", "xml.csv:1"),
    ("nogroup.csv", CURRENT.read_bytes().replace(b",13556,", b",,"), "nogroup.csv:11"),
])
def test_bad_input(tmp_path: Path, name: str, data: bytes, where: str) -> None:
    path = write(tmp_path, name, data)
    with pytest.raises(ParseError) as info:
        list(PARSER.parse(path))
    assert where in str(info.value)


def test_sniff_rejects_other_formats() -> None:
    fixtures = Path(__file__).parent.parent / "fixtures"
    for other in (fixtures / "eu_fsf" / "fsf_sample.xml",
                  fixtures / "uk_fcdo" / "uk_sanctions_list_sample.xml"):
        assert not PARSER.sniff(other, other.read_bytes()[:1024])
