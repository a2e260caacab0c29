"""Monitoring commands: customers, monitor, users."""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import click
import orjson

from embargo.cli.base import Context, cli, echo_json, pass_ctx, read_input
from embargo.monitoring.run import RunResult


def _table(rows: Sequence[tuple[str, ...]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
                     for r in rows)


def report_run(result: RunResult | None) -> None:
    """One line on stderr about the automatic monitor run, if there was one."""
    if result is not None:
        click.echo(result.summary(), err=True)


def run_after_change(ctx: Context) -> None:
    """The monitor run that follows an import or update when monitoring is on."""
    from embargo.monitoring.hooks import after_change

    report_run(after_change(ctx.store, ctx.settings.home / "index"))


# -- customers ---------------------------------------------------------------------------------

@cli.group("customers")
def customers_group() -> None:
    """Monitored customers (screen's input columns; upsert by id; versions kept)."""


@customers_group.command("import")
@click.argument("path")
@click.option("--format", "fmt", type=click.Choice(["auto", "csv", "ftm", "parquet"]),
              default="auto", show_default=True)
@click.option("--skip-errors", is_flag=True, help="Import the good rows when some are bad.")
@pass_ctx
def customers_import_cmd(ctx: Context, path: str, fmt: str, skip_errors: bool) -> None:
    """Add or update customers from a CSV, FtM JSON lines or Parquet file ('-' = stdin)."""
    from embargo.customers.importer import import_customers, row_errors

    done = import_customers(ctx.store, read_input(path), path, fmt, skip_errors)
    r = done.result
    click.echo(f"customers: {len(r.added)} added, {len(r.changed)} changed, "
               f"{len(r.restored)} restored, {r.unchanged} unchanged, "
               f"{len(done.rejected)} rejected")
    for line in row_errors(list(done.rejected)):
        click.echo(f"  rejected: {line}", err=True)
    for warning in done.warnings:
        click.echo(f"  warning: {warning}", err=True)
    if r.touched:
        run_after_change(ctx)


@customers_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@click.option("--removed", is_flag=True, help="Include removed customers.")
@pass_ctx
def customers_list_cmd(ctx: Context, as_json: bool, removed: bool) -> None:
    """Monitored customers with their current version."""
    from embargo.store.customers import CustomerStore

    found = CustomerStore(ctx.store.engine).iter(include_removed=removed)
    if as_json:
        for customer in found:
            sys.stdout.write(orjson.dumps(customer.as_dict()).decode() + "\n")
        return
    rows = [("ID", "VERSION", "SCHEMA", "NAME", "SCREENED", "REMOVED")]
    rows += [(c.id, str(c.version), str(c.entity.schema), c.entity.caption,
              str(c.screened_version or "-"),
              c.removed_at.date().isoformat() if c.removed_at else "-") for c in found]
    click.echo(_table(rows) if len(rows) > 1 else "no customers yet: "
               "run `embargo customers import FILE`")


@customers_group.command("show")
@click.argument("customer_id")
@click.option("--json", "as_json", is_flag=True)
@pass_ctx
def customers_show_cmd(ctx: Context, customer_id: str, as_json: bool) -> None:
    """A customer, every version of its screened fields, and its alerts."""
    from embargo.monitoring.views import customer_text, customer_view

    view = customer_view(ctx.store, customer_id)
    if as_json:
        echo_json(view)
    else:
        click.echo(customer_text(view))


@customers_group.command("remove")
@click.argument("customer_id")
@pass_ctx
def customers_remove_cmd(ctx: Context, customer_id: str) -> None:
    """Stop monitoring a customer (its versions and alerts are kept)."""
    from embargo.store.customers import CustomerStore

    customer = CustomerStore(ctx.store.engine).remove(customer_id)
    assert customer.removed_at is not None
    click.echo(f"removed {customer.id} (monitoring stopped "
               f"{customer.removed_at.isoformat(timespec='seconds')}; history kept)")


# -- monitor -----------------------------------------------------------------------------------

@cli.group("monitor")
def monitor_group() -> None:
    """Delta re-screening of the customers when lists or customers change."""


@monitor_group.command("run")
@click.option("--full", is_flag=True, help="Re-screen every customer against every list.")
@click.option("--json", "as_json", is_flag=True)
@pass_ctx
def monitor_run_cmd(ctx: Context, full: bool, as_json: bool) -> None:
    """Screen what changed since the last run; raise alerts; mark delistings."""
    with _collector_off():
        from embargo.monitoring.run import run_monitor

        # the process ends with the run: no full garbage collection before freezing the index
        result = run_monitor(ctx.store, ctx.settings.home / "index", full, collect=False)
    if as_json:
        echo_json(result.as_dict())
    else:
        click.echo(result.summary())


@contextmanager
def _collector_off() -> Iterator[None]:
    """The cyclic garbage collector kept off a ``monitor run`` process, which ends with the
    run. The run makes hundreds of thousands of objects that live on (the imports, the list
    index, each distinct customer name's analysis kept by the analysis caches) and few
    cycles, which the collector's passes would walk again and again (a tenth of the delta's
    bound pass); reference counting still frees everything else. What is left is frozen at
    the end, so that the interpreter's last collection at exit does not walk it all (~0.3 s).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def _config(ctx: Context, enabled: bool | None, threshold: float | None,
            four_eyes: float | None) -> None:
    from embargo.store.monitoring import save_config

    config = save_config(ctx.store.engine, enabled=enabled, threshold=threshold,
                         four_eyes_above=four_eyes)
    click.echo(f"monitoring {'on' if config.enabled else 'off'}: threshold "
               f"{config.threshold}, four-eyes above {config.four_eyes_above}")


_THRESHOLD = click.option("--threshold", type=click.FloatRange(0, 1), default=None,
                          help="Alert threshold (a change makes the next run full).")
_FOUR_EYES = click.option("--four-eyes-above", "four_eyes", type=click.FloatRange(0, 1),
                          default=None, help="Clearing an alert scored above this needs "
                          "a second user's approval.")


@monitor_group.command("on")
@_THRESHOLD
@_FOUR_EYES
@pass_ctx
def monitor_on_cmd(ctx: Context, threshold: float | None, four_eyes: float | None) -> None:
    """Run the monitor automatically after each import and update."""
    _config(ctx, True, threshold, four_eyes)


@monitor_group.command("off")
@pass_ctx
def monitor_off_cmd(ctx: Context) -> None:
    """Stop the automatic runs (`monitor run` still works)."""
    _config(ctx, False, None, None)


@monitor_group.command("config")
@_THRESHOLD
@_FOUR_EYES
@pass_ctx
def monitor_config_cmd(ctx: Context, threshold: float | None, four_eyes: float | None) -> None:
    """Change the levels without switching monitoring on or off."""
    _config(ctx, None, threshold, four_eyes)


@monitor_group.command("status")
@click.option("--json", "as_json", is_flag=True)
@pass_ctx
def monitor_status_cmd(ctx: Context, as_json: bool) -> None:
    """On or off, levels, customers due, and lists screened against."""
    from embargo.monitoring.views import status, status_text

    data = status(ctx.store)
    if as_json:
        echo_json(data)
    else:
        click.echo(status_text(data))


# -- users -------------------------------------------------------------------------------------

@cli.group("users")
def users_group() -> None:
    """Users of the alert workflow (analyst, approver, admin)."""


@users_group.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(["analyst", "approver", "admin"]), required=True)
@click.option("--password-stdin", is_flag=True,
              help="Also set the console password, read from the first line of stdin.")
@pass_ctx
def users_add_cmd(ctx: Context, name: str, role: str, password_stdin: bool) -> None:
    """Add a user."""
    from embargo.cli.console import stdin_password
    from embargo.console.passwords import check_password, set_password
    from embargo.store.users import UserStore

    password = check_password(stdin_password()) if password_stdin else None
    user = UserStore(ctx.store.engine).add(name, role)
    if password is not None:
        set_password(ctx.store.engine, user.name, password)
    click.echo(f"added user {user.name} ({user.role})"
               + (", console password set" if password is not None else ""))


@users_group.command("list")
@click.option("--json", "as_json", is_flag=True)
@pass_ctx
def users_list_cmd(ctx: Context, as_json: bool) -> None:
    """Users and their roles."""
    from embargo.store.users import UserStore

    users = UserStore(ctx.store.engine).list()
    if as_json:
        echo_json([u.as_dict() for u in users])
    elif not users:
        click.echo("no users yet: run `embargo users add NAME --role analyst`")
    else:
        click.echo(_table([("NAME", "ROLE", "CREATED")] + [
            (u.name, u.role, u.created_at.isoformat(timespec="seconds")) for u in users]))
