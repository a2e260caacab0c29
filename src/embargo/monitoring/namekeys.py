"""Name keys for the entry side of a delta run: which customers could match a changed entry.

A delta run must find every customer that a full re-screen matches with an entry added or
changed in the lists, without a pass over every customer. This module gives the keys that
find them, computed once per customer version and kept in the store (``customer_keys``):

* :func:`query_keys`: every key a customer's query plan can look up in *any* candidate index
  (:meth:`embargo.matching.index.CandidateIndex.plan`): its tokens and joined runs, their
  phonetic and skeleton keys, its identifier keys, lone-word, number and acronym keys;
* :func:`term_probes`: the fuzzy probes of its terms, the token, run or skeleton and each of
  its one-deletions, as the index's deletion neighbourhood is probed. They are stored once
  per distinct term (``term_probes``), not per customer; each term is one of the keys.

A customer may meet a changed entry when one of its keys is a key of the entry, or is a term
that shares a probe with the typo neighbourhood of the entry's words (:func:`index_side`):
no key of the plan is ever left out. :func:`split_side` splits those keys into the ones that
seed candidates in the full list index and the common ones, which only boost; a delta run
(:mod:`embargo.monitoring.entries`) looks up the second kind only for the customers that have
no seeding key at all (no :func:`witness`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from embargo.matching import Prepared
from embargo.matching.index import analysis_fingerprint
from embargo.matching.index_keys import (
    FUZZY_MIN_LEN,
    SKELETON_FUZZY_MIN_LEN,
    WHOLE,
    KeyMaker,
    acronym_keys,
    deletes,
    id_keys,
    joins,
    lone_keys,
    name_tokens,
    number_keys,
    skeleton,
    token_keys,
    whole_keys,
)

KEYS_VERSION = "3"  # bump when the keys below change meaning: the stored keys are rebuilt
PROBE = "%"  # probes are stored beside keys under this prefix, which no index key starts with


def keys_fingerprint() -> str:
    """The name analysis's fingerprint and this module's version: stored keys depend on both."""
    digest = hashlib.sha256(f"{analysis_fingerprint()}|{KEYS_VERSION}".encode())
    return digest.hexdigest()[:32]


def _terms(prepared: Prepared) -> set[str]:
    """The query's tokens and joined runs, as the index's plan expands them."""
    terms: set[str] = set()
    for form in prepared.names:
        for variant in form.variants:
            terms.update(variant)
            terms.update("".join(run) for run in joins(variant))
    return terms


def query_keys(prepared: Prepared) -> set[str]:
    """Every exact key a query of this prepared entity may look up in a candidate index."""
    terms = _terms(prepared)
    keys = set(terms)
    for term in terms:
        keys.update(token_keys(term))
    keys.update(id_keys(prepared.entity))
    for form in prepared.names:
        keys.update(lone_keys(form))
        keys.update(whole_keys(form, True))
    keys.update(number_keys(prepared))
    keys.update(acronym_keys(prepared, True))
    keys.discard("")
    return keys


def term_probes(prepared: Prepared) -> dict[str, set[str]]:
    """Each fuzzy term of the query (a token or run, or ``^`` and its skeleton) -> its probes.

    Each term is itself among the query's keys (:func:`query_keys`), so a customer whose term
    shares a probe with the index is found through the term.
    """
    out: dict[str, set[str]] = {}
    for term in _terms(prepared):
        if len(term) >= FUZZY_MIN_LEN:
            out[term] = _probes(term, "")
        skel = skeleton(term)
        if len(skel) >= SKELETON_FUZZY_MIN_LEN:
            out["^" + skel] = _probes(skel, "^")
    return out


def _probes(word: str, prefix: str) -> set[str]:
    return {PROBE + prefix + probe for probe in (word, *deletes(word))}


@dataclass(frozen=True, slots=True)
class IndexSide:
    """Keys of entries in an index and the probes of their typo neighbourhood."""

    keys: frozenset[str]
    probes: frozenset[str]


def index_side(entries: list[Prepared]) -> IndexSide:
    """Every key of ``entries`` and the neighbourhood probes of their words and skeletons."""
    seeding, common = split_side(entries, lambda key: True)
    return IndexSide(seeding.keys | common.keys, seeding.probes | common.probes)


def split_side(entries: list[Prepared], seeds: Callable[[str], bool]) -> tuple[IndexSide,
                                                                                IndexSide]:
    """The keys and probes of ``entries`` that seed (``seeds(key)``), and the others.

    The probes are those of every word an entry is posted under (tokens and joined runs: a
    run is in a full index's typo vocabulary when another entity has it as a token) and of
    every long skeleton key, each on the side of the key that a fuzzy look-up would reach.
    """
    maker = KeyMaker()
    keys: set[str] = set()
    words: set[str] = set()
    for prepared in entries:
        keys |= maker.keys(prepared)
        tokens, joined = name_tokens(prepared)
        words |= tokens | joined
    keys.discard("")
    sides: tuple[tuple[set[str], set[str]], ...] = ((set(), set()), (set(), set()))
    for key in keys:
        sides[0 if seeds(key) else 1][0].add(key)
    for word in words:
        if len(word) >= FUZZY_MIN_LEN:
            sides[0 if seeds(word) else 1][1].update(_probes(word, ""))
    for key in keys:
        if key.startswith("^") and len(key) > SKELETON_FUZZY_MIN_LEN:
            sides[0 if seeds(key) else 1][1].update(_probes(key[1:], "^"))
    return (IndexSide(frozenset(sides[0][0]), frozenset(sides[0][1])),
            IndexSide(frozenset(sides[1][0]), frozenset(sides[1][1])))


def word_probes(entry: Prepared) -> dict[str, set[str]]:
    """Each word an entry is posted under that a typo look-up may reach (a token or joined
    run, or ``^`` and a long skeleton key) -> its probes (as :func:`split_side` makes them)."""
    tokens, joined = name_tokens(entry)
    out = {word: _probes(word, "") for word in tokens | joined if len(word) >= FUZZY_MIN_LEN}
    for word in tokens | joined:
        for key in token_keys(word):
            if key.startswith("^") and len(key) > SKELETON_FUZZY_MIN_LEN:
                out[key] = _probes(key[1:], "^")
    return out


def witness(keys: Iterable[str], df: Callable[[str], int], common: int) -> str | None:
    """The rarest of ``keys`` that seeds in an index (on 1 to ``common`` entities), if any.

    Every key of :func:`query_keys` that is on some entity is in the query's plan, so a
    customer with a witness has a seeding key: its search never falls back to its common
    keys alone (:func:`embargo.matching.postings.accumulate`).
    """
    best: tuple[int, str] | None = None
    for key in keys:
        if key.startswith(WHOLE):  # a whole-name key is looked up apart: it seeds no score
            continue
        count = df(key)
        if 1 <= count <= common and (best is None or (count, key) < best):
            best = (count, key)
    return None if best is None else best[1]
