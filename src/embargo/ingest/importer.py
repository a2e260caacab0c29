"""Importing list files into immutable, dated snapshots.

Every release is parsed completely before the store is touched, and each
snapshot is written in one transaction, so a bad file leaves the store as it
was. Identical content (same bytes, same parser version) is not imported
twice. Delta releases (FtM) are applied to the source's newest snapshot.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from embargo.errors import DuplicateSnapshotError, ParseError, UnknownFormatError
from embargo.ingest.policy import HoldPolicy, Incoming, check_not_future, hold_reason
from embargo.ingest.unpack import unpacked
from embargo.model import Entity
from embargo.sources.base import ParsedList, Parser
from embargo.sources.registry import detect, parser_for_kind
from embargo.store import Snapshot, Store

log = logging.getLogger(__name__)

# files read as part of a set with another file, or metadata: not imported alone
COMPANIONS = frozenset({
    "add.csv", "alt.csv", "sdn_comments.csv", "cons_add.csv", "cons_alt.csv",
    "cons_comments.csv", "index.json", "entities.delta.json",
})
_DATE_IN_PATH = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")


@dataclass(slots=True)
class ImportResult:
    """What happened to one release."""

    path: str
    source: str
    kind: str
    published: date
    created: bool
    snapshot: Snapshot
    entity_count: int
    declared_count: int | None = None
    warnings: list[str] = field(default_factory=list)
    held: str | None = None  # why the snapshot is held (not in force), if it is


def date_in_path(path: Path) -> date | None:
    for part in reversed(path.parts):
        if m := _DATE_IN_PATH.search(part):
            try:
                return date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                continue
    return None


def content_hash(release: ParsedList) -> str:
    """SHA-256 over the release's files (name and bytes), parser version and label."""
    digest = hashlib.sha256(f"{release.kind}:{release.parser_version}:{release.label}".encode())
    for path in sorted(release.files, key=lambda p: p.name):
        digest.update(path.name.lower().encode() + b"\0")
        with path.open("rb") as fh:
            while chunk := fh.read(1 << 20):
                digest.update(chunk)
    return digest.hexdigest()


def summary_counts(entities: Iterable[Entity]) -> dict[str, int]:
    counts: Counter[str] = Counter()
    for entity in entities:
        counts[f"schema:{entity.schema}"] += 1
        counts.update(f"names:{n.kind}" for n in entity.names)
        counts.update(f"ids:{i.kind}" for i in entity.identifiers)
    return dict(sorted(counts.items()))


def iter_releases(path: Path, kind: str | None) -> Iterator[tuple[Path, Parser]]:
    """(path, parser) for every release under ``path``.

    A file or a release folder is one release; any other folder is walked,
    skipping companion files and, with a warning, files of no known format
    (a file named on its own must be a list file).
    """
    if kind is not None:
        yield path, parser_for_kind(kind)
        return
    try:
        yield path, detect(path)
        return
    except UnknownFormatError:
        if not path.is_dir():
            raise
    for child in sorted(path.iterdir()):
        if child.name.startswith(".") or _is_companion(child.name):
            continue
        try:
            yield from iter_releases(child, None)
        except UnknownFormatError as exc:
            log.warning("skipped %s", exc.message)


def _is_companion(name: str) -> bool:
    name = name.lower()
    return name in COMPANIONS or ("comments" in name and name.endswith(".csv"))


def apply_delta(base: Iterable[Entity], release: ParsedList) -> list[Entity]:
    """The entities of ``base`` with the release's ADD/MOD/DEL operations applied."""
    current = {e.id: e for e in base}
    for op in release.delta or ():
        if op.op == "DEL":
            if current.pop(op.entity_id, None) is None:
                release.warnings.append(f"DEL of unknown entity {op.entity_id}")
        elif op.entity is not None:
            current[op.entity.id] = op.entity
    return [current[k] for k in sorted(current)]


def _check_sizes(path: Path, max_bytes: int) -> None:
    files = [p for p in path.rglob("*") if p.is_file()] if path.is_dir() else [path]
    for file in files:
        size = file.stat().st_size
        if size > max_bytes:
            raise ParseError(file, f"file is {size} bytes, over the limit of {max_bytes} "
                                   "(EMBARGO_MAX_FILE_BYTES)")


def _parse_one(path: Path, parser: Parser) -> list[tuple[Path, ParsedList]]:
    try:
        return [(path, r) for r in parser.parse(path)]
    except ParseError:
        raise
    except (ValueError, KeyError, IndexError, TypeError, AttributeError) as exc:
        raise ParseError(path, f"cannot be read as {parser.kind}: "
                               f"{type(exc).__name__}: {exc}") from exc


def parse_all(path: Path, kind: str | None) -> list[tuple[Path, ParsedList]]:
    """Every release under ``path`` with its own path, parsed fully (nothing is stored yet)."""
    return [item for job in iter_releases(path, kind) for item in _parse_one(*job)]


def _publication_date(release: ParsedList, published: date | None, origin: Path) -> date:
    if published is not None:
        return published
    if release.published is not None:
        return release.published
    found = date_in_path(origin)
    if found is not None:
        return found
    release.warnings.append("no publication date in the file or its name; using today "
                            "(pass --published YYYY-MM-DD)")
    return date.today()


def file_digests(release: ParsedList) -> dict[str, str]:
    """SHA-256 of each of the release's files, by name."""
    digests = {}
    for path in sorted(release.files, key=lambda p: p.name):
        digest = hashlib.sha256()
        with path.open("rb") as fh:
            while chunk := fh.read(1 << 20):
                digest.update(chunk)
        digests[path.name] = digest.hexdigest()
    return digests


def _unchanged(origin: Path, release: ParsedList, existing: Snapshot) -> ImportResult:
    return ImportResult(str(origin), release.source, release.kind, existing.published, False,
                        existing, existing.entity_count, release.declared_count,
                        release.warnings, held=existing.held)


def _entities(store: Store, release: ParsedList) -> list[Entity]:
    if release.delta is None:
        return release.entities
    base = store.latest_snapshot(release.source)
    if base is None:
        release.warnings.append("delta without an earlier snapshot; applied to an empty list")
    return apply_delta(store.iter_entities(base.id) if base else (), release)


def _hold(store: Store, release: ParsedList, when: date, entities: list[Entity],
          policy: HoldPolicy) -> str | None:
    before = store.latest_snapshot(release.source, when)
    incoming = Incoming(release.source, when, frozenset(e.id for e in entities),
                        release.declared_count)
    return hold_reason(incoming, store.latest_snapshot(release.source), before,
                       store.entity_ids(before.id) if before else None, policy)


def store_release(store: Store, release: ParsedList, when: date, origin: Path,
                  policy: HoldPolicy | None = None,
                  provenance: dict[str, Any] | None = None) -> ImportResult:
    """Write one parsed release as a snapshot (or find the identical one); maybe held."""
    policy = policy or HoldPolicy()
    digest = content_hash(release)
    existing = store.find_snapshot(release.source, digest)
    if existing is not None:
        return _unchanged(origin, release, existing)
    entities = _entities(store, release)
    if release.declared_count is not None and release.declared_count != len(entities):
        release.warnings.append(f"file declares {release.declared_count} entries, "
                                f"{len(entities)} read")
    held = _hold(store, release, when, entities, policy)
    record = dict(provenance or {}, files_sha256=file_digests(release))
    if "url" not in record:  # a download's temporary path says nothing; its URL does
        record["path"] = str(origin)
    try:
        snapshot = store.add_snapshot(
            source=release.source, kind=release.kind, published=when, content_hash=digest,
            parser_version=release.parser_version, entities=entities,
            counts=summary_counts(entities), label=release.label,
            files=tuple(f.name for f in release.files), held=held, provenance=record,
        )
    except DuplicateSnapshotError:  # the same file imported concurrently: stored once
        found = store.find_snapshot(release.source, digest)
        if found is None:
            raise
        return _unchanged(origin, release, found)
    for warning in release.warnings:
        log.warning("%s: %s", origin, warning)
    if held:
        log.warning("%s: snapshot #%d of %s held, not in force: %s", origin, snapshot.id,
                    release.source, held)
    return ImportResult(str(origin), release.source, release.kind, when, True, snapshot,
                        len(entities), release.declared_count, release.warnings, held=held)


def _dated(releases: list[tuple[Path, ParsedList]], path: Path, local: Path,
           published: date | None, policy: HoldPolicy) -> list[tuple[Path, ParsedList, date]]:
    """Each release with its user-facing path and publication date; future dates refused."""
    out = []
    for release_path, release in releases:
        origin = _origin(path, local, release_path)
        when = _publication_date(release, published, origin)
        check_not_future(when, date.today(), policy, explicit=published is not None,
                         origin=origin)
        out.append((origin, release, when))
    return out


def import_path(store: Store, path: Path, *, kind: str | None = None,
                published: date | None = None, max_bytes: int = 512 << 20,
                policy: HoldPolicy | None = None,
                provenance: dict[str, Any] | None = None) -> list[ImportResult]:
    """Import every release under ``path``; all are parsed and dated before any is stored."""
    policy = policy or HoldPolicy()
    if not path.exists():
        raise ParseError(path, "no such file or folder")
    _check_sizes(path, max_bytes)
    with unpacked(path, max_bytes) as local:
        try:
            releases = parse_all(local, kind)
        except ParseError as exc:
            if local != path:
                exc.message = exc.message.replace(str(local), str(path))
                exc.args = (exc.message,)
            raise
        if not releases:
            raise ParseError(path, "holds no list file Embargo can read")
        return [store_release(store, r, when, origin, policy, provenance)
                for origin, r, when in _dated(releases, path, local, published, policy)]


def _origin(path: Path, local: Path, release_path: Path) -> Path:
    """The user's own path for a release read from an unpacked mirror."""
    if local == path:
        return release_path
    if local == release_path:
        return path
    return path / release_path.relative_to(local)
