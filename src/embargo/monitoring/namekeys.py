"""Name keys for the entry side of a delta run: which customers could match a changed entry.

A delta run must find every customer that a full re-screen matches with an entry added or
changed in the lists. :func:`embargo.monitoring.run.changed_hits` finds them exactly by
searching each prepared customer against a small index of the changed entries, where nothing
is cut; that costs a pass over every customer. This module gives the same answer from keys
computed once per customer version and kept in the store (``customer_keys``):

* :func:`query_keys`: every key a customer's query plan can look up in *any* candidate index
  (:meth:`embargo.matching.index.CandidateIndex.plan`): its tokens and joined runs, their
  phonetic and skeleton keys, its identifier keys and lone-word keys;
* :func:`term_probes`: the fuzzy probes of its terms, the token, run or skeleton and each of
  its one-deletions, as the index's deletion neighbourhood is probed. They are stored once
  per distinct term (``term_probes``), not per customer; each term is one of the keys.

A customer is a candidate for the changed entries when one of its keys is a key of the small
index of the changes, or is a term that shares a probe with that index's neighbourhood
(:func:`index_side`). That is a superset of the customers whose search in the small index
finds anything, so of those :func:`changed_hits` keeps: no key of the plan is ever left out,
and no common-key cut applies. The candidates are then scored against the small index as
``changed_hits`` does.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from embargo.matching import Prepared
from embargo.matching.index import analysis_fingerprint
from embargo.matching.index_keys import (
    FUZZY_MIN_LEN,
    SKELETON_FUZZY_MIN_LEN,
    KeyMaker,
    build_neighbours,
    deletes,
    id_keys,
    joins,
    lone_keys,
    skeleton,
    token_keys,
)

KEYS_VERSION = "1"  # bump when the keys below change meaning: the stored keys are rebuilt
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
    """The keys of a small index of entries and the probes of its deletion neighbourhood."""

    keys: frozenset[str]
    probes: frozenset[str]


def index_side(entries: list[Prepared]) -> IndexSide:
    """Keys and neighbourhood probes of an index of ``entries`` (as the index posts them)."""
    maker = KeyMaker()
    keys: set[str] = set()
    for prepared in entries:
        keys |= maker.keys(prepared)
    keys.discard("")
    probes = frozenset(PROBE + probe for probe in build_neighbours(maker.vocabulary))
    return IndexSide(frozenset(keys), probes)
