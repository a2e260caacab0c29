"""Customer files: CSV, FtM JSON lines and Parquet with screen's columns; ids required."""

from __future__ import annotations

import io
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from embargo.customers.importer import import_customers
from embargo.customers.io import detect_format, parse_customers
from embargo.errors import ParseError
from embargo.store import Store
from embargo.store.customers import CustomerStore

CSV = (b"id,schema,name,birthDate,nationality\n"
       b"c1,Person,Wladimir Putin;Vladimir Putin,1952-10-07,ru\n"
       b"c2,Company,Bank Rossiya,,\n")
FTM = (b'{"id": "c1", "schema": "Person", "properties": {"name": ["Wladimir Putin", '
       b'"Vladimir Putin"], "birthDate": ["1952-10-07"], "nationality": ["ru"]}}\n'
       b'{"id": "c2", "schema": "Company", "properties": {"name": ["Bank Rossiya"]}}\n')


def _parquet() -> bytes:
    table = pa.table({"id": ["c1", "c2"], "schema": ["Person", "Company"],
                      "name": [["Wladimir Putin", "Vladimir Putin"], ["Bank Rossiya"]],
                      "birthDate": ["1952-10-07", None], "nationality": ["ru", None]})
    out = io.BytesIO()
    pq.write_table(table, out)
    return out.getvalue()


@pytest.mark.parametrize(("raw", "kind"), [(CSV, "csv"), (FTM, "ftm"), (_parquet(), "parquet")])
def test_the_three_formats_give_the_same_customers(raw: bytes, kind: str) -> None:
    assert detect_format("x", raw) == kind
    rows = parse_customers(raw, "x")
    assert [r.error for r in rows] == [None, None]
    c1 = rows[0].entity
    assert c1 is not None and c1.native_id == "c1"
    assert [n.full for n in c1.names] == ["Wladimir Putin", "Vladimir Putin"]
    assert [d.value for d in c1.birth_dates] == ["1952-10-07"]
    reference = parse_customers(CSV, "x")
    assert [r.entity for r in rows] == [r.entity for r in reference]


def test_rows_without_id_duplicates_and_bad_dates_are_errors() -> None:
    rows = parse_customers(b"id,name,birthDate\n,No Id,\nc1,A B,\nc1,A C,\nc2,D E,1980-13-45\n")
    assert [r.error is None for r in rows] == [False, True, False, False]
    assert "id" in (rows[0].error or "") and "already given on line 3" in (rows[2].error or "")
    with pytest.raises(ParseError, match="id column"):
        parse_customers(b"name\nA B\n", "f.csv")


def test_import_is_all_or_nothing_unless_skip_errors(tmp_path: Path) -> None:
    with Store.open(f"sqlite:///{tmp_path / 's.db'}") as store:
        bad = CSV + b"c3,Person,,,\n"
        with pytest.raises(ParseError, match="1 bad rows, nothing imported"):
            import_customers(store, bad, "f.csv")
        assert CustomerStore(store.engine).list() == []
        done = import_customers(store, bad, "f.csv", skip_errors=True)
        assert done.result.added == ("c1", "c2") and len(done.rejected) == 1


def test_upsert_versions_only_on_screened_field_changes(tmp_path: Path) -> None:
    with Store.open(f"sqlite:///{tmp_path / 's.db'}") as store:
        customers = CustomerStore(store.engine)
        import_customers(store, CSV, "a.csv")
        same = import_customers(store, CSV.replace(b"nationality", b"nationality"), "b.csv")
        assert same.result.unchanged == 2 and same.result.touched == 0
        extra = CSV.replace(b"id,schema,", b"id,note,schema,").replace(b"c1,", b"c1,vip,") \
            .replace(b"c2,", b"c2,,")
        ignored = import_customers(store, extra, "c.csv")  # an unscreened column: no version
        assert ignored.result.touched == 0 and ignored.warnings
        changed = import_customers(store, CSV.replace(b"1952-10-07", b"1952-10-08"), "d.csv")
        assert changed.result.changed == ("c1",)
        versions = customers.versions("c1")
        assert [(v.version, v.origin) for v in versions] == [(1, "a.csv"), (2, "d.csv")]
        assert [d.value for d in versions[0].entity.birth_dates] == ["1952-10-07"]
