"""OFAC's 50% rule: entities owned 50% or more by blocked persons are blocked too.

Per OFAC's guidance (revised 13 August 2014), holdings are aggregated across
different blocked owners, and indirect ownership counts through entities that
are themselves blocked, including those blocked by this rule; percentages are
not multiplied along a chain. The computation is a fixpoint: an asset becomes
blocked once the direct holdings of blocked owners reach the threshold, which
may block further assets, until nothing changes. Ownership cycles are handled
(the blocked set only grows) and reported.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from embargo.ownership.graph import Holding, OwnershipGraph

MAX_PATHS = 20


@dataclass(frozen=True, slots=True)
class Threshold:
    """When owned shares block: ``percent`` inclusive (OFAC: 50 or more) or not (UK: >50)."""

    percent: float = 50.0
    inclusive: bool = True
    aggregate: bool = True  # add up different blocked owners (OFAC) or take the largest

    def met(self, total: float) -> bool:
        return total >= self.percent if self.inclusive else total > self.percent

    def describe(self) -> str:
        return f"{'≥' if self.inclusive else '>'}{self.percent:g}%" + (
            " in aggregate" if self.aggregate else " by one owner")


OFAC = Threshold()


@dataclass(frozen=True, slots=True)
class OwnershipPath:
    """A chain from a listed owner down to the asset: ``nodes[i]`` holds ``shares[i]``
    percent of ``nodes[i + 1]``."""

    nodes: tuple[str, ...]
    shares: tuple[float, ...]

    def describe(self) -> str:
        out = self.nodes[0]
        for node, share in zip(self.nodes[1:], self.shares, strict=True):
            out += f" —{share:g}%→ {node}"
        return out


@dataclass(frozen=True, slots=True)
class BlockedShare:
    """Why an asset is blocked by ownership: the blocked holdings and their total."""

    asset_id: str
    total: float
    holdings: tuple[Holding, ...]


class FiftyPercent:
    """The result of applying the 50% rule to a graph and a set of listed (blocked) ids."""

    def __init__(self, graph: OwnershipGraph, listed: Iterable[str],
                 threshold: Threshold = OFAC) -> None:
        self.graph = graph
        self.threshold = threshold
        self.listed = frozenset(listed)
        self.blocked: dict[str, BlockedShare] = _fixpoint(graph, self.listed, threshold)

    def is_blocked(self, node: str) -> bool:
        return node in self.listed or node in self.blocked

    def share(self, asset_id: str) -> BlockedShare:
        """The blocked owners' holdings in ``asset_id`` (whether or not they reach the rule)."""
        found = self.blocked.get(asset_id)
        if found is not None:
            return found
        return _share(self.graph, asset_id, self.listed | set(self.blocked), self.threshold)

    def paths(self, asset_id: str, limit: int = MAX_PATHS) -> list[OwnershipPath]:
        """Chains from listed owners to ``asset_id`` through blocked holdings."""
        out: list[OwnershipPath] = []
        for holding in self.share(asset_id).holdings:
            for head in self._paths_to(holding.owner_id, limit):
                out.append(OwnershipPath((*head.nodes, asset_id),
                                         (*head.shares, holding.percentage)))
                if len(out) >= limit:
                    return out
        return out

    def _paths_to(self, node: str, limit: int) -> list[OwnershipPath]:
        if node in self.listed:
            return [OwnershipPath((node,), ())]
        return self.paths(node, limit) if node in self.blocked else []


def _share(graph: OwnershipGraph, asset_id: str, blocked: set[str] | frozenset[str],
           threshold: Threshold) -> BlockedShare:
    holdings = tuple(h for h in graph.owners_of(asset_id) if h.owner_id in blocked)
    if threshold.aggregate:
        total = sum(h.percentage for h in holdings)
    else:
        total = max((h.percentage for h in holdings), default=0.0)
    return BlockedShare(asset_id, total, holdings)


def _fixpoint(graph: OwnershipGraph, listed: frozenset[str],
              threshold: Threshold) -> dict[str, BlockedShare]:
    blocked: set[str] = set(listed)
    found: dict[str, BlockedShare] = {}
    frontier = set(listed)
    while frontier:
        candidates = {h.asset_id for node in frontier for h in graph.assets_of(node)}
        frontier = set()
        for asset in sorted(candidates - blocked):
            share = _share(graph, asset, blocked, threshold)
            if threshold.met(share.total):
                found[asset] = share
                frontier.add(asset)
        blocked |= frontier
    return found
