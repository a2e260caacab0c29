"""Fixtures for the service: a small store, keys, an in-process client, a PostgreSQL URL."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from conftest import pg_base_url
from embargo.model.builder import EntityBuilder
from embargo.model.entity import Entity, IdKind, NameKind, Program, Schema
from embargo.service.app import create_app
from embargo.service.config import ServiceConfig
from embargo.settings import Settings, load_settings
from embargo.store import Store
from embargo.store.keys import KeyStore

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def person(source: str, native_id: str, name: str, *, dob: str | None = None,
           nationality: str | None = None, aliases: tuple[str, ...] = (),
           program: str = "RUSSIA-EO14024", passport: str | None = None) -> Entity:
    b = EntityBuilder(source, native_id, Schema.PERSON)
    b.add_name(name)
    for alias in aliases:
        b.add_name(alias, NameKind.ALIAS)
    if dob:
        b.add_birth_date(dob)
    if nationality:
        b.add_nationality(nationality)
    if passport:
        b.add_identifier(IdKind.PASSPORT, passport)
    b.add_program(Program(program, program))
    return b.build()


def company(source: str, native_id: str, name: str, country: str = "ru") -> Entity:
    b = EntityBuilder(source, native_id, Schema.COMPANY)
    b.add_name(name)
    b.add_country(country)
    b.add_program(Program("UKRAINE-EO13662", "UKRAINE-EO13662"))
    return b.build()


def list_a_old() -> list[Entity]:
    return [
        person("list-a", "1", "Vladimir Vladimirovich Putin", dob="1952-10-07",
               nationality="Russia", aliases=("Владимир Путин",)),
        person("list-a", "2", "Kim Jong Un", dob="1984-01-08", nationality="North Korea",
               program="DPRK3"),
        company("list-a", "3", "Bank Rossiya"),
    ]


def list_a_new() -> list[Entity]:
    old = list_a_old()
    return [old[0], company("list-a", "3", "Bank Rossiya", country="cy"),
            person("list-a", "4", "Sergei Shoigu", dob="1955-05-21", nationality="Russia")]


def list_b() -> list[Entity]:
    return [company("list-b", "10", "Sovcomflot"),
            person("list-b", "11", "Ali Khamenei", dob="1939-04-19", nationality="Iran",
                   program="IRAN")]


def fill_store(store: Store) -> None:
    """list-a on 2024-01-01 and 2024-06-01 (changed), list-b on 2024-03-01."""
    for source, day, entities in (("list-a", date(2024, 1, 1), list_a_old()),
                                  ("list-b", date(2024, 3, 1), list_b()),
                                  ("list-a", date(2024, 6, 1), list_a_new())):
        store.add_snapshot(source=source, kind="test", published=day,
                           content_hash=f"{source}-{day}", parser_version="test/1",
                           entities=entities, counts={"entities": len(entities)})


def make_settings(home: Path, database_url: str | None = None) -> Settings:
    return replace(load_settings(home), database_url=database_url, shared=FIXTURES,
                   fetch_timeout=5.0, max_file_bytes=10 << 20, log_level="WARNING",
                   sources_file=None)


def make_config(home: Path, **overrides: object) -> ServiceConfig:
    config = ServiceConfig(refresh_interval=0.2, key_cache_seconds=0.0, audit_flush_ms=1.0,
                           max_batch=20, max_limit=50, rate_per_second=1000.0, rate_burst=1000,
                           import_roots=(FIXTURES.resolve(), (home / "imports").resolve()),
                           index_cache=home / "index", request_timeout=10.0)
    return replace(config, **overrides)  # type: ignore[arg-type]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path / "home")


@pytest.fixture
def filled(settings: Settings) -> Settings:
    with Store.open(settings.store_url) as store:
        fill_store(store)
    return settings


Tokens = dict[str, str]


def make_tokens(settings: Settings) -> Tokens:
    with Store.open(settings.store_url) as store:
        keys = KeyStore(store.engine)
        tokens = {scope: keys.create(f"test {scope}", [scope])[1]
                  for scope in ("screen", "read", "admin")}
        revoked, tokens["revoked"] = keys.create("old", ["screen", "read"])
        keys.revoke(revoked.id)
    return tokens


@pytest.fixture
def tokens(filled: Settings) -> Tokens:
    return make_tokens(filled)


def wait_ready(get: Callable[[str], object], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        response = get("/readyz")
        if getattr(response, "status_code", 0) == 200:
            return
        time.sleep(0.05)
    raise AssertionError("service did not become ready")


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def client(filled: Settings, tokens: Tokens, tmp_path: Path) -> Iterator[TestClient]:
    app = create_app(filled, make_config(filled.home))
    with TestClient(app, raise_server_exceptions=False) as test_client:
        wait_ready(test_client.get)
        yield test_client


@pytest.fixture
def headers(tokens: Tokens) -> dict[str, dict[str, str]]:
    """Authorization headers per scope ("screen", "read", "admin", "revoked")."""
    return {scope: auth(token) for scope, token in tokens.items()}


@pytest.fixture(scope="session")
def config_factory() -> Callable[..., ServiceConfig]:
    return make_config


@pytest.fixture(scope="session")
def ready_waiter() -> Callable[[Callable[[str], object]], None]:
    return wait_ready


@pytest.fixture
def pg_settings(pg_url: str, tmp_path: Path) -> Settings:
    return make_settings(tmp_path / "pg-home", pg_url)


@pytest.fixture(scope="session")
def store_filler() -> Callable[[Store], None]:
    return fill_store


@pytest.fixture(scope="session")
def token_maker() -> Callable[[Settings], Tokens]:
    return make_tokens


@pytest.fixture(scope="session")
def settings_maker() -> Callable[..., Settings]:
    return make_settings


@pytest.fixture(scope="session")
def pg_base() -> str:
    return pg_base_url()
