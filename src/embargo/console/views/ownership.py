"""The data behind the ownership picture: who owns an entity (up), what it holds (down),
which parties are listed, and which chains make a party blocked under the 50% rule.

API: :func:`ownership_picture` ``(store, entity_id, as_of=None, *, depth=3, width=6,
sources=None, threshold=OFAC) -> OwnershipPicture``, laid out for
:func:`~embargo.console.views.ownership_svg.ownership_svg` (which calls it).

* The holdings are those in force on ``as_of`` (:func:`embargo.store.ownership.load_holdings`;
  ``None``: the newest), one per (owner, asset) as :class:`~embargo.ownership.OwnershipGraph`
  keeps them.
* A party is *listed* when a snapshot in force on ``as_of`` lists its id (every list, or only
  ``sources``); *blocked* when :class:`~embargo.ownership.FiftyPercent` blocks it by ownership
  (OFAC: ≥ 50% in aggregate by listed or blocked owners; percentages are not multiplied).
* ``paths`` are the chains from listed owners down to every blocked party in the picture;
  their edges are ``highlighted``.
* Layout: layered and deterministic. Layer 0 holds the entity; owners go up (layer -1, -2,
  ...), holdings down (1, 2, ...), each party once, at its nearest layer, up to ``depth``
  layers each way. In each layer, parties follow their neighbour's order in the layer before,
  then the larger share, then id; past ``width`` parties a layer ends in a ``+N more`` node,
  which also counts the parties past the last layer (``beyond``).

An id that is neither in a holding (of any date) nor in any stored version raises
:class:`~embargo.errors.NotFoundError`.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, and_, or_, select

from embargo.errors import NotFoundError
from embargo.ownership import OFAC, FiftyPercent, Holding, OwnershipGraph, Threshold
from embargo.ownership.fifty import OwnershipPath
from embargo.store import Store
from embargo.store.engine import guarded
from embargo.store.ownership import load_holdings, ownership_holdings
from embargo.store.tables import entity_versions, snapshot_members

NODE_W, NODE_H, COL_W, ROW_H, MARGIN = 190.0, 46.0, 210.0, 96.0, 20.0
_CHUNK = 500


@dataclass(frozen=True, slots=True)
class Node:
    """A party in the picture (or, with ``more`` > 0, a "+N more" placeholder: id "")."""

    id: str
    caption: str
    layer: int
    x: float  # left edge
    y: float  # top edge
    listed: bool = False
    blocked: bool = False  # blocked by ownership (the 50% rule), not listed itself
    focus: bool = False
    more: int = 0  # parties left out of this layer for lack of width
    beyond: int = 0  # parties past the last layer (depth limit), on the "+N more" node


@dataclass(frozen=True, slots=True)
class Edge:
    """``owner`` holds ``percentage`` of ``asset``."""

    owner: str
    asset: str
    percentage: float
    source: str
    as_of: date | None
    highlighted: bool


@dataclass(frozen=True, slots=True)
class OwnershipPicture:
    entity_id: str
    as_of: date | None
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    paths: tuple[OwnershipPath, ...]
    blocked_total: float | None  # the focus's blocked-owned share when blocked by ownership
    threshold: Threshold
    width: float
    height: float


Neighbours = Callable[[str], list[Holding]]


def _ranked(holdings: list[Holding], other: Callable[[Holding], str]) -> list[str]:
    return [other(h) for h in sorted(holdings, key=lambda h: (-h.percentage, other(h)))]


def _grow(frontier: list[str], neighbours: Neighbours, other: Callable[[Holding], str],
          seen: set[str]) -> list[str]:
    found: list[str] = []
    for node in frontier:
        found += [n for n in _ranked(neighbours(node), other) if n not in seen
                  and n not in found]
    return found


def _layers(root: str, neighbours: Neighbours, other: Callable[[Holding], str],
            seen: set[str], depth: int, width: int) -> tuple[list[list[str]], list[int], int]:
    """Rows of parties away from ``root``, the count left out of each, and past the last."""
    rows: list[list[str]] = []
    dropped: list[int] = []
    frontier = [root]
    for _ in range(depth):
        found = _grow(frontier, neighbours, other, seen)
        if not found:
            return rows, dropped, 0
        seen.update(found)
        rows.append(found[:width])
        dropped.append(len(found) - len(rows[-1]))
        frontier = rows[-1]
    return rows, dropped, len(_grow(frontier, neighbours, other, set(seen)))


def _chunks(ids: Iterable[str]) -> Iterable[list[str]]:
    ordered = sorted(set(ids))
    for start in range(0, len(ordered), _CHUNK):
        yield ordered[start:start + _CHUNK]


def _listed(conn: Connection, snapshot_ids: list[int], ids: Iterable[str]) -> dict[str, str]:
    """Id -> caption of the parties that the given snapshots list."""
    out: dict[str, str] = {}
    m, v = snapshot_members, entity_versions
    for chunk in _chunks(ids):
        query = (select(m.c.entity_id, v.c.caption)
                 .join(v, and_(v.c.entity_id == m.c.entity_id,
                               v.c.content_hash == m.c.content_hash))
                 .where(m.c.snapshot_id.in_(snapshot_ids), m.c.entity_id.in_(chunk))
                 .order_by(m.c.entity_id, m.c.snapshot_id))
        out.update({row.entity_id: row.caption for row in conn.execute(query)})
    return out


def _known_captions(conn: Connection, ids: Iterable[str]) -> dict[str, str]:
    """Id -> a caption from any stored version (parties once listed, or on other lists)."""
    out: dict[str, str] = {}
    for chunk in _chunks(ids):
        query = (select(entity_versions.c.entity_id, entity_versions.c.caption)
                 .where(entity_versions.c.entity_id.in_(chunk))
                 .order_by(entity_versions.c.entity_id, entity_versions.c.content_hash))
        for row in conn.execute(query):
            out.setdefault(row.entity_id, row.caption)
    return out


def _lookup(store: Store, as_of: date | None, parties: set[str], relevant: set[str],
            sources: Collection[str] | None) -> tuple[set[str], dict[str, str]]:
    """The listed ids among ``relevant``, and captions of ``parties`` (listed or known)."""
    in_force = [s.id for s in store.snapshots_as_of(as_of)
                if sources is None or s.source in sources]
    with guarded(store.engine, "ownership picture"), store.engine.connect() as conn:
        listed = _listed(conn, in_force, relevant) if in_force else {}
        captions = {**_known_captions(conn, parties - set(listed)), **listed}
    return set(listed), captions


@dataclass(frozen=True, slots=True)
class _Rows:
    rows: list[list[str]]  # top to bottom
    first_layer: int
    dropped: list[int]
    beyond: list[int]


def _rows(graph: OwnershipGraph, entity_id: str, depth: int, width: int) -> _Rows:
    seen = {entity_id}
    up, up_drop, up_beyond = _layers(entity_id, graph.owners_of, lambda h: h.owner_id, seen,
                                     depth, width)
    down, down_drop, down_beyond = _layers(entity_id, graph.assets_of, lambda h: h.asset_id,
                                           seen, depth, width)
    beyond_up = [up_beyond if i == len(up) - 1 else 0 for i in range(len(up))]
    beyond_down = [down_beyond if i == len(down) - 1 else 0 for i in range(len(down))]
    return _Rows([*reversed(up), [entity_id], *down], -len(up),
                 [*reversed(up_drop), 0, *down_drop], [*reversed(beyond_up), 0, *beyond_down])


def _place(rows: _Rows, captions: dict[str, str], listed: set[str], fifty: FiftyPercent,
           entity_id: str) -> tuple[list[Node], float]:
    slots = [len(r) + (1 if rows.dropped[i] or rows.beyond[i] else 0)
             for i, r in enumerate(rows.rows)]
    total = max(slots) * COL_W
    nodes: list[Node] = []
    for i, row in enumerate(rows.rows):
        left = MARGIN + (total - slots[i] * COL_W) / 2 + (COL_W - NODE_W) / 2
        y, layer = MARGIN + i * ROW_H, rows.first_layer + i
        for j, party in enumerate(row):
            nodes.append(Node(party, captions.get(party, party), layer, left + j * COL_W, y,
                              listed=party in listed, blocked=party in fifty.blocked,
                              focus=party == entity_id))
        if slots[i] > len(row):
            nodes.append(Node("", "", layer, left + len(row) * COL_W, y,
                              more=rows.dropped[i], beyond=rows.beyond[i]))
    return nodes, total + 2 * MARGIN


def _paths(fifty: FiftyPercent, parties: Iterable[str]) -> tuple[OwnershipPath, ...]:
    found: dict[tuple[str, ...], OwnershipPath] = {}
    for party in sorted(p for p in parties if p in fifty.blocked):
        for path in fifty.paths(party):
            found.setdefault(path.nodes, path)
    return tuple(found[k] for k in sorted(found))


def _edges(graph: OwnershipGraph, parties: set[str],
           paths: tuple[OwnershipPath, ...]) -> tuple[Edge, ...]:
    marked = {pair for p in paths for pair in zip(p.nodes, p.nodes[1:], strict=False)}
    chosen = sorted((h for h in graph.holdings if h.owner_id in parties
                     and h.asset_id in parties), key=lambda h: (h.owner_id, h.asset_id))
    return tuple(Edge(h.owner_id, h.asset_id, h.percentage, h.source, h.as_of,
                      (h.owner_id, h.asset_id) in marked) for h in chosen)


def _ever_held(store: Store, entity_id: str) -> bool:
    """Whether any holding (of any date) names the party."""
    t = ownership_holdings
    query = select(t.c.id).where(or_(t.c.owner_id == entity_id, t.c.asset_id == entity_id))
    with guarded(store.engine, "ownership picture"), store.engine.connect() as conn:
        return conn.execute(query.limit(1)).first() is not None


def ownership_picture(store: Store, entity_id: str, as_of: date | None = None, *,
                      depth: int = 3, width: int = 6, sources: Collection[str] | None = None,
                      threshold: Threshold = OFAC) -> OwnershipPicture:
    """The entity's owners and holdings on ``as_of``, laid out (see the module doc)."""
    graph = OwnershipGraph(load_holdings(store, as_of))
    rows = _rows(graph, entity_id, max(depth, 1), max(width, 1))
    parties = {p for row in rows.rows for p in row}
    relevant = parties.union(*(graph.upstream(p) for p in parties))
    listed, captions = _lookup(store, as_of, parties, relevant, sources)
    if entity_id not in captions and len(parties) == 1 and not _ever_held(store, entity_id):
        raise NotFoundError(f"no entity {entity_id!r} in any snapshot or holding",
                            entity_id=entity_id)
    fifty = FiftyPercent(graph, listed, threshold)
    nodes, total_w = _place(rows, captions, listed, fifty, entity_id)
    paths = _paths(fifty, parties)
    share = fifty.blocked.get(entity_id)
    return OwnershipPicture(entity_id, as_of, tuple(nodes), _edges(graph, parties, paths),
                            paths, share.total if share else None, threshold, total_w,
                            2 * MARGIN + len(rows.rows) * ROW_H - (ROW_H - NODE_H))
