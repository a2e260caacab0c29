"""The ownership picture: a 50%-owned chain highlighted, limits, dates, links and escaping."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pytest

from embargo.console.views.ownership import ownership_picture
from embargo.console.views.ownership_svg import ownership_svg
from embargo.errors import NotFoundError
from embargo.ingest.importer import import_path
from embargo.model.entity import Schema
from embargo.ownership import Holding, Threshold
from embargo.ownership.io import read_ftm
from embargo.store import Store
from embargo.store.ownership import save_holdings

from .conftest import SVG, add_snapshot, check_svg, listed, texts

JAN = date(2024, 1, 1)
L, M = "test-list:L", "test-list:M"


@pytest.fixture
def chain(store: Store) -> Store:
    """L (listed) -60%-> A -50%-> B -30%-> C <-25%- M (listed); E -40%-> A; C -100%-> F;
    L -40%-> D. Under OFAC's rule A, B, C (30 + 25 by blocked owners) and F are blocked."""
    add_snapshot(store, "2023-06-01", [listed("L", "Listed Oligarch", schema=Schema.PERSON),
                                       listed("M", "Listed Bank")])
    save_holdings(store, [Holding(L, "A", 60, "registry", JAN), Holding("A", "B", 50,
                                                                         "registry", JAN),
                          Holding("B", "C", 30, "registry", JAN), Holding(M, "C", 25, "registry",
                                                                          JAN),
                          Holding("E", "A", 40, "registry", JAN), Holding("C", "F", 100, "",
                                                                          None),
                          Holding(L, "D", 40, "registry", JAN)])
    return store


def _edges(root: ET.Element) -> dict[tuple[str, str], bool]:
    """(owner, asset) -> highlighted, read back from the edges' tooltips."""
    out = {}
    for group in root.iter(f"{SVG}g"):
        if "edge" in (group.get("class") or "").split():
            tip = group.findtext(f"{SVG}title") or ""
            owner, _, rest = tip.partition(" holds ")
            asset = rest.split(" of ", 1)[1].split(" (", 1)[0]
            out[(owner, asset)] = "fifty" in (group.get("class") or "")
    return out


def _nodes(root: ET.Element) -> dict[str, str]:
    return {g.get("data-id") or "": g.get("class") or "" for g in root.iter(f"{SVG}g")
            if "node" in (g.get("class") or "").split() and g.get("data-id")}


def test_fifty_percent_chain_is_highlighted(chain: Store) -> None:
    root = check_svg("ownership_chain", ownership_svg(chain, "C", date(2024, 6, 1)))
    assert _edges(root) == {(L, "A"): True, ("E", "A"): False, ("A", "B"): True,
                            ("B", "C"): True, (M, "C"): True, ("C", "F"): True}
    nodes = _nodes(root)
    assert nodes[L] == "node listed" and nodes[M] == "node listed"
    assert nodes["C"] == "node blocked focus" and nodes["F"] == "node blocked"
    assert nodes["E"] == "node" and "D" not in nodes  # D is L's, not in C's picture
    label = root.get("aria-label") or ""
    assert "blocked by ownership: 55% owned" in label and "≥50% in aggregate" in label
    desc = root.findtext(f"{SVG}desc") or ""
    assert f"{L} —60%→ A —50%→ B —30%→ C" in desc and f"{M} —25%→ C" in desc
    links = {a.get("href") for a in root.iter(f"{SVG}a")}
    assert links == {f"/ui/entities/{x}" for x in ("test-list%3AL", "test-list%3AM", "A", "B",
                                                   "C", "E", "F")}


def test_layers_owners_up_holdings_down(chain: Store) -> None:
    picture = ownership_picture(chain, "C", date(2024, 6, 1))
    layers = {n.id: n.layer for n in picture.nodes}
    assert layers == {L: -3, "E": -3, "A": -2, "B": -1, M: -1, "C": 0, "F": 1}
    assert [n.id for n in picture.nodes if n.layer == -1] == ["B", M]  # larger share first
    assert picture.blocked_total == 55


def test_below_the_threshold_nothing_is_highlighted(chain: Store) -> None:
    picture = ownership_picture(chain, "D", date(2024, 6, 1))
    assert [(e.owner, e.asset, e.percentage, e.highlighted) for e in picture.edges] == [
        (L, "D", 40, False)]
    assert picture.blocked_total is None and picture.paths == ()
    uk = ownership_picture(chain, "C", date(2024, 6, 1), threshold=Threshold(50, False))
    assert uk.blocked_total is None  # B is owned exactly 50%: not more than 50% (UK)
    assert [(e.owner, e.asset) for e in uk.edges if e.highlighted] == [(L, "A")]  # 60% > 50


def test_only_some_lists_count(chain: Store) -> None:
    picture = ownership_picture(chain, "C", date(2024, 6, 1), sources=("other-list",))
    assert not any(n.listed or n.blocked for n in picture.nodes)


def test_as_of_before_the_holdings(chain: Store) -> None:
    svg = ownership_svg(chain, "B", date(2023, 12, 31))
    root = ET.fromstring(svg)
    assert _edges(root) == {}
    assert list(_nodes(root)) == ["B"]
    assert _edges(ET.fromstring(ownership_svg(chain, "C", date(2023, 12, 31)))) == {
        ("C", "F"): False}  # undated: always in force; nothing listed owns C yet
    assert "no ownership holdings recorded" in texts(root)


def test_unknown_party(chain: Store) -> None:
    with pytest.raises(NotFoundError):
        ownership_svg(chain, "nobody", JAN)


def test_width_and_depth_limits(store: Store) -> None:
    holdings = [Holding(f"O{i}", "X", 10 - i, "r", JAN) for i in range(1, 10)]
    holdings += [Holding("X", "Y", 100, "r", JAN), Holding("Y", "Z1", 100, "r", JAN),
                 Holding("Z1", "Z2", 100, "r", JAN), Holding("Z2", "Z3", 100, "r", JAN),
                 Holding("Z3", "Z4", 50, "r", JAN), Holding("Z3", "Z5", 50, "r", JAN)]
    save_holdings(store, holdings)
    root = check_svg("ownership_limits", ownership_svg(store, "X", JAN, depth=3, width=6))
    nodes = _nodes(root)
    assert [f"O{i}" in nodes for i in range(1, 10)] == [True] * 6 + [False] * 3
    assert {"Y", "Z1", "Z2"} <= set(nodes) and "Z3" not in nodes
    words = texts(root)
    assert "+3 more" in words and "+1 further" in words


def test_hostile_names_are_text(store: Store) -> None:
    evil = listed('"><script>alert(1)</script>', "<script>alert(1)</script> & Co\x07")
    add_snapshot(store, "2024-01-01", [evil])
    save_holdings(store, [Holding(evil.id, "b&b <ltd>", 75, "<src>", JAN)])
    svg = ownership_svg(store, "b&b <ltd>", JAN)
    assert "<script>" not in svg and "\x07" not in svg
    root = ET.fromstring(svg)
    words = texts(root)
    assert "<script>alert(1)</script> &…" in words  # the box: shortened, as text
    assert any(w.startswith(f"<script>alert(1)</script> & Co ({evil.id})") or
               w.startswith(f"<script>alert(1)</script> & Co\ufffd ({evil.id})") for w in words)
    hrefs = sorted(a.get("href") or "" for a in root.iter(f"{SVG}a"))
    assert hrefs == ["/ui/entities/b%26b%20%3Cltd%3E",
                     "/ui/entities/test-list%3A%22%3E%3Cscript%3Ealert%281%29%3C%2Fscript%3E"]
    assert any(t.startswith("test-list:\"><script>") for t in words)


@pytest.mark.shared
def test_real_ftm_ownership(store: Store, lists_dir: Path) -> None:
    """The OpenSanctions sample "zala": its Ownership entities over its listed companies."""
    path = lists_dir / "opensanctions-ftm" / "zala" / "entities.ftm.json"
    import_path(store, path, published=date(2024, 1, 1))
    save_holdings(store, read_ftm(path, "zala").holdings)
    asset = "NK-abdzbEBkqyT29GyREbiURZ"
    root = check_svg("ownership_zala", ownership_svg(store, asset, date(2024, 1, 1)))
    edges = _edges(root)
    assert sorted(edges) == [("NK-aU5ybkbRFJucf8YMwsJvDw", asset),
                             ("NK-nR5AXM9AVPq4pQaSPSaVam", asset)]
    assert not any(edges.values())  # all three are listed themselves: no 50% path to draw
    assert set(_nodes(root).values()) == {"node listed", "node listed focus"}
    early = ownership_picture(store, asset, date(2016, 1, 1))  # before the 49% holding
    assert [(e.owner, e.percentage) for e in early.edges] == [("NK-aU5ybkbRFJucf8YMwsJvDw", 51)]
    unlisted = ownership_picture(store, asset, date(2024, 1, 1), sources=("ofac-sdn",))
    assert unlisted.blocked_total is None and not any(n.listed for n in unlisted.nodes)
