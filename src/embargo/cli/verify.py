"""Commands that prove the lists: ``verify`` (digests and the snapshot log) and ``release``."""

from __future__ import annotations

import click

from embargo import render
from embargo.cli.base import Context, cli, echo_json, pass_ctx
from embargo.errors import VerificationError


@cli.command("verify")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@pass_ctx
def verify_cmd(ctx: Context, as_json: bool) -> None:
    """Recompute every digest and the snapshot log's chain; exit 8 naming what differs."""
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
        raise VerificationError(f"verification failed: {report.problems[0]}"
                                + (f" (and {len(report.problems) - 1} more)"
                                   if len(report.problems) > 1 else ""),
                                problems=report.problems)


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
