"""Alert commands: list, show, review, decide, approve, reject, export, audit."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click
import orjson

from embargo.alerts.types import AlertFilter
from embargo.cli.base import Context, cli, echo_json, output, pass_ctx
from embargo.errors import UsageError

F = TypeVar("F", bound=Callable[..., Any])
STATES = ["open", "review", "cleared", "confirmed", "escalated", "delisted"]


@cli.group("alerts")
def alerts_group() -> None:
    """Alerts raised by monitoring, their review and four-eyes approval, and reports."""


def _filters(func: F) -> F:
    options = [
        click.option("--state", "states", multiple=True, type=click.Choice(STATES),
                     help="Only alerts in this state (repeatable)."),
        click.option("--source", "--list", "source", default=None, help="Only this list."),
        click.option("--program", default=None, help="Only this programme (e.g. PEESA-EO14039)."),
        click.option("--min-score", type=click.FloatRange(0, 1), default=None),
        click.option("--max-score", type=click.FloatRange(0, 1), default=None),
        click.option("--older-than", type=click.IntRange(0), default=None,
                     help="Raised at least this many days ago."),
        click.option("--newer-than", type=click.IntRange(0), default=None,
                     help="Raised at most this many days ago."),
        click.option("--customer", default=None, help="Only this customer."),
        click.option("--entity", default=None, help="Only this listed entry."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _filter(kw: dict[str, Any], ctx: Context | None = None) -> AlertFilter:
    """The filter of the options; a list unknown to the store is an error, not "no alerts"."""
    if ctx is not None and kw["source"] and kw["source"] not in ctx.store.sources():
        known = ", ".join(ctx.store.sources()) or "none imported yet"
        raise UsageError(f"unknown list {kw['source']!r} (lists: {known})")
    return AlertFilter(states=tuple(kw["states"]), source=kw["source"], program=kw["program"],
                       min_score=kw["min_score"], max_score=kw["max_score"],
                       older_than_days=kw["older_than"], newer_than_days=kw["newer_than"],
                       customer_id=kw["customer"], entity_id=kw["entity"])


@alerts_group.command("list")
@_filters
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@pass_ctx
def alerts_list_cmd(ctx: Context, /, as_json: bool, **kw: Any) -> None:
    """Alerts, oldest first, with filters."""
    from embargo.store.alerts import AlertStore

    found = AlertStore(ctx.store.engine).iter(_filter(kw, ctx))
    if as_json:
        for alert in found:
            sys.stdout.write(orjson.dumps(alert.as_dict(with_hit=False)).decode() + "\n")
        return
    count = 0
    for a in found:
        pending = f" (pending {a.pending_decision} by {a.pending_by})" if a.pending_decision else ""
        delisted = f" delisted {a.delisted_on}" if a.delisted_on else ""
        click.echo(f"{a.id:>6}  {a.state:<9} {a.score:.3f}  {a.customer_id}  {a.entity_id}  "
                   f"{a.caption}{pending}{delisted}")
        count += 1
    if not count:
        click.echo("no alerts")


@alerts_group.command("show")
@click.argument("alert_id", type=int)
@click.option("--json", "as_json", is_flag=True)
@pass_ctx
def alerts_show_cmd(ctx: Context, alert_id: int, as_json: bool) -> None:
    """An alert: the hit, its explanation, what it was raised on, and every event."""
    from embargo.monitoring.views import alert_text, alert_view

    view = alert_view(ctx.store, alert_id)
    if as_json:
        echo_json(view)
    else:
        click.echo(alert_text(view))


_USER = click.option("--user", required=True, help="The acting user (known to the store).")
_COMMENT = click.option("--comment", default=None)
_REVISION = click.option("--revision", type=int, default=None,
                         help="Fail (exit 9) unless the alert is still at this revision.")


def _done(alert: Any) -> None:
    pending = (f", awaiting approval of {alert.pending_decision} by a second user"
               if alert.pending_decision else "")
    click.echo(f"alert {alert.id}: {alert.state}{pending} (revision {alert.revision})")


@alerts_group.command("review")
@click.argument("alert_id", type=int)
@_USER
@_COMMENT
@_REVISION
@pass_ctx
def alerts_review_cmd(ctx: Context, alert_id: int, user: str, comment: str | None,
                      revision: int | None) -> None:
    """Start reviewing an open alert."""
    from embargo.alerts.actions import take

    _done(take(ctx.store, alert_id, user, comment, revision))


@alerts_group.command("decide")
@click.argument("alert_id", type=int)
@click.option("--decision", required=True, type=click.Choice(["cleared", "confirmed",
                                                              "escalated"]))
@click.option("--reason", required=True, help="Reason code, e.g. name_only, dob_mismatch.")
@_USER
@_COMMENT
@_REVISION
@pass_ctx
def alerts_decide_cmd(ctx: Context, alert_id: int, decision: str, reason: str, user: str,
                      comment: str | None, revision: int | None) -> None:
    """Clear, confirm or escalate (confirming, and clearing high scores, need approval)."""
    from embargo.alerts.actions import decide

    _done(decide(ctx.store, alert_id, user, decision, reason, comment, revision))


@alerts_group.command("approve")
@click.argument("alert_id", type=int)
@_USER
@_COMMENT
@_REVISION
@pass_ctx
def alerts_approve_cmd(ctx: Context, alert_id: int, user: str, comment: str | None,
                       revision: int | None) -> None:
    """Approve the pending decision (never your own)."""
    from embargo.alerts.actions import approve

    _done(approve(ctx.store, alert_id, user, comment, revision))


@alerts_group.command("reject")
@click.argument("alert_id", type=int)
@_USER
@_COMMENT
@_REVISION
@pass_ctx
def alerts_reject_cmd(ctx: Context, alert_id: int, user: str, comment: str | None,
                      revision: int | None) -> None:
    """Turn the pending decision down (the alert goes back to review)."""
    from embargo.alerts.actions import reject

    _done(reject(ctx.store, alert_id, user, comment, revision))


@alerts_group.command("export")
@_filters
@click.option("--format", "fmt", type=click.Choice(["csv", "jsonl"]), default="csv",
              show_default=True)
@click.option("-o", "--output", "out", default=None, help="Output file ('-' = stdout).")
@pass_ctx
def alerts_export_cmd(ctx: Context, /, fmt: str, out: str | None, **kw: Any) -> None:
    """Write the alerts (with filters) as CSV or JSON lines (with hits and explanations)."""
    from embargo.alerts.reports import write_alerts
    from embargo.store.alerts import AlertStore

    with output(out) as fh:
        write_alerts(AlertStore(ctx.store.engine).iter(_filter(kw, ctx)), fh, fmt)


@alerts_group.command("audit")
@click.option("--format", "fmt", type=click.Choice(["csv", "jsonl"]), default="csv",
              show_default=True)
@click.option("-o", "--output", "out", default=None, help="Output file ('-' = stdout).")
@pass_ctx
def alerts_audit_cmd(ctx: Context, fmt: str, out: str | None) -> None:
    """Every event of every alert (raised, decided, approved, delisted): for an examiner."""
    from embargo.alerts.reports import write_audit
    from embargo.store.alerts import AlertStore

    store = AlertStore(ctx.store.engine)
    alerts = {a.id: a for a in store.iter()}
    with output(out) as fh:
        write_audit(store.iter_events(), alerts, fh, fmt)
