"""Commands that prove the lists: ``verify`` (digests and the snapshot log, signed exports of
the log) and ``release``."""

from __future__ import annotations

from pathlib import Path

import click
import orjson

from embargo import render
from embargo.cli.base import Context, cli, echo_json, pass_ctx
from embargo.errors import UsageError, VerificationError
from embargo.store.attest import export_log, load_private_key, load_public_key, verify_export


def _fail(problems: list[str]) -> VerificationError:
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    return VerificationError(f"verification failed: {problems[0]}{more}", problems=problems)


@cli.command("verify")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--write-export", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="After verifying, write the snapshot log and its head to this file.")
@click.option("--sign-key", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Ed25519 private key (PEM) signing the export's head.")
@click.option("--export", "export", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="Verify this export of a log instead of the store.")
@click.option("--public-key", default=None,
              help="Who must have signed the export: Ed25519 public key, hex or PEM file.")
@pass_ctx
def verify_cmd(ctx: Context, as_json: bool, write_export: Path | None,
               sign_key: Path | None, export: Path | None, public_key: str | None) -> None:
    """Recompute every digest and the snapshot log's chain; exit 8 naming what differs."""
    if export is not None:
        _verify_export(export, public_key, as_json)
        return
    if sign_key is not None and write_export is None:
        raise UsageError("--sign-key signs an export: give --write-export FILE too")
    key = load_private_key(sign_key) if sign_key is not None else None
    report = ctx.store.verify()
    if as_json:
        echo_json(report.as_dict())
    elif report.ok:
        click.echo(f"ok: {report.records} log records, {report.snapshots} snapshots, "
                   f"{report.versions} entity versions verified; chain head {report.head}")
    else:
        for problem in report.problems:
            click.echo(f"FAILED: {problem}", err=True)
    if not report.ok:
        raise _fail(report.problems)
    if write_export is not None:
        data = export_log(ctx.store.log_records(), key)
        write_export.write_bytes(orjson.dumps(data, option=orjson.OPT_INDENT_2))
        click.echo(f"wrote {write_export}: {data['records']} records, head {data['head']}"
                   + (f", signed by {data['public_key']}" if key else ", unsigned"), err=True)


def _verify_export(path: Path, public_key: str | None, as_json: bool) -> None:
    try:
        data = orjson.loads(path.read_bytes())
    except (OSError, orjson.JSONDecodeError) as exc:
        raise UsageError(f"{path}: cannot read the export: {exc}") from None
    report = verify_export(data, load_public_key(public_key) if public_key else None)
    if as_json:
        echo_json(report.as_dict())
    elif report.ok:
        signed = f", signed by {report.signed_by}" if report.signed_by else ""
        click.echo(f"ok: export of {report.records} log records, head {report.head}{signed}")
        for note in report.notes:
            click.echo(f"  note: {note}", err=True)
    else:
        for problem in report.problems:
            click.echo(f"FAILED: {problem}", err=True)
    if not report.ok:
        raise _fail(report.problems)


@cli.command("release")
@click.argument("snapshot_id", type=int)
@click.option("--user", required=True, help="Who releases it (recorded in the snapshot log).")
@click.option("--json", "as_json", is_flag=True)
@pass_ctx
def release_cmd(ctx: Context, snapshot_id: int, user: str, as_json: bool) -> None:
    """Put a held snapshot in force (audited in the snapshot log)."""
    before = ctx.store.get_snapshot(snapshot_id)
    snapshot = ctx.store.release(snapshot_id, user)
    if as_json:
        echo_json(dict(render.snapshot_dict(snapshot), released_by=user, was_held=before.held))
    else:
        click.echo(f"released: snapshot #{snapshot.id} of {snapshot.source} "
                   f"({snapshot.published}) is in force; it was held: {before.held}")
