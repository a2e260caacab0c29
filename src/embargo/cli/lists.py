"""Commands on lists and snapshots: import, lists, diff, show, export, update, demo."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO, cast

import click

from embargo import render
from embargo.cli.base import Context, cli, echo_json, output, parse_day, pass_ctx
from embargo.errors import UsageError
from embargo.ingest.catalog import load_sources
from embargo.ingest.fetch import update_source
from embargo.ingest.importer import ImportResult, import_path
from embargo.ingest.policy import HoldPolicy

HELD_EXIT = 7  # a snapshot was stored held (not in force): see `embargo lists --held`


def _import_line(r: ImportResult) -> str:
    state = "imported" if r.created else "unchanged"
    state = f"HELD ({'imported' if r.created else 'unchanged'})" if r.held else state
    declared = f" (file declares {r.declared_count})" if r.declared_count is not None else ""
    line = (f"{state}: {r.source} {r.published} -> snapshot #{r.snapshot.id}, "
            f"{r.entity_count} entities{declared}  [{r.path}]")
    if r.held:
        line += (f"\n  held, not in force: {r.held}; the previous snapshot stays in force "
                 f"until `embargo release {r.snapshot.id} --user NAME`")
    return line


def policy(ctx: Context, max_removed: float | None = None, backfill: bool = False) -> HoldPolicy:
    settings = ctx.settings
    share = settings.max_removed if max_removed is None else max_removed
    return HoldPolicy(max_removed=share, future_days=settings.future_days, backfill=backfill)


@cli.command("import")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--source", "kind", default=None, help="Parser kind or list name (skip detection).")
@click.option("--published", default=None, help="Publication date YYYY-MM-DD (overrides the file).")
@click.option("--max-removed", type=click.FloatRange(0.0, 1.0), default=None,
              help="Hold a snapshot that removes more than this share of the previous one's "
                   "entities (default 0.05, EMBARGO_MAX_REMOVED).")
@click.option("--backfill", is_flag=True,
              help="Files older than the snapshot in force fill in history (not held as a "
                   "rollback).")
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON.")
@pass_ctx
def import_cmd(ctx: Context, path: Path, kind: str | None, published: str | None,
               max_removed: float | None, backfill: bool, as_json: bool) -> None:
    """Import a list file or folder into dated snapshots (atomic; idempotent).

    A suspicious snapshot (empty, much smaller, a large drop, a rollback) is stored held and
    the command exits 7; a future publication date is refused.
    """
    results = import_path(ctx.store, path, kind=kind, published=parse_day(published, "--published"),
                          max_bytes=ctx.settings.max_file_bytes,
                          policy=policy(ctx, max_removed, backfill),
                          provenance={"origin": "import"})
    if as_json:
        echo_json([{"path": r.path, "source": r.source, "created": r.created, "held": r.held,
                    "snapshot": render.snapshot_dict(r.snapshot), "warnings": r.warnings}
                   for r in results])
    else:
        for r in results:
            click.echo(_import_line(r))
            for warning in r.warnings:
                click.echo(f"  warning: {warning}", err=True)
    _monitor_if_new(ctx, any(r.created and not r.held for r in results))
    if any(r.held for r in results):
        raise SystemExit(HELD_EXIT)


def _monitor_if_new(ctx: Context, created: bool) -> None:
    """The monitor's delta run after new snapshots, when monitoring is on."""
    if created:
        from embargo.cli.monitoring import run_after_change

        run_after_change(ctx)


@cli.command("lists")
@click.option("--source", default=None, help="Only this list.")
@click.option("--held", is_flag=True, help="Only held snapshots (not in force), with why.")
@click.option("--json", "as_json", is_flag=True)
@pass_ctx
def lists_cmd(ctx: Context, source: str | None, held: bool, as_json: bool) -> None:
    """Sources, snapshots, publication dates and counts (held ones marked)."""
    snapshots = ctx.store.held_snapshots(source) if held else ctx.store.snapshots(source)
    if as_json:
        echo_json([dict(render.snapshot_dict(s), provenance=ctx.store.provenance(s.id))
                   for s in snapshots])
    elif not snapshots:
        click.echo("no held snapshots" if held else
                   "no snapshots yet: run `embargo import PATH` or `embargo update`")
    else:
        click.echo(render.snapshots_table(snapshots))
        for s in snapshots:
            if s.held:
                click.echo(f"held #{s.id} ({s.source} {s.published}): {s.held}")


@cli.command("diff")
@click.argument("source")
@click.argument("old")
@click.argument("new")
@click.option("--json", "as_json", is_flag=True)
@pass_ctx
def diff_cmd(ctx: Context, source: str, old: str, new: str, as_json: bool) -> None:
    """Entities added, removed and changed between two snapshots (dates or ids)."""
    store = ctx.store
    diff = store.diff(store.resolve_snapshot(source, old), store.resolve_snapshot(source, new))
    if as_json:
        echo_json(render.diff_dict(diff))
    else:
        click.echo(render.diff_text(diff))


@cli.command("show")
@click.argument("entity_id")
@click.option("--as-of", default=None, help="YYYY-MM-DD: the lists as they stood that day.")
@click.option("--json", "as_json", is_flag=True)
@pass_ctx
def show_cmd(ctx: Context, entity_id: str, as_of: str | None, as_json: bool) -> None:
    """One entity as listed on a date, with its history."""
    day = parse_day(as_of, "--as-of")
    state = ctx.store.entity_as_of(entity_id, day)
    history = ctx.store.history(entity_id)
    if as_json:
        echo_json(render.state_dict(state, day, history))
    else:
        click.echo(render.state_text(state, day, history))


@cli.command("export")
@click.option("--format", "fmt", type=click.Choice(["ftm", "json"]), default="ftm",
              show_default=True, help="ftm: FollowTheMoney JSON lines; json: Embargo's own.")
@click.option("--as-of", default=None, help="YYYY-MM-DD (default: the newest snapshots).")
@click.option("--source", "sources", multiple=True, help="Only these lists (repeatable).")
@click.option("-o", "--output", "out", default=None, help="Output file ('-' = stdout).")
@pass_ctx
def export_cmd(ctx: Context, fmt: str, as_of: str | None, sources: tuple[str, ...],
               out: str | None) -> None:
    """Write every listed entity (as of a date) as JSON lines."""
    from embargo.model.codec import dumps
    from embargo.model.ftm_export import write_ftm_lines

    snapshots = ctx.store.snapshots_as_of(parse_day(as_of, "--as-of"))
    snapshots = [s for s in snapshots if not sources or s.source in sources]
    with output(out, binary=True) as fh:
        for snap in snapshots:
            entities = ctx.store.iter_entities(snap.id)
            if fmt == "ftm":
                write_ftm_lines(entities, cast(BinaryIO, fh))
            else:
                fh.writelines(dumps(e) + b"\n" for e in entities)


@cli.command("update")
@click.option("--source", "names", multiple=True, help="Only this list (repeatable).")
@click.option("--max-removed", type=click.FloatRange(0.0, 1.0), default=None,
              help="Hold a snapshot that removes more than this share (default 0.05).")
@pass_ctx
def update_cmd(ctx: Context, names: tuple[str, ...], max_removed: float | None) -> None:
    """Download, verify and import the official lists; failures keep the old snapshot.

    Exit 6 when a list failed (download, digest, parse), else 7 when one was held.
    """
    settings = ctx.settings
    sources = load_sources(settings.sources_file)
    unknown = [n for n in names if n not in sources]
    if unknown:
        raise UsageError(f"unknown source {unknown[0]!r}; configured: {', '.join(sources)}")
    failed = held = created = 0
    hold_policy = policy(ctx, max_removed)
    for name in names or tuple(sources):
        result = update_source(ctx.store, sources[name], settings.fetch_timeout,
                               settings.max_file_bytes, hold_policy)
        failed += not result.ok
        held += bool(result.held)
        created += sum(r.created and not r.held for r in result.results)
        click.echo(f"{'ok' if result.ok else 'FAILED'}: {name}: {result.message}",
                   err=not result.ok)
        for r in result.results:
            click.echo("  " + _import_line(r))
        for warning in result.warnings:
            click.echo(f"  warning: {warning}", err=True)
    _monitor_if_new(ctx, created > 0)
    if failed or held:
        raise SystemExit(6 if failed else HELD_EXIT)


@cli.command("demo")
@pass_ctx
def demo_cmd(ctx: Context) -> None:
    """Import the bundled demo lists and show what Embargo does with them."""
    from embargo.demo import run_demo

    for section in run_demo(ctx.store, ctx.settings.max_file_bytes,
                            ctx.settings.home / "index"):
        click.echo(section)
        click.echo()
