"""``coachctl types add|list|edit|rm|question``: booking types and what they ask."""

from __future__ import annotations

import typer

from coachctl.cli.common import CoachOption, JsonOption, emit_json, emit_table, load_coach

app = typer.Typer(
    add_completion=False,
    rich_markup_mode=None,
    help="Booking types: how long, how often, buffers, notice, where, what they ask.",
    no_args_is_help=True,
)
questions_app = typer.Typer(
    add_completion=False,
    rich_markup_mode=None,
    help="Intake questions a booking type asks (up to 5).",
)
app.add_typer(questions_app, name="question")

Duration = typer.Option(None, "--duration", help="Minutes.")
Interval = typer.Option(None, "--interval", help="Minutes between slot starts.")
BufferBefore = typer.Option(None, "--buffer-before", help="Minutes kept free before.")
BufferAfter = typer.Option(None, "--buffer-after", help="Minutes kept free after.")
Notice = typer.Option(None, "--notice", help="Minimum notice, minutes.")
Horizon = typer.Option(None, "--horizon-days", help="How many days ahead can be booked.")
CancelNotice = typer.Option(
    None,
    "--cancel-notice",
    help="Minutes before the session until which cancelling is free and rescheduling is open.",
)
LateRefund = typer.Option(
    None,
    "--late-refund",
    help="What a later cancellation by the client refunds: none (default), full, or e.g. 50%.",
)
Price = typer.Option(None, "--price", help='e.g. "80.00 EUR"; makes the type paid.')
Description = typer.Option(None, "--description", help="Shown on the booking page.")
Reminders = typer.Option(None, "--reminders", help="Before the session, e.g. 24h,1h (or minutes).")
Location = typer.Option(
    None,
    "--location",
    help="A video URL, 'phone' (the client gives a number), 'later' (link sent later), "
    "or an address.",
)


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


def _late_refund(text: str | None) -> int | None:
    from coachctl.engine.scheduling.booking_types import late_refund

    return None if text is None else late_refund(text)


def _reminders(text: str | None) -> list[int] | None:
    from coachctl.engine.parse import minutes_list

    return None if text is None else minutes_list(text)


def _print(booking_types, as_json: bool, title: str) -> None:
    from coachctl.engine.commerce.money import Money
    from coachctl.engine.formats import minutes
    from coachctl.engine.locations import type_location
    from coachctl.engine.scheduling.booking_types import booking_type_to_dict

    if as_json:
        rows = [booking_type_to_dict(t) for t in booking_types]
        emit_json(rows if title else rows[0])
        return
    emit_table(
        title,
        ["slug", "length", "every", "buffers", "notice", "ahead", "cancel", "price", "where"],
        [
            (
                t.slug + ("" if t.active else " (archived)"),
                minutes(t.duration),
                minutes(t.interval),
                f"{minutes(t.buffer_before)} / {minutes(t.buffer_after)}",
                minutes(t.notice),
                f"{t.horizon_days} d",
                minutes(t.cancel_notice)
                + (f", then {t.late_refund_percent}%" if t.requires_payment else ""),
                Money(t.price_minor, t.currency).display() if t.requires_payment else "free",
                (type_location(t).label if type_location(t) else "not set"),
            )
            for t in booking_types
        ],
        "No booking types.",
        whole=("slug", "length", "every", "buffers", "notice", "ahead", "cancel", "price"),
        optional=("cancel", "ahead", "every", "buffers"),
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
    late_refund: str = LateRefund,
    price: str = Price,
    description: str = Description,
    reminders: str = Reminders,
    location: str = Location,
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
        late_refund_percent=_late_refund(late_refund),
        description=description,
        reminders=_reminders(reminders),
        location=location,
        **_price(price, found.currency),
    )
    if as_json:
        _print([created], True, "")
    else:
        typer.echo(f"Added booking type {created.slug} for {found.slug}.")


@app.command("list")
def list_(
    all_: bool = typer.Option(False, "--all", help="Archived types too.", metavar=""),
    coach: str = CoachOption,
    as_json: bool = JsonOption,
) -> None:
    """List booking types with every setting and its unit."""
    from coachctl.engine.scheduling.booking_types import list_booking_types

    _, found = load_coach(coach)
    _print(
        list_booking_types(found, include_inactive=all_), as_json, f"Booking types for {found.slug}"
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
    late_refund: str = LateRefund,
    price: str = Price,
    description: str = Description,
    reminders: str = Reminders,
    location: str = Location,
    active: bool = typer.Option(None, "--active/--inactive", metavar=""),
    coach: str = CoachOption,
    as_json: bool = JsonOption,
) -> None:
    """Change a booking type; options not given stay as they are."""
    from coachctl.engine.scheduling.booking_types import edit_booking_type, get_booking_type

    _, found = load_coach(coach)
    booking_type = get_booking_type(found, slug, include_inactive=True)
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
        late_refund_percent=_late_refund(late_refund),
        description=description,
        reminders=_reminders(reminders),
        location=location,
        active=active,
        **_price(price, found.currency),
    )
    if as_json:
        _print([edited], True, "")
    else:
        typer.echo(f"Updated booking type {edited.slug}.")


@app.command()
def rm(slug: str = typer.Argument(...), coach: str = CoachOption) -> None:
    """Archive a booking type: it leaves the pages, its bookings stay (`edit --active` undoes)."""
    from coachctl.engine.scheduling.booking_types import edit_booking_type, get_booking_type

    _, found = load_coach(coach)
    edit_booking_type(get_booking_type(found, slug, include_inactive=True), active=False)
    typer.echo(f"Archived booking type {slug}; `coachctl types list --all` still shows it.")


@questions_app.command("add")
def question_add(
    slug: str = typer.Argument(..., help="The booking type."),
    label: str = typer.Argument(..., help="The question, as the client reads it."),
    kind: str = typer.Option("text", "--kind", help="text, long, choice or checkbox."),
    option: list[str] = typer.Option(None, "--option", help="A choice (repeat for each)."),
    required: bool = typer.Option(False, "--required", help="The client must answer.", metavar=""),
    coach: str = CoachOption,
) -> None:
    """Ask clients one more question when they book this type."""
    from coachctl.engine import intake
    from coachctl.engine.scheduling.booking_types import get_booking_type

    _, found = load_coach(coach)
    booking_type = get_booking_type(found, slug, include_inactive=True)
    intake.add_question(booking_type, label, kind, required=required, options=option or [])
    typer.echo(f"{slug} now asks {len(booking_type.questions)} question(s).")


@questions_app.command("list")
def question_list(
    slug: str = typer.Argument(..., help="The booking type."),
    coach: str = CoachOption,
    as_json: bool = JsonOption,
) -> None:
    """The questions a booking type asks, numbered."""
    from coachctl.engine.intake import KIND_LABELS
    from coachctl.engine.scheduling.booking_types import get_booking_type

    _, found = load_coach(coach)
    asked = get_booking_type(found, slug, include_inactive=True).questions
    if as_json:
        emit_json(asked)
        return
    emit_table(
        f"Questions for {slug}",
        ["#", "question", "kind", "required", "options"],
        [
            (
                n,
                q["label"],
                KIND_LABELS[q["kind"]],
                "yes" if q["required"] else "no",
                ", ".join(q["options"]),
            )
            for n, q in enumerate(asked, 1)
        ],
        f"{slug} asks no questions.",
    )


@questions_app.command("rm")
def question_rm(
    slug: str = typer.Argument(..., help="The booking type."),
    number: int = typer.Argument(..., help="The question's number in `types question list`."),
    coach: str = CoachOption,
) -> None:
    """Stop asking a question; answers already given stay with their bookings."""
    from coachctl.engine import intake
    from coachctl.engine.scheduling.booking_types import get_booking_type

    _, found = load_coach(coach)
    removed = intake.remove_question(get_booking_type(found, slug, include_inactive=True), number)
    typer.echo(f"Removed “{removed['label']}” from {slug}.")
