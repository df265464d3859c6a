"""``coachctl windows add|list|rm``: weekly working hours."""

from __future__ import annotations

import typer

from coachctl.cli.common import CoachOption, JsonOption, emit_json, emit_table, load_coach

app = typer.Typer(
    add_completion=False,
    rich_markup_mode=None,
    help="Weekly availability windows (wall-clock, coach's zone).",
    no_args_is_help=True,
)


@app.command()
def add(
    weekday: str = typer.Argument(..., help="mon … sun"),
    ranges: list[str] = typer.Argument(..., help="HH:MM-HH:MM, one or more."),
    overnight: bool = typer.Option(
        False,
        "--overnight",
        help="A range that ends before it starts runs past midnight.",
        metavar="",
    ),
    coach: str = CoachOption,
    as_json: bool = JsonOption,
) -> None:
    """Add windows to a weekday, e.g. `coachctl windows add mon 09:00-12:00 13:00-17:00`.

    Windows that overlap or touch one already there are merged into it.
    """
    from coachctl.engine import parse
    from coachctl.engine.scheduling import schedule
    from coachctl.store.db import db

    _, found = load_coach(coach)
    day = parse.weekday(weekday)
    spans = [parse.time_range(r) for r in ranges]
    with db.atomic():
        added = [
            schedule.add_window(found, day, start, end, overnight=overnight) for start, end in spans
        ]
    if as_json:
        emit_json([schedule.window_to_dict(a.window) for a in added])
        return
    name = parse.WEEKDAYS[day].capitalize()
    for each in added:
        window = f"{name} {each.window.start}–{each.window.end}"
        if each.merged:
            typer.echo(f"Merged with {name} {', '.join(each.merged)} → {window}.")
        else:
            typer.echo(f"Added {window} for {found.slug}.")


@app.command("list")
def list_(coach: str = CoachOption, as_json: bool = JsonOption) -> None:
    """List the weekly windows."""
    from coachctl.engine import parse
    from coachctl.engine.scheduling import schedule

    _, found = load_coach(coach)
    windows = schedule.list_windows(found)
    if as_json:
        emit_json([schedule.window_to_dict(w) for w in windows])
        return
    emit_table(
        f"Windows for {found.slug} ({found.timezone})",
        ["id", "day", "from", "to"],
        [(w.id, parse.WEEKDAYS[w.weekday], w.start, w.end) for w in windows],
        "No windows yet. Add one: coachctl windows add mon 09:00-17:00",
    )


@app.command()
def rm(window_id: int = typer.Argument(...), coach: str = CoachOption) -> None:
    """Remove a window by id."""
    from coachctl.engine.scheduling import schedule

    _, found = load_coach(coach)
    schedule.remove_window(found, window_id)
    typer.echo(f"Removed window {window_id}.")
