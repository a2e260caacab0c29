"""yente's result filters for ``/match``: excluded entries, schemata, topics, changed since.

* ``exclude_entity_ids`` drops those entries and every entry the lists say is the same party
  (see :class:`PartyGroups`), so a whitelisted false positive stays cleared on every list.
* ``exclude_schema`` drops entries of those schemata (exact names, as yente does).
* ``topics`` keeps entries with any of the topics; entries whose topics cannot be derived are
  kept and named in a warning (never dropped unseen).
* ``changed_since`` keeps entries added or changed in a snapshot published on or after the
  date (:mod:`embargo.store.changes`).

Filters apply to the scored candidates, before ``limit``.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Generic, TypeVar

from followthemoney import model as ftm_model

from embargo.errors import UsageError
from embargo.linking import link_entities
from embargo.matching.screen import Hit, Screener
from embargo.model import Entity
from embargo.model.ftm_export import ftm_id
from embargo.service.holder import Loaded
from embargo.service.topics import check_topics, entity_topics
from embargo.store import Store
from embargo.store.changes import changed_since

# notes that name the UN Security Council entry an entry implements (EU, UK FCDO)
UN_REFERENCE_NOTES = frozenset({"UN reference", "UN reference number"})
# link relations that say two entries are the same party (cross-list links)
SAME_PARTY = frozenset({"same_as", "sameAs"})
CACHED = 4
FILTERED_CANDIDATES = 200  # candidates scored when results are filtered (else 50)
_DAY = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$")
K = TypeVar("K")
V = TypeVar("V")


@dataclass(frozen=True, slots=True)
class MatchFilters:
    exclude_ids: frozenset[str] = frozenset()
    exclude_schema: frozenset[str] = frozenset()
    topics: frozenset[str] = frozenset()
    changed: frozenset[str] | None = None  # None: no changed_since filter

    def keep(self, entity: Entity, topics: Sequence[str]) -> bool:
        if entity.id in self.exclude_ids or str(entity.schema) in self.exclude_schema:
            return False
        if self.changed is not None and entity.id not in self.changed:
            return False
        return not (self.topics and topics and not self.topics.intersection(topics))


NO_FILTERS = MatchFilters()


def apply_filters(hits: list[Hit], filters: MatchFilters) -> tuple[list[Hit], list[str]]:
    """The hits the filters keep, and warnings about hits kept without known topics."""
    if filters == NO_FILTERS:
        return hits, []
    kept, untopical = [], []
    for hit in hits:
        topics = entity_topics(hit.entity) if filters.topics else []
        if filters.keep(hit.entity, topics):
            kept.append(hit)
            if filters.topics and not topics:
                untopical.append(hit.entity.id)
    warnings = []
    if untopical:
        warnings.append(f"topics filter: kept {', '.join(untopical)} (no topics could be "
                        "derived from their programmes or lists)")
    return kept, warnings


@dataclass(frozen=True, slots=True)
class SearchFilters:
    """yente's ``/search`` filters: topics (any), countries (any), datasets, target."""

    topics: frozenset[str] = frozenset()
    countries: frozenset[str] = frozenset()
    datasets: frozenset[str] = frozenset()
    target: bool | None = None  # every listed entry is a target: False keeps none

    def keep(self, entity: Entity) -> bool:
        if self.target is False or (self.datasets and entity.source not in self.datasets):
            return False
        if self.countries and not self.countries & entity_countries(entity):
            return False
        topics = entity_topics(entity) if self.topics else []
        return not (topics and not self.topics.intersection(topics))

    def as_dict(self) -> dict[str, Any]:
        return {"topics": sorted(self.topics), "countries": sorted(self.countries),
                "datasets": sorted(self.datasets), "target": self.target}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SearchFilters:
        return cls(frozenset(data.get("topics", ())), frozenset(data.get("countries", ())),
                   frozenset(data.get("datasets", ())), data.get("target"))


NO_SEARCH_FILTERS = SearchFilters()


def entity_countries(entity: Entity) -> frozenset[str]:
    codes = (*entity.nationalities, *entity.citizenships, *entity.countries,
             *(a.country for a in entity.addresses if a.country))
    return frozenset(c.lower() for c in codes)


def search_filters(topics: Iterable[str], countries: Iterable[str], datasets: Iterable[str],
                   target: bool | None) -> SearchFilters:
    return SearchFilters(check_topics(topics),
                         frozenset(c.strip().lower() for c in countries if c.strip()),
                         frozenset(d for d in datasets if d), target)


def widened(screener: Screener) -> Screener:
    """The screener scoring ``FILTERED_CANDIDATES`` candidates: filters apply after scoring
    (the index cannot filter), so a filtered query looks further down the candidates."""
    return Screener(screener.index, max(screener.candidates, FILTERED_CANDIDATES),
                    screener.coverage)


# --- parameters --------------------------------------------------------------------------

def parse_since(text: str | None) -> date | None:
    """yente's ``changed_since`` (a date or a timestamp): its date."""
    if text is None or not text.strip():
        return None
    found = _DAY.match(text.strip())
    try:
        if found is None:
            raise ValueError(text)
        return date.fromisoformat(found.group(1))
    except ValueError:
        raise UsageError(f"changed_since must be a date or timestamp (YYYY-MM-DD"
                         f"[THH:MM:SS]), not {text!r}", changed_since=text) from None


def check_schemata(names: Iterable[str]) -> frozenset[str]:
    """``exclude_schema`` names, each a FollowTheMoney schema (UsageError if not)."""
    chosen = frozenset(n.strip() for n in names if n.strip())
    unknown = sorted(n for n in chosen if ftm_model.get(n) is None)
    if unknown:
        raise UsageError(f"unknown schema(s) {', '.join(unknown)} in exclude_schema",
                         exclude_schema=unknown)
    return chosen


# --- per-index caches --------------------------------------------------------------------

class _Cache(Generic[K, V]):
    """A few values per key, computed once (per worker process)."""

    def __init__(self, size: int = CACHED) -> None:
        self.size = size
        self._items: dict[K, V] = {}
        self._lock = threading.Lock()

    def get(self, key: K, make: Callable[[], V]) -> V:
        with self._lock:
            if key in self._items:
                return self._items[key]
        value = make()
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.size:
                del self._items[next(iter(self._items))]
        return value


class PartyGroups:
    """Entries of different lists that are the same party, by what the lists say.

    Keys: an entry's own id (also in FtM's form, ``ofac-sdn-36``); ``un:<reference>`` for
    the UN entry an EU or UK entry names (and for the UN entry itself); the target of a
    ``same_as`` link. Entries sharing a key, directly or through others, are one party; so
    are entries that :mod:`embargo.linking` links across lists (OFAC entry numbers, UN
    reference numbers in OFAC remarks, shared identifiers, names with birth dates), the
    links the rules engine uses.
    """

    def __init__(self, entities: Iterable[Entity]) -> None:
        self.keys: dict[str, set[str]] = {}
        self.ids: dict[str, set[str]] = {}
        listed = list(entities)
        self.links = link_entities(listed)
        for entity in listed:
            for key in party_keys(entity):
                self.keys.setdefault(entity.id, set()).add(key)
                self.ids.setdefault(key, set()).add(entity.id)

    def expand(self, ids: Iterable[str]) -> frozenset[str]:
        """The ids given plus every entry linked to them as the same party."""
        found = set(ids)
        todo = [k for i in found for k in (i.lower(), *self.keys.get(i, ()))]
        seen: set[str] = set()
        while todo:
            key = todo.pop()
            if key in seen:
                continue
            seen.add(key)
            for entity_id in self.ids.get(key, ()):
                found.add(entity_id)
                todo.extend(self.keys.get(entity_id, ()))
        for entity_id in list(found):
            found |= self.links.group(entity_id)
        return frozenset(found)


def party_keys(entity: Entity) -> set[str]:
    keys = {entity.id.lower(), ftm_id(entity.id).lower()}  # either form of the id
    keys.update(f"un:{n.value.strip().lower()}" for n in entity.notes
                if n.label in UN_REFERENCE_NOTES)
    keys.update(link.target_id.lower() for link in entity.links
                if link.relation in SAME_PARTY and link.target_id)
    return keys


def _entities(loaded: Loaded) -> Iterable[Entity]:
    index = loaded.screener.index
    return (index.entity(number) for number in range(len(index)))


_groups: _Cache[tuple[int, ...], PartyGroups] = _Cache()
_changed: _Cache[tuple[tuple[int, ...], date], frozenset[str]] = _Cache()


def party_groups(loaded: Loaded) -> PartyGroups:
    return _groups.get(loaded.snapshot_ids, lambda: PartyGroups(_entities(loaded)))


def changed_entries(store: Store, loaded: Loaded, day: date) -> frozenset[str]:
    return _changed.get((loaded.snapshot_ids, day),
                        lambda: changed_since(store, loaded.snapshots, day))


def match_filters(store: Store, loaded: Loaded, exclude_ids: Iterable[str],
                  exclude_schema: Iterable[str], topics: Iterable[str],
                  since: date | None) -> MatchFilters:
    """The filters of one ``/match`` request over this index (reads the store for
    ``changed_since``)."""
    ids = frozenset(i.strip() for i in exclude_ids if i.strip())
    return MatchFilters(
        exclude_ids=party_groups(loaded).expand(ids) if ids else frozenset(),
        exclude_schema=check_schemata(exclude_schema), topics=check_topics(topics),
        changed=None if since is None else changed_entries(store, loaded, since))
