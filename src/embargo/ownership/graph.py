"""Ownership holdings and the graph they form, with its problems (cycles, >100%)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from embargo.errors import ValidationError

TOLERANCE = 0.01  # percentage points of rounding allowed over 100 in total


@dataclass(frozen=True, slots=True)
class Holding:
    """``owner_id`` holds ``percentage`` (0-100] of ``asset_id``, per ``source`` as of a date."""

    owner_id: str
    asset_id: str
    percentage: float
    source: str = ""
    as_of: date | None = None


def check_holding(owner_id: str, asset_id: str, percentage: float) -> None:
    """Raise ValidationError for a holding that cannot be right."""
    if not owner_id or not asset_id:
        raise ValidationError("owner_id and asset_id are required")
    if owner_id == asset_id:
        raise ValidationError(f"{owner_id!r} cannot own itself")
    if not math.isfinite(percentage) or not 0.0 < percentage <= 100.0:
        raise ValidationError(f"percentage {percentage} of {asset_id!r} held by {owner_id!r} "
                              "is not in (0, 100]")


class OwnershipGraph:
    """Holdings by asset; one holding per (owner, asset): the newest, then the largest."""

    def __init__(self, holdings: Iterable[Holding]) -> None:
        chosen: dict[tuple[str, str], Holding] = {}
        for holding in holdings:
            key = (holding.owner_id, holding.asset_id)
            if key not in chosen or _newer(holding, chosen[key]):
                chosen[key] = holding
        self.holdings = tuple(chosen.values())
        self._owners: dict[str, list[Holding]] = {}
        self._assets: dict[str, list[Holding]] = {}
        for holding in self.holdings:
            self._owners.setdefault(holding.asset_id, []).append(holding)
            self._assets.setdefault(holding.owner_id, []).append(holding)

    def __len__(self) -> int:
        return len(self.holdings)

    def owners_of(self, asset_id: str) -> list[Holding]:
        return self._owners.get(asset_id, [])

    def assets_of(self, owner_id: str) -> list[Holding]:
        return self._assets.get(owner_id, [])

    def assets(self) -> list[str]:
        return list(self._owners)

    def total(self, asset_id: str) -> float:
        return sum(h.percentage for h in self.owners_of(asset_id))

    def over_allocated(self) -> dict[str, float]:
        """Assets whose holdings add up to more than 100%, with the total."""
        return {a: self.total(a) for a in self._owners if self.total(a) > 100.0 + TOLERANCE}

    def upstream(self, asset_id: str) -> set[str]:
        """Every direct or indirect owner of ``asset_id``."""
        seen: set[str] = set()
        todo = [h.owner_id for h in self.owners_of(asset_id)]
        while todo:
            node = todo.pop()
            if node not in seen:
                seen.add(node)
                todo.extend(h.owner_id for h in self.owners_of(node))
        return seen

    def cycles(self) -> list[tuple[str, ...]]:
        """Groups of entities that own each other, directly or through others."""
        return [group for group in _components(self) if len(group) > 1]


def _newer(new: Holding, old: Holding) -> bool:
    if new.as_of != old.as_of:
        return (new.as_of or date.min) > (old.as_of or date.min)
    return new.percentage > old.percentage


def _components(graph: OwnershipGraph) -> Iterator[tuple[str, ...]]:
    """Strongly connected components (iterative Tarjan) over owner -> asset edges."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    nodes = {h.owner_id for h in graph.holdings} | {h.asset_id for h in graph.holdings}
    for root in sorted(nodes):
        if root in index:
            continue
        work: list[tuple[str, int]] = [(root, 0)]
        while work:
            node, child = work.pop()
            if child == 0:
                index[node] = low[node] = len(index)
                stack.append(node)
                on_stack.add(node)
            edges = graph.assets_of(node)
            if child < len(edges):
                work.append((node, child + 1))
                nxt = edges[child].asset_id
                if nxt not in index:
                    work.append((nxt, 0))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                yield _pop_component(stack, on_stack, node)


def _pop_component(stack: list[str], on_stack: set[str], root: str) -> tuple[str, ...]:
    group: list[str] = []
    while True:
        node = stack.pop()
        on_stack.discard(node)
        group.append(node)
        if node == root:
            return tuple(sorted(group))
