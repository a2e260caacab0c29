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


def _import_line(r: ImportResult) -> str:
    state = "imported" if r.created else "unchanged"
    declared = f" (file declares {r.declared_count})" if r.declared_count is not None else ""
    return (f"{state}: {r.source} {r.published} -> snapshot #{r.snapshot.id}, "
            f"{r.entity_count} entities{declared}  [{r.path}]")


@cli.command("import")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--source", "kind", default=None, help="Parser kind or list name (skip detection).")
@click.option("--published", default=None, help="Publication date YYYY-MM-DD (overrides the file).")
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON.")
@pass_ctx
def import_cmd(ctx: Context, path: Path, kind: str | None, published: str | None,
               as_json: bool) -> None:
    """Import a list file or folder into dated snapshots (atomic; idempotent)."""
    results = import_path(ctx.store, path, kind=kind, published=parse_day(published, "--published"),
                          max_bytes=ctx.settings.max_file_bytes)
    if as_json:
        echo_json([{"path": r.path, "source": r.source, "created": r.created,
                    "snapshot": render.snapshot_dict(r.snapshot), "warnings": r.warnings}
                   for r in results])
    else:
        for r in results:
            click.echo(_import_line(r))
            for warning in r.warnings:
                click.echo(f"  warning: {warning}", err=True)
    _monitor_if_new(ctx, any(r.created for r in results))


def _monitor_if_new(ctx: Context, created: bool) -> None:
    """The monitor's delta run after new snapshots, when monitoring is on."""
    if created:
        from embargo.cli.monitoring import run_after_change

        run_after_change(ctx)


@cli.command("lists")
@click.option("--source", default=None, help="Only this list.")
@click.option("--json", "as_json", is_flag=True)
@pass_ctx
def lists_cmd(ctx: Context, source: str | None, as_json: bool) -> None:
    """Sources, snapshots, publication dates and counts."""
    snapshots = ctx.store.snapshots(source)
    if as_json:
        echo_json([render.snapshot_dict(s) for s in snapshots])
    elif not snapshots:
        click.echo("no snapshots yet: run `embargo import PATH` or `embargo update`")
    else:
        click.echo(render.snapshots_table(snapshots))


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
@pass_ctx
def update_cmd(ctx: Context, names: tuple[str, ...]) -> None:
    """Download, verify and import the official lists; failures keep the old snapshot."""
    settings = ctx.settings
    sources = load_sources(settings.sources_file)
    unknown = [n for n in names if n not in sources]
    if unknown:
        raise UsageError(f"unknown source {unknown[0]!r}; configured: {', '.join(sources)}")
    failed = created = 0
    for name in names or tuple(sources):
        result = update_source(ctx.store, sources[name], settings.fetch_timeout,
                               settings.max_file_bytes)
        failed += not result.ok
        created += sum(r.created for r in result.results)
        click.echo(f"{'ok' if result.ok else 'FAILED'}: {name}: {result.message}",
                   err=not result.ok)
        for r in result.results:
            click.echo("  " + _import_line(r))
    _monitor_if_new(ctx, created > 0)
    if failed:
        raise SystemExit(6)


@cli.command("demo")
@pass_ctx
def demo_cmd(ctx: Context) -> None:
    """Import the bundled demo lists and show what Embargo does with them."""
    from embargo.demo import run_demo

    for section in run_demo(ctx.store, ctx.settings.max_file_bytes,
                            ctx.settings.home / "index"):
        click.echo(section)
        click.echo()
