"""Which listed entries a transaction party is: by list id, identifier or name.

A :class:`ListView` holds the entities of the snapshots in force on one date.
A party given a list id (``ofac-sdn:36``) or a strong identifier (IMO, LEI,
SWIFT/BIC, INN, registration number ...) that a listed entity carries is that
entity. Otherwise its name is screened: an exact name match is certain; a
fuzzy hit at or above the screening threshold is a *possible* match, which
makes a prohibition a ``review``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any, Protocol

from embargo.linking import Links, link_entities
from embargo.matching import Prepared, prepare
from embargo.model.builder import EntityBuilder
from embargo.model.entity import Entity, IdKind, Schema
from embargo.regions.gazetteer import fold
from embargo.rules.transaction import Party
from embargo.store.store import Store
from embargo.store.types import Snapshot

log = logging.getLogger(__name__)

CERTAIN_SCORE = 0.95
RESOLVED_CACHE = 50_000  # parties remembered per view
KEY_CACHE = 400_000  # folded names and identifiers remembered (shared by the views)
QUERY_CACHE = 20_000  # analysed party queries remembered (shared by the views)
STRONG_IDS = frozenset({IdKind.IMO, IdKind.LEI, IdKind.SWIFT_BIC, IdKind.TAX_ID,
                        IdKind.REGISTRATION, IdKind.MMSI, IdKind.PASSPORT,
                        IdKind.NATIONAL_ID, IdKind.CRYPTO})


@dataclass(frozen=True, slots=True)
class ListedMatch:
    """A listed entity that a party is (``certain``) or may be."""

    entity: Entity
    snapshot: Snapshot | None
    method: str  # "list id", "identifier", "exact name", "name", "linked"
    score: float = 1.0
    certain: bool = True
    link: str | None = None  # for "linked": which entry it is the same party as, and why


class PartyResolver(Protocol):
    def resolve(self, party: Party) -> list[ListedMatch]:
        ...


Screen = Callable[[Entity | Prepared], list[tuple[Entity, float]]]


@lru_cache(maxsize=KEY_CACHE)
def id_key(value: str) -> str:
    return "".join(ch for ch in fold(value) if ch.isalnum())


@lru_cache(maxsize=KEY_CACHE)
def name_key(value: str) -> str:
    """The name folded for exact lookup (remembered: every pin's view folds the same names)."""
    return " ".join(fold(value).replace(",", " ").split())


class ListView:
    """The listed entities in force on a date, indexed for party resolution."""

    def __init__(self, members: Iterable[tuple[Entity, Snapshot | None]], day: date | None = None,
                 screen: Screen | None = None, threshold: float | None = None) -> None:
        self.day = day
        self.members = list(members)
        self.snapshots = {s.source: s for _, s in self.members if s is not None}
        self.sources = {e.source for e, _ in self.members}
        self._by_id = {e.id: (e, s) for e, s in self.members}
        self._by_ident: dict[str, list[tuple[Entity, Snapshot | None]]] = {}
        self._by_name: dict[str, list[tuple[Entity, Snapshot | None]]] = {}
        for entity, snap in self.members:
            for ident in entity.identifiers:
                if ident.kind in STRONG_IDS and len(id_key(ident.value)) >= 5:
                    self._by_ident.setdefault(id_key(ident.value), []).append((entity, snap))
            for name in {name_key(n.full) for n in entity.names}:
                self._by_name.setdefault(name, []).append((entity, snap))
        self._screen = screen
        self._threshold = threshold
        self._screener: Screen | None = None
        self._links: Links | None = None
        self._resolved: dict[tuple[object, ...], list[ListedMatch]] = {}
        self.not_in_force: dict[str, date] = {}
        """Lists the store holds whose first snapshot is later than ``day``: source -> date."""
        self.history: dict[str, list[Snapshot]] | None = None
        """Every snapshot the store holds of each list, oldest first (None: not known)."""
        self.memo: dict[str, Any] = {}
        """Results computed once per view (the engine's per-rule listed ids, ...)."""

    def entities(self) -> list[Entity]:
        return [e for e, _ in self.members]

    def get(self, entity_id: str) -> Entity | None:
        found = self._by_id.get(entity_id)
        return found[0] if found else None

    def links(self) -> Links:
        """Entries of different lists in this view that are the same party."""
        if self._links is None:
            # links join entries of different lists: a view of one list (a stale list's
            # next snapshot) has none, and need not compute every entry's linking keys
            one_list = len(self.sources) < 2
            self._links = Links() if one_list else link_entities(self.entities())
        return self._links

    def set_links(self, links: Links) -> None:
        """Links computed before (cached with the view's index)."""
        self._links = links

    def snapshot_of(self, entity: Entity) -> Snapshot | None:
        found = self._by_id.get(entity.id)
        return found[1] if found else None

    def resolve(self, party: Party) -> list[ListedMatch]:
        """Every entry of every list in force that the party is or may be (remembered per
        name, ids and schema, all the answer depends on: payment files name the same
        counterparties again, at other addresses and in other roles)."""
        key = (party.name, party.ids, party.schema)
        found = self._resolved.get(key)
        if found is None:
            if len(self._resolved) >= RESOLVED_CACHE:
                self._resolved.clear()
            found = self._resolved[key] = self._resolve(party)
        return found

    def _resolve(self, party: Party) -> list[ListedMatch]:
        """Every entry of every list in force that the party is or may be.

        A certain match on one list (id, identifier, exact name) does not stop the search
        of the others: lists without a certain match are screened by name, and the entries
        linked to a certain match (the same party on other lists) are added.
        """
        found = {m.entity.id: m for m in self._by_ids(party)}
        if party.name:
            for entity, snap in self._by_name.get(name_key(party.name), []):
                found.setdefault(entity.id, ListedMatch(entity, snap, "exact name"))
        certain = {m.entity.source for m in found.values() if m.certain}
        if party.name and self.sources - certain:
            for match in self._fuzzy(party):
                if match.entity.source not in certain:
                    found.setdefault(match.entity.id, match)
        return self._with_links(found)

    def _with_links(self, found: dict[str, ListedMatch]) -> list[ListedMatch]:
        for match in [m for m in found.values() if m.certain]:
            for link in self.links().linked(match.entity.id):
                known = found.get(link.other)
                entity = self.get(link.other)
                if entity is not None and (known is None or not known.certain):
                    found[link.other] = ListedMatch(entity, self.snapshot_of(entity), "linked",
                                                    link=link.describe(match.entity.id))
        return list(found.values())

    def _by_ids(self, party: Party) -> list[ListedMatch]:
        out: dict[str, ListedMatch] = {}
        for value in party.ids:
            if value in self._by_id:
                entity, snap = self._by_id[value]
                out.setdefault(entity.id, ListedMatch(entity, snap, "list id"))
            for key in _id_keys(value):
                for entity, snap in self._by_ident.get(key, []):
                    out.setdefault(entity.id, ListedMatch(entity, snap, "identifier"))
        return list(out.values())

    def _fuzzy(self, party: Party) -> list[ListedMatch]:
        screen = self._screen or self._default_screen()
        query = prepared_query(party)
        return [ListedMatch(entity, self.snapshot_of(entity), "name", score,
                            score >= CERTAIN_SCORE) for entity, score in screen(query)]

    def _default_screen(self) -> Screen:
        if self._screener is None:
            from embargo.matching.screen import Screener

            screener = Screener.from_entities(self.entities())
            threshold = self._threshold

            def run(query: Entity | Prepared) -> list[tuple[Entity, float]]:
                return [(h.entity, h.score) for h in screener.screen(query, threshold)]
            self._screener = run
        return self._screener


def _id_keys(value: str) -> set[str]:
    """The value, and its last word when labelled ("IMO 8674156", "INN 7707083893")."""
    keys = {id_key(value)}
    words = value.split()
    if len(words) > 1 and len(id_key(words[-1])) >= 5:
        keys.add(id_key(words[-1]))
    return keys


def query_entity(party: Party) -> Entity:
    """A query entity for screening a party's name: its name and schema only (the address is
    matched to regions, not screened; the role is not a property of the party), so that the
    answer can be remembered per name and schema."""
    schema = Schema(party.schema) if party.schema in set(Schema) else Schema.LEGAL_ENTITY
    b = EntityBuilder("query", "party", schema)
    if party.name:
        b.add_name(party.name)
    return b.build()


_QUERIES: dict[tuple[object, ...], Prepared] = {}


def prepared_query(party: Party) -> Prepared:
    """The party's query, analysed once for every view that screens it (the pin's view and the
    stale lists' changes screen the same party)."""
    key = (party.name, party.schema)
    found = _QUERIES.get(key)
    if found is None:
        if len(_QUERIES) >= QUERY_CACHE:
            _QUERIES.clear()
        found = _QUERIES[key] = prepare(query_entity(party))
    return found


def forget_caches() -> None:
    """Empty the process-wide caches (folded keys, analysed queries): a benchmark's runs in one
    process each start as a fresh process would."""
    name_key.cache_clear()
    id_key.cache_clear()
    _QUERIES.clear()


def view_from_store(store: Store, day: date | None, screen: Screen | None = None,
                    threshold: float | None = None) -> ListView:
    """The entities of every source's snapshot in force on ``day`` (None: the newest)."""
    members: list[tuple[Entity, Snapshot | None]] = []
    for snapshot in store.snapshots_as_of(day):
        members.extend((entity, snapshot) for entity in store.iter_entities(snapshot.id))
    log.debug("list view as of %s: %d entities", day, len(members))
    view = ListView(members, day, screen, threshold)
    describe_store(view, store.snapshots())
    return view


def describe_store(view: ListView, held: Iterable[Snapshot]) -> None:
    """Tell the view which lists the store holds only from later, and every list's history."""
    history: dict[str, list[Snapshot]] = {}
    for snapshot in held:
        history.setdefault(snapshot.source, []).append(snapshot)
        if snapshot.source not in view.snapshots:
            first = view.not_in_force.get(snapshot.source, snapshot.published)
            view.not_in_force[snapshot.source] = min(first, snapshot.published)
    view.history = {s: sorted(snaps, key=lambda x: (x.published, x.id))
                    for s, snaps in history.items()}
