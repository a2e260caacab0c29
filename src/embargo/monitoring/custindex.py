"""The customer index: the monitored customers in a candidate index built like the list index.

New and changed list entries are screened *against the customers* through it. It is cached on
disk (``$EMBARGO_HOME/index/customers/``) with the customer versions it holds; a customer
added or changed since the build is simply screened directly, so a slightly stale index is
still exact. It is rebuilt when more than :data:`STALE_FRACTION` of the customers moved on.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import orjson

from embargo.errors import EmbargoError
from embargo.matching.index import analysis_fingerprint
from embargo.matching.screen import Screener
from embargo.model.entity import Entity

log = logging.getLogger(__name__)
STALE_FRACTION = 0.05
_POINTER = "current"


@dataclass(frozen=True, slots=True)
class CustomerIndex:
    """A screener over customers and the content hash of each customer it holds."""

    screener: Screener
    hashes: dict[str, str]

    def stale(self, current: dict[str, str]) -> list[str]:
        """Active customers whose current version is not the indexed one."""
        return stale(self.hashes, current)


def stale(indexed: dict[str, str], current: dict[str, str]) -> list[str]:
    return [cid for cid, digest in current.items() if indexed.get(cid) != digest]


def usable(indexed: dict[str, str] | None, current: dict[str, str]) -> bool:
    """Whether an index of ``indexed`` is close enough to ``current`` to be used."""
    if indexed is None:
        return False
    return len(stale(indexed, current)) <= STALE_FRACTION * max(1, len(current))


def cached_hashes(folder: Path) -> dict[str, str] | None:
    """The customer versions the cached index holds (None: no cached index)."""
    try:
        key = (folder / _POINTER).read_text().strip()
        hashes: dict[str, str] = orjson.loads((folder / f"{key}.json").read_bytes())
        return hashes if (folder / f"{key}.idx").is_file() else None
    except (OSError, ValueError):
        return None


def _key(hashes: dict[str, str]) -> str:
    digest = hashlib.sha256(analysis_fingerprint().encode())
    for cid in sorted(hashes):
        digest.update(f"|{cid}:{hashes[cid]}".encode())
    return digest.hexdigest()[:24]


_KEPT: dict[Path, tuple[str, CustomerIndex]] = {}  # a long-lived process's loaded index
_KEPT_LOCK = threading.Lock()


def load_index(folder: Path, keep: bool = False) -> CustomerIndex | None:
    """The cached index, or None when absent or unreadable.

    ``keep``: a long-lived process (the service) keeps the loaded index in memory and gets it
    back while the cached file is the same, instead of reading it again.
    """
    try:
        key = (folder / _POINTER).read_text().strip()
        with _KEPT_LOCK:
            kept = _KEPT.get(folder)
        if kept is not None and kept[0] == key:
            return kept[1]
        hashes = orjson.loads((folder / f"{key}.json").read_bytes())
        index = CustomerIndex(Screener.load(folder / f"{key}.idx"), hashes)
    except (OSError, EmbargoError, ValueError, EOFError) as exc:
        log.info("no usable customer index in %s (%s)", folder, exc)
        return None
    if keep:
        with _KEPT_LOCK:
            _KEPT[folder] = (key, index)
    return index


def _write(path: Path, write: object) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        if isinstance(write, bytes):
            tmp.write_bytes(write)
        else:
            assert isinstance(write, Screener)
            write.save(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def build_index(folder: Path | None, customers: Iterable[tuple[Entity, str]]) -> CustomerIndex:
    """Index the customers ((entity, content hash) each) and cache the index in ``folder``."""
    entities: list[Entity] = []
    hashes: dict[str, str] = {}
    for entity, digest in customers:
        entities.append(entity)
        hashes[entity.native_id] = digest
    index = CustomerIndex(Screener.from_entities(entities), hashes)
    if folder is not None:
        try:
            _save(folder, index)
        except OSError as exc:
            log.warning("cannot write customer index to %s: %s", folder, exc)
    return index


def _save(folder: Path, index: CustomerIndex) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    key = _key(index.hashes)
    _write(folder / f"{key}.idx", index.screener)
    _write(folder / f"{key}.json", orjson.dumps(index.hashes))
    _write(folder / _POINTER, key.encode())
    for old in folder.iterdir():
        if old.suffix in (".idx", ".json") and old.stem != key:
            old.unlink(missing_ok=True)
