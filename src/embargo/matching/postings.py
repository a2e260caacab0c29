"""Postings (key → sorted entity numbers, in flat arrays) and the weighted accumulation.

A query is a list of groups, one per query token (or joined run, or identifier), each a list
of (key, weight) sorted by weight; an entity earns one group's best weight among the group's
keys it is posted under. Keys on more than ``common`` entities never seed candidates: they
only add to candidates found by rarer keys (unless nothing rarer found anything).
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field

Group = list[tuple[str, float]]
SETS_CACHE = 1024  # common keys whose postings are kept as sets


@dataclass(slots=True)
class Postings:
    """Keys to sorted entity numbers, in two flat arrays."""

    offsets: dict[str, tuple[int, int]] = field(default_factory=dict)
    flat: array[int] = field(default_factory=lambda: array("I"))
    sets: dict[str, frozenset[int]] = field(default_factory=dict)  # long lists, as sets

    @classmethod
    def build(cls, lists: dict[str, list[int]]) -> Postings:
        """Postings from key → entity numbers (each list ascending, as entities are added)."""
        out = cls()
        flat = out.flat
        for key, ids in lists.items():
            start = len(flat)
            flat.extend(ids)
            out.offsets[key] = (start, len(flat))
        return out

    def get(self, key: str) -> memoryview | None:
        span = self.offsets.get(key)
        return None if span is None else memoryview(self.flat)[span[0]:span[1]]

    def members(self, key: str) -> frozenset[int]:
        """A posting list as a set (remembered: only common keys, a few, are asked for)."""
        found = self.sets.get(key)
        if found is None:
            view = self.get(key)
            found = frozenset(() if view is None else view.tolist())
            if len(self.sets) >= SETS_CACHE:
                self.sets.clear()
            self.sets[key] = found
        return found

    def df(self, key: str) -> int:
        span = self.offsets.get(key)
        return 0 if span is None else span[1] - span[0]


def accumulate(postings: Postings, groups: list[Group], common: int) -> dict[int, float]:
    """Entity number → summed best weight per group (common keys only boost)."""
    scores: dict[int, float] = {}
    boosts: list[tuple[Group, set[int]]] = []
    df = postings.df
    for group in groups:
        counts = [df(k) for k, _ in group]
        seeding = [kw for kw, n in zip(group, counts, strict=True) if n <= common]
        rest = [kw for kw, n in zip(group, counts, strict=True) if n > common]
        seen = add_group(scores, seeding, postings)
        if rest:
            boosts.append((rest, seen))
    if not scores and boosts:  # only common tokens: seed from the rarest
        boosts.sort(key=lambda b: min(df(k) for k, _ in b[0]))
        first, _ = boosts.pop(0)
        add_group(scores, first, postings)
    for rest, seen in boosts:
        boost(scores, rest, seen, postings)
    return scores


def add_group(scores: dict[int, float], group: Group, postings: Postings) -> set[int]:
    """Add one query token's best weight per entity (its keys are sorted by weight)."""
    seen: set[int] = set()
    get = scores.get
    for key, weight in group:
        view = postings.get(key)
        if view is None:
            continue
        found = set(view.tolist())
        found -= seen
        for number in found:
            scores[number] = get(number, 0.0) + weight
        seen |= found
    return seen


def boost(scores: dict[int, float], group: Group, seen: set[int], postings: Postings) -> None:
    """Add a common token's best weight to the candidates found by other tokens."""
    done = set(seen)
    for key, weight in group:  # heaviest first
        if not postings.df(key):
            continue
        found = postings.members(key).intersection(scores)
        found -= done
        for number in found:
            scores[number] += weight
        done |= found
