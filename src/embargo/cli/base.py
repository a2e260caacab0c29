"""What every ``embargo`` command shares: the group, settings, the store, I/O helpers."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import IO, Any, TypeVar

import click
import orjson

from embargo import __version__
from embargo.errors import UsageError
from embargo.settings import Settings, load_settings
from embargo.store import Store

F = TypeVar("F", bound=Callable[..., Any])
log = logging.getLogger(__name__)


def parse_day(value: str | None, what: str = "date") -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"{what} must be YYYY-MM-DD, not {value!r}") from None


class Context:
    """What every command needs: settings and a lazily opened store."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._store: Store | None = None

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = Store.open(self.settings.store_url)
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()


pass_ctx = click.make_pass_decorator(Context)


@contextmanager
def output(path: str | None, binary: bool = False) -> Iterator[IO[Any]]:
    """A writable stream for ``-o``; ``-`` or nothing is stdout."""
    if path is None or path == "-":
        yield sys.stdout.buffer if binary else sys.stdout
        return
    if binary:
        with open(path, "wb") as fb:
            yield fb
    else:
        with open(path, "w", encoding="utf-8") as ft:
            yield ft


def echo_json(data: Any) -> None:
    click.echo(orjson.dumps(data, option=orjson.OPT_INDENT_2).decode())


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--home", type=click.Path(file_okay=False), default=None,
              help="Data folder (default: $EMBARGO_HOME or ~/.local/share/embargo).")
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
@click.version_option(__version__, prog_name="embargo")
@click.pass_context
def cli(ctx: click.Context, home: str | None, verbose: int) -> None:
    """Embargo: sanctions lists as dated snapshots, screening and programme rules."""
    settings = load_settings(home)
    level = {0: settings.log_level, 1: "INFO"}.get(verbose, "DEBUG")
    logging.basicConfig(level=level, format="embargo: %(levelname)s: %(message)s",
                        stream=sys.stderr)
    ctx.obj = Context(settings)
    ctx.call_on_close(ctx.obj.close)


def read_input(path: str) -> bytes:
    """The bytes of an input file; ``-`` is stdin."""
    if path == "-":
        return sys.stdin.buffer.read()
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except OSError as exc:
        raise UsageError(f"{path}: cannot read: {exc.strerror}") from None
