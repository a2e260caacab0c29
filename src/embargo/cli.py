"""The ``embargo`` command: a thin layer that parses arguments and calls the library."""

from __future__ import annotations

import csv
import io
import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import IO, Any, BinaryIO, TypeVar, cast

import click
import orjson

from embargo import __version__, render
from embargo.errors import EmbargoError, ParseError, UsageError, ValidationError
from embargo.ingest.catalog import load_sources
from embargo.ingest.fetch import update_source
from embargo.ingest.importer import ImportResult, import_path
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
        return
    for r in results:
        click.echo(_import_line(r))
        for warning in r.warnings:
            click.echo(f"  warning: {warning}", err=True)


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
    failed = 0
    for name in names or tuple(sources):
        result = update_source(ctx.store, sources[name], settings.fetch_timeout,
                               settings.max_file_bytes)
        failed += not result.ok
        click.echo(f"{'ok' if result.ok else 'FAILED'}: {name}: {result.message}",
                   err=not result.ok)
        for r in result.results:
            click.echo("  " + _import_line(r))
    if failed:
        raise SystemExit(6)


def _read_input(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except OSError as exc:
        raise UsageError(f"{path}: cannot read: {exc.strerror}") from None


@cli.command("screen")
@click.argument("input_path", metavar="INPUT")
@click.option("-o", "--output", "out", default=None, help="Output file ('-' = stdout).")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl",
              show_default=True)
@click.option("--threshold", type=click.FloatRange(0, 1), default=None,
              help="Minimum score of a hit (default: the matcher's documented default).")
@click.option("--limit", type=click.IntRange(1, 1000), default=10, show_default=True,
              help="Hits per query.")
@click.option("--as-of", default=None, help="YYYY-MM-DD: screen against the lists of that day.")
@click.option("--source", "sources", multiple=True, help="Only these lists (repeatable).")
@pass_ctx
def screen_cmd(ctx: Context, input_path: str, out: str | None, fmt: str,
               threshold: float | None, limit: int, as_of: str | None,
               sources: tuple[str, ...]) -> None:
    """Screen parties (CSV with a header, or FtM JSON lines) against the lists."""
    from embargo.matching.query import parse_queries
    from embargo.screening.lists import load_screener
    from embargo.screening.results import CSV_COLUMNS, csv_rows, screen_rows

    raw = _read_input(input_path)
    lists = load_screener(ctx.store, ctx.settings.home / "index", parse_day(as_of, "--as-of"),
                          sources)
    try:
        rows = list(parse_queries(raw))
    except ValueError as exc:
        raise ParseError(input_path, str(exc), line=1) from None
    results = screen_rows(lists.screener, lists.snapshots, rows, threshold, limit)
    show_bar = out not in (None, "-") and len(rows) >= 100
    with output(out) as fh, click.progressbar(results, length=len(rows), label="screening",
                                              file=sys.stderr if show_bar else _Null()) as bar:
        writer = csv.writer(fh) if fmt == "csv" else None
        if writer:
            writer.writerow(CSV_COLUMNS)
        for result in bar:
            if writer:
                writer.writerows(csv_rows(result))
            else:
                fh.write(orjson.dumps(result).decode() + "\n")


class _Null(io.StringIO):
    """A sink for the progress bar when it is not wanted."""

    def isatty(self) -> bool:
        return False


@cli.command("compare")
@click.argument("pairs", metavar="PAIRS")
@click.option("-o", "--output", "out", default=None, help="Output file ('-' = stdout).")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl",
              show_default=True)
@click.option("--threshold", type=click.FloatRange(0, 1), default=None,
              help="Score at which a pair is a match (default: the documented default).")
@pass_ctx
def compare_cmd(ctx: Context, pairs: str, out: str | None, fmt: str,
                threshold: float | None) -> None:
    """Score name pairs (schema,name1,name2,... CSV): one result per row, in order."""
    from embargo.screening.pairs import compare_pairs

    raw = _read_input(pairs)
    text = raw.decode("utf-8", errors="replace").lstrip("\ufeff")
    results = compare_pairs(text, pairs, threshold)
    with output(out) as fh:
        writer = None
        for record, result in results:
            if fmt == "jsonl":
                fh.write(orjson.dumps(result).decode() + "\n")
                continue
            if writer is None:
                extra = [c for c in ("score", "error") if c not in record]
                writer = csv.DictWriter(fh, [*record, *extra], extrasaction="ignore")
                writer.writeheader()
            writer.writerow({**record, "score": result["score"], "error": result["error"]})


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
        counts = write_decisions(run_check(ctx.store, source, as_of=day), cast(IO[bytes], fh))
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


@cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64))
@pass_ctx
def serve_cmd(ctx: Context, host: str, port: int, workers: int) -> None:
    """Run the screening HTTP service (OpenAPI docs at /docs)."""
    from embargo.service.commands import serve

    serve(ctx.settings, host, port, workers)


@cli.group("keys")
def keys_group() -> None:
    """API keys of the HTTP service."""


@keys_group.command("create")
@click.argument("name")
@click.option("--scope", "scopes", multiple=True, default=("screen",), show_default=True,
              type=click.Choice(["screen", "read", "admin"]), help="Repeatable.")
@pass_ctx
def keys_create_cmd(ctx: Context, name: str, scopes: tuple[str, ...]) -> None:
    """Create a key; its secret is shown once."""
    from embargo.service.commands import create_key

    key, token = create_key(ctx.store, name, list(scopes))
    click.echo(f"key {key.id} ({', '.join(sorted(key.scopes))}); shown once, store it now:")
    click.echo(token)


@keys_group.command("list")
@click.option("--json", "as_json", is_flag=True)
@pass_ctx
def keys_list_cmd(ctx: Context, as_json: bool) -> None:
    """Keys with their scopes and state (never their secrets)."""
    from embargo.service.commands import key_dict, keys_table, list_keys

    keys = list_keys(ctx.store)
    if as_json:
        echo_json([key_dict(k) for k in keys])
    else:
        click.echo(keys_table(keys))


@keys_group.command("revoke")
@click.argument("key_id")
@pass_ctx
def keys_revoke_cmd(ctx: Context, key_id: str) -> None:
    """Revoke a key at once."""
    from embargo.service.commands import revoke_key

    click.echo(f"revoked {revoke_key(ctx.store, key_id).id}")


@cli.command("demo")
@pass_ctx
def demo_cmd(ctx: Context) -> None:
    """Import the bundled demo lists and show what Embargo does with them."""
    from embargo.demo import run_demo

    for section in run_demo(ctx.store, ctx.settings.max_file_bytes,
                            ctx.settings.home / "index"):
        click.echo(section)
        click.echo()


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


if __name__ == "__main__":
    main()
