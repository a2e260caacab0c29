"""Monitoring fixtures: a store on SQLite and PostgreSQL, small lists, customers, users."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import orjson
import pytest

from embargo.customers.importer import import_customers
from embargo.model.builder import EntityBuilder
from embargo.model.entity import Entity, Program, Schema
from embargo.monitoring.run import RunResult, run_monitor
from embargo.store import Snapshot, Store
from embargo.store.users import UserStore


def listed(native_id: str, name: str, *, dob: str | None = None, country: str | None = None,
           schema: Schema = Schema.PERSON, program: str = "RUSSIA-EO14024") -> Entity:
    b = EntityBuilder("test-list", native_id, schema)
    b.add_name(name)
    if dob:
        b.add_birth_date(dob)
    if country:
        b.add_country(country)
    b.add_program(Program(program, program))
    return b.build()


def base_list() -> list[Entity]:
    return [
        listed("1", "Vladimir Vladimirovich Putin", dob="1952-10-07"),
        listed("2", "Kim Jong Un", dob="1984-01-08", program="DPRK3"),
        listed("3", "Bank Rossiya", schema=Schema.COMPANY, country="ru"),
        listed("4", "Sovcomflot", schema=Schema.COMPANY, country="ru"),
    ]


def add_snapshot(store: Store, day: str, entities: list[Entity],
                 source: str = "test-list") -> Snapshot:
    return store.add_snapshot(source=source, kind="test", published=date.fromisoformat(day),
                              content_hash=f"{source}-{day}", parser_version="test/1",
                              entities=entities, counts={"entities": len(entities)})


def customers_raw(*rows: dict[str, object]) -> bytes:
    return b"".join(orjson.dumps(r) + b"\n" for r in rows)


CLEAN = [{"id": f"c{i}", "schema": "Person", "name": name} for i, name in enumerate(
    ["Anna Lindqvist", "Pierre Dubois", "Maria Rossi", "Tomasz Nowak"], start=10)]
BASE_CUSTOMERS = [
    {"id": "c1", "schema": "Person", "name": "Wladimir Putin", "birthDate": "1952-10-07"},
    {"id": "c2", "schema": "Person", "name": "KIM Jong-un"},
    {"id": "c3", "schema": "Company", "name": "Bank Rossija", "country": "ru"},
    *CLEAN,
]


class Env:
    """A store with the base list, the base customers and users, and a run helper."""

    def __init__(self, store: Store, cache: Path) -> None:
        self.store = store
        self.cache = cache

    def run(self, full: bool = False) -> RunResult:
        return run_monitor(self.store, self.cache, full)

    def customers(self, *rows: dict[str, object]) -> None:
        import_customers(self.store, customers_raw(*rows), "test.jsonl")


@pytest.fixture
def env(store: Store, tmp_path: Path) -> Env:
    add_snapshot(store, "2024-01-01", base_list())
    users = UserStore(store.engine)
    for name, role in (("ann", "analyst"), ("alf", "analyst"), ("bob", "approver"),
                       ("bea", "approver"), ("ada", "admin")):
        users.add(name, role)
    e = Env(store, tmp_path / "index")
    e.customers(*BASE_CUSTOMERS)
    return e
