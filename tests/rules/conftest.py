"""Stores built in tmp_path from the shared OFAC consolidated XML and a few SDN entries.

The consolidated list of 2025-03-28 holds the Central Bank, Ministry of Finance and
National Wealth Fund of Russia with Directives 1A and 4 under EO 14024. Earlier states of
the list are derived from it the way the list changed: from 2021-04-15 the three carried
Directive 1; from 2022-02-22 Directive 1A; from 2022-02-28 also Directive 4 (the real
2025 snapshot follows).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from embargo.model.entity import Directive, Entity
from embargo.rules.engine import Context, Engine
from embargo.rules.resolve import view_from_store
from embargo.rules.transaction import parse_transaction
from embargo.sources.registry import detect
from embargo.store import Store

SOVEREIGN = ("CENTRAL BANK OF THE RUSSIAN FEDERATION", "MINISTRY OF FINANCE OF THE RUSSIAN "
             "FEDERATION", "NATIONAL WEALTH FUND OF THE RUSSIAN FEDERATION")
SDN_KEEP = ("NORD STREAM 2 AG", "WARNIG, Matthias", "FORTUNA",
            "STATE CORPORATION BANK FOR DEVELOPMENT AND FOREIGN ECONOMIC AFFAIRS VNESHECONOMBANK")
TODAY = date(2025, 12, 31)


def parse_all(path: Path) -> list[Entity]:
    return [e for parsed in detect(path).parse(path) for e in parsed.entities]


@pytest.fixture(scope="session")
def sovereign(lists_dir: Path) -> list[Entity]:
    """The three Russian sovereign entities as the 2025-03-28 consolidated list has them."""
    found = [e for e in parse_all(lists_dir / "ofac-consolidated" / "consolidated_2025-03-28.xml")
             if e.caption in SOVEREIGN]
    assert len(found) == 3
    return found


@pytest.fixture(scope="session")
def sdn_2021(lists_dir: Path) -> list[Entity]:
    """The same SDN entries as listed on 25 Apr 2021 (those already designated then)."""
    entities = parse_all(lists_dir / "ofac-sdn" / "2021-04-25")
    return [e for e in entities if e.caption in SDN_KEEP]


@pytest.fixture(scope="session")
def sdn_2022(lists_dir: Path) -> list[Entity]:
    """A few SDN entries of 24 Feb 2022 (PEESA and VEB designations)."""
    entities = parse_all(lists_dir / "ofac-sdn" / "history" / "sdn_2022-02-24.csv")
    return [e for e in entities if e.caption in SDN_KEEP]


def with_directives(entity: Entity, *names: str) -> Entity:
    directives = tuple(Directive("EO 14024", name) for name in names)
    return replace(entity, directives=directives)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(f"sqlite:///{tmp_path / 'store.sqlite3'}") as opened:
        yield opened


def add_snapshot(store: Store, source: str, day: str, entities: list[Entity]) -> None:
    store.add_snapshot(source=source, kind="test", published=date.fromisoformat(day),
                       content_hash=uuid.uuid4().hex, parser_version="test",
                       entities=entities, counts={"entities": len(entities)})


@pytest.fixture
def cons_store(store: Store, sovereign: list[Entity], sdn_2021: list[Entity],
               sdn_2022: list[Entity]) -> Store:
    add_snapshot(store, "ofac-cons", "2021-04-15",
                 [with_directives(e, "Directive 1") for e in sovereign])
    add_snapshot(store, "ofac-cons", "2022-02-22",
                 [with_directives(e, "Directive 1A") for e in sovereign])
    add_snapshot(store, "ofac-cons", "2022-02-28",
                 [with_directives(e, "Directive 1A", "Directive 4") for e in sovereign])
    add_snapshot(store, "ofac-cons", "2025-03-28", sovereign)
    add_snapshot(store, "ofac-sdn", "2021-04-15", sdn_2021)
    add_snapshot(store, "ofac-sdn", "2022-02-24", sdn_2022)
    # the SDN list still holds them in 2025: without a snapshot then, a 2025 payment would be
    # judged on a three-year-old SDN list, which is (rightly) a review for staleness
    add_snapshot(store, "ofac-sdn", "2025-03-28", sdn_2022)
    return store


Decide = Callable[..., dict]


@pytest.fixture
def decide(cons_store: Store) -> Decide:
    """Decide one transaction (a dict) against ``cons_store``; the decision as a dict."""
    def _decide(item: dict, engine: Engine | None = None, graph=None) -> dict:
        tx = parse_transaction(item, "t")
        ctx = Context(view_from_store(cons_store, tx.date))
        if graph is not None:
            ctx.graph = graph
        return (engine or Engine(today=TODAY)).check(tx, ctx).as_dict()
    return _decide


VTB, SBER, ALROSA, KOMID_SDN = "ofac-sdn:17013", "ofac-sdn:17018", "ofac-sdn:34644", "ofac-sdn:9345"
FARC = "ofac-sdn:10393"  # CABANA GUILLEN, Sixto Antonio: delisted 30 November 2021
FILLER = ("ofac-sdn:36", "ofac-sdn:306", "ofac-sdn:2674")


def _pick(path: Path, ids: tuple[str, ...]) -> dict[str, Entity]:
    return {e.id: e for e in parse_all(path) if e.id in ids}


@pytest.fixture(scope="module")
def real(lists_dir: Path) -> dict[str, Entity]:
    """A few real entries: SDN of 24 Aug 2021, 1 Mar 2022 and 3 May 2024; UN; OFAC non-SDN."""
    history = lists_dir / "ofac-sdn" / "history"
    found = _pick(history / "sdn_2021-08-24.csv", (FARC, *FILLER))
    found |= {f"2022:{k}": v for k, v in _pick(history / "sdn_2022-03-01.csv", (VTB,)).items()}
    found |= _pick(history / "sdn_2024-05-03.csv", (VTB, SBER, ALROSA, KOMID_SDN))
    found |= _pick(lists_dir / "un" / "consolidated_2025-04-19.xml", ("un:KPe.001",))
    found |= _pick(lists_dir / "ofac-consolidated" / "consolidated_2025-03-28.xml",
                   ("ofac-cons:17013", "ofac-cons:17018"))
    return found
