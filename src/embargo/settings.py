"""Settings, read in one place from ``EMBARGO_*`` environment variables."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from embargo.errors import ConfigError

DEFAULT_SHARED = Path(__file__).resolve().parents[2].parent / "shared"


def _default_home() -> Path:
    xdg = os.environ.get("XDG_DATA_HOME")
    base = Path(xdg) if xdg else Path.home() / ".local" / "share"
    return base / "embargo"


@dataclass(frozen=True, slots=True)
class Settings:
    home: Path
    database_url: str | None
    shared: Path
    fetch_timeout: float
    max_file_bytes: int
    log_level: str
    sources_file: Path | None
    max_removed: float = 0.05  # share of a list's entities a new snapshot may drop unheld
    future_days: int = 1  # publication dates up to today + this many days are accepted
    console_idle_minutes: int = 30  # a console session unused this long ends
    console_signin_attempts: int = 5  # failed sign-ins per user name before a wait
    console_signin_lock_minutes: int = 15  # ... within this window, and the wait

    @property
    def store_url(self) -> str:
        """The SQLAlchemy URL of the store: PostgreSQL if set, else SQLite in home."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.home / 'embargo.sqlite3'}"


def load_settings(home: str | Path | None = None) -> Settings:
    """Settings from the environment; ``home`` (``--home``) wins over ``EMBARGO_HOME``."""
    env = os.environ
    home_path = Path(home or env.get("EMBARGO_HOME") or _default_home()).expanduser()
    shared = Path(env.get("EMBARGO_SHARED") or _shared_default()).expanduser()
    return Settings(
        home=home_path,
        database_url=env.get("EMBARGO_DATABASE_URL") or None,
        shared=shared,
        fetch_timeout=float(env.get("EMBARGO_FETCH_TIMEOUT", "60")),
        max_file_bytes=int(env.get("EMBARGO_MAX_FILE_BYTES", str(512 * 1024 * 1024))),
        log_level=env.get("EMBARGO_LOG_LEVEL", "WARNING"),
        sources_file=Path(env["EMBARGO_SOURCES_FILE"]) if env.get("EMBARGO_SOURCES_FILE") else None,
        max_removed=_number(env, "EMBARGO_MAX_REMOVED", "0.05", float),
        future_days=_number(env, "EMBARGO_FUTURE_TOLERANCE_DAYS", "1", int),
        console_idle_minutes=_number(env, "EMBARGO_CONSOLE_IDLE_MINUTES", "30", int),
        console_signin_attempts=_number(env, "EMBARGO_CONSOLE_SIGNIN_ATTEMPTS", "5", int),
        console_signin_lock_minutes=_number(env, "EMBARGO_CONSOLE_SIGNIN_LOCK_MINUTES", "15",
                                            int),
    )


def _number(env: Mapping[str, str], name: str, default: str, kind: type[Any]) -> Any:
    try:
        return kind(env.get(name, default))
    except ValueError:
        raise ConfigError(f"{name} must be a number, not {env.get(name)!r}") from None


def _shared_default() -> Path:
    """``../shared`` from the working directory, else beside the source checkout."""
    here = Path.cwd().parent / "shared"
    return here if here.exists() else DEFAULT_SHARED
