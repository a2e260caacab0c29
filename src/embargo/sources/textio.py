"""Reading legacy text files: BOMs, cp1252/latin-1, CRLF and trailing 0x1A."""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from pathlib import Path

from embargo.errors import ParseError

# csv fields in the real lists can be long (OFAC remarks); allow 1 MiB
csv.field_size_limit(1024 * 1024)


def read_text(path: Path, max_bytes: int | None = None) -> str:
    """The file decoded: UTF-8 (with or without BOM, UTF-16 with BOM), else cp1252.

    A trailing DOS end-of-file byte (0x1A) is dropped; CRLF is left to csv.
    """
    size = path.stat().st_size
    if max_bytes is not None and size > max_bytes:
        raise ParseError(path, f"file is {size} bytes, over the limit of {max_bytes}")
    raw = path.read_bytes()
    return decode_bytes(raw, path)


def decode_bytes(raw: bytes, path: Path) -> str:
    raw = raw.rstrip(b"\x1a")
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8):]
    elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decode(raw, "utf-16", path)
    if b"\x00" in raw[:4096]:
        raise ParseError(path, "binary content (NUL bytes): not a text list file")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return _decode(raw, "cp1252", path)


def _decode(raw: bytes, encoding: str, path: Path) -> str:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError:
        if encoding == "cp1252":
            return raw.decode("latin-1")
        raise ParseError(path, f"cannot decode as {encoding}") from None


def csv_rows(path: Path, text: str, delimiter: str = ",") -> Iterator[tuple[int, list[str]]]:
    """(line number, row) pairs; a malformed row raises ParseError with its line."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        for row in reader:
            if row and any(cell.strip() for cell in row):
                yield reader.line_num, row
    except csv.Error as exc:
        raise ParseError(path, f"malformed CSV: {exc}", line=reader.line_num) from None
