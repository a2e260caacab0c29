"""Service settings from ``EMBARGO_*`` variables."""

from __future__ import annotations

from pathlib import Path

import pytest

from embargo.errors import ConfigError
from embargo.service.config import ServiceConfig, load_service_config
from embargo.settings import Settings


def test_defaults(settings: Settings) -> None:
    config = load_service_config(settings, {})
    assert config.max_batch == ServiceConfig().max_batch and config.audit_mode == "commit"
    assert config.index_cache == settings.home / "index"
    assert settings.home.resolve() / "imports" in config.import_roots


def test_values(settings: Settings, tmp_path: Path) -> None:
    env = {"EMBARGO_MAX_BATCH": "7", "EMBARGO_RATE_LIMIT": "0", "EMBARGO_AUDIT_MODE": "queue",
           "EMBARGO_AUDIT_RETENTION_DAYS": "30", "EMBARGO_IMPORT_ROOTS": str(tmp_path),
           "EMBARGO_REQUEST_TIMEOUT": "0.5"}
    config = load_service_config(settings, env)
    assert (config.max_batch, config.rate_per_second, config.audit_mode) == (7, 0.0, "queue")
    assert config.audit_retention_days == 30 and config.import_roots == (tmp_path.resolve(),)
    assert config.request_timeout == 0.5


@pytest.mark.parametrize(("name", "value"), [
    ("EMBARGO_MAX_BATCH", "0"), ("EMBARGO_MAX_BATCH", "1.5"), ("EMBARGO_MAX_BATCH", "lots"),
    ("EMBARGO_RATE_LIMIT", "-1"), ("EMBARGO_REQUEST_TIMEOUT", "inf"),
    ("EMBARGO_REQUEST_TIMEOUT", "nan"), ("EMBARGO_AUDIT_MODE", "never"),
    ("EMBARGO_AUDIT_SYNC", "sometimes"),
])
def test_bad_values(settings: Settings, name: str, value: str) -> None:
    with pytest.raises(ConfigError, match=name):
        load_service_config(settings, {name: value})


@pytest.mark.parametrize(("raw", "sync"), [(None, ""), ("flush", "flush"), (" Stored ", "stored")])
def test_audit_sync(settings: Settings, raw: str | None, sync: str) -> None:
    env = {} if raw is None else {"EMBARGO_AUDIT_SYNC": raw}
    assert load_service_config(settings, env).audit_sync == sync


@pytest.mark.parametrize(("raw", "on"), [(None, True), ("1", True), ("0", False)])
def test_balance_connections(settings: Settings, raw: str | None, on: bool) -> None:
    env = {} if raw is None else {"EMBARGO_BALANCE_CONNECTIONS": raw}
    assert load_service_config(settings, env).balance_connections is on
