"""The delta's candidates hold every changed entry the full list index retrieves for a customer.

A full re-screen proposes a customer only entities its search in the list index scores; the
delta (:func:`embargo.monitoring.entries.candidates`) must link each customer to every
changed entry that search scores, before any cut (family, top-``limit``, prefilter): here the
search is asked for every entity it scores. Checked on a real SDN change, and on lists made
of a few words, where most keys are common (they only boost) and customers named with common
words alone fall back to seeding from them; with and without stored witnesses, and with
witnesses that the new list made stale.
"""

from __future__ import annotations

import random
from pathlib import Path

import orjson
import pytest

from embargo.customers.importer import import_customers
from embargo.ingest.importer import import_path
from embargo.matching import Prepared, prepare
from embargo.matching.index import CandidateIndex
from embargo.model.builder import EntityBuilder
from embargo.model.codec import content_hash
from embargo.model.entity import Entity, Schema
from embargo.monitoring.entries import candidates, changed_numbers
from embargo.monitoring.namekeys import query_keys, witness
from embargo.monitoring.synthetic import customers
from embargo.settings import load_settings
from embargo.store import Store
from embargo.store.customer_keys import write_witnesses
from embargo.store.customers import CustomerStore

HISTORY = load_settings().shared / "data" / "lists" / "ofac-sdn" / "history"


def _entity(source: str, number: int, name: str, schema: Schema = Schema.PERSON) -> Entity:
    b = EntityBuilder(source, f"e{number}", schema)
    b.add_name(name)
    return b.build()


def _import(store: Store, rows: list[dict[str, object]]) -> None:
    import_customers(store, b"".join(orjson.dumps(r) + b"\n" for r in rows), "c.jsonl")


def _retrieved(index: CandidateIndex, prepared: Prepared, numbers: dict[int, str]) -> set[int]:
    """The changed entries the full index's search scores for the customer, nothing cut."""
    return {n for n, _ in index.search(prepared, len(index)) if n in numbers}


def _check(store: Store, index: CandidateIndex, changed: set[str]) -> dict[str, set[int]]:
    """Every changed entry the search scores is linked; returns the links."""
    numbers = changed_numbers(index, dict.fromkeys(changed, ""))
    order = list(numbers)
    entries = [index.prepared(n) for n in order]
    with store.engine.connect() as conn:
        links, fresh = candidates(conn, index, entries, set())
    for customer in CustomerStore(store.engine).iter():
        want = {order.index(n) for n in _retrieved(index, prepare(customer.entity), numbers)}
        assert want <= links.get(customer.id, set()), (customer.id, customer.entity.caption)
    with store.engine.begin() as conn:
        write_witnesses(conn, fresh)
    return links


def _witnesses(store: Store, index: CandidateIndex) -> None:
    """Store each customer's most common key as its witness, as an older list could have
    left it (a witness is one of the customer's keys; the delta checks it, not trusts it)."""
    found = [(c.id, c.content_hash, max(query_keys(prepare(c.entity)), key=index.df))
             for c in CustomerStore(store.engine).iter()]
    with store.engine.begin() as conn:
        write_witnesses(conn, found)


@pytest.mark.skipif(not (HISTORY / "sdn_2021-08-20.csv").is_file(), reason="no SDN history")
def test_real_sdn_change(tmp_path: Path) -> None:
    with Store.open(f"sqlite:///{tmp_path / 'e.db'}") as store:
        (old,) = import_path(store, HISTORY / "sdn_2021-08-18.csv")
        (new,) = import_path(store, HISTORY / "sdn_2021-08-20.csv")
        before = {e.id: content_hash(e) for e in store.iter_entities(old.snapshot.id)}
        now = list(store.iter_entities(new.snapshot.id))
        changed = {e.id for e in now if before.get(e.id) != content_hash(e)}
        listed = [e for e in now if e.id in changed] + now[::60]
        _import(store, list(customers(1500, listed, len(listed))))
        index = CandidateIndex.build(now)
        first = _check(store, index, changed)  # no witnesses: each made from the keys
        again = _check(store, index, changed)  # with the witnesses just stored
        assert first == again
        assert 0 < len(first) < 1500 // 2  # common keys do not link everyone


WORDS = ("mohammed", "ali", "hassan", "ahmad", "trading", "company", "al", "rahman",
         "abdul", "bank")


def _names(rng: random.Random, count: int, rare: str) -> list[str]:
    out = []
    for i in range(count):
        words = rng.sample(WORDS, rng.randint(1, 3))
        if rng.random() < 0.3:
            words.append(f"{rare}{chr(97 + i % 26)}{chr(97 + i // 26 % 26)}")
        if rng.random() < 0.2:  # a typo
            word = rng.randrange(len(words))
            words[word] = words[word][:-1] if len(words[word]) > 4 else words[word]
        out.append(" ".join(words))
    return out


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_lists_of_common_words_and_the_fallback(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    names = _names(rng, 400, "zq")
    entities = [_entity("words", i, n, rng.choice([Schema.PERSON, Schema.COMPANY]))
                for i, n in enumerate(names)]
    index = CandidateIndex.build(entities)
    assert any(index.df(w) > index.common for w in WORDS)  # common keys exist
    changed = {e.id for e in rng.sample(entities, 25)}
    rows: list[dict[str, object]] = [
        {"id": f"c{i}", "schema": rng.choice(["Person", "Company"]), "name": n}
        for i, n in enumerate(_names(rng, 150, "xv"))]
    with Store.open(f"sqlite:///{tmp_path / 'e.db'}") as store:
        _import(store, rows)
        _witnesses(store, index)  # mostly common: proving nothing, to be replaced
        links = _check(store, index, changed)
        _check(store, index, changed)
        bare = {c.id for c in CustomerStore(store.engine).iter()
                if witness(query_keys(prepare(c.entity)), index.df, index.common) is None}
    assert bare & set(links)  # customers with no seeding key, linked through common keys


def test_a_witness_made_common_by_the_new_list_is_not_trusted(tmp_path: Path) -> None:
    entities = [_entity("words", i, f"mohammed ali {w}") for i, w in
                enumerate(f"q{a}{b}" for a in "abcdefghij" for b in "abcdefghij")]
    entities.append(_entity("words", 999, "ali hassan"))
    index = CandidateIndex.build(entities)
    assert index.df("ali") > index.common
    with Store.open(f"sqlite:///{tmp_path / 'e.db'}") as store:
        _import(store, [{"id": "c1", "schema": "Person", "name": "Ali Mohammed"}])
        _witnesses(store, index)  # ali: seeded in some older list, common in this one
        links = _check(store, index, {entities[-1].id})
    assert links == {"c1": frozenset({0})}  # no seeding key: linked through the common ali
