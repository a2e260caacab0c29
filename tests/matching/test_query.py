"""Tests for embargo.matching.query: screening input to query entities."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from embargo.errors import ParseError
from embargo.matching.query import (
    MAX_NAME_CHARS,
    QueryRow,
    _clean_unprintable,
    clean_text,
    parse_queries,
    read_queries,
    row_from_props,
    split_values,
)
from embargo.model import IdKind, NameKind, Schema


def one(data: str | bytes) -> QueryRow:
    rows = list(parse_queries(data))
    assert len(rows) == 1, rows
    return rows[0]


def test_csv_full_row() -> None:
    row = one(
        "id,schema,name,alias,birthDate,nationality,gender,passportNumber,address\n"
        "q1,Person,Vladimir Putin,Putin V.;Влади́мир Пу́тин,1952-10-07,Russia,m,"
        "AB123,Moscow\n"
    )
    assert row.ok and row.id == "q1" and row.error is None
    e = row.entity
    assert e is not None
    assert e.id == "query:q1" and e.source == "query" and e.schema is Schema.PERSON
    assert [n.full for n in e.names] == ["Vladimir Putin", "Putin V.", "Влади́мир Пу́тин"]
    assert [n.kind for n in e.names] == [NameKind.PRIMARY, NameKind.ALIAS, NameKind.ALIAS]
    assert [str(d) for d in e.birth_dates] == ["1952-10-07"]
    assert e.nationalities == ("ru",) and e.gender == "male"
    assert e.ids_of(IdKind.PASSPORT) == ("AB123",)
    assert e.addresses[0].full == "Moscow"


def test_first_and_last_name_without_name() -> None:
    row = one("firstName,lastName,birthDate\nAnna,Schmidt,1980\n")
    assert row.entity is not None
    name = row.entity.names[0]
    assert (name.full, name.given, name.family) == ("Anna Schmidt", "Anna", "Schmidt")
    assert row.entity.schema is Schema.PERSON
    assert row.id == "2"  # no id column: the line number


@pytest.mark.parametrize(
    ("header", "cells", "schema"),
    [
        ("name", "Acme Ltd", Schema.LEGAL_ENTITY),
        ("name,imoNumber", "SHWE NADI,IMO 9123456", Schema.VESSEL),
        ("name,birthDate", "John Smith,1970", Schema.PERSON),
        ("name,schema", "Acme,Company", Schema.COMPANY),
    ],
)
def test_schema_inference(header: str, cells: str, schema: Schema) -> None:
    row = one(f"{header}\n{cells}\n")
    assert row.entity is not None and row.entity.schema is schema


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        ('"   ",,', "no name"),
        ('"",1980,', "no name"),
        ("John,1980-13-45,", "not a date"),
        ("John,yesterday,", "not a date"),
        ("John,1980,Spaceship", "unknown schema"),
    ],
)
def test_row_errors(cells: str, message: str) -> None:
    row = one(f"name,birthDate,schema\n{cells}\n")
    assert not row.ok and row.error is not None and message in row.error


def test_lenient_dates_become_warnings() -> None:
    rows = list(parse_queries("name,birthDate\nJohn,1980-13-45\n", strict=False))
    assert rows[0].entity is not None and rows[0].entity.birth_dates == ()
    assert "1980-13-45" in rows[0].warnings[0]


def test_long_name_is_an_error() -> None:
    row = one("name\n" + "a" * 10_000 + "\n")
    assert row.error is not None and str(MAX_NAME_CHARS) in row.error
    assert one("name\n" + "a" * MAX_NAME_CHARS + "\n").ok


def test_control_characters_are_stripped() -> None:
    row = one('name\n"Ali\x00ce\u200b Smi\x07th\t\x1b"\n')
    assert row.entity is not None and row.entity.names[0].full == "Ali ce Smi th"


def test_non_utf8_row_is_an_error_and_others_survive() -> None:
    rows = list(parse_queries(b"id,name\n1,Good Name\n2,Bad \xff\xfe Name\n3,Also Good\n"))
    assert [r.ok for r in rows] == [True, False, True]
    assert rows[1].error is not None and "UTF-8" in rows[1].error and rows[1].id == "2"


def test_wrong_cell_count_is_a_row_error() -> None:
    rows = list(parse_queries("id,name\n1,A,B\n2,Fine\n"))
    assert [r.ok for r in rows] == [False, True]


def test_malformed_csv_is_an_error_not_a_crash() -> None:
    rows = list(parse_queries('id,name\n1,"unterminated\n'))
    assert rows and not rows[-1].ok


def test_unknown_values_are_warnings() -> None:
    row = one("name,nationality,gender,colour\nJo,Narnia,robot,red\n")
    assert row.ok
    text = " ".join(row.warnings)
    assert "Narnia" in text and "robot" in text and "colour" in text


def test_eval_style_columns_are_understood() -> None:
    row = one("full_name,first_name,last_name,date_of_birth,nationality\n"
              "Patricia Wheeler,Patricia,Wheeler,2002-07-14,Ethiopia\n")
    assert row.entity is not None
    assert row.entity.birth_dates[0].value == "2002-07-14"
    assert row.entity.nationalities == ("et",)


def test_jsonl_ftm_shape() -> None:
    rows = list(parse_queries(
        '{"id": "a", "schema": "Person", "properties": {"name": ["Ivan Petrov"], '
        '"birthDate": ["1970-01-02"], "alias": ["Иван Петров"]}}\n'
        "\n"
        "{not json}\n"
        '{"id": "c", "schema": "Company", "properties": {"name": ["Neobit LLC"], '
        '"registrationNumber": ["1234567890123"]}}\n'
        '["a list"]\n'
        '{"id": "e", "schema": "Unicorn", "properties": {"name": ["X"]}}\n'
    ))
    assert [r.ok for r in rows] == [True, False, True, False, False]
    assert [r.line for r in rows] == [1, 3, 4, 5, 6]
    first, company = rows[0].entity, rows[2].entity
    assert first is not None and company is not None
    assert first.id == "query:a" and len(first.names) == 2
    assert company.schema is Schema.COMPANY
    assert company.ids_of(IdKind.REGISTRATION) == ("1234567890123",)
    assert rows[1].error is not None and "JSON" in rows[1].error
    assert rows[4].error is not None and "schema" in rows[4].error


def test_jsonl_flat_and_non_utf8() -> None:
    rows = list(parse_queries(b'{"name": "Flat Name"}\n{"name": "bad \xff"}\n'))
    assert [r.ok for r in rows] == [True, False]


def test_unreadable_file_raises(tmp_path: Path) -> None:
    with pytest.raises(ParseError):
        list(read_queries(tmp_path / "missing.csv"))
    bad = tmp_path / "bad.csv"
    bad.write_text("foo,bar\n1,2\n")
    with pytest.raises(ParseError, match="name"):
        list(read_queries(bad))


def test_read_queries_file(tmp_path: Path) -> None:
    path = tmp_path / "q.csv"
    path.write_bytes(b"\xef\xbb\xbfname\nA B\nC D\n")
    assert [r.entity.names[0].full for r in read_queries(path) if r.entity] == ["A B", "C D"]


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_clean_text_never_keeps_controls(text: str) -> None:
    try:
        out = clean_text(text)
    except ValueError:
        return
    assert not any(unicodedata.category(ch) in ("Cc", "Cf") for ch in out)
    assert out == out.strip() and "  " not in out


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_the_printable_fast_path_cleans_as_the_full_path(text: str) -> None:
    if not text.isprintable():
        return
    assert clean_text(text) == _clean_unprintable(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(" ;a\u00e9\u0416\t\x00\u200b\udc80"), max_size=12))
def test_a_cell_without_a_separator_splits_as_one_with_separators(text: str) -> None:
    """The one-value fast path gives what splitting at ``;`` gives (errors alike)."""
    def slow(value: str) -> list[str] | str:
        try:
            return [p for p in (clean_text(part) for part in value.split(";")) if p]
        except ValueError as exc:
            return str(exc)

    try:
        got: list[str] | str = split_values(text)
    except ValueError as exc:
        got = str(exc)
    assert got == slow(text)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=300))
def test_arbitrary_bytes_never_crash(data: bytes) -> None:
    rows = list(parse_queries(b"name,birthDate\n" + data))
    for row in rows:
        assert row.ok != (row.error is not None)


def test_name_parts_are_alternatives() -> None:
    """FtM values are alternatives: a family name in two scripts gives two names, and the
    father's name sits between (yente's documentation queries this way)."""
    row = row_from_props(1, "q", {"firstName": ["Arkadii"], "fatherName": ["Romanovich"],
                                  "lastName": ["Rotenberg", "Ротенберг"]}, "Person")
    assert row.entity is not None
    names = [(n.full, n.kind, n.given, n.middle, n.family) for n in row.entity.names]
    assert names == [
        ("Arkadii Romanovich Rotenberg", NameKind.PRIMARY, "Arkadii", "Romanovich", "Rotenberg"),
        ("Arkadii Romanovich Ротенберг", NameKind.ALIAS, "Arkadii", "Romanovich", "Ротенберг")]
