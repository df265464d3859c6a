"""Partial refunds: part now, the rest later, each asked of Stripe with its amount and confirmed
by its webhook; and what the coach is told when a package's credits were already spent."""

from __future__ import annotations

import pytest
from webtest import TestApp

from coachctl.engine import booking_desk, links, sales
from coachctl.engine.commerce.money import Money
from coachctl.engine.errors import Conflict, Invalid
from coachctl.engine.scheduling.bookings import Customer
from coachctl.server.app import wsgi
from coachctl.store.db import db
from coachctl.store.models import Booking, Order, Outbox, Refund
from tests.commerce.conftest import completed_event, post_webhook, refunded_event, tomorrow_at
from tests.support import run_cli


@pytest.fixture
def web(store, stripe_settings):
    return TestApp(wsgi(stripe_settings))


@pytest.fixture
def paid_workbook(shop, stripe_settings, web):
    order = sales.start_product_checkout(shop["workbook"], "ann@example.com", stripe_settings)
    post_webhook(web, completed_event(order))
    return Order.get_by_id(order.id)


def test_part_now_and_the_rest_later_through_stripe(
    paid_workbook, stripe_settings, stripe_double, web
):
    order = paid_workbook
    db.close()
    asked = run_cli("orders", "refund", str(order.id), "--amount", "10.00 EUR").stdout
    assert "Refund requested" in asked
    first = stripe_double.requests[-1]
    assert first["path"] == "/v1/refunds" and first["fields"]["amount"] == "1000"
    assert first["fields"]["payment_intent"] == f"pi_{order.id}"
    post_webhook(web, refunded_event(order, 1000, "evt_r1"))
    order = Order.get_by_id(order.id)
    assert (order.status, order.refunded_minor) == ("PAID", 1000)
    email = Outbox.get(Outbox.kind == "refund")
    assert "€10.00 of the €29.00 you paid" in email.body_text

    too_much = run_cli("orders", "refund", str(order.id), "--amount", "20.00 EUR", code=2)
    assert too_much.stderr.strip() == f"Error: order {order.id} has €19.00 left to refund"
    db.close()
    run_cli("orders", "refund", str(order.id))  # the rest
    rest = stripe_double.requests[-1]
    assert rest["fields"]["amount"] == "1900"
    assert rest["idempotency_key"] != first["idempotency_key"]
    post_webhook(web, refunded_event(order, 2900, "evt_r2"))
    order = Order.get_by_id(order.id)
    assert (order.status, order.refunded_minor) == ("REFUNDED", 2900)
    assert [r.status for r in Refund.select().order_by(Refund.id)] == ["CONFIRMED"] * 2
    assert Outbox.select().where(Outbox.kind == "refund").count() == 2
    listed = run_cli("orders", "show", str(order.id), "--json").stdout
    assert '"refunded": 2900' in listed and '"refundable": 0' in listed
    again = run_cli("orders", "refund", str(order.id), code=2)
    assert "only paid orders can be refunded" in again.stderr


def test_money_refunded_in_stripes_dashboard_is_recorded_too(paid_workbook, web):
    post_webhook(web, refunded_event(paid_workbook, 500, "evt_outside"))
    refund = Refund.get()
    assert (refund.reason, refund.amount_minor, refund.status) == ("provider", 500, "CONFIRMED")
    assert Order.get_by_id(paid_workbook.id).refunded_minor == 500


def test_sandbox_partial_refunds_settle_at_once(shop, settings):
    order = sales.start_product_checkout(shop["workbook"], "ann@example.com", settings)
    sales.pay_sandbox(order, settings)
    done = sales.refund_order(Order.get_by_id(order.id), settings, amount=Money(900, "EUR"))
    assert (done.status, done.refunded_minor) == ("PAID", 900)
    with pytest.raises(Invalid, match="in EUR, not USD"):
        sales.refund_order(done, settings, amount=Money(100, "USD"))
    with pytest.raises(Invalid, match="more than zero"):
        sales.refund_order(done, settings, amount=Money(0, "EUR"))
    done = sales.refund_order(done, settings)
    assert (done.status, done.refunded_minor) == ("REFUNDED", 2900)
    with pytest.raises(Conflict):
        sales.refund_order(done, settings)


def test_refunding_a_package_names_the_sessions_its_credits_paid_for(shop, settings):
    order = sales.start_product_checkout(shop["package"], "ann@example.com", settings)
    sales.pay_sandbox(order, settings)
    coach = shop["coach"]
    booked = booking_desk.request_booking(
        coach,
        shop["session"],
        tomorrow_at(10),
        Customer("Ann", "ann@example.com"),
        settings=settings,
        credits_pass=links.credits_pass(settings, coach, "ann@example.com"),
    ).booking
    db.close()
    said = run_cli("orders", "refund", str(order.id)).stdout
    assert f"Refunded order {order.id} in full (€210.00)." in said
    assert f"Booking {booked.id} on " in said and "stays confirmed" in said
    assert f"coachctl bookings cancel {booked.id}" in said
    email = Outbox.get(Outbox.kind == "refund")
    assert "2 unused session credits from this purchase are no longer" in email.body_text
    # cancelling that session later gives no credit back: its package was refunded
    db.close()
    cancelled = run_cli("bookings", "cancel", str(booked.id)).stdout
    assert "the credit stays used" in cancelled
    assert Booking.get_by_id(booked.id).status == "CANCELLED"
