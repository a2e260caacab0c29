"""The ownership picture as SVG: owners above the entity, holdings below, the 50% paths in red.

API: :func:`ownership_svg` ``(store, entity_id, as_of=None, *, depth=3, width=6,
sources=None, threshold=OFAC) -> str`` (the keyword arguments as for
:func:`~embargo.console.views.ownership.ownership_picture`), or :func:`render_picture` for
a picture already built.

Each party is a box linking to ``/ui/entities/{id}`` with its caption, its id and a mark:
``LISTED`` (red box), ``BLOCKED ≥50%`` (orange, dashed: blocked by ownership), or none.
The entity itself has a thick border. Every edge is an arrow from owner to asset labelled with
the percentage; edges on a chain that makes a party blocked under the 50% rule are thick and
red (class ``fifty``). Tooltips (``<title>``) give full names, ids and each holding's source and
date. Output is deterministic: the same store and arguments give the same bytes (golden
tests). Class names for styling: ``ownership``, ``node``, ``listed``, ``blocked``, ``focus``,
``more``, ``edge``, ``fifty``.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from embargo.console.views.ownership import (
    NODE_H,
    NODE_W,
    Edge,
    Node,
    OwnershipPicture,
    ownership_picture,
)
from embargo.console.views.svg import (
    document,
    element,
    entity_href,
    num,
    shorten,
    text,
    tooltip,
)
from embargo.ownership import OFAC, Threshold
from embargo.store import Store

_STYLE = {  # (fill, stroke, dash)
    "listed": ("#fde2e1", "#b91c1c", None),
    "blocked": ("#ffedd5", "#c2410c", "5 3"),
    "plain": ("#f8fafc", "#64748b", None),
}
_DEFS = ('<defs><marker id="own-arrow" viewBox="0 0 10 10" refX="10" refY="5" '
         'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
         '<path d="M0,0 L10,5 L0,10 z" fill="#64748b"/></marker>'
         '<marker id="own-arrow-fifty" viewBox="0 0 10 10" refX="10" refY="5" '
         'markerWidth="6" markerHeight="6" orient="auto-start-reverse">'
         '<path d="M0,0 L10,5 L0,10 z" fill="#b91c1c"/></marker></defs>')


def _kind(node: Node) -> str:
    return "listed" if node.listed else "blocked" if node.blocked else "plain"


def _mark(node: Node, picture: OwnershipPicture) -> str:
    if node.listed:
        return "LISTED"
    if node.blocked:
        return f"BLOCKED {picture.threshold.describe().split(' ')[0]}"
    return ""


def _node(node: Node, picture: OwnershipPicture) -> str:
    if node.more or node.beyond:
        return _more(node)
    kind = _kind(node)
    fill, stroke, dash = _STYLE[kind]
    mark = _mark(node, picture)
    tip = f"{node.caption} ({node.id})" + (f": {mark}" if mark else "")
    parts = [tooltip(tip),
             element("rect", x=node.x, y=node.y, width=NODE_W, height=NODE_H, rx="4",
                     fill=fill, stroke=stroke, stroke_width="3" if node.focus else "1.2",
                     stroke_dasharray=dash),
             text(node.x + 8, node.y + 17, shorten(node.caption, 28), font_weight="bold"),
             text(node.x + 8, node.y + 31, shorten(node.id, 32), fill="#475569")
             if node.id != node.caption else ""]
    if mark:
        parts.append(text(node.x + NODE_W - 6, node.y + 42, mark, text_anchor="end",
                          fill=stroke, font_size="9", font_weight="bold"))
    classes = " ".join(c for c in ("node", kind if kind != "plain" else "",
                                   "focus" if node.focus else "") if c)
    group = element("g", "".join(parts), class_=classes, data_id=node.id)
    return element("a", group, href=entity_href(node.id))


def _more(node: Node) -> str:
    lines = [f"+{node.more} more"] if node.more else []
    if node.beyond:
        lines.append(f"+{node.beyond} further")
    tip = "Parties left out: " + ", ".join(lines)
    parts = [tooltip(tip), element("rect", x=node.x, y=node.y, width=NODE_W, height=NODE_H,
                                   rx="4", fill="#fff", stroke="#94a3b8",
                                   stroke_dasharray="2 2")]
    parts += [text(node.x + NODE_W / 2, node.y + 19 + 14 * i, line, text_anchor="middle",
                   fill="#475569") for i, line in enumerate(lines)]
    return element("g", "".join(parts), class_="node more")


Ports = dict[tuple[str, str], tuple[float, float]]
Side = dict[tuple[str, str], list[tuple[float, tuple[str, str]]]]


def _spread(groups: Side, nodes: dict[str, Node]) -> dict[tuple[str, str], float]:
    """Spread the edges meeting one side of a box along it, in the order of their other
    ends; (owner, asset) -> x."""
    out: dict[tuple[str, str], float] = {}
    for (_, node_id), ends in groups.items():
        box = nodes[node_id]
        for i, (_, key) in enumerate(sorted(ends)):
            out[key] = box.x + NODE_W * (i + 1) / (len(ends) + 1)
    return out


def _ports(edges: tuple[Edge, ...], nodes: dict[str, Node]) -> Ports:
    """(owner, asset) -> the x of the edge's start and end on the two boxes."""
    starts: Side = {}
    ends: Side = {}
    for e in edges:
        a, b = nodes[e.owner], nodes[e.asset]
        side = "down" if a.y < b.y else "up" if a.y > b.y else "row"
        starts.setdefault((side, e.owner), []).append((b.x, (e.owner, e.asset)))
        ends.setdefault((side, e.asset), []).append((a.x, (e.owner, e.asset)))
    x1, x2 = _spread(starts, nodes), _spread(ends, nodes)
    return {key: (x1[key], x2[key]) for key in x1}


def _ends(a: Node, b: Node, ax: float, bx: float) -> tuple[float, float, str]:
    """The edge's y at both ends and its path (an arc over the top when on one row)."""
    if a.y < b.y:
        y1, y2 = a.y + NODE_H, b.y
    elif a.y > b.y:
        y1, y2 = a.y, b.y + NODE_H
    else:  # same row (a cycle or a cross holding)
        y1 = y2 = a.y
        top = a.y - 30
        return y1, y2, f"M{num(ax)},{num(y1)} Q{num((ax + bx) / 2)},{num(top)} " \
            f"{num(bx)},{num(y2)}"
    return y1, y2, f"M{num(ax)},{num(y1)} L{num(bx)},{num(y2)}"


def _edge(edge: Edge, nodes: dict[str, Node], ports: Ports) -> str:
    x1, x2 = ports[(edge.owner, edge.asset)]
    y1, y2, path = _ends(nodes[edge.owner], nodes[edge.asset], x1, x2)
    colour, width, marker = (("#b91c1c", "3", "own-arrow-fifty") if edge.highlighted
                             else ("#64748b", "1.3", "own-arrow"))
    when = edge.as_of.isoformat() if edge.as_of else "undated"
    tip = (f"{edge.owner} holds {edge.percentage:g}% of {edge.asset} "
           f"({edge.source or 'no source'}, {when})")
    label = f"{edge.percentage:g}%"
    parts = [tooltip(tip),
             element("path", d=path, fill="none", stroke=colour, stroke_width=width,
                     marker_end=f"url(#{marker})"),
             text((x1 + x2) / 2 + 4, (y1 + y2) / 2 + 4 - (15 if y1 == y2 else 0), label,
                  fill=colour, font_weight="bold" if edge.highlighted else None,
                  stroke="#fff", stroke_width="3", paint_order="stroke")]
    classes = "edge fifty" if edge.highlighted else "edge"
    return element("g", "".join(parts), class_=classes)


def _label(picture: OwnershipPicture) -> str:
    focus = next(n for n in picture.nodes if n.focus)
    when = picture.as_of.isoformat() if picture.as_of else "the newest holdings"
    owners = sum(1 for e in picture.edges if e.asset == picture.entity_id)
    held = sum(1 for e in picture.edges if e.owner == picture.entity_id)
    out = (f"Ownership of {focus.caption} ({picture.entity_id}) as of {when}: "
           f"{owners} direct owner(s), {held} direct holding(s)")
    if picture.blocked_total is not None:
        out += (f"; blocked by ownership: {picture.blocked_total:g}% owned by listed or "
                f"blocked parties ({picture.threshold.describe()} blocks)")
    return out


def _describe(picture: OwnershipPicture) -> str:
    if not picture.edges:
        return "No ownership holdings are recorded for this party on that date."
    if not picture.paths:
        return "No party in the picture is blocked by the 50% rule."
    return "50% rule paths: " + "; ".join(p.describe() for p in picture.paths)


def render_picture(picture: OwnershipPicture) -> str:
    """The SVG of a built :class:`~embargo.console.views.ownership.OwnershipPicture`."""
    by_id = {n.id: n for n in picture.nodes if n.id}
    body = [_DEFS, '<g font-family="sans-serif" font-size="11">']
    ports = _ports(picture.edges, by_id)
    body += [_edge(e, by_id, ports) for e in sorted(picture.edges, key=lambda e: e.highlighted)]
    body += [_node(n, picture) for n in picture.nodes]
    if not picture.edges:
        body.append(text(picture.width / 2, picture.height - 4,
                         "no ownership holdings recorded", text_anchor="middle",
                         fill="#475569"))
    body.append("</g>")
    height = picture.height + (14 if not picture.edges else 0)
    return document(picture.width, height, _label(picture), body, class_="ownership",
                    description=_describe(picture))


def ownership_svg(store: Store, entity_id: str, as_of: date | None = None, *, depth: int = 3,
                  width: int = 6, sources: Collection[str] | None = None,
                  threshold: Threshold = OFAC) -> str:
    """The ownership picture of ``entity_id`` on ``as_of`` as one ``<svg>`` element."""
    return render_picture(ownership_picture(store, entity_id, as_of, depth=depth, width=width,
                                            sources=sources, threshold=threshold))

