"""The entry side of a delta run: the hits of the entries added or changed in the lists on the
customers, as a full re-screen of every customer would find them.

1. The customers a full re-screen could propose a changed entry are found in their stored
   name keys (:func:`embargo.monitoring.entries.candidates`), each with the entries it could
   be proposed, and read (their stored forms only, a thousand per query).
2. A hit is a proposed entry that ``compare`` scores at or over the threshold; a customer
   whose score cannot reach it with any of its entries (:class:`.reach.Reach`: the score of
   its names, once per distinct names, plus what its evidence could add) has no hit.
3. The few others are compared for real, and those reaching the threshold are searched in
   the list index exactly as a full re-screen searches them; their hits on changed entries
   are kept.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Protocol

from sqlalchemy import Engine

from embargo.alerts.types import PairHit
from embargo.matching import Prepared, compare, prepare
from embargo.matching.screen import Hit
from embargo.monitoring.entries import Witness, candidates, changed_numbers, compatible
from embargo.monitoring.pairs import RunLists, Timings, pair
from embargo.monitoring.reach import Reach
from embargo.store.customers import Customer, CustomerStore
from embargo.store.engine import guarded

LIMIT = 50  # hits kept per customer (the screener proposes at most 50 candidates)


class Counts(Timings, Protocol):
    checked_from_entries: int
    matched_from_entries: int


Screen = Callable[[Customer, Prepared, Mapping[str, str]], list[PairHit]]


def entry_hits(engine: Engine, threshold: float, lists: RunLists, changed: dict[str, str],
               skip: set[str], screen: Screen, result: Counts
               ) -> tuple[list[PairHit], list[Witness]]:
    """The hits of the ``changed`` entries on the customers not in ``skip``, and the witnesses
    found on the way (to store). ``screen`` screens a customer in full, keeping the hits on
    the entries it is given (when the index proposes it more entries than it compares)."""
    index = lists.screener.index
    numbers = changed_numbers(index, changed)
    entries = [index.prepared(n) for n in numbers]
    customers = CustomerStore(engine)
    with result.timed("entry_links"), guarded(engine, "read customer keys"), \
            engine.connect() as conn:
        links, fresh = candidates(conn, index, entries, skip)
    with result.timed("entry_bounds"):
        linked = _reachable(customers, entries, links, threshold, result)
    hits: list[PairHit] = []
    with result.timed("entry_hits"):
        for customer in customers.iter(ids=linked):
            prepared = prepare(customer.entity)
            if not any(compare(prepared, entries[i]).score >= threshold
                       for i in linked[customer.id]):
                continue  # under the threshold with every entry it could be proposed
            result.matched_from_entries += 1
            hits += _changed_hits(threshold, lists, customer, prepared, numbers, changed,
                                  screen)
    return hits, fresh


def _reachable(customers: CustomerStore, entries: list[Prepared],
               links: dict[str, set[int]], threshold: float,
               result: Counts) -> dict[str, frozenset[int]]:
    """The linked customers (active ones, with the entries of a schema their search may
    propose) whose bound reaches the threshold with one of their entries; the others have
    no hit. Only the customers with such entries are read (their schema is read first)."""
    reach = Reach(entries, threshold)
    allowed = compatible(entries)
    wanted = {cid for cid, schema in customers.schemas(links).items()
              if not allowed(schema).isdisjoint(links[cid])}
    out: dict[str, frozenset[int]] = {}
    for cid, data in customers.stored_forms(wanted):
        kept = allowed(data.get("schema")).intersection(links[cid])
        if kept and reach.possible(data, kept):
            out[cid] = kept
        result.checked_from_entries += bool(kept)
    return out


def _changed_hits(threshold: float, lists: RunLists, customer: Customer, prepared: Prepared,
                  numbers: Mapping[int, str], changed: dict[str, str],
                  screen: Screen) -> list[PairHit]:
    """The customer's hits on the changed entries, as a full re-screen finds them: its
    candidates in the list index, the changed ones among them compared (all of them are
    compared, as :meth:`Screener.screen` does, when more than it keeps)."""
    screener = lists.screener
    proposed = screener.candidate_numbers(prepared)
    if len(proposed) > LIMIT:
        return screen(customer, prepared, changed)
    out = []
    for number, _ in proposed:
        if number in numbers:
            candidate = screener.index.prepared(number)
            hit = Hit(candidate.entity, compare(prepared, candidate))
            if hit.score >= threshold:
                out.append(pair(customer, hit, lists))
    return out
