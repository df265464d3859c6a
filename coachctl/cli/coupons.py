"""``coachctl coupon add|list|rm``: discount codes for products and paid sessions."""

from __future__ import annotations

import typer

from coachctl.cli.common import CoachOption, JsonOption, emit_json, emit_table, load_coach

app = typer.Typer(
    add_completion=False,
    rich_markup_mode=None,
    help="Coupons: discount codes for products, packages and paid sessions.",
    no_args_is_help=True,
)


@app.command()
def add(
    code: str = typer.Argument(..., help="3–40 letters, digits, - or _ (any case)."),
    percent: int = typer.Option(None, "--percent", help="Percent off, 1–100."),
    amount: str = typer.Option(None, "--amount", help='Amount off, e.g. "10.00 EUR".'),
    product: list[int] = typer.Option(
        None, "--product", help="Only for this product or package id; repeat."
    ),
    booking_type: list[str] = typer.Option(
        None, "--type", help="Only for this booking type (slug); repeat."
    ),
    expires: str = typer.Option(
        None, "--expires", help="Last day it works, YYYY-MM-DD in the coach's zone."
    ),
    max_uses: int = typer.Option(None, "--max", help="How many orders may use it in all."),
    once_per_customer: bool = typer.Option(
        False, "--once-per-customer", help="Each email address may use it once.", metavar=""
    ),
    coach: str = CoachOption,
    as_json: bool = JsonOption,
) -> None:
    """Add a coupon taking a percentage or an amount off; --product and --type limit it."""
    from coachctl.engine import parse
    from coachctl.engine.commerce.coupons import coupon_to_dict, create_coupon
    from coachctl.engine.commerce.money import parse_money
    from coachctl.engine.scheduling.booking_types import get_booking_type

    _, found = load_coach(coach)
    coupon = create_coupon(
        found,
        code,
        percent_off=percent,
        amount_off=parse_money(amount, found.currency) if amount is not None else None,
        products=product or [],
        booking_types=[get_booking_type(found, slug) for slug in booking_type or []],
        expires_on=parse.day(expires) if expires is not None else None,
        max_redemptions=max_uses,
        once_per_customer=once_per_customer,
    )
    if as_json:
        emit_json(coupon_to_dict(coupon))
    else:
        typer.echo(f"Added coupon {coupon.code}.")


@app.command("list")
def list_(coach: str = CoachOption, as_json: bool = JsonOption) -> None:
    """List coupons with their uses and status (archived ones too)."""
    from coachctl.engine import formats
    from coachctl.engine.commerce.coupons import coupon_to_dict, last_day, list_coupons

    _, found = load_coach(coach)
    coupons = list_coupons(found)
    rows = [coupon_to_dict(c) for c in coupons]
    if as_json:
        emit_json(rows)
        return

    def limits(row: dict) -> str:
        named = [f"product {p}" for p in row["products"]] + row["types"]
        once = ["once per customer"] if row["once_per_customer"] else []
        return ", ".join(named + once) or "anything"

    emit_table(
        f"Coupons of {found.slug} ({found.timezone})",
        ["code", "off", "for", "last day", "used", "status"],
        [
            (
                r["code"],
                r["discount_display"],
                limits(r),
                formats.day(last_day(c)) if c.expires_at else "no end",
                f"{r['used']}/{r['max_redemptions']}" if r["max_redemptions"] else r["used"],
                r["status"],
            )
            for c, r in zip(coupons, rows, strict=True)
        ],
        "No coupons yet. Add one: coachctl coupon add SPRING --percent 20",
        whole=("code", "off", "last day", "used"),
        optional=("for",),
    )


@app.command()
def rm(code: str = typer.Argument(...), coach: str = CoachOption) -> None:
    """Archive a coupon: it stops working; orders that used it keep it."""
    from coachctl.engine.commerce.coupons import archive_coupon

    _, found = load_coach(coach)
    coupon = archive_coupon(found, code)
    typer.echo(f"Archived coupon {coupon.code}; `coupon list` still shows it.")
