"""FastRoute: plain requests take the short path and answer exactly what FastAPI's path does."""

from __future__ import annotations

from typing import Any
from unittest import mock

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from embargo.service import fastroute
from embargo.service.fastroute import FastRoute, plan_for
from embargo.service.routes import native, yente

PUTIN = {"schema": "Person", "properties": {"name": ["Vladimir Putin"]}}


def _route(path: str, method: str) -> APIRoute:
    for route in [*yente.router.routes, *native.router.routes]:
        if isinstance(route, APIRoute) and route.path == path and method in route.methods:
            return route
    raise AssertionError(f"no route {method} {path}")


@pytest.mark.parametrize(("path", "method", "plain"), [
    ("/match/{dataset}", "POST", True),
    ("/screen", "POST", True),
    ("/catalog", "GET", True),
    ("/search/{dataset}", "GET", False),  # q is required: always FastAPI's path
])
def test_which_routes_have_a_short_path(path: str, method: str, plain: bool) -> None:
    route = _route(path, method)
    assert isinstance(route, FastRoute)
    assert (plan_for(route.dependant) is not None) is plain


def _without_ids(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k != "id"}


def test_short_path_answers_as_fastapi_does(client: TestClient,
                                            headers: dict[str, dict[str, str]]) -> None:
    body = {"queries": {"q": PUTIN, "r": {"schema": "Person",
                                         "properties": {"name": "Kim Jong Un"}}}}
    with mock.patch.object(fastroute, "_json", wraps=fastroute._json) as short:
        fast = client.post("/match/default", json=body, headers=headers["screen"])
    assert short.called  # the body was read on the short path
    slow = client.post("/match/default?limit=5", json=body, headers=headers["screen"])
    assert fast.status_code == slow.status_code == 200
    assert _without_ids(fast.json()) == _without_ids(slow.json())
    assert fast.json()["responses"]["q"]["results"][0]["id"] == "list-a:1"
    assert "screen-cpu;dur=" in fast.headers["server-timing"]
    assert fast.headers["x-batch-size"] == "2"


@pytest.mark.parametrize("raw", [
    b'{"queries": {"q": {"schema": "Person", "properties": {"name": ["\\ud800"]}}}}',
    b'{"queries": 3}',
    b'{"queries": {"q": ',
    b"\xff\xfe",
])
def test_bodies_the_short_path_refuses_get_fastapis_answer(
        client: TestClient, headers: dict[str, dict[str, str]], raw: bytes) -> None:
    json_headers = {**headers["screen"], "Content-Type": "application/json"}
    fast = client.post("/match/default", content=raw, headers=json_headers)
    slow = client.post("/match/default?limit=5", content=raw, headers=json_headers)
    assert fast.status_code == slow.status_code == 422
    assert fast.json()["error"]["code"] == slow.json()["error"]["code"] == "validation_error"
    assert fast.json()["error"]["message"] == slow.json()["error"]["message"]


def test_a_path_parameter_over_its_limit_gets_fastapis_answer(
        client: TestClient, headers: dict[str, dict[str, str]]) -> None:
    body = {"queries": {"q": PUTIN}}
    fast = client.post(f"/match/{'x' * 101}", json=body, headers=headers["screen"])
    slow = client.post(f"/match/{'x' * 101}?limit=5", json=body, headers=headers["screen"])
    assert fast.status_code == slow.status_code == 422
    assert fast.json()["error"]["message"] == slow.json()["error"]["message"]
    assert "dataset" in fast.json()["error"]["message"]


def test_a_bad_key_is_refused_on_the_short_path(client: TestClient,
                                                headers: dict[str, dict[str, str]]) -> None:
    missing = client.post("/match/default", json={"queries": {"q": PUTIN}})
    revoked = client.post("/match/default", json={"queries": {"q": PUTIN}},
                          headers=headers["revoked"])
    wrong_scope = client.post("/screen", json={"queries": []}, headers=headers["read"])
    assert (missing.status_code, revoked.status_code, wrong_scope.status_code) == (401, 401, 403)
