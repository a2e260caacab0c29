"""The ``embargo`` command: a thin layer that parses arguments and calls the library.

Commands live in modules by concern (lists, screening, rules, service); importing them
registers them on the one click group in :mod:`embargo.cli.base`, which imports a command's
module only when that command runs (``embargo --help`` lists them without importing any).
"""

from __future__ import annotations

import logging
import sys

import click

from embargo.cli.base import cli
from embargo.errors import EmbargoError

__all__ = ["cli", "main"]
log = logging.getLogger(__name__)


def main(argv: list[str] | None = None) -> None:
    """Console entry point: one-line errors and exit codes from :mod:`embargo.errors`."""
    try:
        cli.main(args=argv, prog_name="embargo", standalone_mode=False)
    except EmbargoError as exc:
        click.echo(f"embargo: error: {exc.message}", err=True)
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("embargo: aborted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except BrokenPipeError:
        sys.exit(0)
    except Exception as exc:  # a bug: one line, and the traceback with -v
        log.info("internal error", exc_info=True)
        click.echo(f"embargo: internal error: {type(exc).__name__}: {exc} "
                   "(run with -v for the traceback)", err=True)
        sys.exit(70)

