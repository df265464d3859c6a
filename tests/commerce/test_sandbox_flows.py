"""Whole purchase flows through the WSGI app with the local sandbox provider."""

from datetime import timedelta

import pytest

from coachctl.engine import booking_desk, links, sales
from coachctl.engine.commerce.credits import available_credits
from coachctl.engine.parse import format_instant
from coachctl.store.models import AnalyticsEvent, Booking, CreditLedger, Order, Outbox, utcnow
from tests.commerce.conftest import tomorrow_at


def _form_with_csrf(page):
    form = page.forms[0]
    assert form["csrf"].value
    return form


def _buy(client, product, email="ann@example.com"):
    bio = client.get("/jane")
    href = next(
        a["href"] for a in bio.html.select('[data-cta="buy"]') if str(product.id) in a["href"]
    )
    form = _form_with_csrf(client.get(href))
    form["email"], form["name"] = email, "Ann"
    sandbox = form.submit().follow()
    assert "Test payment — no money moves" in sandbox.text
    return sandbox


def test_buy_a_package_in_the_sandbox_grants_credits_and_queues_an_email(client, shop):
    sandbox = _buy(client, shop["package"])
    done = sandbox.forms[0].submit("action", value="pay").follow()
    assert "payment received" in done.text
    order = Order.get()
    assert order.status == "PAID" and order.amount_minor == 21000 and order.provider == "sandbox"
    assert available_credits(shop["coach"], "ann@example.com", shop["session"]) == 3
    assert Outbox.select().where(Outbox.kind == "purchase").count() == 1
    kinds = [e.type for e in AnalyticsEvent.select().order_by(AnalyticsEvent.id)]
    assert kinds == ["checkout_started", "checkout_completed", "purchase"]
    # Paying twice (a double click, a back button) changes nothing.
    sandbox.forms[0].submit("action", value="pay", status=303)
    assert CreditLedger.select().count() == 1


def test_declined_test_card_keeps_the_checkout_open(client, shop):
    sandbox = _buy(client, shop["workbook"])
    declined = sandbox.forms[0].submit("action", value="decline").follow()
    assert "declined" in declined.text and Order.get().status == "FAILED"
    declined.forms[0].submit("action", value="pay").follow()
    assert Order.get().status == "PAID"


def test_forms_without_the_csrf_token_are_refused(client, shop):
    client.get(f"/checkout/{shop['workbook'].id}")
    response = client.post(
        f"/checkout/{shop['workbook'].id}", {"email": "ann@example.com"}, status=403
    )
    assert "another site" in response.text
    assert Order.select().count() == 0


def test_archived_products_cannot_be_bought(client, shop):
    from coachctl.engine.commerce.catalog import archive_product

    archive_product(shop["workbook"])
    client.get(f"/checkout/{shop['workbook'].id}", status=404)
    client.post_json(
        "/api/checkout", {"product": shop["workbook"].id, "email": "a@b.test"}, status=404
    )


def test_api_checkout_returns_the_order_and_url(client, shop):
    data = client.post_json(
        "/api/checkout", {"product": shop["workbook"].id, "email": "ann@example.com"}, status=201
    ).json
    assert data["order"]["status"] == "PENDING" and "/checkout/sandbox/" in data["url"]
    client.post_json("/api/checkout", {"product": shop["workbook"].id, "email": "nope"}, status=422)


def _book(client, start, **extra):
    body = {
        "coach": "jane",
        "type": "session",
        "start": format_instant(start),
        "name": "Ann",
        "email": "ann@example.com",
        **extra,
    }
    return client.post_json("/api/bookings", body, status=201).json


def test_paid_booking_hold_then_pay_confirms(client, shop):
    data = _book(client, tomorrow_at(10))
    assert data["booking"]["status"] == "PENDING" and data["checkout"]["url"]
    booking = Booking.get()
    assert booking.hold_expires_at > utcnow() + timedelta(minutes=30)
    client.post_json(
        "/api/bookings",
        {
            "coach": "jane",
            "start": format_instant(tomorrow_at(10)),
            "name": "Bo",
            "email": "bo@example.com",
        },
        status=409,
    )
    sandbox = client.get(data["checkout"]["url"].replace("http://coach.test", ""))
    sandbox.forms[0].submit("action", value="pay")
    assert Booking.get_by_id(booking.id).status == "CONFIRMED"
    assert Order.get().status == "PAID"


def test_paid_booking_hold_expires_and_the_slot_is_free_again(client, shop, settings):
    _book(client, tomorrow_at(11))
    order = Order.get()
    later = order.expires_at + timedelta(seconds=1)
    assert sales.expire_overdue(settings, now=later) == 1
    assert Order.get_by_id(order.id).status == "EXPIRED"
    assert Booking.get().status == "CANCELLED"
    again = _book(client, tomorrow_at(11))
    assert again["booking"]["status"] == "PENDING"


def test_credits_pay_for_a_booking_and_come_back_on_cancel(client, shop, settings):
    _buy(client, shop["package"]).forms[0].submit("action", value="pay")
    pass_token = links.credits_pass(settings, shop["coach"], "ann@example.com")
    data = _book(client, tomorrow_at(12), **{"pass": pass_token})
    assert data["booking"]["status"] == "CONFIRMED" and "checkout" not in data
    assert available_credits(shop["coach"], "ann@example.com", shop["session"]) == 2
    booking_desk.cancel_booking(
        Booking.get_by_id(data["booking"]["id"]), by_client=True, settings=settings
    )
    assert available_credits(shop["coach"], "ann@example.com", shop["session"]) == 3


def test_a_pass_cannot_be_used_by_another_email(client, shop, settings):
    token = links.credits_pass(settings, shop["coach"], "ann@example.com")
    body = {
        "coach": "jane",
        "start": format_instant(tomorrow_at(13)),
        "name": "Eve",
        "email": "eve@example.com",
        "pass": token,
    }
    client.post_json("/api/bookings", body, status=422)
    client.post_json(
        "/api/bookings", {**body, "email": "ann@example.com", "pass": token + "x"}, status=404
    )
    assert Booking.select().count() == 0


def test_expired_credits_cannot_be_spent(client, shop, settings):
    _buy(client, shop["package"]).forms[0].submit("action", value="pay")
    CreditLedger.update(expires_at=utcnow() - timedelta(days=1)).execute()
    token = links.credits_pass(settings, shop["coach"], "ann@example.com")
    response = client.post_json(
        "/api/bookings",
        {
            "coach": "jane",
            "name": "Ann",
            "pass": token,
            "start": format_instant(tomorrow_at(14)),
            "email": "ann@example.com",
        },
        status=409,
    )
    assert response.json["error"]["code"] == "no_credits"
    assert Booking.select().count() == 0


def test_sandbox_refund_marks_refunded_and_claws_back_unspent_credits(client, shop, settings):
    _buy(client, shop["package"]).forms[0].submit("action", value="pay")
    token = links.credits_pass(settings, shop["coach"], "ann@example.com")
    _book(client, tomorrow_at(15), **{"pass": token})
    order = sales.refund_order(Order.get(), settings)
    assert order.status == "REFUNDED"
    assert available_credits(shop["coach"], "ann@example.com", shop["session"]) == 0
    with pytest.raises(Exception, match="only paid orders"):
        sales.refund_order(order, settings)


def test_success_page_offers_booking_the_new_sessions(client, shop):
    done = _buy(client, shop["package"]).forms[0].submit("action", value="pay").follow()
    link = done.html.select_one('a[href*="pass="]')
    assert link is not None and link.text == "Book your first session"
    page = client.get(link["href"].replace("http://coach.test", "")).maybe_follow()
    assert "You have 3 sessions left" in page.text


def test_cancelling_an_unpaid_booking_closes_its_sandbox_checkout(client, shop, settings):
    data = _book(client, tomorrow_at(16))
    booking_desk.cancel_booking(Booking.get_by_id(data["booking"]["id"]), settings=settings)
    assert Order.get().status == "EXPIRED"
    assert Outbox.select().where(Outbox.kind == "booking_cancelled").count() == 0
