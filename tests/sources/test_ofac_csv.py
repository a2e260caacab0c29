"""OFAC legacy CSV sets: golden files on the real lists, and hostile input."""

from __future__ import annotations

import csv
import io
import shutil
import time
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest

import goldens
from embargo.errors import ParseError
from embargo.model.codec import to_dict
from embargo.model.countries import country_code
from embargo.model.entity import NameKind
from embargo.sources.base import ParsedList
from embargo.sources.ofac_csv import PARSERS, OfacConsCsvParser, OfacSdnCsvParser

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "ofac"
ROW = '36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n'


def summary(parsed: ParsedList, chosen: list[str]) -> dict[str, Any]:
    entities = parsed.entities
    by_id = {e.id: e for e in entities}
    return {
        "source": parsed.source, "kind": parsed.kind,
        "published": parsed.published.isoformat() if parsed.published else None,
        "entities": len(entities),
        "schemas": dict(sorted(Counter(e.schema.value for e in entities).items())),
        "names": dict(sorted(Counter(n.kind.value for e in entities for n in e.names).items())),
        "identifiers": dict(sorted(
            Counter(i.kind.value for e in entities for i in e.identifiers).items())),
        "directives": sum(len(e.directives) for e in entities),
        "chosen": [to_dict(by_id[i]) for i in chosen],
    }


def check_golden(name: str, data: Any) -> None:
    goldens.check_golden(GOLDEN / f"{name}.json", data)



def one(parser: Any, path: Path) -> ParsedList:
    [parsed] = list(parser.parse(path))
    return parsed


@lru_cache(maxsize=8)
def real(parser: type, path: Path) -> ParsedList:
    """A real list parsed once per test run (they are read-only)."""
    return one(parser(), path)


def rows(path: Path) -> list[list[str]]:
    text = path.read_bytes().rstrip(b"\x1a").decode("utf-8")
    return [r for r in csv.reader(io.StringIO(text, newline="")) if r]


GOLDENS = [
    ("sdn_2021-04-25", "ofac-sdn/2021-04-25", OfacSdnCsvParser,
     ["ofac-sdn:306", "ofac-sdn:2676", "ofac-sdn:15036", "ofac-sdn:15431"]),
    ("sdn_2024-05-03", "ofac-sdn/history/sdn_2024-05-03.csv", OfacSdnCsvParser,
     ["ofac-sdn:33151", "ofac-sdn:36", "ofac-sdn:10001", "ofac-sdn:44661", "ofac-sdn:28264"]),
    ("cons_2018", "ofac-consolidated/2018", OfacConsCsvParser,
     ["ofac-cons:4632", "ofac-cons:17013", "ofac-cons:15036", "ofac-cons:9640"]),
]


@pytest.mark.parametrize(("name", "rel", "parser", "chosen"), GOLDENS)
def test_golden(lists_dir: Path, name: str, rel: str, parser: Any, chosen: list[str]) -> None:
    parsed = real(parser, lists_dir / rel)
    main = lists_dir / rel if rel.endswith(".csv") else (lists_dir / rel / parser.layout.main)
    assert len(parsed.entities) == len({r[0] for r in rows(main)}) == len(rows(main))
    check_golden(name, summary(parsed, chosen))


def test_every_alt_and_add_row_attaches(lists_dir: Path) -> None:
    folder = lists_dir / "ofac-sdn" / "2021-04-25"
    by_id = {e.native_id: e for e in real(OfacSdnCsvParser, folder).entities}
    assert len(rows(folder / "sdn.csv")) == 8890 == len(by_id)
    alts = rows(folder / "alt.csv")
    assert len(alts) == 11742
    for row in alts:
        assert " ".join(row[3].split()) in {n.full for n in by_id[row[0]].names}, row
    adds = rows(folder / "add.csv")
    assert len(adds) == 13761
    for row in adds:
        streets = {a.street for a in by_id[row[0]].addresses}
        if row[2].strip() != "-0-":
            assert " ".join(row[2].split()) in streets, row


def test_weak_alias_from_remarks(lists_dir: Path) -> None:
    parsed = real(OfacSdnCsvParser, lists_dir / "ofac-sdn" / "2021-04-25")
    bank = next(e for e in parsed.entities if e.id == "ofac-sdn:306")
    assert [n.full for n in bank.names_of(NameKind.WEAK)] == ["BNC"]


def test_comments_overflow_is_appended(lists_dir: Path, tmp_path: Path) -> None:
    source = lists_dir / "ofac-sdn" / "history" / "sdn_2024-05-03.csv"
    line = next(r for r in source.read_bytes().split(b"\r\n") if r.startswith(b"33151,"))
    (tmp_path / "SDN.CSV").write_bytes(line + b"\r\n")
    shutil.copy(lists_dir / "ofac-sdn" / "sdn_comments_sample.csv", tmp_path / "sdn_comments.csv")
    [entity] = one(OfacSdnCsvParser(), tmp_path).entities
    assert any(i.value == "1B64QRxfaa35MVkf7sDjuGUYAP5izQt7Qi" for i in entity.identifiers)
    assert "SUCCESSFUL EXCHANGE" in {n.full for n in entity.names_of(NameKind.WEAK)}
    assert any(i.label == "USDT" for i in entity.identifiers)


def test_lone_file_does_not_pick_up_siblings(tmp_path: Path) -> None:
    (tmp_path / "sdn_2020-01-02.csv").write_text(ROW, newline="")
    (tmp_path / "alt.csv").write_text('36,1,"aka","X",-0- \r\n', newline="")
    parsed = one(OfacSdnCsvParser(), tmp_path / "sdn_2020-01-02.csv")
    assert parsed.published is not None and parsed.published.isoformat() == "2020-01-02"
    assert len(parsed.entities[0].names) == 1
    (tmp_path / "sdn.csv").write_text(ROW, newline="")
    parsed = one(OfacSdnCsvParser(), tmp_path / "sdn.csv")
    assert [n.full for n in parsed.entities[0].names] == ["AEROCARIBBEAN AIRLINES", "X"]
    assert parsed.published is None


def test_sniff(lists_dir: Path, tmp_path: Path) -> None:
    sdn = lists_dir / "ofac-sdn" / "history" / "sdn_2024-05-03.csv"
    head = sdn.read_bytes()[:4096]
    renamed = tmp_path / "latest.csv"
    renamed.write_bytes(sdn.read_bytes()[:4096])
    assert OfacSdnCsvParser().sniff(renamed, head)
    assert not OfacConsCsvParser().sniff(renamed, head)
    cons = lists_dir / "ofac-consolidated" / "2018" / "cons_prim.csv"
    assert OfacConsCsvParser().sniff(cons, cons.read_bytes()[:4096])
    add = lists_dir / "ofac-sdn" / "2021-04-25" / "add.csv"
    assert not OfacSdnCsvParser().sniff(renamed, add.read_bytes()[:4096])
    xml = lists_dir / "ofac-consolidated" / "consolidated_2025-03-28.xml"
    assert not OfacSdnCsvParser().sniff(renamed, xml.read_bytes()[:4096])
    assert OfacSdnCsvParser().sniff(lists_dir / "ofac-sdn" / "2021-04-25", b"")
    assert {p.kind for p in PARSERS} == {"ofac-sdn-csv", "ofac-cons-csv"}


def test_speed(lists_dir: Path) -> None:
    country_code("Iran")  # the country table loads once per process, not per file
    start = time.process_time()
    one(OfacSdnCsvParser(), lists_dir / "ofac-sdn" / "history" / "sdn_2024-05-03.csv")
    # ~1.5-2 s CPU on an idle machine; the bound leaves room for a loaded CI box
    assert time.process_time() - start < 5.0


# -- hostile and odd input -------------------------------------------------------------------

def _write(tmp_path: Path, data: bytes, name: str = "sdn.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


GOOD = [
    ("bom", b"\xef\xbb\xbf" + ROW.encode()),
    ("crlf_eof", ROW.encode() + b"\x1a"),
    ("lf_only", ROW.replace("\r\n", "\n").encode()),
    ("cp1252", ROW.replace("AEROCARIBBEAN", "AÉROCARIBBEAN").encode("cp1252")),
]


@pytest.mark.parametrize(("case", "data"), GOOD)
def test_odd_but_valid(tmp_path: Path, case: str, data: bytes) -> None:
    [entity] = one(OfacSdnCsvParser(), _write(tmp_path, data)).entities
    assert entity.id == "ofac-sdn:36"
    assert entity.caption.endswith("CARIBBEAN AIRLINES")
    if case == "cp1252":
        assert entity.caption == "AÉROCARIBBEAN AIRLINES"


BAD = [
    ("truncated_mid_row", (ROW * 2).encode()[:-30], "sdn.csv:2"),
    ("truncated_in_quote", (ROW + '37,"CUT OFF').encode(), "sdn.csv:2"),
    ("truncated_null", (ROW * 2).encode()[:-4], "sdn.csv:2"),
    ("wrong_columns", b'36,"X",-0- \r\n', "sdn.csv:1"),
    ("unclosed_quote", b'36,"X,-0- ,"CUBA",-0- \r\n37,"Y"\r\n', "sdn.csv"),
    ("bad_ent_num", ROW.replace("36,", "x36,").encode(), "sdn.csv:1"),
    ("duplicate", (ROW * 2).encode(), "sdn.csv:2"),
    ("xml", b'<?xml version="1.0"?>\n<sdnList><sdnEntry/></sdnList>\n', "sdn.csv:1"),
    ("png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "sdn.csv"),
    ("empty", b"", "sdn.csv"),
    ("only_eof", b"\r\n\x1a", "sdn.csv"),
]


@pytest.mark.parametrize(("case", "data", "where"), BAD)
def test_bad_input_raises_parse_error(tmp_path: Path, case: str, data: bytes, where: str) -> None:
    with pytest.raises(ParseError) as info:
        one(OfacSdnCsvParser(), _write(tmp_path, data))
    assert where in str(info.value)


def test_bad_side_file_names_its_line(tmp_path: Path) -> None:
    _write(tmp_path, ROW.encode())
    _write(tmp_path, b'36,1,"aka"\r\n', "alt.csv")
    with pytest.raises(ParseError, match=r"alt\.csv:1"):
        one(OfacSdnCsvParser(), tmp_path)


def test_folder_without_main_file(tmp_path: Path) -> None:
    with pytest.raises(ParseError, match=r"no sdn\.csv"):
        one(OfacSdnCsvParser(), tmp_path)


def test_orphan_rows_warn(tmp_path: Path) -> None:
    _write(tmp_path, ROW.encode())
    _write(tmp_path, b'99,1,"aka","X",-0- \r\n', "ALT.CSV")
    parsed = one(OfacSdnCsvParser(), tmp_path)
    assert parsed.warnings and "99" in parsed.warnings[0]
