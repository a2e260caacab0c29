"""What every ``embargo`` command shares: the group, settings, the store, I/O helpers."""

from __future__ import annotations

import importlib
import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import IO, TYPE_CHECKING, Any, TypeVar

import click
import orjson

from embargo import __version__
from embargo.errors import UsageError
from embargo.settings import Settings, load_settings

if TYPE_CHECKING:
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
            from embargo.store import Store

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


COMMANDS: dict[str, tuple[tuple[str, ...], str]] = {
    # command -> (the modules of embargo.cli that define it, its short help as click makes it;
    # tests/cli/test_lazy.py checks these against the commands)
    "alerts": (("alerts",),
              'Alerts raised by monitoring, their review and four-eyes approval, and reports.'),
    "batch": (("batch",),
             'Screen a whole file (CSV, FtM JSON lines or Parquet) on every core, resumably.'),
    "check": (("rules",),
             'Decide transactions or parties (JSON lines) against the programme rules.'),
    "compare": (("screening",), 'Score name pairs (schema,name1,name2,...'),
    "customers": (("monitoring",),
                 "Monitored customers (screen's input columns; upsert by id; versions kept)."),
    "demo": (("lists",), 'Import the bundled demo lists and show what Embargo does with them.'),
    "diff": (("lists",),
            'Entities added, removed and changed between two snapshots (dates or ids).'),
    "export": (("lists",), 'Write every listed entity (as of a date) as JSON lines.'),
    "import": (("lists",),
              'Import a list file or folder into dated snapshots (atomic; idempotent).'),
    "keys": (("service",), 'API keys of the HTTP service.'),
    "lists": (("lists",), 'Sources, snapshots, publication dates and counts (held ones marked).'),
    "monitor": (("monitoring",),
               'Delta re-screening of the customers when lists or customers change.'),
    "ownership": (("rules",), 'Ownership holdings for the 50% rule.'),
    "release": (("verify",), 'Put a held snapshot in force (audited in the snapshot log).'),
    "screen": (("screening",),
              'Screen parties (CSV with a header, or FtM JSON lines) against the lists.'),
    "serve": (("service",), 'Run the screening HTTP service (OpenAPI docs at /docs).'),
    "show": (("lists",), 'One entity as listed on a date, with its history.'),
    "spark-screen": (("batch",),
                    'Screen a file or dataset on Apache Spark; OUTPUT is a Spark output folder.'),
    "update": (("lists",),
              'Download, verify and import the official lists; failures keep the old snapshot.'),
    "users": (("monitoring", "console"), 'Users of the alert workflow (analyst, approver, admin).'),
    "verify": (("verify",),
              "Recompute every digest and the snapshot log's chain; exit 8 naming what differs."),
}
"""Every command, imported only when it runs: ``embargo --help`` lists them from here."""


class LazyGroup(click.Group):
    """The ``embargo`` group: a command's module is imported when that command is looked up,
    so a command does not pay for importing every other one (the store, pyarrow, ...)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(COMMANDS) | set(self.commands))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in COMMANDS:
            load_commands(cmd_name)
        return self.commands.get(cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """As click's, with the help lines of :data:`COMMANDS` (no command imported)."""
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = [(name, _stand_in(self, name).get_short_help_str(limit)) for name in names]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


def _stand_in(group: click.Group, name: str) -> click.Command:
    """The command itself when loaded, else a command with its help line (not imported)."""
    return group.commands.get(name) or click.Command(name, help=COMMANDS[name][1])


def load_commands(*names: str) -> None:
    """Import the modules defining these commands (every command when none is named)."""
    for name in names or tuple(COMMANDS):
        for module in COMMANDS[name][0]:
            importlib.import_module(f"embargo.cli.{module}")


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
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
