"""``coachctl types add|list|edit``: booking types (durations, grid, buffers, notice)."""

from __future__ import annotations

import typer

from coachctl.cli.common import CoachOption, JsonOption, emit_json, emit_table, load_coach

app = typer.Typer(
    help="Booking types: how long, how often, buffers, notice, horizon.", no_args_is_help=True
)

Duration = typer.Option(None, "--duration", help="Minutes.")
Interval = typer.Option(None, "--interval", help="Minutes between slot starts.")
BufferBefore = typer.Option(None, "--buffer-before", help="Minutes kept free before.")
BufferAfter = typer.Option(None, "--buffer-after", help="Minutes kept free after.")
Notice = typer.Option(None, "--notice", help="Minimum notice, minutes.")
Horizon = typer.Option(None, "--horizon-days", help="How many days ahead can be booked.")
CancelNotice = typer.Option(
    None, "--cancel-notice", help="Clients may cancel until this many minutes before."
)
Price = typer.Option(None, "--price", help='e.g. "80.00 EUR"; makes the type paid.')


def _price(text: str | None, currency: str) -> dict:
    if text is None:
        return {}
    from coachctl.engine.commerce.money import parse_money

    money = parse_money(text, default_currency=currency)
    return {
        "price_minor": money.amount,
        "currency": money.currency,
        "requires_payment": money.amount > 0,
    }


def _print(booking_types, as_json: bool, title: str) -> None:
    from coachctl.engine.commerce.money import Money
    from coachctl.engine.scheduling.booking_types import booking_type_to_dict

    if as_json:
        rows = [booking_type_to_dict(t) for t in booking_types]
        emit_json(rows if title else rows[0])
        return
    emit_table(
        title,
        ["slug", "name", "min", "every", "buffers", "notice", "horizon", "price"],
        [
            (
                t.slug,
                t.name,
                t.duration,
                t.interval,
                f"{t.buffer_before}/{t.buffer_after}",
                t.notice,
                f"{t.horizon_days}d",
                str(Money(t.price_minor, t.currency)) if t.requires_payment else "free",
            )
            for t in booking_types
        ],
        "No booking types.",
    )


@app.command()
def add(
    slug: str = typer.Argument(...),
    name: str = typer.Option(..., "--name"),
    duration: int = typer.Option(60, "--duration", help="Minutes."),
    interval: int = Interval,
    buffer_before: int = typer.Option(0, "--buffer-before"),
    buffer_after: int = typer.Option(0, "--buffer-after"),
    notice: int = typer.Option(120, "--notice"),
    horizon_days: int = typer.Option(60, "--horizon-days"),
    cancel_notice: int = typer.Option(1440, "--cancel-notice"),
    price: str = Price,
    coach: str = CoachOption,
    as_json: bool = JsonOption,
) -> None:
    """Add a booking type."""
    from coachctl.engine.scheduling.booking_types import create_booking_type

    _, found = load_coach(coach)
    created = create_booking_type(
        found,
        slug,
        name,
        duration=duration,
        interval=interval or duration,
        buffer_before=buffer_before,
        buffer_after=buffer_after,
        notice=notice,
        horizon_days=horizon_days,
        cancel_notice=cancel_notice,
        **_price(price, found.currency),
    )
    if as_json:
        _print([created], True, "")
    else:
        typer.echo(f"Added booking type {created.slug} for {found.slug}.")


@app.command("list")
def list_(coach: str = CoachOption, as_json: bool = JsonOption) -> None:
    """List booking types."""
    from coachctl.engine.scheduling.booking_types import list_booking_types

    _, found = load_coach(coach)
    _print(
        list_booking_types(found, include_inactive=True), as_json, f"Booking types for {found.slug}"
    )


@app.command()
def edit(
    slug: str = typer.Argument(...),
    name: str = typer.Option(None, "--name"),
    duration: int = Duration,
    interval: int = Interval,
    buffer_before: int = BufferBefore,
    buffer_after: int = BufferAfter,
    notice: int = Notice,
    horizon_days: int = Horizon,
    cancel_notice: int = CancelNotice,
    price: str = Price,
    reminders: str = typer.Option(
        None, "--reminders", help="Minutes before, comma-separated: 1440,60"
    ),
    active: bool = typer.Option(None, "--active/--inactive"),
    coach: str = CoachOption,
    as_json: bool = JsonOption,
) -> None:
    """Change a booking type; options not given stay as they are."""
    from coachctl.engine.errors import Invalid
    from coachctl.engine.scheduling.booking_types import edit_booking_type, get_booking_type

    _, found = load_coach(coach)
    booking_type = get_booking_type(found, slug, include_inactive=True)
    minutes = None
    if reminders is not None:
        try:
            minutes = [int(m) for m in reminders.split(",") if m.strip()]
        except ValueError:
            raise Invalid("--reminders takes minutes separated by commas, e.g. 1440,60") from None
    edited = edit_booking_type(
        booking_type,
        name=name,
        duration=duration,
        interval=interval,
        buffer_before=buffer_before,
        buffer_after=buffer_after,
        notice=notice,
        horizon_days=horizon_days,
        cancel_notice=cancel_notice,
        reminders=minutes,
        active=active,
        **_price(price, found.currency),
    )
    if as_json:
        _print([edited], True, "")
    else:
        typer.echo(f"Updated booking type {edited.slug}.")
