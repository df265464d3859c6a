"""``coachctl hours set|clear|list``: different hours on one date, the weekly pattern untouched."""

from __future__ import annotations

import typer

from coachctl.cli.common import CoachOption, JsonOption, emit_json, emit_table, load_coach

app = typer.Typer(
    add_completion=False,
    rich_markup_mode=None,
    help="Date overrides: other hours for one local date than its weekday's windows.",
    no_args_is_help=True,
)


@app.command("set")
def set_(
    date: str = typer.Argument(..., help="The local date, YYYY-MM-DD."),
    ranges: list[str] = typer.Argument(
        ..., help="HH:MM-HH:MM, one or more; 22:00-02:00 runs overnight."
    ),
    coach: str = CoachOption,
    as_json: bool = JsonOption,
) -> None:
    """Replace a date's hours, e.g. `coachctl hours set 2027-03-15 10:00-14:00`."""
    from coachctl.engine import formats, parse
    from coachctl.engine.scheduling import overrides

    _, found = load_coach(coach)
    day = parse.day(date)
    override = overrides.set_override(found, day, [parse.time_range(r) for r in ranges])
    if as_json:
        emit_json(overrides.override_to_dict(override))
    else:
        hours = " ".join(f"{start}-{end}" for start, end in override.hours)
        typer.echo(f"On {formats.day(day)} {found.slug} works {hours} ({found.timezone}).")


@app.command()
def clear(
    date: str = typer.Argument(..., help="The local date, YYYY-MM-DD."),
    coach: str = CoachOption,
) -> None:
    """Return a date to the weekly pattern."""
    from coachctl.engine import formats, parse
    from coachctl.engine.scheduling import overrides

    _, found = load_coach(coach)
    day = parse.day(date)
    overrides.clear_override(found, day)
    typer.echo(f"{formats.day(day)} follows the weekly pattern again.")


@app.command("list")
def list_(coach: str = CoachOption, as_json: bool = JsonOption) -> None:
    """List the coming date overrides (from today, in the coach's zone)."""
    from coachctl.engine import formats
    from coachctl.engine.scheduling import overrides

    _, found = load_coach(coach)
    coming = overrides.coming_overrides(found)
    if as_json:
        emit_json([overrides.override_to_dict(o) for o in coming])
        return
    emit_table(
        f"Date overrides for {found.slug} ({found.timezone})",
        ["date", "hours"],
        [
            (formats.day(o.day), " ".join(f"{start}-{end}" for start, end in o.hours))
            for o in coming
        ],
        "No coming overrides. Set one: coachctl hours set 2027-03-15 10:00-14:00",
    )
