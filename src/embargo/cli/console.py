"""Console commands: ``embargo users passwd NAME`` sets a user's console password."""

from __future__ import annotations

import sys

import click

from embargo.cli.base import Context, pass_ctx
from embargo.cli.monitoring import users_group
from embargo.errors import UsageError


def stdin_password() -> str:
    """The first line of stdin, without its line end (a password may hold spaces)."""
    line = sys.stdin.readline()
    if not line:
        raise UsageError("no password on stdin")
    return line.rstrip("\r\n")


def _prompted() -> str:
    if not sys.stdin.isatty():
        return stdin_password()
    first = click.prompt("New password", hide_input=True, default="", show_default=False)
    again = click.prompt("Repeat it", hide_input=True, default="", show_default=False)
    if first != again:
        raise UsageError("the two passwords differ")
    return str(first)


@users_group.command("passwd")
@click.argument("name")
@click.option("--password-stdin", is_flag=True,
              help="Read the password from the first line of stdin (no prompt).")
@pass_ctx
def users_passwd_cmd(ctx: Context, name: str, password_stdin: bool) -> None:
    """Set a user's password for the web console (prompted, or read from stdin)."""
    from embargo.console.passwords import set_password

    password = stdin_password() if password_stdin else _prompted()
    set_password(ctx.store.engine, name, password)
    click.echo(f"password of {name} set")
