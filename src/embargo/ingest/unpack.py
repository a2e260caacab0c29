"""Compressed list files: gzip/xz/bz2 are unpacked with a size cap; zips are refused.

Parsers read plain files, so a compressed file (or a folder holding some) is
mirrored into a temporary folder with every member decompressed. The cap on
decompressed bytes defends against compression bombs.
"""

from __future__ import annotations

import bz2
import gzip
import lzma
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, cast

from embargo.errors import ParseError

_OPENERS: dict[str, Callable[[Path], IO[bytes]]] = {  # the caller closes what they open
    ".gz": lambda p: cast(IO[bytes], gzip.GzipFile(p, "rb")),
    ".xz": lambda p: cast(IO[bytes], lzma.LZMAFile(p, "rb")),  # noqa: SIM115
    ".bz2": lambda p: cast(IO[bytes], bz2.BZ2File(p, "rb")),
}
_REFUSED = (".zip", ".7z", ".rar", ".tar", ".tgz")
CHUNK = 1 << 20


def is_compressed(path: Path) -> bool:
    return path.suffix.lower() in _OPENERS


def _check_refused(path: Path) -> None:
    if path.suffix.lower() in _REFUSED:
        raise ParseError(path, "archives are not accepted; unpack the list file first "
                               "(gzip, xz and bz2 single files are)")


def _decompress(src: Path, dest: Path, max_bytes: int) -> None:
    written = 0
    try:
        with _OPENERS[src.suffix.lower()](src) as fin, dest.open("wb") as fout:
            while chunk := fin.read(CHUNK):
                written += len(chunk)
                if written > max_bytes:
                    raise ParseError(src, f"decompresses to more than {max_bytes} bytes "
                                          "(compression bomb?); refused")
                fout.write(chunk)
    except (OSError, EOFError, lzma.LZMAError) as exc:
        raise ParseError(src, f"corrupt or truncated compressed file: {exc}") from None


def _mirror(src: Path, dest: Path, max_bytes: int) -> Path:
    """Copy ``src`` into ``dest``, decompressing; returns the mirrored path."""
    _check_refused(src)
    if src.is_dir():
        target = dest / src.name
        target.mkdir()
        for child in sorted(src.iterdir()):
            _mirror(child, target, max_bytes)
        return target
    if is_compressed(src):
        target = dest / src.stem
        _decompress(src, target, max_bytes)
        return target
    target = dest / src.name
    target.symlink_to(src.resolve())
    return target


def _needs_unpack(path: Path) -> bool:
    if path.is_dir():
        return any(is_compressed(p) or p.suffix.lower() in _REFUSED for p in path.rglob("*"))
    return is_compressed(path) or path.suffix.lower() in _REFUSED


@contextmanager
def unpacked(path: Path, max_bytes: int) -> Iterator[Path]:
    """``path`` itself, or a temporary decompressed mirror of it."""
    if not _needs_unpack(path):
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="embargo-") as tmp:
        yield _mirror(path, Path(tmp), max_bytes)
    # the temporary folder is removed on exit, also on error
