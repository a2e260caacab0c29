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
stored keys; those still without one are candidates when they share any common key or probe
with the changed entries. Every step errs on the side of more candidates: the candidates are
then screened against the list index exactly as a full re-screen screens them.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import Connection

from embargo.errors import StoreError
from embargo.matching import Prepared
from embargo.matching.index import CandidateIndex
from embargo.monitoring.namekeys import IndexSide, split_side, witness
from embargo.store.customer_keys import (
    active_witnesses,
    customers_with,
    keys_of,
    stored,
    terms_probed_by,
    unhashed,
)

Witness = tuple[str, str, str | None]  # customer id, content hash, witness key (None: none)


def changed_numbers(index: CandidateIndex, changed: Mapping[str, str]) -> dict[int, str]:
    """The list index's numbers of the changed entries (number -> entity id)."""
    found = {n: index.entity(n).id for n in range(len(index)) if index.entity(n).id in changed}
    missing = set(changed) - set(found.values())
    if missing:
        raise StoreError(f"the list index lacks {len(missing)} changed entries (first: "
                         f"{min(missing)}): it does not match the snapshots in force")
    return found


def seeds(index: CandidateIndex, key: str) -> bool:
    """Whether a key is on 1 to ``common`` entities of the index (it seeds candidates)."""
    return 1 <= index.df(key) <= index.common


def candidates(conn: Connection, index: CandidateIndex, entries: list[Prepared],
               skip: set[str]) -> tuple[set[str], list[Witness]]:
    """Customers (not in ``skip``) a full re-screen could match with one of ``entries``, and
    the witnesses found on the way (to store)."""
    seeding, common = split_side(entries, lambda key: index.df(key) <= index.common)
    found = customers_with(conn, seeding.keys | terms_probed_by(conn, seeding.probes)) - skip
    fallback, fresh = _fallback(conn, index, common, skip | found)
    return found | fallback, fresh


def _fallback(conn: Connection, index: CandidateIndex, common: IndexSide,
              skip: set[str]) -> tuple[set[str], list[Witness]]:
    """The customers that may have no seeding key and share a common key with the entries."""
    unproven = {cid: digest for cid, digest, key in active_witnesses(conn)
                if cid not in skip and not (key is not None and seeds(index, key))}
    if not unproven:
        return set(), []
    keys = keys_of(conn, unproven)
    fresh: list[Witness] = []
    out: set[str] = set()
    shared: set[str] | None = None
    for cid, digest in sorted(unproven.items()):
        mine = keys.get(cid, set())
        key = witness((k for k in mine if unhashed(k)), index.df, index.common)
        fresh.append((cid, digest, key))
        if key is None:
            if shared is None:
                shared = {stored(k) for k in common.keys} | terms_probed_by(conn, common.probes)
            if mine & shared:
                out.add(cid)
    return out, fresh
