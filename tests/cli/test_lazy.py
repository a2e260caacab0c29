"""The ``embargo`` group imports a command's module only when the command runs."""

from __future__ import annotations

import subprocess
import sys

import click
from click.testing import CliRunner

from embargo.cli import cli
from embargo.cli.base import COMMANDS, load_commands

_PROBE = """
import sys
from embargo.cli import main
main({args!r})
heavy = sorted(m for m in ("sqlalchemy", "pyarrow", "embargo.store", "embargo.cli.batch",
                           "embargo.matching.compare") if m in sys.modules)
print("HEAVY", ",".join(heavy))
"""


def _run(args: list[str]) -> tuple[str, list[str]]:
    done = subprocess.run([sys.executable, "-c", _PROBE.format(args=args)], capture_output=True,
                          text=True, check=True, timeout=120)
    out, _, heavy = done.stdout.rpartition("HEAVY ")
    return out, [m for m in heavy.strip().split(",") if m]


def test_help_lists_every_command_without_importing_them() -> None:
    out, heavy = _run(["--help"])
    assert heavy == []
    for name in COMMANDS:
        assert f"\n  {name} " in out


def test_a_command_imports_only_its_module() -> None:
    out, heavy = _run(["customers", "--help"])
    assert "import" in out and "remove" in out
    assert "embargo.cli.batch" not in heavy and "pyarrow" not in heavy


def test_the_table_matches_the_commands() -> None:
    load_commands()
    assert set(cli.commands) == set(COMMANDS)
    for name, (_, short) in COMMANDS.items():
        assert cli.commands[name].get_short_help_str(limit=300) == short, name


def test_help_is_what_click_prints_for_the_loaded_commands() -> None:
    ctx = click.Context(cli, info_name="embargo", terminal_width=80)
    load_commands()
    loaded = dict(cli.commands)
    cli.commands.clear()  # as in a new process: nothing loaded
    lazy = ctx.make_formatter()
    try:
        cli.format_commands(ctx, lazy)
    finally:
        cli.commands.update(loaded)
    eager = ctx.make_formatter()
    click.Group.format_commands(cli, ctx, eager)
    assert lazy.getvalue() == eager.getvalue()
    assert "verify" in lazy.getvalue()


def test_users_has_the_console_subcommand() -> None:
    result = CliRunner().invoke(cli, ["users", "--help"])
    assert result.exit_code == 0
    assert "passwd" in result.output
