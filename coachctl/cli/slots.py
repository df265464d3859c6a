"""``coachctl slots``: the free slots, day by day, in any zone."""

from __future__ import annotations

import typer

from coachctl.cli.common import CoachOption, JsonOption, emit_json, emit_table, load_coach

app = typer.Typer(
    add_completion=False,
    rich_markup_mode=None,
)


@app.command()
def slots(
    date: str = typer.Option(
        None, "--date", help="First day, YYYY-MM-DD (default: today in --tz)."
    ),
    days: int = typer.Option(7, "--days", help="How many days."),
    tz: str = typer.Option(None, "--tz", help="Zone to show times in (default: the coach's)."),
    booking_type: str = typer.Option(
        None, "--type", help="Booking type slug (default: the first)."
    ),
    why: str = typer.Option(
        None, "--why", help="Explain one local date (YYYY-MM-DD, the coach's zone) instead."
    ),
    coach: str = CoachOption,
    as_json: bool = JsonOption,
) -> None:
    """Show free slots day by day, or with --why DATE what removed slots from that date."""
    from datetime import datetime

    from coachctl.engine import formats, parse
    from coachctl.engine.scheduling import schedule
    from coachctl.engine.scheduling.availability import by_local_day
    from coachctl.engine.scheduling.booking_types import get_booking_type

    _, found = load_coach(coach)
    if why is not None:
        _explain(found, get_booking_type(found, booking_type), parse.day(why), as_json)
        return
    zone_name = tz or found.timezone
    zone = parse.zone(zone_name)
    first = parse.day(date) if date else datetime.now(zone).date()
    kind = get_booking_type(found, booking_type)
    free = schedule.find_slots_on_days(found, kind, first, days, zone)
    if as_json:
        emit_json(schedule.slots_to_dict(found, zone_name, free))
        return
    grouped = by_local_day(free, zone)
    emit_table(
        f"{kind.name} ({kind.duration} min) with {found.slug}, times in {zone_name}",
        ["day", "free"],
        [
            (formats.day(day), " ".join(f"{s.start.astimezone(zone):%H:%M}" for s in day_slots))
            for day, day_slots in grouped.items()
        ],
        f"No free slots in {days} day(s) from {first}.",
    )


def _explain(coach, kind, day, as_json: bool) -> None:
    from coachctl.engine import formats
    from coachctl.engine.scheduling import schedule

    shape = schedule.explanation_to_dict(coach, day, schedule.explain_day(coach, kind, day))
    if as_json:
        emit_json(shape)
        return
    typer.echo(
        f"{kind.name} ({kind.duration} min) with {coach.slug} on {formats.day(day)}, "
        f"times in {coach.timezone}:"
    )
    if not shape["windows"]:
        typer.echo("No working hours open on this date.")
    for window in shape["windows"]:
        source = " (override in force)" if window["override"] else ""
        typer.echo(f"window {window['start']}–{window['end']}{source}")
        typer.echo(f"  free: {' '.join(window['free']) or 'none'}")
        for removed in window["removed"]:
            typer.echo(f"  {removed['reason']}: {' '.join(removed['starts'])}")
