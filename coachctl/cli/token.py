"""``coachctl token create|list|revoke``: API tokens for scripts."""

from __future__ import annotations

import typer

from coachctl.cli.common import CoachOption, JsonOption, emit_json, emit_table, load_coach

app = typer.Typer(
    add_completion=False,
    rich_markup_mode=None,
    help="API tokens (stored hashed; shown once).",
    no_args_is_help=True,
)


@app.command()
def create(
    name: str = typer.Option(..., "--name", help="What the token is for."),
    coach: str = CoachOption,
    as_json: bool = JsonOption,
) -> None:
    """Create a token; it is printed once and never stored in clear."""
    from coachctl.engine.tokens import create_token

    _, found = load_coach(coach)
    row, token = create_token(found, name)
    if as_json:
        emit_json({"id": row.id, "name": row.name, "token": token})
    else:
        typer.echo(token)
        typer.echo(
            f"Token {row.id} ({row.name}) for {found.slug}; store it now, it is shown once.",
            err=True,
        )


@app.command("list")
def list_(coach: str = CoachOption, as_json: bool = JsonOption) -> None:
    """List tokens (never their secret part)."""
    from coachctl.engine import formats
    from coachctl.engine.parse import format_instant
    from coachctl.engine.tokens import list_tokens

    _, found = load_coach(coach)
    tokens = list_tokens(found)
    if as_json:
        emit_json(
            [
                {
                    "id": t.id,
                    "name": t.name,
                    "prefix": t.prefix,
                    "created_at": format_instant(t.created_at),
                    "last_used_at": format_instant(t.last_used_at) if t.last_used_at else None,
                    "revoked": t.revoked_at is not None,
                }
                for t in tokens
            ]
        )
        return
    emit_table(
        f"Tokens for {found.slug} ({found.timezone})",
        ["id", "name", "prefix", "created", "last used", "revoked"],
        [
            (
                t.id,
                t.name,
                t.prefix + "…",
                formats.moment(t.created_at, found.timezone),
                formats.moment(t.last_used_at, found.timezone) if t.last_used_at else "never",
                "yes" if t.revoked_at else "",
            )
            for t in tokens
        ],
        "No tokens.",
        whole=("created", "last used"),
        optional=("prefix", "revoked"),
    )


@app.command()
def revoke(token_id: int = typer.Argument(...), coach: str = CoachOption) -> None:
    """Revoke a token by id."""
    from coachctl.engine.tokens import revoke_token

    _, found = load_coach(coach)
    revoke_token(found, token_id)
    typer.echo(f"Revoked token {token_id}.")
