"""``coachctl export ics`` and ``coachctl calendar feed``: bookings for calendar apps."""

from __future__ import annotations

import sys

import typer

from coachctl.cli.common import CoachOption, JsonOption, emit_json, emit_table, load_coach

export_app = typer.Typer(
    add_completion=False, rich_markup_mode=None, help="Export bookings.", no_args_is_help=True
)
app = typer.Typer(
    add_completion=False,
    rich_markup_mode=None,
    help="A private calendar feed of your bookings.",
    no_args_is_help=True,
)


@export_app.callback()
def export_group() -> None:
    """Export bookings."""


@export_app.command("ics")
def export_ics(
    date_from: str = typer.Option(None, "--from", help="YYYY-MM-DD (coach's zone)."),
    date_to: str = typer.Option(None, "--to", help="YYYY-MM-DD, inclusive."),
    coach: str = CoachOption,
) -> None:
    """Write bookings as an iCalendar file to stdout: coachctl export ics > bookings.ics"""
    from datetime import timedelta

    from coachctl.engine import parse
    from coachctl.engine.messaging import ics
    from coachctl.engine.scheduling import bookings, schedule
    from coachctl.engine.scheduling.availability import local_days

    _, found = load_coach(coach)
    tz = schedule.zone_of(found)
    start = local_days(parse.day(date_from), 1, tz).start if date_from else None
    end = local_days(parse.day(date_to) + timedelta(days=1), 1, tz).start if date_to else None
    rows = bookings.list_bookings(found, start=start, end=end)
    sys.stdout.buffer.write(ics.feed(found, [b for b in rows if b.status != "PENDING"]))
    sys.stdout.flush()


@app.command()
def feed(
    revoke: int = typer.Option(None, "--revoke", help="Revoke the feed with this id."),
    coach: str = CoachOption,
    as_json: bool = JsonOption,
) -> None:
    """Make a subscription URL for Google, Apple or Thunderbird calendars (or revoke one)."""
    from coachctl.engine.tokens import create_token, revoke_token

    settings, found = load_coach(coach)
    if revoke is not None:
        revoke_token(found, revoke)
        typer.echo(f"Revoked calendar feed {revoke}.")
        return
    row, token = create_token(found, "calendar feed", scope="ical")
    url = f"{settings.base_url}/ical/{token}.ics"
    if as_json:
        emit_json({"id": row.id, "url": url})
    else:
        typer.echo(url)
        typer.echo(
            f"Feed {row.id}: subscribe to this URL; revoke with --revoke {row.id}.", err=True
        )


@app.command("list")
def list_feeds(coach: str = CoachOption, as_json: bool = JsonOption) -> None:
    """List calendar feeds (not their secret URLs)."""
    from coachctl.engine.tokens import list_tokens

    _, found = load_coach(coach)
    rows = [
        {"id": t.id, "prefix": t.prefix, "revoked": t.revoked_at is not None}
        for t in list_tokens(found, scope="ical")
    ]
    if as_json:
        emit_json(rows)
        return
    emit_table(
        "Calendar feeds",
        ["id", "token starts", "revoked"],
        [(r["id"], r["prefix"] + "…", "yes" if r["revoked"] else "") for r in rows],
        "No calendar feeds. Make one: coachctl calendar feed",
    )
