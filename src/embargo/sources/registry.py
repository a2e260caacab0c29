"""All list parsers, and detection of a file's format from its content."""

from __future__ import annotations

import importlib
from functools import cache
from pathlib import Path

from embargo.errors import UnknownFormatError, UsageError
from embargo.sources.base import Parser

_MODULES = (
    "embargo.sources.ofac_xml",
    "embargo.sources.ofac_csv",
    "embargo.sources.un_xml",
    "embargo.sources.eu_fsf",
    "embargo.sources.uk_fcdo",
    "embargo.sources.uk_ofsi",
    "embargo.sources.bis_dpl",
    "embargo.sources.ftm",
)
HEAD_BYTES = 8192


@cache
def parsers() -> tuple[Parser, ...]:
    """One instance of every parser, in detection order."""
    found: list[Parser] = []
    for name in _MODULES:
        module = importlib.import_module(name)
        found.extend(cls() for cls in module.PARSERS)
    return tuple(found)


def kinds() -> list[str]:
    return sorted({p.kind for p in parsers()} | {p.source for p in parsers()})


def parser_for_kind(kind: str) -> Parser:
    """The parser selected by ``--source KIND`` (a format kind or a list name)."""
    for parser in parsers():
        if parser.kind == kind:
            return parser
    for parser in parsers():
        if parser.source == kind:
            return parser
    raise UsageError(f"unknown source kind {kind!r}; known: {', '.join(kinds())}")


def read_head(path: Path) -> bytes:
    with path.open("rb") as fh:
        return fh.read(HEAD_BYTES)


def detect(path: Path) -> Parser:
    """The parser that reads ``path`` (a file or a folder holding one list release)."""
    head = b"" if path.is_dir() else read_head(path)
    for parser in parsers():
        if parser.sniff(path, head):
            return parser
    what = "folder" if path.is_dir() else "file"
    raise UnknownFormatError(path, f"not a list {what} Embargo can read (formats: "
                                   f"{', '.join(sorted({p.kind for p in parsers()}))})")
