"""``coachctl slots``: the free slots, day by day, in any zone."""

from __future__ import annotations

import typer

from coachctl.cli.common import CoachOption, JsonOption, emit_json, emit_table, load_coach

app = typer.Typer()


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
    coach: str = CoachOption,
    as_json: bool = JsonOption,
) -> None:
    """Show free slots day by day."""
    from datetime import datetime

    from coachctl.engine import parse, schedule
    from coachctl.engine.availability import by_local_day
    from coachctl.engine.booking_types import get_booking_type

    _, found = load_coach(coach)
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
            (f"{day:%a %Y-%m-%d}", " ".join(f"{s.start.astimezone(zone):%H:%M}" for s in day_slots))
            for day, day_slots in grouped.items()
        ],
        f"No free slots in {days} day(s) from {first}.",
    )
