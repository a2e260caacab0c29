"""Property-based tests of every operation against the OpenAPI document (schemathesis).

Fails on any 5xx, any undocumented status code or content type, and any response that does
not match its documented schema. Valid (positive) and invalid (negative) inputs, bounded to a
few examples per operation so the whole run stays well under a minute.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from embargo.service.app import create_app
from embargo.service.config import ServiceConfig
from embargo.settings import Settings

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_headers_conformance, response_schema_conformance]
EXAMPLES = 8


def _fuzz(operation: schemathesis.APIOperation, mode: GenerationMode,
          headers: dict[str, str]) -> None:
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def run(case: schemathesis.Case) -> None:
        case.call_and_validate(headers=headers, checks=CHECKS)

    try:
        run()
    except Unsatisfiable:
        assert mode is GenerationMode.NEGATIVE  # no invalid input exists (no parameters)


def test_every_operation_conforms(filled: Settings, tokens: dict[str, str], tmp_path: Path,
                                  config_factory: Callable[..., ServiceConfig],
                                  ready_waiter: Callable[..., None]) -> None:
    sources = tmp_path / "sources.json"
    sources.write_text('{"_only": true}')  # /lists/update must not reach the internet
    settings_ = replace(filled, sources_file=sources)
    app = create_app(settings_, config_factory(filled.home))
    headers = {"Authorization": f"Bearer {tokens['admin']}"}
    with TestClient(app) as client:
        ready_waiter(client.get)
        schema = schemathesis.openapi.from_asgi("/openapi.json", app)
        operations = [result.ok() for result in schema.get_all_operations()]
        # 15 + POST /lists/release/{snapshot_id} + 7 reconciliation (OpenRefine)
        # + 16 of monitoring (customers, monitor, alerts, users)
        assert len(operations) == 39
        for operation in operations:
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                _fuzz(operation, mode, headers)
