"""The stored name keys find every customer the exhaustive pass over the customers finds.

``changed_hits`` searches every prepared customer against a small index of the entries
(nothing cut); the keys must find a superset of the customers that search finds
anything for (so, of those reaching any threshold), on real SDN entries and on random names.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from embargo.ingest.importer import import_path
from embargo.matching import Prepared, prepare
from embargo.matching.index_keys import acronym_keys
from embargo.matching.screen import Screener
from embargo.model.builder import EntityBuilder
from embargo.model.codec import content_hash
from embargo.model.entity import Entity, Schema
from embargo.monitoring.namekeys import IndexSide, index_side, query_keys, term_probes
from embargo.monitoring.synthetic import customers
from embargo.settings import load_settings
from embargo.store import Store
from embargo.store.customer_keys import stored

HISTORY = load_settings().shared / "data" / "lists" / "ofac-sdn" / "history"


def changed_index(entities: list[Entity]) -> Screener:
    """A screener over the entries in which nothing is cut (every candidate compared)."""
    return Screener.from_entities(entities, candidates=max(1, len(entities)), coverage=0.0)


def changed_hits(small: Screener, people: list[Prepared], threshold: float) -> set[str]:
    """The customers scoring at or over ``threshold`` with an entry of the small index."""
    return {p.entity.native_id for p in people
            if any(hit.score >= threshold for hit in small.scored(p))}


def found_by_keys(people: list[Prepared], side: IndexSide) -> set[str]:
    """The customers the stored keys would find (as the store lookups do, in memory)."""
    keys = {stored(k) for k in side.keys}
    probes = {stored(p) for p in side.probes}
    out = set()
    for person in people:
        terms = {stored(t) for t, found in term_probes(person).items()
                 if {stored(p) for p in found} & probes}
        if ({stored(k) for k in query_keys(person)} | terms) & (keys | terms):
            out.add(person.entity.native_id)
    return out


def found_by_search(people: list[Prepared], entries: list[Entity]) -> set[str]:
    """Customers whose search in the small index of the entries proposes any entry at all."""
    small = changed_index(entries)
    return {p.entity.native_id for p in people if small.index.search(p, len(entries))}


def _person(number: int, name: str, schema: Schema = Schema.PERSON) -> Entity:
    b = EntityBuilder("customers", f"c{number}", schema)
    b.add_name(name)
    return b.build()


def _check(people: list[Prepared], entries: list[Entity]) -> set[str]:
    side = index_side([prepare(e) for e in entries])
    keyed = found_by_keys(people, side)
    searched = found_by_search(people, entries)
    assert searched <= keyed, sorted(searched - keyed)
    assert changed_hits(changed_index(entries), people, 0.5) <= keyed
    return keyed


@pytest.mark.skipif(not (HISTORY / "sdn_2021-08-20.csv").is_file(), reason="no SDN history")
def test_keys_find_every_customer_the_search_finds_on_a_real_sdn_change(
        tmp_path: Path) -> None:
    with Store.open(f"sqlite:///{tmp_path / 'e.db'}") as store:
        (old,) = import_path(store, HISTORY / "sdn_2021-08-18.csv")
        (new,) = import_path(store, HISTORY / "sdn_2021-08-20.csv")
        before = {e.id: content_hash(e) for e in store.iter_entities(old.snapshot.id)}
        now = list(store.iter_entities(new.snapshot.id))
    changed = [e for e in now if before.get(e.id) != content_hash(e)]
    assert changed
    listed = changed + now[::40]
    rows = list(customers(3000, listed, len(listed)))
    people = [prepare(_from_row(r)) for r in rows]
    keyed = _check(people, changed + now[::400])
    assert len(keyed) < len(people)  # the keys do narrow it down


def _from_row(row: dict[str, object]) -> Entity:
    from embargo.customers.io import parse_records

    (parsed,) = parse_records([row])
    assert parsed.entity is not None
    return parsed.entity


WORDS = st.text(alphabet="abcdeiklmnorstuvyz", min_size=1, max_size=9)
NAMES = st.lists(WORDS, min_size=1, max_size=4).map(" ".join)


@settings(max_examples=60, deadline=None)
@given(st.lists(NAMES, min_size=1, max_size=12), st.lists(NAMES, min_size=1, max_size=4),
       st.booleans())
def test_keys_find_every_customer_the_search_finds_on_random_names(
        names: list[str], listed: list[str], companies: bool) -> None:
    schema = Schema.COMPANY if companies else Schema.PERSON
    people = [prepare(_person(i, n, schema)) for i, n in enumerate(names)]
    entries = [_person(100 + i, n, schema) for i, n in enumerate(listed)]
    _check(people, entries)


@pytest.mark.parametrize(("listed", "customer", "found"), [
    ("Aleksandr Bortnikov", "Alexandr Bortnikow", True),
    ("Bortnikov", "Bortikov", True),  # shares no exact key: found through the probes only
    ("Sergei Chemezov", "Sergei Chemezpv", True),
    ("Viktor Vekselberg", "Victor Vekelberg", True),
    ("Aleksandr Bortnikov", "Maria Rossi", False),
])
def test_spelling_variants_are_found_unrelated_names_are_not(
        listed: str, customer: str, found: bool) -> None:
    entries = [_person(1, listed)]
    person = prepare(_person(2, customer))
    assert _check([person], entries) == ({"c2"} if found else set())
    assert found_by_search([person], entries) == ({"c2"} if found else set())


def test_the_probes_are_what_finds_a_one_letter_gap() -> None:
    side = index_side([prepare(_person(1, "Bortnikov"))])
    person = prepare(_person(2, "Bortikov"))
    assert not {stored(k) for k in query_keys(person)} & {stored(k) for k in side.keys}
    assert found_by_keys([person], side) == {"c2"}


@pytest.mark.parametrize(("listed", "customer"), [
    ("Islamic Revolutionary Guard Corps", "IRGC"),  # the query's one word as initials: @irgc
    ("IRGC", "Islamic Revolutionary Guard Corps"),  # the query's initials as a plain token
])
def test_acronym_keys_are_query_keys(listed: str, customer: str) -> None:
    entries = [_person(1, listed, Schema.ORGANIZATION)]
    person = prepare(_person(2, customer, Schema.ORGANIZATION))
    side = index_side([prepare(e) for e in entries])
    assert query_keys(person) & side.keys & acronym_keys(person, True)
    assert found_by_search([person], entries) == {"c2"}
    assert found_by_keys([person], side) == {"c2"}
