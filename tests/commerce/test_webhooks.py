"""Stripe webhooks: signatures checked first, every event applied exactly once, never backwards."""

import threading
import time

import pytest
from webtest import TestApp

from coachctl.engine import booking_desk, sales
from coachctl.server.app import wsgi
from coachctl.store.models import CreditLedger, Order, Outbox, ProcessedEvent
from tests.commerce.conftest import completed_event, signed


@pytest.fixture
def stripe_client(store, stripe_settings):
    return TestApp(wsgi(stripe_settings))


@pytest.fixture
def package_order(shop, stripe_settings):
    return sales.start_product_checkout(shop["package"], "ann@example.com", stripe_settings)


def _post(client, payload, header, status=200):
    headers = {"Content-Type": "application/json"}
    if header is not None:
        headers["Stripe-Signature"] = header
    return client.post("/webhooks/stripe", payload, headers=headers, status=status)


def test_checkout_session_is_created_through_the_sdk(package_order, stripe_double):
    request = stripe_double.requests[-1]
    assert request["path"] == "/v1/checkout/sessions"
    fields = request["fields"]
    assert fields["mode"] == "payment" and fields["client_reference_id"] == str(package_order.id)
    assert fields["line_items[0][price_data][unit_amount]"] == "21000"
    assert fields["line_items[0][price_data][currency]"] == "eur"
    assert fields["payment_intent_data[metadata][order_id]"] == str(package_order.id)
    assert fields["customer_email"] == "ann@example.com"
    assert int(fields["expires_at"]) - time.time() > 30 * 60
    assert request["auth"] == "Bearer sk_test_coachctl"
    assert package_order.checkout_url.startswith("https://checkout.stripe.test/")


@pytest.mark.parametrize("case", ["tampered", "wrong_secret", "stale", "missing"])
def test_bad_signatures_are_rejected_and_nothing_is_written(stripe_client, package_order, case):
    payload, header = signed(completed_event(package_order))
    if case == "tampered":
        payload = payload.replace('"paid"', '"PAID"')
    elif case == "wrong_secret":
        payload, header = signed(completed_event(package_order), secret="whsec_other")
    elif case == "stale":
        payload, header = signed(completed_event(package_order), timestamp=int(time.time()) - 3600)
    elif case == "missing":
        header = None
    response = _post(stripe_client, payload, header, status=400)
    assert response.json["error"]["code"] == "bad_signature"
    assert ProcessedEvent.select().count() == 0
    assert Order.get_by_id(package_order.id).status == "PENDING"


def test_valid_completed_event_fulfils_once(stripe_client, package_order):
    payload, header = signed(completed_event(package_order))
    assert _post(stripe_client, payload, header).json["outcome"] == "processed"
    order = Order.get_by_id(package_order.id)
    assert order.status == "PAID" and order.provider_payment_id == f"pi_{order.id}"
    grant = CreditLedger.get(CreditLedger.order == order)
    assert grant.delta == 3 and grant.expires_at is not None
    email = Outbox.get(Outbox.kind == "purchase")
    assert email.recipient == "ann@example.com" and "Three sessions" in email.subject
    assert "/book/jane?pass=" in email.body_text


def test_twenty_replays_sequential_and_concurrent_change_nothing(
    stripe_settings, package_order, database_url
):
    app = wsgi(stripe_settings)
    payload, header = signed(completed_event(package_order))
    for _ in range(10):
        _post(TestApp(app), payload, header)
    barrier = threading.Barrier(10)

    def deliver():
        client = TestApp(app)
        barrier.wait()
        _post(client, payload, header)

    threads = [threading.Thread(target=deliver) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Order.select().where(Order.status == "PAID").count() == 1
    assert CreditLedger.select().where(CreditLedger.reason == "purchase").count() == 1
    assert Outbox.select().where(Outbox.kind == "purchase").count() == 1
    assert ProcessedEvent.select().count() == 1


def test_late_expired_event_does_not_undo_a_payment(stripe_client, package_order):
    _post(stripe_client, *signed(completed_event(package_order)))
    expired = {
        "id": "evt_expired",
        "type": "checkout.session.expired",
        "data": {
            "object": {
                "id": package_order.provider_session_id,
                "object": "checkout.session",
                "client_reference_id": str(package_order.id),
            }
        },
    }
    _post(stripe_client, *signed(expired))
    assert Order.get_by_id(package_order.id).status == "PAID"


def test_async_payment_waits_then_succeeds(stripe_client, package_order):
    _post(stripe_client, *signed(completed_event(package_order, payment_status="unpaid")))
    assert Order.get_by_id(package_order.id).status == "PENDING"
    succeeded = completed_event(package_order, "evt_async_ok")
    succeeded["type"] = "checkout.session.async_payment_succeeded"
    _post(stripe_client, *signed(succeeded))
    assert Order.get_by_id(package_order.id).status == "PAID"


def test_unknown_event_types_are_acknowledged_and_ignored(stripe_client, package_order):
    event = {"id": "evt_other", "type": "customer.created", "data": {"object": {"id": "cus_1"}}}
    assert _post(stripe_client, *signed(event)).json["outcome"] == "ignored"
    assert Order.get_by_id(package_order.id).status == "PENDING"


def test_refund_calls_stripe_and_the_webhook_claws_back_credits(
    stripe_client, stripe_settings, package_order, stripe_double
):
    _post(stripe_client, *signed(completed_event(package_order)))
    order = sales.refund_order(Order.get_by_id(package_order.id), stripe_settings)
    assert order.status == "PAID"
    refund = stripe_double.requests[-1]
    assert (
        refund["path"] == "/v1/refunds" and refund["fields"]["payment_intent"] == f"pi_{order.id}"
    )
    charge = {
        "id": "evt_refund",
        "type": "charge.refunded",
        "data": {
            "object": {
                "id": "ch_1",
                "object": "charge",
                "refunded": True,
                "amount": 21000,
                "amount_refunded": 21000,
                "payment_intent": f"pi_{order.id}",
                "metadata": {"order_id": str(order.id)},
            }
        },
    }
    _post(stripe_client, *signed(charge))
    assert Order.get_by_id(order.id).status == "REFUNDED"
    balance = sum(row.delta for row in CreditLedger.select().where(CreditLedger.order == order))
    assert balance == 0


def test_provider_outage_gives_a_clear_503_and_a_failed_order(
    store, shop, stripe_settings, stripe_double
):
    stripe_double.failures_left = 3  # the first try and the SDK's two retries
    client = TestApp(wsgi(stripe_settings))
    response = client.post_json(
        "/api/checkout", {"product": shop["workbook"].id, "email": "ann@example.com"}, status=503
    )
    assert response.json["error"]["code"] == "unavailable"
    assert Order.get().status == "FAILED"


def test_provider_outage_releases_a_held_booking(store, shop, stripe_settings, stripe_double):
    from coachctl.engine.parse import format_instant
    from coachctl.store.models import Booking
    from tests.commerce.conftest import tomorrow_at

    stripe_double.failures_left = 3
    client = TestApp(wsgi(stripe_settings))
    body = {
        "coach": "jane",
        "start": format_instant(tomorrow_at(10)),
        "name": "Ann",
        "email": "ann@example.com",
    }
    client.post_json("/api/bookings", body, status=503)
    assert Booking.get().status == "CANCELLED"
    client.post_json("/api/bookings", {**body, "email": "bo@example.com"}, status=201)


def test_cancelling_an_unpaid_booking_expires_its_stripe_checkout(
    store, shop, stripe_settings, stripe_double
):
    from coachctl.engine.parse import format_instant
    from coachctl.store.models import Booking
    from tests.commerce.conftest import tomorrow_at

    shop["coach"].email = "jane@coach.test"
    shop["coach"].save()
    client = TestApp(wsgi(stripe_settings))
    body = {
        "coach": "jane",
        "start": format_instant(tomorrow_at(9)),
        "name": "Ann",
        "email": "ann@example.com",
    }
    client.post_json("/api/bookings", body, status=201)
    order = Order.get()
    booking_desk.cancel_booking(Booking.get(), by_client=True, settings=stripe_settings)
    assert stripe_double.paths()[-1] == f"/v1/checkout/sessions/{order.provider_session_id}/expire"
    # Had the visitor paid in that last moment, the booking stays cancelled and the coach is told.
    _post(client, *signed(completed_event(order, "evt_late")))
    assert Booking.get().status == "CANCELLED" and Order.get().status == "PAID"
    assert Outbox.get(Outbox.kind == "payment_for_released_slot").recipient == "jane@coach.test"


def _refund(order) -> dict:
    return {
        "id": "evt_refund_early",
        "type": "charge.refunded",
        "data": {
            "object": {
                "id": "ch_1",
                "object": "charge",
                "refunded": True,
                "amount": 21000,
                "amount_refunded": 21000,
                "payment_intent": f"pi_{order.id}",
                "metadata": {"order_id": str(order.id)},
            }
        },
    }


def test_a_refund_before_its_payment_is_refused_for_a_retry_and_then_applied(
    stripe_client, package_order
):
    early = _post(stripe_client, *signed(_refund(package_order)), status=409)
    assert early.json["error"]["code"] == "event_too_early"
    assert ProcessedEvent.select().count() == 0, "an early event is never recorded as processed"
    assert Order.get_by_id(package_order.id).status == "PENDING"

    _post(stripe_client, *signed(completed_event(package_order)))
    assert Order.get_by_id(package_order.id).status == "PAID"
    granted = sum(r.delta for r in CreditLedger.select().where(CreditLedger.order == package_order))
    assert granted > 0

    retried = _post(stripe_client, *signed(_refund(package_order)))
    assert retried.json["outcome"] == "processed"
    assert Order.get_by_id(package_order.id).status == "REFUNDED"
    left = sum(r.delta for r in CreditLedger.select().where(CreditLedger.order == package_order))
    assert left == 0
    replay = _post(stripe_client, *signed(_refund(package_order)))
    assert replay.json["outcome"] == "duplicate"


@pytest.mark.parametrize(
    "body",
    [
        [],
        "just a string",
        {"id": "evt_1", "type": "checkout.session.completed", "data": "not an object"},
        {"id": "evt_1", "type": "checkout.session.completed", "data": {"object": [1, 2]}},
        {"type": "checkout.session.completed", "data": {"object": {}}},
        {"id": 7, "type": "checkout.session.completed", "data": {"object": {}}},
        {"id": "evt_1", "type": None, "data": {"object": {}}},
    ],
)
def test_validly_signed_but_malformed_events_are_a_400_and_write_nothing(
    stripe_client, package_order, body
):
    response = _post(stripe_client, *signed(body), status=400)
    assert response.json["error"]["code"] == "malformed"
    assert ProcessedEvent.select().count() == 0
    assert Order.get_by_id(package_order.id).status == "PENDING"
