"""Library functions behind ``embargo serve`` and ``embargo keys create|list|revoke``."""

from __future__ import annotations

import logging
import multiprocessing
import os
from typing import Any

import uvicorn
from uvicorn.supervisors import multiprocess

from embargo.service.balance import BalancedProcess, board_path
from embargo.service.config import load_service_config
from embargo.service.holder import prebuild
from embargo.settings import Settings
from embargo.store import Store
from embargo.store.keys import ApiKey, KeyStore

# uvicorn's supervisor kills a worker that misses a ping this long; an index build holds the
# GIL for seconds at a time, so the default (5 s) would kill workers during a refresh.
HEALTHCHECK_SECONDS = 120
APP = "embargo.service.app:app_from_env"
log = logging.getLogger(__name__)


def default_workers() -> int:
    """Worker processes by default: the cores this process may run on (its CPU affinity)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def serve(settings: Settings, host: str = "127.0.0.1", port: int = 8000,
          workers: int = 1) -> None:
    """Run the service under uvicorn (``workers`` processes, each with its own index)."""
    os.environ["EMBARGO_HOME"] = str(settings.home)  # the workers read settings themselves
    if settings.database_url:
        os.environ["EMBARGO_DATABASE_URL"] = settings.database_url
    Store.open(settings.store_url).close()  # migrate once, before the workers start
    _prebuild(settings)
    options: dict[str, Any] = {
        "factory": True, "host": host, "port": port, "workers": workers,
        "log_level": settings.log_level.lower(), "access_log": False,
        "timeout_worker_healthcheck": HEALTHCHECK_SECONDS}
    if workers <= 1 or not load_service_config(settings).balance_connections:
        uvicorn.run(APP, **options)
    else:
        _run_balanced(uvicorn.Config(APP, **options))


def _run_balanced(config: uvicorn.Config) -> None:
    """uvicorn's supervisor with workers that share out connections evenly (service/balance)."""
    multiprocess.Process = BalancedProcess  # type: ignore[misc]  # the class it starts workers with
    board = board_path(os.getpid())
    try:
        multiprocess.Multiprocess(config, sockets=[config.bind_socket()]).run()
    except KeyboardInterrupt:
        pass
    finally:
        board.unlink(missing_ok=True)


def _prebuild(settings: Settings) -> None:
    """Build the index once, in a child process that exits and frees the builder's memory."""
    process = multiprocessing.get_context("spawn").Process(
        target=prebuild, args=(settings,), name="embargo-index-build")
    process.start()
    process.join()
    if process.exitcode:
        log.warning("building the index before the workers start failed (exit status %s); "
                    "each worker builds its own", process.exitcode)


def key_dict(key: ApiKey) -> dict[str, Any]:
    return {"id": key.id, "name": key.name, "scopes": sorted(key.scopes),
            "created_at": key.created_at.isoformat(timespec="seconds"),
            "revoked_at": key.revoked_at.isoformat(timespec="seconds") if key.revoked_at else None,
            "active": key.active}


def create_key(store: Store, name: str, scopes: list[str]) -> tuple[ApiKey, str]:
    """A new key and its token: print the token once, it is not stored."""
    return KeyStore(store.engine).create(name, scopes)


def list_keys(store: Store) -> list[ApiKey]:
    return KeyStore(store.engine).list()


def revoke_key(store: Store, key_id: str) -> ApiKey:
    return KeyStore(store.engine).revoke(key_id)


def keys_table(keys: list[ApiKey]) -> str:
    rows = [("ID", "NAME", "SCOPES", "CREATED", "REVOKED")]
    rows += [(k.id, k.name, ",".join(sorted(k.scopes)),
              k.created_at.isoformat(timespec="seconds"),
              k.revoked_at.isoformat(timespec="seconds") if k.revoked_at else "-") for k in keys]
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
                     for r in rows)
