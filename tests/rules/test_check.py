"""``run_check`` end to end: JSON lines in, one decision per line out, ownership from the store."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import orjson

from embargo.model.entity import Entity
from embargo.ownership.graph import Holding
from embargo.rules.check import run_check, write_decisions
from embargo.rules.definitions import default_rulebook
from embargo.rules.engine import Engine
from embargo.store.ownership import save_holdings
from embargo.store.store import Store

from .conftest import TODAY

LINES = [
    b'{"id": "bond", "date": "2021-07-01", "kind": "purchase", "market": "primary",'
    b' "instrument": {"kind": "bond", "issuer": "Ministry of Finance of the Russian Federation",'
    b' "issue_date": "2021-07-01", "currency": "RUB"}, "institution": {"jurisdiction": "us"},'
    b' "parties": []}',
    b"",
    b"not json",
    b'{"id": "sub", "date": "2022-05-01", "kind": "payment", "institution": {"jurisdiction":'
    b' "us"}, "parties": [{"role": "payee", "name": "Pipe Services", "ids": ["reg:1"]}]}',
    '{"id": "crimea", "date": "2022-05-01", "kind": "payment", "institution": {"jurisdiction":'
    ' "us"}, "parties": [{"role": "payee", "name": "A", "address": "Ялта, ул. Морская 1"}]}'
    .encode(),
    b'{"id": "bad-date", "date": "2022-13-01", "kind": "payment", "parties": ["A"]}',
    b'{"id": "screen", "name": "Harmless Bakery Ltd"}',
]


def test_run_check(cons_store: Store, sdn_2022: list[Entity]) -> None:
    ns2 = next(e.id for e in sdn_2022 if e.caption == "NORD STREAM 2 AG")
    save_holdings(cons_store, [Holding(ns2, "reg:1", 50, "registry", date(2020, 1, 1))])
    engine = Engine(default_rulebook(), today=TODAY)
    decisions = list(run_check(cons_store, LINES, engine=engine))
    by_id = {d.id: d for d in decisions}
    assert len(decisions) == 6
    assert by_id["bond"].decision == "prohibited"
    assert by_id["3"].decision == "review" and "not JSON" in (by_id["3"].error or "")
    assert by_id["sub"].decision == "prohibited"
    assert by_id["crimea"].decision == "prohibited"
    assert by_id["6"].decision == "review" and "not a date" in (by_id["6"].error or "")
    assert by_id["screen"].decision == "allowed"
    out = io.BytesIO()
    counts = write_decisions(decisions, out)
    assert counts == {"prohibited": 3, "review": 2, "allowed": 1}
    rows = [orjson.loads(line) for line in out.getvalue().splitlines()]
    assert rows[0]["snapshots"]
    assert all(r["citation"] for r in rows[0]["reasons"] if r["outcome"] == "prohibited")


def test_list_not_in_force_is_review_not_allowed(cons_store: Store) -> None:
    """A list the store only holds from a later date cannot clear a party on an earlier one."""
    first = min(s.published for s in cons_store.snapshots())
    day = first.replace(year=first.year - 3)
    line = orjson.dumps({"id": "early", "date": day.isoformat(), "kind": "payment",
                         "institution": {"jurisdiction": "US"},
                         "parties": [{"role": "beneficiary", "name": "Jane Example"}]})
    engine = Engine(default_rulebook(), today=TODAY)
    (decision,) = run_check(cons_store, [line], engine=engine)
    assert decision.decision == "review"
    assert any("has no snapshot in force" in r.message for r in decision.reasons)


def test_views_from_the_disk_cache_decide_as_views_from_the_store(cons_store: Store,
                                                                  tmp_path: Path) -> None:
    """Cold (index, links and changes built and saved) and warm (loaded) runs give the
    decisions of views built from the store."""
    engine = Engine(default_rulebook(), today=TODAY)
    plain = [d.as_dict() for d in run_check(cons_store, LINES, engine=engine)]
    cold = [d.as_dict() for d in run_check(cons_store, LINES, engine=engine, cache_dir=tmp_path)]
    saved = sorted(p.suffix for p in tmp_path.iterdir())
    assert ".idx" in saved and ".links" in saved
    warm = [d.as_dict() for d in run_check(cons_store, LINES, engine=engine, cache_dir=tmp_path)]
    assert plain == cold == warm


def test_a_party_is_screened_once_per_name_and_schema(sdn_2022: list[Entity]) -> None:
    """Resolution depends on the name, ids and schema only: the same counterparty at other
    addresses and in other roles is resolved (and screened) once per view, with the answer of
    a fresh resolution; another schema or other ids are resolved again."""
    from embargo.matching import Prepared
    from embargo.rules.resolve import ListView, forget_caches, query_entity
    from embargo.rules.transaction import Party

    forget_caches()
    plain = ListView([(e, None) for e in sdn_2022])
    calls: list[str] = []

    def screen(query: Entity | Prepared) -> list[tuple[Entity, float]]:
        entity = query.entity if isinstance(query, Prepared) else query
        calls.append(entity.names[0].full)
        return plain._default_screen()(query)

    counted = ListView([(e, None) for e in sdn_2022], screen=screen)
    name = "Nord Stream Two AG"
    parties = [Party("beneficiary", name, address="Zug, Switzerland"),
               Party("originator", name, address="201 Main St, Havana, IL 62644"),
               Party("counterparty", name, generic=True)]
    answers = [counted.resolve(p) for p in parties]
    assert calls == [name]
    assert answers[0] == answers[1] == answers[2] == ListView(
        [(e, None) for e in sdn_2022]).resolve(parties[1])
    assert any(m.entity.caption == "NORD STREAM 2 AG" for m in answers[0])
    counted.resolve(Party("beneficiary", name, schema="Person"))
    counted.resolve(Party("beneficiary", name, ids=("IMO 1234567",)))
    assert calls == [name, name, name]
    assert not query_entity(parties[1]).addresses  # the address is matched to regions only
