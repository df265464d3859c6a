"""``coachctl bookings list|show|edit|cancel|reschedule|complete|no-show``."""

from __future__ import annotations

import typer

from coachctl.cli.common import CoachOption, JsonOption, emit_json, emit_table, load_coach

app = typer.Typer(
    add_completion=False,
    rich_markup_mode=None,
    help="See and change bookings.",
    no_args_is_help=True,
)


def _dict(booking, settings) -> dict:
    from coachctl.engine.links import manage_url
    from coachctl.engine.scheduling.bookings import booking_to_dict

    return booking_to_dict(booking, manage_url(booking, settings))


@app.command("list")
def list_(
    date_from: str = typer.Option(None, "--from", help="YYYY-MM-DD (coach's zone); default today."),
    date_to: str = typer.Option(None, "--to", help="YYYY-MM-DD inclusive."),
    status: str = typer.Option(None, "--status", help="PENDING, CONFIRMED, CANCELLED, …"),
    all_: bool = typer.Option(False, "--all", help="Past bookings too.", metavar=""),
    client: str = typer.Option(
        None, "--client", help="One client's history (their email), past bookings included."
    ),
    coach: str = CoachOption,
    as_json: bool = JsonOption,
) -> None:
    """List bookings (upcoming unless --from, --all or --client), with how each one went."""
    from datetime import datetime, timedelta

    from coachctl.engine import formats, parse
    from coachctl.engine.scheduling import bookings, schedule
    from coachctl.engine.scheduling.availability import local_days

    settings, found = load_coach(coach)
    tz = schedule.zone_of(found)
    start = end = None
    if date_from:
        start = local_days(parse.day(date_from), 1, tz).start
    elif not (all_ or client):
        start = datetime.now(tz)
    if date_to:
        end = local_days(parse.day(date_to) + timedelta(days=1), 1, tz).start
    rows = bookings.list_bookings(found, start=start, end=end, status=status, email=client)
    if as_json:
        emit_json([_dict(b, settings) for b in rows])
        return
    emit_table(
        f"Bookings for {found.slug} ({found.timezone})",
        ["id", "when", "type", "client", "status"],
        [
            (
                b.id,
                formats.moment(b.start, found.timezone),
                b.booking_type.slug,
                f"{b.customer_name} <{b.customer_email}>",
                b.status.lower().replace("_", "-") + (" (credit)" if b.credit_used else ""),
            )
            for b in rows
        ],
        "No bookings.",
        whole=("when",),
        optional=("type",),
    )


@app.command()
def show(
    booking_id: int = typer.Argument(...), coach: str = CoachOption, as_json: bool = JsonOption
) -> None:
    """Show one booking."""
    from coachctl.engine.scheduling import bookings

    settings, found = load_coach(coach)
    data = _dict(bookings.get_booking(found, booking_id), settings)
    if as_json:
        emit_json(data)
        return
    for key, value in data.items():
        if key == "answers":
            for answer in value:
                typer.echo(f"{'answer':16} {answer['question']}: {answer['answer']}")
        elif key == "location":
            typer.echo(f"{'where':16} {value['label'] if value else 'not set'}")
        elif value is not None:
            typer.echo(f"{key:16} {value}")


@app.command()
def edit(
    booking_id: int = typer.Argument(...),
    location: str = typer.Option(
        ..., "--location", help="This session's own video link or address ('' = the type's)."
    ),
    coach: str = CoachOption,
) -> None:
    """Set where one session happens; the client gets an updated invite."""
    from coachctl.engine.locations import booking_location
    from coachctl.engine.scheduling import bookings

    settings, found = load_coach(coach)
    booking = bookings.get_booking(found, booking_id)
    changed = bookings.set_booking_location(booking, location, settings=settings)
    where = booking_location(changed)
    typer.echo(
        f"Booking {booking_id} now happens at: {where.label if where else 'no location'};"
        f" {changed.customer_email} gets an updated invite."
    )


def _record(booking_id: int, coach: str | None, outcome: str, said: str) -> None:
    from coachctl.engine.scheduling import bookings

    settings, found = load_coach(coach)
    bookings.record_outcome(bookings.get_booking(found, booking_id), outcome, settings=settings)
    typer.echo(f"Booking {booking_id} {said}.")


@app.command()
def complete(booking_id: int = typer.Argument(...), coach: str = CoachOption) -> None:
    """Mark a confirmed session as held."""
    _record(booking_id, coach, "complete", "marked completed")


@app.command("no-show")
def no_show(booking_id: int = typer.Argument(...), coach: str = CoachOption) -> None:
    """Mark a confirmed session the client missed; a credit it used stays spent."""
    _record(booking_id, coach, "no_show", "marked a no-show")


@app.command()
def cancel(booking_id: int = typer.Argument(...), coach: str = CoachOption) -> None:
    """Cancel a booking and free its time; a paid session is refunded in full, a credit returned."""
    from coachctl.engine import booking_desk
    from coachctl.engine.scheduling import bookings

    settings, found = load_coach(coach)
    done = booking_desk.cancel_booking(bookings.get_booking(found, booking_id), settings=settings)
    money = done.outcome.for_coach
    typer.echo(f"Cancelled booking {booking_id}{'; ' + money if money else ''}.")
    if done.refund_error:
        typer.echo(
            f"The refund is recorded but was not sent ({done.refund_error});"
            " `coachctl worker` sends it.",
            err=True,
        )


@app.command()
def reschedule(
    booking_id: int = typer.Argument(...),
    start: str = typer.Argument(
        ..., help="New start: 2027-03-15T13:00:00Z, or local 2027-03-15T14:00"
    ),
    coach: str = CoachOption,
    as_json: bool = JsonOption,
) -> None:
    """Move a booking to a new free start time."""
    from coachctl.engine import formats
    from coachctl.engine.scheduling import bookings, schedule

    settings, found = load_coach(coach)
    moved = bookings.reschedule_booking(
        bookings.get_booking(found, booking_id),
        schedule.local_or_instant(start, schedule.zone_of(found)),
        settings=settings,
    )
    if as_json:
        emit_json(_dict(moved, settings))
    else:
        typer.echo(
            f"Moved booking {booking_id} to {formats.span(moved.start, moved.end, found.timezone)}."
        )
