"""``coachctl orders list|show|refund``, ``credits list|extend`` and ``stripe sync``."""

from __future__ import annotations

import typer

from coachctl.cli.common import CoachOption, JsonOption, emit_json, emit_table, load_coach

app = typer.Typer(
    add_completion=False,
    rich_markup_mode=None,
    help="Orders: what was bought, paid, refunded.",
    no_args_is_help=True,
)
credits_app = typer.Typer(
    add_completion=False,
    rich_markup_mode=None,
    help="Session credits bought in packages.",
    no_args_is_help=True,
)
stripe_app = typer.Typer(
    add_completion=False,
    rich_markup_mode=None,
    help="Stripe: mirror the catalog.",
    no_args_is_help=True,
)


@credits_app.callback()
def credits_group() -> None:
    """Session credits bought in packages."""


@stripe_app.callback()
def stripe_group() -> None:
    """Stripe: mirror the catalog."""


@app.command("list")
def list_(
    status: str = typer.Option(None, "--status", help="PENDING, PAID, FAILED, REFUNDED, EXPIRED"),
    coach: str = CoachOption,
    as_json: bool = JsonOption,
) -> None:
    """List orders, newest first."""
    from coachctl.engine import formats
    from coachctl.engine.commerce.checkout import list_orders, order_to_dict
    from coachctl.engine.commerce.money import Money

    _, found = load_coach(coach)
    orders = list_orders(found, status)
    if as_json:
        emit_json([order_to_dict(o) for o in orders])
        return
    emit_table(
        f"Orders of {found.slug} ({found.timezone})",
        ["id", "created", "customer", "item", "amount", "status"],
        [
            (
                o.id,
                formats.moment(o.created_at, found.timezone),
                o.customer_email,
                o.description,
                Money(o.amount_minor, o.currency).display(),
                o.status.lower()
                + (
                    f", {Money(o.refunded_minor, o.currency).display()} back"
                    if o.refunded_minor and o.status == "PAID"
                    else ""
                ),
            )
            for o in orders
        ],
        "No orders yet.",
        whole=("created", "amount"),
        optional=("item",),
    )


@app.command()
def show(
    order_id: int = typer.Argument(...), coach: str = CoachOption, as_json: bool = JsonOption
) -> None:
    """Show one order."""
    from coachctl.engine.commerce.checkout import get_order, order_to_dict

    _, found = load_coach(coach)
    data = order_to_dict(get_order(found, order_id))
    if as_json:
        emit_json(data)
        return
    for key, value in data.items():
        typer.echo(f"{key:15} {'' if value is None else value}")


@app.command()
def refund(
    order_id: int = typer.Argument(...),
    amount: str = typer.Option(
        None, "--amount", help='Refund part of it, e.g. "20.00 EUR"; default: all that is left.'
    ),
    coach: str = CoachOption,
    as_json: bool = JsonOption,
) -> None:
    """Refund a paid order, in full or in part, through its provider; a full refund claws back
    its unspent credits and cancels its upcoming session."""
    from coachctl.engine import formats
    from coachctl.engine.commerce.checkout import get_order, order_to_dict
    from coachctl.engine.commerce.credits import upcoming_on_credits
    from coachctl.engine.commerce.money import Money, parse_money
    from coachctl.engine.sales import refund_order

    settings, found = load_coach(coach)
    order = get_order(found, order_id)
    wanted = parse_money(amount, default_currency=order.currency) if amount else None
    before = order.refunded_minor
    done = refund_order(order, settings, amount=wanted)
    if as_json:
        emit_json(order_to_dict(done))
        return
    left = Money(order_to_dict(done)["refundable"], done.currency).display()
    if done.status == "REFUNDED":
        paid = Money(done.amount_minor, done.currency).display()
        typer.echo(f"Refunded order {done.id} in full ({paid}).")
    elif done.refunded_minor > before:
        back = Money(done.refunded_minor - before, done.currency).display()
        typer.echo(f"Refunded {back} of order {done.id}; {left} is left to refund.")
    else:
        typer.echo(f"Refund requested for order {done.id}; it shows once the provider confirms it.")
    for booking in upcoming_on_credits(done):
        when = formats.moment(booking.start, found.timezone)
        typer.echo(
            f"Booking {booking.id} on {when} was paid with a credit from this order and stays"
            f" {booking.status.lower()}; cancel it with: coachctl bookings cancel {booking.id}"
        )


@credits_app.command("list")
def list_credits(
    customer: str = typer.Option(None, "--customer", help="One customer's email."),
    coach: str = CoachOption,
    as_json: bool = JsonOption,
) -> None:
    """Show session credits per customer and booking type: usable ones with their next expiry,
    and ones that expired unused (how many, and when the latest lapsed)."""
    from coachctl.engine import formats
    from coachctl.engine.commerce.credits import balances
    from coachctl.engine.parse import format_instant, zone

    _, found = load_coach(coach)
    held = balances(found, customer)
    if as_json:
        emit_json(
            [
                {
                    "email": b.email,
                    "type": b.booking_type,
                    "available": b.available,
                    "next_expiry": format_instant(b.next_expiry) if b.next_expiry else None,
                    "expired": b.expired,
                    "expired_at": format_instant(b.expired_at) if b.expired_at else None,
                }
                for b in held
            ]
        )
        return
    tz = zone(found.timezone)
    emit_table(
        f"Credits with {found.slug} ({found.timezone})",
        ["customer", "type", "available", "next expiry", "expired"],
        [
            (
                b.email,
                b.booking_type,
                b.available,
                formats.moment(b.next_expiry, found.timezone) if b.next_expiry else "never",
                f"{b.expired} on {formats.day(b.expired_at.astimezone(tz).date(), weekday=False)}"
                if b.expired
                else "",
            )
            for b in held
        ],
        "No credits.",
        whole=("customer", "next expiry"),
        optional=("type",),
    )


@credits_app.command("extend")
def extend(
    customer: str = typer.Argument(..., help="The client's email."),
    days: int = typer.Option(..., "--days", help="How many days more (1-3650)."),
    booking_type: str = typer.Option(None, "--type", help="Only credits for this booking type."),
    coach: str = CoachOption,
    as_json: bool = JsonOption,
) -> None:
    """Give a client's credits more time: the days are added to their current expiry, and
    credits that already expired unused get that many days from today, so they can be booked
    again. Credits that never expire are left alone; the client's expiry reminder moves with the
    new date."""
    from coachctl.engine import formats
    from coachctl.engine.commerce.credits import extend_credits
    from coachctl.engine.parse import format_instant, zone
    from coachctl.engine.scheduling.booking_types import get_booking_type

    _, found = load_coach(coach)
    kind = get_booking_type(found, booking_type, include_inactive=True) if booking_type else None
    extended = extend_credits(found, customer, days, kind)
    if as_json:
        emit_json(
            [
                {
                    "email": e.email,
                    "type": e.booking_type,
                    "credits": e.credits,
                    "expires_at": format_instant(e.expires_at),
                }
                for e in extended
            ]
        )
        return
    tz = zone(found.timezone)
    for e in extended:
        until = formats.day(e.expires_at.astimezone(tz).date(), weekday=False)
        noun = "credit" if e.credits == 1 else "credits"
        typer.echo(f"Extended {e.credits} {noun} for {e.email} ({e.booking_type}) to {until}.")


@stripe_app.command("sync")
def sync(coach: str = CoachOption, as_json: bool = JsonOption) -> None:
    """Create or update Stripe products, prices and coupons from the catalog (idempotent)."""
    from coachctl.engine.commerce.stripe_sync import sync_catalog, sync_coupons

    settings, found = load_coach(coach)
    results = sync_catalog(found, settings)
    coupons = sync_coupons(found, settings)
    if as_json:
        emit_json(
            [{"kind": "product", **r.__dict__} for r in results]
            + [{"kind": "coupon", **c.__dict__} for c in coupons]
        )
        return
    emit_table(
        "Stripe sync",
        ["id", "title", "action", "stripe product", "stripe price"],
        [(r.product_id, r.title, r.action, r.stripe_product, r.stripe_price) for r in results],
        "No products to sync.",
    )
    if coupons:
        emit_table(
            "Stripe coupons",
            ["code", "action", "stripe coupon"],
            [(c.code, c.action, c.stripe_coupon) for c in coupons],
            "",
        )
