"""``coachctl orders list|show|refund``, ``coachctl credits list`` and ``coachctl stripe sync``."""

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
                order_to_dict(o)["amount_display"],
                o.status.lower(),
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
    order_id: int = typer.Argument(...), coach: str = CoachOption, as_json: bool = JsonOption
) -> None:
    """Refund a paid order through its provider; unspent credits are clawed back."""
    from coachctl.engine.commerce.checkout import get_order, order_to_dict
    from coachctl.engine.sales import refund_order

    settings, found = load_coach(coach)
    order = refund_order(get_order(found, order_id), settings)
    if as_json:
        emit_json(order_to_dict(order))
    elif order.status == "REFUNDED":
        typer.echo(f"Refunded order {order.id}.")
    else:
        typer.echo(
            f"Refund requested for order {order.id}; it shows as REFUNDED once Stripe confirms."
        )


@credits_app.command("list")
def list_credits(
    customer: str = typer.Option(None, "--customer", help="One customer's email."),
    coach: str = CoachOption,
    as_json: bool = JsonOption,
) -> None:
    """Show usable session credits per customer and booking type."""
    from coachctl.engine import formats
    from coachctl.engine.commerce.credits import balances
    from coachctl.engine.parse import format_instant

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
                }
                for b in held
            ]
        )
        return
    emit_table(
        f"Credits with {found.slug} ({found.timezone})",
        ["customer", "type", "available", "next expiry"],
        [
            (
                b.email,
                b.booking_type,
                b.available,
                formats.moment(b.next_expiry, found.timezone) if b.next_expiry else "never",
            )
            for b in held
        ],
        "No credits.",
        whole=("next expiry",),
    )


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
