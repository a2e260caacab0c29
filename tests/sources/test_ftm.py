"""Tests for the FtM / OpenSanctions parser (embargo.sources.ftm).

Goldens live in tests/golden/ftm/; rewrite them with EMBARGO_UPDATE_GOLDEN=1.
"""

from __future__ import annotations

import shutil
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest

import goldens
from embargo.errors import ParseError
from embargo.model import IdKind, NameKind, codec
from embargo.sources.base import ParsedList
from embargo.sources.ftm import FtmParser, delta_versions, version_date

FIXTURES = Path(__file__).parent.parent / "fixtures" / "ftm"
GOLDEN = Path(__file__).parent.parent / "golden" / "ftm"
DATASETS = ("parteispenden", "zala", "t1", "t2")


def _ftm_dir(lists_dir: Path) -> Path:
    return lists_dir / "opensanctions-ftm"


def _summary(releases: list[ParsedList]) -> list[dict[str, Any]]:
    out = []
    for pl in releases:
        item: dict[str, Any] = {"source": pl.source, "label": pl.label,
                                "published": str(pl.published), "files": len(pl.files)}
        if pl.delta is None:
            item["entities"] = len(pl.entities)
            item["schemata"] = dict(sorted(Counter(str(e.schema) for e in pl.entities).items()))
        else:
            item["ops"] = dict(sorted(Counter(op.op for op in pl.delta).items()))
        out.append(item)
    return out


def _dump(releases: list[ParsedList]) -> list[dict[str, Any]]:
    out = []
    for pl in releases:
        out.append({
            "label": pl.label,
            "entities": [codec.to_dict(e) for e in pl.entities],
            "delta": None if pl.delta is None else [
                {"op": d.op, "id": d.entity_id,
                 "entity": codec.to_dict(d.entity) if d.entity else None} for d in pl.delta],
        })
    return out


def _check_golden(name: str, data: Any) -> None:
    goldens.check_golden(GOLDEN / name, data)



# --- shared data -------------------------------------------------------------

@pytest.mark.shared
def test_counts_golden(lists_dir: Path) -> None:
    summary = {d: _summary(list(FtmParser().parse(_ftm_dir(lists_dir) / d))) for d in DATASETS}
    _check_golden("counts.json", summary)


@pytest.mark.shared
@pytest.mark.parametrize("dataset", ["zala", "t1", "t2"])
def test_full_golden(lists_dir: Path, dataset: str) -> None:
    _check_golden(f"{dataset}.json", _dump(list(FtmParser().parse(_ftm_dir(lists_dir) / dataset))))


@pytest.mark.shared
def test_t1_full_then_empty_delta(lists_dir: Path) -> None:
    full, delta = FtmParser().parse(_ftm_dir(lists_dir) / "t1")
    assert (full.source, full.delta, len(full.entities)) == ("t1", None, 6)
    # the entities are eu_fsf's, and index.json gives eu_fsf's last export
    assert full.published == date(2024, 6, 13)
    assert (delta.label, delta.delta, delta.published) == ("20240527134702-zbn", [],
                                                           date(2024, 5, 27))


@pytest.mark.shared
def test_t2_deltas_in_version_order(lists_dir: Path) -> None:
    releases = list(FtmParser().parse(_ftm_dir(lists_dir) / "t2"))
    labels = [str(r.label) for r in releases]
    assert labels == sorted(labels) and len(labels) == 5
    deleted = [op for r in releases for op in r.delta or [] if op.op == "DEL"]
    assert [(d.entity_id, d.entity) for d in deleted] == [("NK-500Poltergeist", None)]
    added = {op.entity_id: op.entity for r in releases for op in r.delta or [] if op.entity}
    plotnikov = added["Q4365364"]
    assert plotnikov is not None and plotnikov.id == "Q4365364" and plotnikov.source == "t2"
    assert plotnikov.caption == "Vladimir Nikolaevich PLOTNIKOV"


@pytest.mark.shared
def test_single_files_and_dataset_override(lists_dir: Path) -> None:
    base = _ftm_dir(lists_dir)
    (full,) = FtmParser().parse(base / "zala" / "entities.ftm.json")
    assert full.source == "zala" and len(full.entities) == 17
    (one,) = FtmParser(dataset="sanctions").parse(
        base / "t2" / "20240528134729-3iv" / "entities.delta.json")
    assert (one.source, one.label) == ("sanctions", "20240528134729-3iv")
    assert one.delta is not None and [op.op for op in one.delta] == ["ADD"]
    assert len(list(FtmParser().parse(base / "t2" / "delta.json"))) == 5


@pytest.mark.shared
def test_zala_relations_folded_in(lists_dir: Path) -> None:
    (full,) = FtmParser().parse(_ftm_dir(lists_dir) / "zala")
    by_id = {e.id: e for e in full.entities}
    cst = by_id["NK-abdzbEBkqyT29GyREbiURZ"]
    owners = {link.target_id for link in cst.links if link.relation == "owned_by"}
    assert "NK-nR5AXM9AVPq4pQaSPSaVam" in owners
    assert ("ownership:NK-nR5AXM9AVPq4pQaSPSaVam", "49") in {(n.label, n.value) for n in cst.notes}
    assert any(p.code == "AU-RUSSIA" and p.raw == "Autonomous (Russia)" for p in cst.programs)
    assert any(a.street and a.country == "ru" for a in cst.addresses)
    assert all(e.schema.value in ("Person", "Company") for e in full.entities)


@pytest.mark.shared
@pytest.mark.parametrize("dataset", DATASETS)
def test_sniff_shared(lists_dir: Path, dataset: str) -> None:
    folder = _ftm_dir(lists_dir) / dataset
    assert FtmParser().sniff(folder, b"")
    for file in folder.rglob("*.json"):
        if file.name != "index.json":
            head = file.read_bytes()[:8192]
            assert FtmParser().sniff(file, head), file


# --- hand-made fixture ---------------------------------------------------------

def test_mini_golden() -> None:
    _check_golden("mini.json", _dump(list(FtmParser().parse(FIXTURES / "mini"))))


def test_mini_mapping() -> None:
    full, first, second = FtmParser().parse(FIXTURES / "mini")
    assert full.published == date(2024, 1, 3)  # index.json last_export of "mini"
    by_id = {e.id: e for e in full.entities}
    assert set(by_id) == {"v-1", "a-1", "p-1", "c-1", "pb-1", "le-1"}  # no Payment, Address...
    person = by_id["p-1"]
    assert [(i.kind, i.value, i.country) for i in person.identifiers] == [
        (IdKind.PASSPORT, "720123456", "ru"), (IdKind.NATIONAL_ID, "4509 123456", "ru"),
        (IdKind.CRYPTO, "1BoatSLRHtKNngkdXEeobR76b53LETtpyT", None)]
    assert [p.code for p in person.programs] == ["US-RUSHAR"]
    assert person.listed_on == "2021-12-10" and person.modified_on == "2023-01-05"
    assert by_id["pb-1"].schema.value == "Organization"
    assert by_id["a-1"].ids_of(IdKind.AIRCRAFT) == ("EP-MMH", "24258")
    assert by_id["v-1"].prop("flag") == ("tv",) and by_id["v-1"].countries == ("tv",)
    assert by_id["le-1"].names_of(NameKind.WEAK)[0].full == "SH"
    assert [r.label for r in (first, second)] == ["20240101000000-zzz", "20240102030405-abc"]
    assert second.delta is not None
    assert [(d.op, d.entity_id) for d in second.delta] == [
        ("ADD", "p-2"), ("MOD", "v-1"), ("DEL", "a-1")]
    assert second.delta[0].entity is not None
    assert [p.code for p in second.delta[0].entity.programs] == ["EU-UKR"]
    assert any("refer to no party" in w for w in second.warnings)


def test_version_helpers(tmp_path: Path) -> None:
    assert version_date("20240527194702-wnk") == date(2024, 5, 27)
    assert version_date("../../etc") is None and version_date("20241399000000-x") is None
    assert delta_versions(FIXTURES / "mini" / "delta.json") == [
        "20240101000000-zzz", "20240102030405-abc"]


# --- bad input -------------------------------------------------------------------

GOOD = '{"id":"p","schema":"Person","properties":{"name":["A B"]}}\n'
BAD_ENTITY_FILES = [
    ("truncated", GOOD + '{"id":"q","schema":"Person","prop', 2),
    ("not json", "hello world\n", 1),
    ("not an object", GOOD + "[1, 2]\n", 2),
    ("unknown schema", GOOD + '{"id":"q","schema":"Spaceship","properties":{}}\n', 2),
    ("no schema", '{"id":"q","properties":{}}\n', 1),
    ("no id", '{"schema":"Person","properties":{"name":["X"]}}\n', 1),
    ("bad properties", '{"id":"q","schema":"Person","properties":{"name":"X"}}\n', 1),
]


@pytest.mark.parametrize(("case", "text", "line"), BAD_ENTITY_FILES, ids=[c[0] for c in
                                                                        BAD_ENTITY_FILES])
def test_bad_entity_lines(tmp_path: Path, case: str, text: str, line: int) -> None:
    path = tmp_path / "x" / "entities.ftm.json"
    path.parent.mkdir()
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ParseError) as err:
        list(FtmParser().parse(path))
    assert f"{path}:{line}:" in str(err.value)


BAD_DELTA_FILES = [
    ("unknown op", '{"op":"UPSERT","entity":' + GOOD.strip() + "}\n", 1),
    ("no entity", '{"op":"ADD"}\n', 1),
    ("DEL without id", '{"op":"DEL","entity":{}}\n', 1),
    ("truncated", '{"op":"DEL","entity":{"id":"a"}}\n{"op":"ADD","entity":{"id"', 2),
    ("unknown schema", '{"op":"MOD","entity":{"id":"q","schema":"Nope","properties":{}}}\n', 1),
]


@pytest.mark.parametrize(("case", "text", "line"), BAD_DELTA_FILES, ids=[c[0] for c in
                                                                       BAD_DELTA_FILES])
def test_bad_delta_lines(tmp_path: Path, case: str, text: str, line: int) -> None:
    path = tmp_path / "ds" / "20240101000000-abc" / "entities.delta.json"
    path.parent.mkdir(parents=True)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ParseError) as err:
        list(FtmParser().parse(path))
    assert f"{path}:{line}:" in str(err.value)


def test_delta_index_errors(tmp_path: Path) -> None:
    folder = tmp_path / "ds"
    shutil.copytree(FIXTURES / "mini", folder)
    (folder / "20240101000000-zzz" / "entities.delta.json").unlink()
    with pytest.raises(ParseError, match="20240101000000-zzz"):
        list(FtmParser().parse(folder))
    (folder / "delta.json").write_text('{"versions": {"../../x": "http://x"}}')
    with pytest.raises(ParseError, match="bad version id"):
        list(FtmParser().parse(folder / "delta.json"))
    (folder / "delta.json").write_text('{"versions": [')
    with pytest.raises(ParseError, match="not JSON"):
        list(FtmParser().parse(folder / "delta.json"))


def test_empty_folder_and_empty_delta(tmp_path: Path) -> None:
    with pytest.raises(ParseError, match=r"no entities\.ftm\.json"):
        list(FtmParser().parse(tmp_path))
    path = tmp_path / "20240101000000-abc" / "entities.delta.json"
    path.parent.mkdir()
    path.write_bytes(b"")
    (release,) = FtmParser().parse(path)
    assert release.delta == [] and release.label == "20240101000000-abc"


SNIFF = [
    (GOOD.encode(), "entities.ftm.json", True),
    (b'{"op":"DEL","entity":{"id":"x"}}\n', "x.json", True),
    (b'{"versions": {}}', "delta.json", True),
    (b"", "entities.delta.json", True),
    (b"", "other.json", False),
    (b"ent_num,SDN_Name\n", "sdn.csv", False),
    (b'<?xml version="1.0"?><sdnList/>', "sdn.xml", False),
    (b'{"a": 1}\n', "x.json", False),
]


@pytest.mark.parametrize(("head", "name", "expected"), SNIFF)
def test_sniff(tmp_path: Path, head: bytes, name: str, expected: bool) -> None:
    assert FtmParser().sniff(tmp_path / name, head) is expected
