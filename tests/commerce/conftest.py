"""Commerce fixtures: a coach with hours, a product, a package, and optionally Stripe."""

import json
import time
from datetime import UTC, datetime, timedelta

import pytest
import stripe

from coachctl.config import load_settings
from coachctl.engine.commerce import catalog
from coachctl.engine.commerce.money import Money
from coachctl.engine.scheduling import schedule
from coachctl.engine.scheduling.booking_types import edit_booking_type, get_booking_type
from tests.stripe_double import StripeDouble

WEBHOOK_SECRET = "whsec_test_secret"


@pytest.fixture
def shop(coach):
    """The coach sells a workbook and a 3-session package; sessions cost 80 EUR each."""
    for day in range(7):
        schedule.add_window(coach, day, "00:00", "24:00")
    session = get_booking_type(coach)
    edit_booking_type(
        session, price_minor=8000, currency="EUR", requires_payment=True, notice=0, cancel_notice=60
    )
    workbook = catalog.create_product(coach, "Workbook", Money(2900, "EUR"))
    package = catalog.create_package(
        coach, "Three sessions", Money(21000, "EUR"), credits=3, booking_type=session, valid_days=90
    )
    return {"coach": coach, "session": session, "workbook": workbook, "package": package}


@pytest.fixture(scope="session")
def stripe_server():
    """One Stripe double for the whole run, instead of starting and stopping one per test."""
    with StripeDouble() as double:
        yield double


@pytest.fixture
def stripe_double(stripe_server):
    """The shared Stripe double, with no requests or planned failures left by another test."""
    stripe_server.reset()
    yield stripe_server
    stripe_server.reset()


@pytest.fixture
def stripe_settings(monkeypatch, stripe_double):
    monkeypatch.setenv("STRIPE_SECRET_KEY", "sk_test_coachctl")
    monkeypatch.setenv("STRIPE_WEBHOOK_SECRET", WEBHOOK_SECRET)
    monkeypatch.setenv("STRIPE_API_BASE", stripe_double.url)
    return load_settings()


def signed(
    event: dict, secret: str = WEBHOOK_SECRET, timestamp: int | None = None
) -> tuple[str, str]:
    """A payload and its Stripe-Signature header, made by Stripe's own SDK helper."""
    payload = json.dumps(event)
    header = stripe.WebhookSignature.generate_signature_header(
        payload, secret, timestamp=timestamp or int(time.time())
    )
    return payload, header


def completed_event(order, event_id: str = "evt_completed_1", **fields) -> dict:
    obj = {
        "id": order.provider_session_id,
        "object": "checkout.session",
        "client_reference_id": str(order.id),
        "payment_status": "paid",
        "payment_intent": f"pi_{order.id}",
        "metadata": {"order_id": str(order.id)},
        **fields,
    }
    return {
        "id": event_id,
        "object": "event",
        "type": "checkout.session.completed",
        "data": {"object": obj},
    }


def tomorrow_at(hour: int) -> datetime:
    day = datetime.now(UTC).date() + timedelta(days=2)
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def post_webhook(web, event: dict) -> None:
    """Deliver ``event`` to the Stripe webhook endpoint, signed as Stripe would."""
    payload, header = signed(event)
    web.post(
        "/webhooks/stripe",
        payload,
        headers={"Content-Type": "application/json", "Stripe-Signature": header},
    )


def refunded_event(order, total: int, event_id: str) -> dict:
    """Stripe's ``charge.refunded`` for ``order`` with ``total`` refunded so far."""
    charge = {
        "id": "ch_1",
        "object": "charge",
        "amount": order.amount_minor,
        "amount_refunded": total,
        "refunded": total >= order.amount_minor,
        "payment_intent": f"pi_{order.id}",
        "metadata": {"order_id": str(order.id)},
    }
    return {"id": event_id, "type": "charge.refunded", "data": {"object": charge}}
