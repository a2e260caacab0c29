"""Service commands: serve, keys."""

from __future__ import annotations

import click

from embargo.cli.base import Context, cli, echo_json, pass_ctx
from embargo.store.keys import SCOPES, ApiKey


@cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--workers", default=None, type=click.IntRange(1, 64),
              help="Worker processes (default: the number of cores this process may use).")
@pass_ctx
def serve_cmd(ctx: Context, host: str, port: int, workers: int | None) -> None:
    """Run the screening HTTP service (OpenAPI docs at /docs)."""
    from embargo.service.commands import default_workers, serve

    serve(ctx.settings, host, port, workers or default_workers())


@cli.group("keys")
def keys_group() -> None:
    """API keys of the HTTP service."""


@keys_group.command("create")
@click.argument("name")
@click.option("--scope", "scopes", multiple=True, default=("screen",), show_default=True,
              type=click.Choice(list(SCOPES)), help="Repeatable.")
@click.option("--user", default=None, help="The user the key acts as (alert decisions).")
@pass_ctx
def keys_create_cmd(ctx: Context, name: str, scopes: tuple[str, ...], user: str | None) -> None:
    """Create a key; its secret is shown once."""
    from embargo.service.commands import create_key

    if user is None:
        key, token = create_key(ctx.store, name, list(scopes))
    else:
        from embargo.store.users import UserStore

        key, token = UserStore(ctx.store.engine).create_key(name, list(scopes), user)
    owner = f", acts as {user}" if user else ""
    click.echo(f"key {key.id} ({', '.join(sorted(key.scopes))}{owner}); shown once, "
               "store it now:")
    click.echo(token)


@keys_group.command("list")
@click.option("--json", "as_json", is_flag=True)
@pass_ctx
def keys_list_cmd(ctx: Context, as_json: bool) -> None:
    """Keys with their scopes, state and user (never their secrets)."""
    from embargo.service.commands import key_dict, list_keys
    from embargo.store.users import UserStore

    keys = list_keys(ctx.store)
    users = UserStore(ctx.store.engine).key_users()
    if as_json:
        echo_json([{**key_dict(k), "user": users.get(k.id)} for k in keys])
    else:
        click.echo(_keys_table(keys, users))


def _keys_table(keys: list[ApiKey], users: dict[str, str]) -> str:
    rows = [("ID", "NAME", "USER", "SCOPES", "CREATED", "REVOKED")]
    rows += [(k.id, k.name, users.get(k.id, "-"), ",".join(sorted(k.scopes)),
              k.created_at.isoformat(timespec="seconds"),
              k.revoked_at.isoformat(timespec="seconds") if k.revoked_at else "-") for k in keys]
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
                     for r in rows)


@keys_group.command("revoke")
@click.argument("key_id")
@pass_ctx
def keys_revoke_cmd(ctx: Context, key_id: str) -> None:
    """Revoke a key at once."""
    from embargo.service.commands import revoke_key

    click.echo(f"revoked {revoke_key(ctx.store, key_id).id}")
