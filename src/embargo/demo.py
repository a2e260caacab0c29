"""The bundled demo: real list files, compressed, shipped inside the package.

``embargo demo`` imports them into the store, shows what changed between two
releases, and screens a sample of customers (clean names, and listed parties
written in other scripts and spellings) with the explanation of every hit, so
that a fresh machine shows the whole job without ``../shared``.
"""

from __future__ import annotations

from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

from embargo import render
from embargo.ingest.importer import import_path
from embargo.ingest.policy import HoldPolicy
from embargo.matching import DEFAULT_THRESHOLD
from embargo.matching.query import read_queries
from embargo.screening.lists import load_screener
from embargo.screening.results import screen_rows
from embargo.store import Store

DIFF_SOURCE, DIFF_OLD, DIFF_NEW = "ofac-sdn", "2021-08-18", "2021-08-20"
SHOW_ENTITY = "ofac-sdn:31920"


def demo_folder() -> Path:
    return Path(str(resources.files("embargo") / "data" / "demo"))


def demo_lists() -> Path:
    """The folder of bundled list files."""
    return demo_folder() / "lists"


def demo_customers() -> Path:
    """A sample of customers: clean names, and listed parties in other scripts and spellings."""
    return demo_folder() / "customers.csv"


def _feature_text(feature: dict[str, Any]) -> str:
    sign = "+" if feature["contribution"] >= 0 else ""
    detail = f" ({feature['detail']})" if feature.get("detail") else ""
    return f"{feature['name']} {sign}{feature['contribution']:.2f}{detail}"


def screening_report(results: list[dict[str, Any]], names: dict[str, str]) -> str:
    """Each customer with its best hit and the features that explain it."""
    lines = []
    for result in results:
        who = f"{result['id']}  {names.get(result['id'], '')}"
        if result["error"]:
            lines.append(f"{who}\n      error: {result['error']}")
        elif not result["hits"]:
            lines.append(f"{who}\n      no hit")
        for hit in result["hits"][:1]:
            features = [f for f in hit["explanation"]["features"] if f["contribution"] or
                        f["name"] == "name"]
            lines.append(f"{who}\n   -> {hit['score']:.2f}  {hit['entity_id']}  "
                         f"{hit['caption']}  [{', '.join(hit['programs'])}]\n"
                         f"      " + "; ".join(_feature_text(f) for f in features))
    return "\n".join(lines)


# The bundled files are history years apart (SDN 2021 -> 2024 drops 9.6%), imported as such:
# not held as large drops or rollbacks. `embargo import` and `update` hold them.
HISTORY = HoldPolicy(max_removed=1.0, backfill=True)


def run_demo(store: Store, max_bytes: int, cache_dir: Path | None = None) -> Iterator[str]:
    """Import the bundled lists and yield a report, section by section."""
    results = import_path(store, demo_lists(), max_bytes=max_bytes, policy=HISTORY,
                          provenance={"origin": "demo"})
    imported = sum(r.created for r in results)
    yield (f"Imported {imported} new snapshot(s) from the bundled demo lists "
           f"({len(results) - imported} already present).")
    yield render.snapshots_table(store.snapshots())
    old = store.resolve_snapshot(DIFF_SOURCE, DIFF_OLD)
    new = store.resolve_snapshot(DIFF_SOURCE, DIFF_NEW)
    diff = store.diff(old, new)
    yield "What changed on the SDN list between 18 and 20 August 2021:\n" + render.diff_text(diff)
    state = store.entity_as_of(SHOW_ENTITY)
    yield render.state_text(state, None, store.history(SHOW_ENTITY))
    yield from screen_customers(store, cache_dir)


def screen_customers(store: Store, cache_dir: Path | None) -> Iterator[str]:
    """Screen the bundled customers against the lists in force now, with explanations."""
    rows = list(read_queries(demo_customers()))
    lists = load_screener(store, cache_dir)
    results = list(screen_rows(lists.screener, lists.snapshots, rows, limit=3))
    hits = sum(bool(r["hits"]) for r in results)
    yield (f"Screening {len(rows)} sample customers against {len(lists.screener)} listed "
           f"parties ({', '.join(sorted(lists.snapshots))}): {hits} with hits at the default "
           f"threshold {DEFAULT_THRESHOLD}")
    names = {r.id: r.entity.caption for r in rows if r.entity is not None}
    yield screening_report(results, names)
