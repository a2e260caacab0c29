"""BIS Denied Persons List parser: real-file golden, stable keys, bad input."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import goldens
from embargo.errors import ParseError
from embargo.model import NameKind, Schema
from embargo.model.codec import to_dict
from embargo.sources.bis_dpl import PARSERS, guess_schema, name_slug, row_key

PARSER = PARSERS[0]()
GOLDEN = Path(__file__).parent.parent / "golden" / "bis_dpl"
HEADER = ('"Name"\t"Street_Address"\t"City"\t"State"\t"Country"\t"Postal_Code"\t'
          '"Effective_Date"\t"Expiration_Date"\t"Standard_Order"\t"Last_Update"\t"Action"\t'
          '"FR_Citation"\n')
ROW = ('"{name}"\t"3415 RIVERA AVENUE"\t"EL PASO"\t"TX"\t"US"\t"79905"\t"08/24/2022"\t'
       '"01/14/2026"\t"Y"\t"2022-08-29"\t"F.R. NOTICE ADDED"\t"87 F.R. 52741 8/29/2022"\n')


def check_golden(name: str, data: Any) -> None:
    goldens.check_golden(GOLDEN / name, data)



@pytest.mark.shared
def test_real_file_golden(lists_dir: Path) -> None:
    path = lists_dir / "us-bis" / "dpl.txt"
    (parsed,) = PARSER.parse(path)
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle, delimiter="\t"))[1:]
    assert len(rows) == 581
    # 581 rows: 120 rows repeat a party (same name and effective date) at another
    # address, and "AL NASER AIRLINES" / "AL-NASER  AIRLINES" (same order date)
    # fold to one key, so 460 parties remain.
    assert len({(r[0].strip().lower(), r[6]) for r in rows}) == 461
    assert len(parsed.entities) == 460
    assert parsed.warnings and "581 rows merged into 460" in parsed.warnings[0]
    by_id = {e.id: e for e in parsed.entities}
    nasser = by_id["bis-dpl:abdulah-al-nasser-2002-03-04"]
    assert len(nasser.addresses) == 2 and len(nasser.names) == 1
    airline = by_id["bis-dpl:al-naser-airlines-2022-05-13"]
    assert [n.kind for n in airline.names] == [NameKind.PRIMARY, NameKind.ALIAS]
    summary = {
        "count": len(parsed.entities),
        "schemas": dict(Counter(str(e.schema) for e in parsed.entities)),
        "addresses": sum(len(e.addresses) for e in parsed.entities),
        "countries": dict(Counter(c for e in parsed.entities for c in e.countries)),
    }
    chosen = ("bis-dpl:abdulah-al-nasser-2002-03-04", "bis-dpl:al-naser-airlines-2022-05-13",
              "bis-dpl:aaron-abraham-villa-2022-08-24", "bis-dpl:i-ash-2003-06-19")
    check_golden("dpl.json", {"summary": summary,
                              "entities": {i: to_dict(by_id[i]) for i in chosen}})


@pytest.mark.parametrize(("name", "slug"), [
    ("AL-NASER  AIRLINES", "al-naser-airlines"), (" I. ASH", "i-ash"),
    ("Société Générale", "societe-generale"), ("ROBERT J. SHUBERT, SR.", "robert-j-shubert-sr"),
])
def test_name_slug(name: str, slug: str) -> None:
    assert name_slug(name) == slug


@given(st.text(min_size=1, max_size=200))
def test_name_slug_is_stable_and_safe(name: str) -> None:
    slug = name_slug(name)
    assert slug == name_slug(name) and slug and len(slug) <= 64
    assert all(c.isascii() and (c.isalnum() or c == "-") for c in slug)


def test_row_key() -> None:
    assert row_key("Aaron Abraham Villa", "08/24/2022") == "aaron-abraham-villa-2022-08-24"
    assert row_key("X", "") == "x-undated"


@pytest.mark.parametrize(("name", "schema"), [
    ("AIR FREIGHT LTD", Schema.ORGANIZATION), ("ELECMAT, INC.", Schema.ORGANIZATION),
    ("AARON ABRAHAM VILLA", Schema.LEGAL_ENTITY), ("COTRICOM S.A.", Schema.ORGANIZATION),
])
def test_guess_schema(name: str, schema: Schema) -> None:
    assert guess_schema(name) is schema


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_cp1252_bom_crlf_and_rename(tmp_path: Path) -> None:
    text = HEADER + ROW.format(name="JOSÉ MARTÍNEZ") + ROW.format(name="AARON ABRAHAM VILLA")
    raw = text.replace("\n", "\r\n").encode("cp1252")
    path = write(tmp_path, "renamed.csv", raw)
    assert PARSER.sniff(path, raw[:1024])
    (parsed,) = PARSER.parse(path)
    assert [e.id for e in parsed.entities] == ["bis-dpl:jose-martinez-2022-08-24",
                                               "bis-dpl:aaron-abraham-villa-2022-08-24"]
    assert parsed.entities[0].caption == "JOSÉ MARTÍNEZ" and not parsed.warnings
    bom = write(tmp_path, "bom.txt", b"\xef\xbb\xbf" + text.encode())
    assert PARSER.sniff(bom, bom.read_bytes()[:1024])
    assert next(PARSER.parse(bom)).entities[0].caption == "JOSÉ MARTÍNEZ"


GOOD = HEADER + ROW.format(name="AARON ABRAHAM VILLA")


@pytest.mark.parametrize(("name", "data", "where"), [
    ("empty.txt", b"", "empty.txt"),
    ("trunc.txt", GOOD.encode()[:-60], "trunc.txt:2"),
    ("short.txt", (HEADER + '"A"\t"B"\n').encode(), "short.txt:2"),
    ("noname.txt", (HEADER + ROW.format(name=" ")).encode(), "noname.txt:2"),
    ("quote.txt", (GOOD + '"X\t"Y"\n').encode(), "quote.txt:"),
    ("ofsi.txt", b"Name 6,Name 1,Group ID,Alias Type\nX,Y,1,AKA\n", "ofsi.txt:1"),
    ("xml.txt", b"<CONSOLIDATED_LIST/>", "xml.txt:1"),
])
def test_bad_input(tmp_path: Path, name: str, data: bytes, where: str) -> None:
    path = write(tmp_path, name, data)
    with pytest.raises(ParseError) as info:
        list(PARSER.parse(path))
    assert where in str(info.value)


def test_sniff_rejects_other_formats() -> None:
    fixtures = Path(__file__).parent.parent / "fixtures"
    for other in (fixtures / "eu_fsf" / "fsf_sample.xml",
                  fixtures / "uk_fcdo" / "uk_sanctions_list_sample.xml",
                  fixtures / "uk_ofsi" / "conlist_current.csv"):
        assert not PARSER.sniff(other, other.read_bytes()[:1024])
