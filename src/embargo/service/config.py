"""The service's own settings, read from ``EMBARGO_*`` variables beside :mod:`embargo.settings`.

Every bound on a request (body size, the work budget: queries per request, names per query,
values per property, candidates per query, time per request), the per-key rate limit, the
audit writer and retention, and the refresh poll interval live here.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from embargo.errors import ConfigError
from embargo.matching.query import QueryLimits
from embargo.settings import Settings
from embargo.store.audit import AUDIT_SYNCS

AUDIT_MODES = ("commit", "queue")


@dataclass(frozen=True, slots=True)
class Budget:
    """The work one request may ask for (docs/service.md, "Work budget").

    Queries per request and results per query are refused for the whole request (422); a
    query over its names or values budget gets its own error and the others are answered;
    candidates caps the listed parties fully compared per query; ``seconds`` stops the work.
    """

    queries: int = 500  # EMBARGO_MAX_BATCH
    names: int = 50  # EMBARGO_MAX_NAMES: name values per query (name, alias, firstName, ...)
    values: int = 100  # EMBARGO_MAX_VALUES: values per property of a query
    candidates: int = 50  # EMBARGO_MAX_CANDIDATES: listed parties compared per query
    seconds: float = 10.0  # EMBARGO_REQUEST_TIMEOUT

    @property
    def limits(self) -> QueryLimits:
        return QueryLimits(self.names, self.values, f"EMBARGO_MAX_NAMES={self.names}",
                           f"EMBARGO_MAX_VALUES={self.values}")


@dataclass(frozen=True, slots=True)
class ServiceConfig:
    max_batch: int = 500  # EMBARGO_MAX_BATCH: queries per request
    max_body_bytes: int = 4 << 20  # EMBARGO_MAX_BODY_BYTES
    request_timeout: float = 10.0  # EMBARGO_REQUEST_TIMEOUT: seconds of screening per request
    max_limit: int = 100  # EMBARGO_MAX_LIMIT: results per query
    rate_per_second: float = 100.0  # EMBARGO_RATE_LIMIT: requests/s per key (0: unlimited)
    rate_burst: int = 200  # EMBARGO_RATE_BURST: bucket size
    audit_retention_days: int = 2555  # EMBARGO_AUDIT_RETENTION_DAYS (0: keep forever)
    audit_flush_ms: float = 0.0  # EMBARGO_AUDIT_FLUSH_MS: oldest record waits at most this
    audit_batch: int = 200  # EMBARGO_AUDIT_BATCH: ... or until this many are queued
    audit_mode: str = "commit"  # EMBARGO_AUDIT_MODE: commit | queue (see docs/service.md)
    audit_writers: int = 0  # EMBARGO_AUDIT_WRITERS: threads committing batches (0: by store)
    balance_connections: bool = True  # EMBARGO_BALANCE_CONNECTIONS=0 turns off service/balance.py
    audit_sync: str = ""  # EMBARGO_AUDIT_SYNC: flush | stored ("": by store; docs/service.md)
    purge_interval: float = 3600.0  # EMBARGO_AUDIT_PURGE_INTERVAL: seconds
    refresh_interval: float = 5.0  # EMBARGO_REFRESH_INTERVAL: seconds (0: no polling)
    key_cache_seconds: float = 2.0  # EMBARGO_KEY_CACHE_SECONDS
    screen_threads: int = 4  # EMBARGO_SCREEN_THREADS
    import_roots: tuple[Path, ...] = ()  # EMBARGO_IMPORT_ROOTS (os.pathsep-separated)
    index_cache: Path | None = None  # EMBARGO_INDEX_CACHE (default: <home>/index)
    max_names: int = 50  # EMBARGO_MAX_NAMES: name values per query
    max_values: int = 100  # EMBARGO_MAX_VALUES: values per property of a query
    max_candidates: int = 50  # EMBARGO_MAX_CANDIDATES: listed parties compared per query

    @property
    def budget(self) -> Budget:
        """The per-request work budget these settings make."""
        return Budget(self.max_batch, self.max_names, self.max_values, self.max_candidates,
                      self.request_timeout)


def _number(env: Mapping[str, str], name: str, default: float, minimum: float) -> float:
    raw = env.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number, not {raw!r}") from None
    if not value >= minimum or value == float("inf"):
        raise ConfigError(f"{name} must be a finite number >= {minimum:g}, not {raw!r}")
    return value


def _int(env: Mapping[str, str], name: str, default: int, minimum: int) -> int:
    value = _number(env, name, default, minimum)
    if value != int(value):
        raise ConfigError(f"{name} must be a whole number, not {env[name]!r}")
    return int(value)


def _roots(env: Mapping[str, str], settings: Settings) -> tuple[Path, ...]:
    raw = env.get("EMBARGO_IMPORT_ROOTS")
    if raw:
        return tuple(Path(p).expanduser().resolve() for p in raw.split(os.pathsep) if p)
    return (settings.home.resolve() / "imports", (settings.shared / "data" / "lists").resolve())


def _mode(env: Mapping[str, str]) -> str:
    mode = env.get("EMBARGO_AUDIT_MODE", "commit").strip().lower()
    if mode not in AUDIT_MODES:
        raise ConfigError(f"EMBARGO_AUDIT_MODE must be one of {', '.join(AUDIT_MODES)}")
    return mode


def _sync(env: Mapping[str, str]) -> str:
    sync = env.get("EMBARGO_AUDIT_SYNC", "").strip().lower()
    if sync and sync not in AUDIT_SYNCS:
        raise ConfigError(f"EMBARGO_AUDIT_SYNC must be one of {', '.join(AUDIT_SYNCS)}")
    return sync


def load_service_config(settings: Settings,
                        env: Mapping[str, str] | None = None) -> ServiceConfig:
    """The service settings from the environment (ConfigError on a bad value)."""
    env = os.environ if env is None else env
    cache = env.get("EMBARGO_INDEX_CACHE")
    return ServiceConfig(
        max_batch=_int(env, "EMBARGO_MAX_BATCH", 500, 1),
        max_body_bytes=_int(env, "EMBARGO_MAX_BODY_BYTES", 4 << 20, 1024),
        request_timeout=_number(env, "EMBARGO_REQUEST_TIMEOUT", 10.0, 0.001),
        max_limit=_int(env, "EMBARGO_MAX_LIMIT", 100, 1),
        rate_per_second=_number(env, "EMBARGO_RATE_LIMIT", 100.0, 0.0),
        rate_burst=_int(env, "EMBARGO_RATE_BURST", 200, 1),
        audit_retention_days=_int(env, "EMBARGO_AUDIT_RETENTION_DAYS", 2555, 0),
        audit_flush_ms=_number(env, "EMBARGO_AUDIT_FLUSH_MS", 0.0, 0.0),
        audit_batch=_int(env, "EMBARGO_AUDIT_BATCH", 200, 1),
        audit_mode=_mode(env),
        audit_writers=_int(env, "EMBARGO_AUDIT_WRITERS", 0, 0),
        audit_sync=_sync(env),
        balance_connections=_int(env, "EMBARGO_BALANCE_CONNECTIONS", 1, 0) > 0,
        purge_interval=_number(env, "EMBARGO_AUDIT_PURGE_INTERVAL", 3600.0, 1.0),
        refresh_interval=_number(env, "EMBARGO_REFRESH_INTERVAL", 5.0, 0.0),
        key_cache_seconds=_number(env, "EMBARGO_KEY_CACHE_SECONDS", 2.0, 0.0),
        screen_threads=_int(env, "EMBARGO_SCREEN_THREADS", 4, 1),
        import_roots=_roots(env, settings),
        index_cache=Path(cache).expanduser() if cache else settings.home / "index",
        max_names=_int(env, "EMBARGO_MAX_NAMES", 50, 1),
        max_values=_int(env, "EMBARGO_MAX_VALUES", 100, 1),
        max_candidates=_int(env, "EMBARGO_MAX_CANDIDATES", 50, 1),
    )
