"""The cancellation policy table: who cancels × in time or late × paid by card, credit or free.

Each cell is checked end to end with Stripe's real SDK against the local double: the order's
status, the refund asked of the provider, the credit ledger, the emails, and the sentence the
manage page shows before the client confirms.
"""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from webtest import TestApp

from coachctl.engine import booking_desk, links, sales
from coachctl.engine.commerce import credits
from coachctl.engine.scheduling.booking_types import edit_booking_type
from coachctl.engine.scheduling.bookings import Customer
from coachctl.server.app import wsgi
from coachctl.store.models import Booking, CreditLedger, Order, Outbox, Refund
from tests.commerce.conftest import completed_event, post_webhook, refunded_event, tomorrow_at

ANN = "ann@example.com"
IN_TIME, LATE = 60, 4 * 24 * 60  # cancel notices: the session is two days away


@pytest.fixture
def web(store, stripe_settings):
    return TestApp(wsgi(stripe_settings))


@pytest.fixture
def jane(shop):
    shop["coach"].email = "jane@coach.test"
    shop["coach"].save()
    return shop


def _book(jane, settings, web, paid_by: str) -> Booking:
    """A confirmed booking two days ahead, paid by card, with a credit, or free."""
    kind, coach = jane["session"], jane["coach"]
    start, who = tomorrow_at(10), Customer("Ann", ANN, "Europe/Paris")
    if paid_by == "free":
        edit_booking_type(kind, requires_payment=False)
        return booking_desk.request_booking(coach, kind, start, who, settings=settings).booking
    if paid_by == "credit":
        package = sales.start_product_checkout(jane["package"], ANN, settings)
        post_webhook(web, completed_event(package, "evt_package"))
        made = booking_desk.request_booking(
            coach,
            kind,
            start,
            who,
            settings=settings,
            credits_pass=links.credits_pass(settings, coach, ANN),
        )
        return made.booking
    made = booking_desk.request_booking(coach, kind, start, who, settings=settings)
    post_webhook(web, completed_event(made.order, "evt_session"))
    return Booking.get_by_id(made.booking.id)


def _manage_path(booking: Booking, settings) -> str:
    return urlparse(links.manage_url(booking, settings)).path


def _cancel(web, booking, settings, who: str):
    if who == "coach":
        return booking_desk.cancel_booking(booking, settings=settings)
    page = web.get(_manage_path(booking, settings))
    form = next(f for f in page.forms.values() if f.action.endswith("/cancel"))
    web.post(form.action, {"csrf": form["csrf"].value, "confirm": "yes"}, status=303)
    return None


def _cancel_email(booking: Booking) -> str:
    return Outbox.get((Outbox.booking == booking) & (Outbox.kind == "booking_cancelled")).body_text


def _refund_requests(double) -> list[dict]:
    return [r for r in double.requests if r["path"] == "/v1/refunds"]


CARD_CELLS = [
    # who, notice, late refund %, refunded, sentence before, sentence after
    ("coach", IN_TIME, 0, 8000, "refunds €80.00 in full", "€80.00 is refunded in full"),
    ("coach", LATE, 0, 8000, "refunds nothing", "€80.00 is refunded in full"),
    ("client", IN_TIME, 0, 8000, "refunds €80.00 in full", "€80.00 is refunded in full"),
    ("client", LATE, 0, 0, "refunds nothing because", "No refund is due"),
    ("client", LATE, 50, 4000, "refunds €40.00 of €80.00", "€40.00 of your €80.00 payment"),
    ("client", LATE, 100, 8000, "refunds €80.00 in full", "€80.00 is refunded in full"),
]


@pytest.mark.parametrize(("who", "notice", "percent", "back", "before", "after"), CARD_CELLS)
def test_a_card_paid_session(
    jane, stripe_settings, web, stripe_double, who, notice, percent, back, before, after
):
    edit_booking_type(jane["session"], cancel_notice=notice, late_refund_percent=percent)
    booking = _book(jane, stripe_settings, web, "card")
    order = Order.get(Order.booking == booking)
    assert order.status == "PAID"
    page = web.get(_manage_path(booking, stripe_settings))
    assert before in page.html.select_one("#cancel-outcome").text  # what the client would get

    _cancel(web, booking, stripe_settings, who)

    assert Booking.get_by_id(booking.id).status == "CANCELLED"
    asked = _refund_requests(stripe_double)
    if back:
        refund = Refund.get()
        assert [(r["fields"]["amount"], r["idempotency_key"]) for r in asked] == [
            (str(back), f"coachctl-refund-{refund.id}")
        ]
        assert refund.status == "SENT" and Order.get_by_id(order.id).status == "PAID"
        post_webhook(web, refunded_event(order, back, "evt_refunded"))
        post_webhook(web, refunded_event(order, back, "evt_refunded"))  # a replay changes nothing
        assert Refund.get().status == "CONFIRMED"
    else:
        assert asked == [] and not Refund.select().exists()
    paid = Order.get_by_id(order.id)
    assert paid.refunded_minor == back
    assert paid.status == ("REFUNDED" if back == 8000 else "PAID")
    assert after in _cancel_email(booking)
    assert not Outbox.select().where(Outbox.kind == "refund").exists()  # said once, on cancel
    coach_notice = Outbox.get(Outbox.dedupe_key.contains("coach-cancelled"))
    assert after in coach_notice.body_text
    shown = web.get(_manage_path(booking, stripe_settings))
    assert after in shown.text


CREDIT_CELLS = [
    ("coach", IN_TIME, 0, True),
    ("coach", LATE, 0, True),
    ("client", IN_TIME, 0, True),
    ("client", LATE, 0, False),
    ("client", LATE, 50, False),
    ("client", LATE, 100, True),
]


@pytest.mark.parametrize(("who", "notice", "percent", "returned"), CREDIT_CELLS)
def test_a_credit_paid_session(
    jane, stripe_settings, web, stripe_double, who, notice, percent, returned
):
    edit_booking_type(jane["session"], cancel_notice=notice, late_refund_percent=percent)
    booking = _book(jane, stripe_settings, web, "credit")
    assert booking.credit_used and _available(jane) == 2
    preview = web.get(_manage_path(booking, stripe_settings)).html.select_one("#cancel-outcome")
    client_gets_it = notice == IN_TIME or percent == 100  # the page speaks for the client
    expected = "returns your session credit" if client_gets_it else "uses up your session credit"
    assert expected in preview.text

    _cancel(web, booking, stripe_settings, who)

    assert _available(jane) == (3 if returned else 2)
    back = CreditLedger.select().where(
        (CreditLedger.booking == booking) & (CreditLedger.reason == "cancel")
    )
    assert back.count() == (1 if returned else 0)
    assert _refund_requests(stripe_double) == [] and not Refund.select().exists()
    assert Order.get(Order.product == jane["package"]).status == "PAID"
    said = "is back in your balance" if returned else "The session credit was used"
    assert said in _cancel_email(booking)
    assert said in web.get(_manage_path(booking, stripe_settings)).text


@pytest.mark.parametrize(
    ("who", "notice"), [(w, n) for w in ("coach", "client") for n in (60, LATE)]
)
def test_a_free_session(jane, stripe_settings, web, stripe_double, who, notice):
    edit_booking_type(jane["session"], cancel_notice=notice, late_refund_percent=0)
    booking = _book(jane, stripe_settings, web, "free")
    preview = web.get(_manage_path(booking, stripe_settings)).html.select_one("#cancel-outcome")
    assert preview.text == "Cancelling costs nothing."
    _cancel(web, booking, stripe_settings, who)
    assert Booking.get_by_id(booking.id).status == "CANCELLED"
    assert not Order.select().exists() and stripe_double.requests == []
    assert "is cancelled" in _cancel_email(booking) and "refund" not in _cancel_email(booking)


def _available(jane) -> int:
    return credits.available_credits(jane["coach"], ANN, jane["session"])


def test_the_policy_is_in_plain_words_before_booking_and_in_the_confirmation(
    jane, stripe_settings, web
):
    edit_booking_type(jane["session"], cancel_notice=24 * 60, late_refund_percent=50)
    start = tomorrow_at(10)
    slot = start.strftime("%Y-%m-%dT%H:%M:%SZ")
    form = web.get(f"/book/jane/session?date={start.date()}&slot={slot}")
    words = (
        "Free cancellation up to 24 hours before the session. After that, 50% of the price is"
        " refunded (a session credit is used up)."
    )
    assert form.html.select_one(".policy").text == words
    booking = _book(jane, stripe_settings, web, "card")
    confirmed = Outbox.get((Outbox.booking == booking) & (Outbox.kind == "booking_confirmed"))
    assert words in confirmed.body_text and words in confirmed.body_html


def test_a_refund_the_provider_could_not_take_is_retried_under_the_same_key(
    jane, stripe_settings, web, stripe_double
):
    from coachctl.engine.housekeeping import run_housekeeping

    booking = _book(jane, stripe_settings, web, "card")
    stripe_double.failures_left = 3  # the first try and the SDK's two retries
    done = booking_desk.cancel_booking(booking, settings=stripe_settings)
    assert "refund" in done.refund_error and Refund.get().status == "REQUESTED"
    assert Booking.get_by_id(booking.id).status == "CANCELLED"
    run_housekeeping(stripe_settings)
    run_housekeeping(stripe_settings)
    keys = {r["idempotency_key"] for r in _refund_requests(stripe_double)}
    assert keys == {f"coachctl-refund-{Refund.get().id}"}
    assert Refund.select().count() == 1 and Refund.get().status == "SENT"
    assert len([r for r in _refund_requests(stripe_double)]) == 4  # 3 failed tries, 1 taken


def test_the_coachs_cancel_says_what_happens_to_the_money(jane, stripe_settings, web):
    from coachctl.store.db import db
    from tests.support import run_cli

    booking = _book(jane, stripe_settings, web, "card")
    db.close()
    said = run_cli("bookings", "cancel", str(booking.id)).stdout
    assert said.strip() == f"Cancelled booking {booking.id}; refunding €80.00 in full."
