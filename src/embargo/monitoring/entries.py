"""The entry side of a delta run: which customers a full re-screen could match with an entry
added or changed in the lists.

A full re-screen searches each customer in the list index
(:meth:`embargo.matching.index.CandidateIndex.search`). There, a key posted on more than
``index.common`` entities never seeds a candidate: it only adds to candidates found by rarer
keys, unless none of the customer's keys seeds anything, when the rarest common group seeds
(:func:`embargo.matching.postings.accumulate`). The family filter, the top-``limit`` cut and
the prefilter then only remove candidates. So a full re-screen can only propose a changed
entry E to a customer C when

* (A) C shares with E a key that seeds in the list index: an exact key, or a fuzzy one (a
  term of C one edit away from a word or long skeleton of E), or
* (B) no key of C seeds at all, and C shares a common key (exact or fuzzy) with E.

A is looked up in the customers' stored keys with the seeding keys and probes of the changed
entries only (:func:`embargo.monitoring.namekeys.split_side`). For B, each customer keeps a
*witness* (:func:`embargo.monitoring.namekeys.witness`): one of its keys that seeds in the
list index. A customer whose witness still seeds in the current index is not in B. The others
(no witness stored, or one the new index made common or dropped) get a witness from their
stored keys; those still without one are candidates for the changed entries they share a
common key or probe with (their search seeds from one of their common key groups). Every step
errs on the side of more candidates.

Each candidate comes with the changed entries it could be proposed. A hit is a proposed entry
that ``compare`` scores at or over the threshold, so a candidate that scores under it with
each of its entries has no hit, whatever the search proposes (:mod:`.entry_side`): only the
others are searched in the list index, exactly as a full re-screen searches them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from sqlalchemy import Connection

from embargo.errors import StoreError
from embargo.matching import Prepared
from embargo.matching.index import CandidateIndex
from embargo.matching.index_keys import FAMILY
from embargo.model.entity import Schema
from embargo.monitoring.namekeys import IndexSide, split_side, witness, word_probes
from embargo.store.customer_keys import (
    holders,
    keys_of,
    stored,
    terms_of_probes,
    unhashed,
    unwitnessed,
    witness_keys,
)

Witness = tuple[str, str, str | None]  # customer id, content hash, witness key (None: none)
_SCHEMAS = frozenset(str(s) for s in Schema)


def changed_numbers(index: CandidateIndex, changed: Mapping[str, str]) -> dict[int, str]:
    """The list index's numbers of the changed entries (number -> entity id)."""
    ids = ((n, index.entity(n).id) for n in range(len(index)))
    found = {n: eid for n, eid in ids if eid in changed}
    missing = set(changed) - set(found.values())
    if missing:
        raise StoreError(f"the list index lacks {len(missing)} changed entries (first: "
                         f"{min(missing)}): it does not match the snapshots in force")
    return found


def seeds(index: CandidateIndex, key: str) -> bool:
    """Whether a key is on 1 to ``common`` entities of the index (it seeds candidates)."""
    return 1 <= index.df(key) <= index.common


def candidates(conn: Connection, index: CandidateIndex, entries: list[Prepared],
               skip: set[str]) -> tuple[dict[str, set[int]], list[Witness]]:
    """Customers (not in ``skip``; removed ones too) a full re-screen could match with one of
    ``entries``, each with the positions (in ``entries``) of the entries it could be proposed
    (before :func:`compatible`), and the witnesses found on the way (to store)."""
    posted, probed, common = _seeding(index, entries)
    for probe, term in terms_of_probes(conn, probed):
        for number, word in probed[probe]:
            if _near(term, word):
                posted.setdefault(term, set()).add(number)
    links: dict[str, set[int]] = {}
    for key, cid in holders(conn, posted):
        if cid not in skip:
            links.setdefault(cid, set()).update(posted[key])
    fallback, fresh = _fallback(conn, index, common, skip)
    for cid, found in fallback.items():
        links.setdefault(cid, set()).update(found)
    return links, fresh


def compatible(entries: list[Prepared]) -> Callable[[str | None], frozenset[int]]:
    """For a customer's schema, the positions of the ``entries`` of a schema its search may
    propose (an unknown customer schema: all of them)."""
    every = frozenset(range(len(entries)))
    known: dict[str | None, frozenset[int]] = {}

    def allowed(schema: str | None) -> frozenset[int]:
        found = known.get(schema)
        if found is None:
            family = FAMILY.get(Schema(schema)) if schema in _SCHEMAS else None
            found = known[schema] = every if family is None else frozenset(
                n for n in every if entries[n].entity.schema in family)
        return found

    return allowed


def _near(term: str, word: str) -> bool:
    """Whether a customer's term that shares a probe with an entry's word (or skeleton) may be
    one of its typo neighbours: at most one letter longer or shorter (a long term stored
    hashed, whose length is unknown, may)."""
    return abs(len(term) - len(word)) <= 1 or not unhashed(term)


def _seeding(index: CandidateIndex, entries: list[Prepared]) -> tuple[
        dict[str, set[int]], dict[str, set[tuple[int, str]]], list[IndexSide]]:
    """The entries' seeding keys (stored forms) -> the entries that have them; their seeding
    probes -> (entry, word or ``^`` skeleton probed); each entry's side of its common keys
    and probes."""
    posted: dict[str, set[int]] = {}
    probed: dict[str, set[tuple[int, str]]] = {}
    commons: list[IndexSide] = []
    for number, entry in enumerate(entries):
        seeding, common = split_side([entry], lambda key: index.df(key) <= index.common)
        for key in seeding.keys:
            posted.setdefault(stored(key), set()).add(number)
        for word, found in word_probes(entry).items():
            if index.df(word) <= index.common:
                for probe in found:
                    probed.setdefault(stored(probe), set()).add((number, word))
        commons.append(common)
    return posted, probed, commons


def _fallback(conn: Connection, index: CandidateIndex, commons: list[IndexSide],
              skip: set[str]) -> tuple[dict[str, set[int]], list[Witness]]:
    """The customers that may have no seeding key, each with the entries it shares a common
    key or probe with: with no seeding key, a search seeds from its rarest common key group
    (the key, its phonetic and skeleton keys and typo neighbours), so those are the entries
    it may be proposed.

    Those whose stored witness still seeds are not: each distinct witness key is checked once
    against the index, and only the customers with no witness or a stale one are read."""
    stale = {key for key in witness_keys(conn) if not seeds(index, key)}
    unproven = {cid: digest for cid, digest in unwitnessed(conn, stale) if cid not in skip}
    if not unproven:
        return {}, []
    keys = keys_of(conn, unproven)
    fresh: list[Witness] = []
    out: dict[str, set[int]] = {}
    shared: dict[str, set[int]] | None = None
    for cid, digest in sorted(unproven.items()):
        mine = keys.get(cid, set())
        key = witness((k for k in mine if unhashed(k)), index.df, index.common)
        fresh.append((cid, digest, key))
        if key is None:
            shared = _shared(conn, commons) if shared is None else shared
            found = set().union(*(shared[k] for k in mine if k in shared))
            if found:
                out[cid] = found
    return out, fresh


def _shared(conn: Connection, commons: list[IndexSide]) -> dict[str, set[int]]:
    """Each stored key or customer term that shares a common key or probe with an entry ->
    those entries."""
    out: dict[str, set[int]] = {}
    by_probe: dict[str, set[int]] = {}
    for number, common in enumerate(commons):
        for key in common.keys:
            out.setdefault(stored(key), set()).add(number)
        for probe in common.probes:
            by_probe.setdefault(stored(probe), set()).add(number)
    for probe, term in terms_of_probes(conn, by_probe):
        out.setdefault(term, set()).update(by_probe[probe])
    return out
