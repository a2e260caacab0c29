"""Fuzzing every parser from real list files: cut, corrupted and spliced real rows are either
parsed or refused with an `embargo.errors` error, never another exception.

Each seed is a small excerpt of a real file (the shared lists, or the fixtures); hypothesis
mutates it (cuts it short, deletes, duplicates or overwrites a span, inserts hostile bytes:
quotes, delimiters, markup, NUL, invalid UTF-8, RTL and combining marks) and the result is
parsed the way `embargo import` parses it. Bounded: 30 examples per parser (about 15 s in
all); ``EMBARGO_FUZZ_EXAMPLES=2000`` runs a longer hunt.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from embargo.errors import EmbargoError
from embargo.ingest.importer import parse_all
from embargo.model.codec import dumps
from embargo.settings import load_settings

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
LISTS = load_settings().shared / "data" / "lists"
EXAMPLES = int(os.environ.get("EMBARGO_FUZZ_EXAMPLES", "30"))  # raise it for a long hunt

HOSTILE = [b'"', b",", b";", b"\t", b"<", b">", b"&", b"&amp;", b"</", b"<!--", b"]]>",
           b"\x00", b"\xff\xfe", b"\xc3", b"\r\n", b"\n", b"-0-", b"\x1a", b"{", b"}",
           b"null", b"9999-99-99", b"0000-00-00", b"1e309", b"-1",
           "\u202e\u0645\u062d\u0645\u062f".encode(), "e\u0301\u0301\u0301".encode(),
           "\U0001f600".encode(), b"DOB 31 Feb 1960;", b"a.k.a. '';", b"\xef\xbb\xbf"]


def _lines(path: Path, count: int) -> bytes:
    with path.open("rb") as fh:
        return b"".join(fh.readline() for _ in range(count))


def _xml(path: Path, tag: str, count: int) -> bytes:
    """The file with only its first ``count`` ``tag`` elements (still well-formed)."""
    data = path.read_bytes()
    pattern = re.compile(rb"<(" + tag.encode() + rb")\b[^>]*>.*?</\1>\s*", re.S)
    seen = iter(range(1 << 30))
    return pattern.sub(lambda m: m[0] if next(seen) < count else b"", data)


SEEDS: dict[str, tuple[str, Callable[[], bytes], str]] = {
    # kind: (file name, excerpt, needs)
    "ofac-sdn-csv": ("sdn.csv", lambda: _lines(LISTS / "ofac-sdn" / "history" /
                                               "sdn_2024-05-03.csv", 40), "shared"),
    "ofac-cons-csv": ("cons_prim.csv", lambda: _lines(LISTS / "ofac-consolidated" / "2018" /
                                                      "cons_prim.csv", 30), "shared"),
    "ofac-xml": ("consolidated.xml", lambda: _xml(LISTS / "ofac-consolidated" /
                                                  "consolidated_2025-03-28.xml",
                                                  "sdnEntry", 6), "shared"),
    "un-xml": ("consolidated.xml", lambda: _xml(LISTS / "un" / "consolidated_2026-02-27.xml",
                                                "(?:INDIVIDUAL|ENTITY)", 6), "shared"),
    "bis-dpl": ("dpl.txt", lambda: _lines(LISTS / "us-bis" / "dpl.txt", 30), "shared"),
    "ftm": ("entities.ftm.json", lambda: _lines(LISTS / "opensanctions-ftm" / "zala" /
                                                "entities.ftm.json", 20), "shared"),
    "eu-fsf-xml": ("eu_fsf.xml", lambda: (FIXTURES / "eu_fsf" / "fsf_sample.xml").read_bytes(),
                   "fixture"),
    "uk-fcdo-xml": ("UK-Sanctions-List.xml", lambda: _xml(
        FIXTURES / "uk_fcdo" / "uk_sanctions_list_sample.xml", "Designation", 6), "fixture"),
    "uk-ofsi-csv": ("ConList.csv", lambda: _lines(FIXTURES / "uk_ofsi" / "conlist_current.csv",
                                                  25), "fixture"),
}


@st.composite
def mutations(draw: st.DrawFn, seed: bytes) -> bytes:
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 4))):
        size = len(data)
        at = draw(st.integers(0, size))
        end = draw(st.integers(at, min(size, at + 400)))
        op = draw(st.sampled_from(["cut", "delete", "insert", "overwrite", "duplicate"]))
        piece = draw(st.sampled_from(HOSTILE) | st.binary(max_size=12)
                     | st.text(max_size=12).map(lambda t: t.encode("utf-8", "surrogatepass")))
        if op == "cut":
            del data[at:]
        elif op == "delete":
            del data[at:end]
        elif op == "insert":
            data[at:at] = piece
        elif op == "overwrite":
            data[at:end] = piece
        else:
            data[at:at] = data[at:end]
    return bytes(data)


def _seed(kind: str) -> tuple[str, bytes]:
    name, excerpt, needs = SEEDS[kind]
    if needs == "shared" and not LISTS.is_dir():
        pytest.skip(f"shared lists not found at {LISTS}")
    return name, excerpt()


def _parse(folder: Path, name: str, data: bytes, kind: str) -> None:
    path = folder / name
    path.write_bytes(data)
    try:
        for _, release in parse_all(path, kind):
            for entity in release.entities:
                dumps(entity)  # what the store writes must serialise
    except EmbargoError:
        pass  # a clear, one-line refusal is a fine answer to a broken file


@pytest.mark.parametrize("kind", sorted(SEEDS))
def test_seed_parses(kind: str, tmp_path: Path) -> None:
    """The unmutated excerpt is a valid list: the fuzzing starts from real, parsed rows."""
    name, seed = _seed(kind)
    path = tmp_path / name
    path.write_bytes(seed)
    releases = parse_all(path, kind)
    assert releases and all(r.entities for _, r in releases), kind


@pytest.mark.parametrize("kind", sorted(SEEDS))
def test_mutated_real_rows_parse_or_fail_clearly(kind: str,
                                                 tmp_path_factory: pytest.TempPathFactory
                                                 ) -> None:
    name, seed = _seed(kind)
    folder = tmp_path_factory.mktemp(f"fuzz-{kind}")

    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(data=mutations(seed))
    def check(data: bytes) -> None:
        _parse(folder, name, data, kind)

    check()
