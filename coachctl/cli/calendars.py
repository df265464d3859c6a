"""``coachctl calendars add|add-caldav|list|rm|sync``: the coach's own calendars as busy time."""

from __future__ import annotations

import os

import typer

from coachctl.cli.common import CoachOption, JsonOption, emit_json, emit_table, load_coach

PASSWORD_ENV = "COACHCTL_CALDAV_PASSWORD"

app = typer.Typer(
    add_completion=False,
    rich_markup_mode=None,
    help="Your own calendars (ICS feeds, CalDAV): their busy time blocks slots.",
    no_args_is_help=True,
)
AllDayOption = typer.Option("busy", "--all-day", help="All-day events count as: busy or free.")


def _report(result, name: str) -> None:
    if result.error:
        typer.echo(f"{name}: sync failed: {result.error}", err=True)
    elif result.changed:
        typer.echo(f"{name}: {result.intervals} busy interval(s).")
    else:
        typer.echo(f"{name}: unchanged ({result.intervals} busy interval(s)).")


@app.command()
def add(
    url: str = typer.Argument(..., help="webcal://, https:// or http:// address of an ICS feed"),
    name: str = typer.Option("", "--name", help="A name to recognise it by."),
    all_day: str = AllDayOption,
    coach: str = CoachOption,
    as_json: bool = JsonOption,
) -> None:
    """Subscribe to an ICS feed and sync it once."""
    from coachctl.engine.scheduling import busy_calendars

    settings, found = load_coach(coach)
    calendar = busy_calendars.add_feed(found, url, name, all_day)
    result = busy_calendars.sync_calendar(calendar)
    if as_json:
        emit_json(busy_calendars.calendar_to_dict(calendar, settings))
        return
    typer.echo(f"Added calendar {calendar.id} '{calendar.name}' for {found.slug}.")
    _report(result, calendar.name)


@app.command("add-caldav")
def add_caldav(
    url: str = typer.Argument(..., help="The CalDAV calendar's address"),
    user: str = typer.Option(..., "--user", help="CalDAV user name."),
    name: str = typer.Option("", "--name", help="A name to recognise it by."),
    all_day: str = AllDayOption,
    coach: str = CoachOption,
    as_json: bool = JsonOption,
) -> None:
    """Connect a CalDAV calendar; the password comes from COACHCTL_CALDAV_PASSWORD or a prompt."""
    from coachctl.engine.scheduling import busy_calendars

    settings, found = load_coach(coach)
    password = os.environ.get(PASSWORD_ENV) or typer.prompt("CalDAV password", hide_input=True)
    calendar = busy_calendars.add_caldav(found, url, user, password, name, all_day)
    result = busy_calendars.sync_calendar(calendar)
    if as_json:
        emit_json(busy_calendars.calendar_to_dict(calendar, settings))
        return
    typer.echo(f"Added CalDAV calendar {calendar.id} '{calendar.name}' for {found.slug}.")
    _report(result, calendar.name)


@app.command("list")
def list_(coach: str = CoachOption, as_json: bool = JsonOption) -> None:
    """List connected calendars: last sync, busy intervals kept, last error, staleness."""
    from coachctl.engine.scheduling import busy_calendars

    settings, found = load_coach(coach)
    rows = [
        busy_calendars.calendar_to_dict(c, settings) for c in busy_calendars.list_calendars(found)
    ]
    if as_json:
        emit_json(rows)
        return
    emit_table(
        f"Calendars for {found.slug}",
        ["id", "name", "kind", "all-day", "last sync", "busy", "state", "last error"],
        [
            (
                r["id"],
                r["name"],
                r["kind"],
                r["all_day"],
                r["last_sync"] or "never",
                r["busy_intervals"],
                "STALE" if r["stale"] else "ok",
                r["last_error"],
            )
            for r in rows
        ],
        "No calendars connected.",
    )


@app.command()
def rm(calendar_id: int = typer.Argument(...), coach: str = CoachOption) -> None:
    """Disconnect a calendar and forget its busy time (and password)."""
    from coachctl.engine.scheduling import busy_calendars

    _, found = load_coach(coach)
    busy_calendars.remove_calendar(found, calendar_id)
    typer.echo(f"Removed calendar {calendar_id}.")


@app.command()
def sync(
    calendar_id: int = typer.Argument(None, help="One calendar (all when omitted)."),
    coach: str = CoachOption,
) -> None:
    """Fetch calendars now; a failing one keeps its last good copy."""
    from coachctl.engine.scheduling import busy_calendars

    _, found = load_coach(coach)
    results = busy_calendars.sync_coach(found, calendar_id)
    if not results:
        typer.echo("No calendars connected.")
    names = {c.id: c.name for c in busy_calendars.list_calendars(found)}
    for result in results:
        _report(result, names.get(result.calendar_id, str(result.calendar_id)))
