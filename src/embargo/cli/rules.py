"""Programme-rule commands: check, ownership import."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import IO, cast

import click

from embargo.cli.base import Context, cli, output, parse_day, pass_ctx
from embargo.errors import UsageError, ValidationError


@cli.command("check")
@click.argument("input_path", metavar="INPUT")
@click.option("-o", "--output", "out", default=None, help="Output file ('-' = stdout).")
@click.option("--as-of", default=None, help="YYYY-MM-DD for items without a date.")
@pass_ctx
def check_cmd(ctx: Context, input_path: str, out: str | None, as_of: str | None) -> None:
    """Decide transactions or parties (JSON lines) against the programme rules."""
    from embargo.rules.check import run_check, write_decisions

    day = parse_day(as_of, "--as-of")
    source = sys.stdin.buffer if input_path == "-" else _open_input(input_path)
    with source, output(out, binary=True) as fh:
        decisions = run_check(ctx.store, source, as_of=day,
                              cache_dir=ctx.settings.home / "index")
        counts = write_decisions(decisions, cast(IO[bytes], fh))
    summary = ", ".join(f"{n} {k}" for k, n in sorted(counts.items())) or "no items"
    click.echo(f"checked: {summary}", err=True)


def _open_input(path: str) -> IO[bytes]:
    try:
        return open(path, "rb")
    except OSError as exc:
        raise UsageError(f"{path}: cannot read: {exc.strerror}") from None


@cli.group("ownership")
def ownership_group() -> None:
    """Ownership holdings for the 50% rule."""


@ownership_group.command("import")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["auto", "csv", "ftm"]), default="auto",
              help="csv: owner_id,asset_id,percentage,source,as_of; ftm: Ownership entities.")
@click.option("--source", default="ftm", show_default=True, help="Source name for FtM rows.")
@pass_ctx
def ownership_import_cmd(ctx: Context, path: Path, fmt: str, source: str) -> None:
    """Import holdings (all or nothing: any bad row rejects the file)."""
    from embargo.ownership import read_csv, read_ftm
    from embargo.store.ownership import save_holdings

    if not path.is_file():
        raise UsageError(f"{path}: no such file")
    is_csv = fmt == "csv" or (fmt == "auto" and path.suffix.lower() == ".csv")
    result = read_csv(path) if is_csv else read_ftm(path, source)
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    if result.errors:
        for error in result.errors:
            click.echo(f"error: {error}", err=True)
        raise ValidationError(f"{path}: {len(result.errors)} bad row(s); nothing imported")
    click.echo(f"imported {save_holdings(ctx.store, result.holdings)} holdings from {path}")
