"""Compressed inputs: unpacked with a cap; archives refused; bombs refused."""

from __future__ import annotations

import gzip
import lzma
from pathlib import Path

import pytest

from embargo.errors import ParseError
from embargo.ingest.unpack import unpacked


def test_plain_path_is_passed_through(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("x")
    with unpacked(path, 100) as local:
        assert local == path


@pytest.mark.parametrize(("suffix", "pack"), [(".gz", gzip.compress), (".xz", lzma.compress)])
def test_decompresses_file(tmp_path: Path, suffix: str, pack: object) -> None:
    path = tmp_path / f"sdn.csv{suffix}"
    path.write_bytes(pack(b"hello"))  # type: ignore[operator]
    with unpacked(path, 100) as local:
        assert local.name == "sdn.csv" and local.read_bytes() == b"hello"
    assert not local.exists()


def test_folder_mirror(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "sdn.csv.gz").write_bytes(gzip.compress(b"a"))
    (tmp_path / "d" / "add.csv").write_bytes(b"b")
    with unpacked(tmp_path / "d", 100) as local:
        assert sorted(p.name for p in local.iterdir()) == ["add.csv", "sdn.csv"]


def test_bomb_refused(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xml.gz"
    path.write_bytes(gzip.compress(b"\0" * (5 << 20)))
    with pytest.raises(ParseError, match="compression bomb"), unpacked(path, 1 << 20):
        pass


def test_corrupt_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.xml.gz"
    path.write_bytes(gzip.compress(b"<a/>" * 1000)[:-30])
    with pytest.raises(ParseError, match="corrupt or truncated"), unpacked(path, 1 << 20):
        pass


def test_zip_refused(tmp_path: Path) -> None:
    path = tmp_path / "lists.zip"
    path.write_bytes(b"PK\x03\x04")
    with pytest.raises(ParseError, match="archives are not accepted"), unpacked(path, 1 << 20):
        pass
