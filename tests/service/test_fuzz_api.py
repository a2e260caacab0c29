"""Fuzzing the API (issue 15): stateful schemathesis runs that follow the OpenAPI links, and
Unicode-heavy bodies (lone surrogates, RTL marks, combining marks, NUL, astral characters).

Invariants checked on every answer: no 5xx; the status, content type and body are the
documented ones (errors: the one error body); every answer of an audited endpoint names its
audit record, and a body with valid Unicode text is never refused for its text. Bounded for
CI: EMBARGO_FUZZ_EXAMPLES (default 30) sets the examples per test; see docs/fuzzing.md.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from embargo.service.app import create_app
from embargo.service.config import ServiceConfig
from embargo.service.state import audited_endpoint
from embargo.settings import Settings

EXAMPLES = int(os.environ.get("EMBARGO_FUZZ_EXAMPLES", "30"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                suppress_health_check=list(HealthCheck))

# --- invariants ----------------------------------------------------------------------------


def one_error_body(ctx: Any, response: Any, case: Any) -> bool | None:
    """Every error is ``{"error": {"code", "message", "details"}}`` and nothing else."""
    if response.status_code < 400:
        return None
    body = json.loads(response.content)
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message", "details"}, body
    assert body["error"]["message"], body
    return True


def names_its_audit_record(ctx: Any, response: Any, case: Any) -> bool | None:
    """An audited endpoint's answer (or refusal, 400/404/422) carries its record's id."""
    if audited_endpoint(case.formatted_path) is None or response.status_code not in (
            200, 400, 404, 422):
        return None
    body = json.loads(response.content)
    record = body.get("id") if response.status_code == 200 else (
        body["error"]["details"].get("screening_id"))
    assert isinstance(record, str) and len(record) == 32, body
    return True


CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]


@pytest.fixture
def app(filled: Settings, tokens: dict[str, str], tmp_path: Path,
        config_factory: Callable[..., ServiceConfig],
        ready_waiter: Callable[..., None]) -> Iterator[tuple[FastAPI, dict[str, str]]]:
    sources = tmp_path / "sources.json"
    sources.write_text('{"_only": true}')  # /lists/update must not reach the internet
    app = create_app(replace(filled, sources_file=sources), config_factory(filled.home))
    with TestClient(app) as client:
        ready_waiter(client.get)
        yield app, {"Authorization": f"Bearer {tokens['admin']}"}


def test_openapi_links_lead_to_the_audit_record(app: tuple[FastAPI, dict[str, str]]) -> None:
    schema = app[0].openapi()
    links = schema["paths"]["/screen"]["post"]["responses"]["200"]["links"]
    assert links["AuditRecord"]["parameters"] == {"screening_id": "$response.body#/id"}
    refused = schema["paths"]["/check"]["post"]["responses"]["422"]["links"]["AuditRecord"]
    assert refused["parameters"]["screening_id"] == "$response.body#/error/details/screening_id"


def test_stateful_workflows(app: tuple[FastAPI, dict[str, str]]) -> None:
    """Random sequences of calls that follow the links: screen, match, check or search, then
    read the audit record and replay it."""
    asgi, headers = app
    schema = schemathesis.openapi.from_asgi("/openapi.json", asgi)
    base = schema.as_state_machine()

    class Workflow(base):  # type: ignore[valid-type,misc]
        def get_call_kwargs(self, case: Any) -> dict[str, Any]:
            return {"headers": headers}

        def validate_response(self, response: Any, case: Any,
                              additional_checks: Any = None, **kwargs: Any) -> None:
            case.validate_response(response, checks=[*CHECKS, one_error_body,
                                                     names_its_audit_record],
                                   headers=headers, transport_kwargs=kwargs or None)

    Workflow.run(settings=settings(FUZZ, max_examples=max(2, EXAMPLES // 2),
                                   stateful_step_count=5))


# --- Unicode-heavy bodies --------------------------------------------------------------------

NASTY = ["\u202e", "\u200f", "\u061c", "\u0301", "\u0308\u0308", "\x00", "\ufeff", "\u200b",
         "\U0001d54f", "\uffff", "\u0645\u062d\u0645\u062f", "\u05e9\u05dc\u05d5\u05dd", "\t",
         "\r\n", "\\", "\"", ";", "=cmd|' /C calc'!A0"]
SURROGATES = ["\ud800", "\udfff", "\udbff\udc00"[::-1]]
clean_text = st.lists(st.one_of(st.sampled_from(NASTY), st.text(max_size=6)),
                      min_size=1, max_size=6).map("".join)
any_text = st.one_of(clean_text, st.lists(st.one_of(clean_text, st.sampled_from(SURROGATES)),
                                          min_size=2, max_size=4).map("".join))


def _has_surrogate(value: Any) -> bool:
    text = json.dumps(value, ensure_ascii=False)
    return any(0xD800 <= ord(ch) <= 0xDFFF for ch in text)


def _bodies(name: str, other: str) -> dict[str, tuple[str, dict[str, Any]]]:
    props = {"name": [name, "Vladimir Putin"], "alias": other, "country": [other]}
    return {
        "screen": ("/screen", {"queries": [{"id": other, "schema": "Person",
                                            "properties": props}]}),
        "match": ("/match/default", {"queries": {"q": {"schema": "Person",
                                                       "properties": props}}}),
        "check": ("/check", {"items": [{"id": other, "kind": "payment",
                                        "institution": {"jurisdiction": "us"},
                                        "parties": [{"role": "payee", "name": name,
                                                     "address": other}]}]}),
    }


def test_unicode_heavy_bodies(app: tuple[FastAPI, dict[str, str]]) -> None:
    asgi, headers = app
    client = TestClient(asgi, raise_server_exceptions=False)
    send = {**headers, "content-type": "application/json"}

    @FUZZ
    @given(name=any_text, other=any_text)
    def run(name: str, other: str) -> None:
        for endpoint, (path, body) in _bodies(name, other).items():
            r = client.post(path, content=json.dumps(body).encode(), headers=send)
            expected = 422 if _has_surrogate(body) else 200
            assert r.status_code == expected, (endpoint, r.text[:500])
            data = r.json()
            if expected == 200:
                assert len(data["id"]) == 32
            else:
                assert set(data) == {"error"} and data["error"]["code"] == "validation_error"
                assert "surrogate" in data["error"]["message"]
                assert len(data["error"]["details"]["screening_id"]) == 32

    run()
