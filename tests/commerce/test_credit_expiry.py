"""Credits about to expire: the client's reminder, extending credits, and expired ones shown."""

import json
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from coachctl.engine import formats, links, sales
from coachctl.engine.commerce import credits
from coachctl.engine.housekeeping import run_housekeeping
from coachctl.engine.parse import format_instant
from coachctl.store.models import CreditLedger, Order, Outbox, Product, utcnow
from tests.commerce.conftest import tomorrow_at
from tests.support import run_cli as cli

EMAIL = "ann@example.com"


def _buy(shop, settings) -> CreditLedger:
    """Ann buys the 3-session package (90 days) through the sandbox; her grant."""
    order = sales.start_product_checkout(shop["package"], EMAIL, settings, name="Ann")
    sales.pay_sandbox(order, settings)
    return CreditLedger.get(CreditLedger.order == order)


def _window(grant: CreditLedger):
    """An instant a day after the reminder window of ``grant`` opened (14 days by default)."""
    return CreditLedger.get_by_id(grant.id).expires_at - timedelta(days=13)


def _reminders() -> list[Outbox]:
    return list(Outbox.select().where(Outbox.kind == "credits_expiring").order_by(Outbox.id))


def _day(instant) -> str:
    return formats.day(instant.astimezone(ZoneInfo("Europe/London")).date(), weekday=False)


def _book_with_pass(client, settings, coach, hour: int) -> None:
    body = {
        "coach": "jane",
        "type": "session",
        "start": format_instant(tomorrow_at(hour)),
        "name": "Ann",
        "email": EMAIL,
        "pass": links.credits_pass(settings, coach, EMAIL),
    }
    assert client.post_json("/api/bookings", body, status=201).json["booking"]["status"] == (
        "CONFIRMED"
    )


def test_reminder_is_queued_once_when_the_window_opens_with_the_booking_link_and_date(
    client, shop, settings
):
    grant = _buy(shop, settings)
    run_housekeeping(settings, now=grant.expires_at - timedelta(days=15))
    assert _reminders() == []
    now = _window(grant)
    assert run_housekeeping(settings, now=now).credit_reminders == 1
    assert run_housekeeping(settings, now=now).credit_reminders == 0
    [reminder] = _reminders()
    token = links.credits_pass(settings, shop["coach"], EMAIL)
    link = f"http://coach.test/book/jane/session?pass={token}"
    expires = _day(grant.expires_at)
    assert (reminder.recipient, reminder.status, reminder.send_after) == (EMAIL, "PENDING", now)
    assert reminder.subject == f"Your 3 Session credits with Jane Doe expire on {expires}"
    assert "Hi Ann," in reminder.body_text and "3 unused Session credits" in reminder.body_text
    assert link in reminder.body_text and expires in reminder.body_text
    assert f'href="{link}"' in reminder.body_html and expires in reminder.body_html
    page = client.get(link.removeprefix("http://coach.test"))
    assert "You have 3 sessions left" in page.text


def test_credits_granted_inside_the_window_get_no_reminder(shop, settings):
    Product.update(valid_days=10).where(Product.id == shop["package"].id).execute()
    grant = _buy(shop, settings)
    run_housekeeping(settings, now=grant.expires_at - timedelta(days=1))
    assert _reminders() == []


def test_no_reminder_once_the_credits_are_used_before_the_window(client, shop, settings):
    grant = _buy(shop, settings)
    for hour in (9, 10, 11):
        _book_with_pass(client, settings, shop["coach"], hour)
    run_housekeeping(settings, now=_window(grant))
    assert _reminders() == []


def test_unsent_reminder_is_dropped_when_the_last_credit_is_booked(client, shop, settings):
    grant = _buy(shop, settings)
    now = _window(grant)
    run_housekeeping(settings, now=now)
    _book_with_pass(client, settings, shop["coach"], 9)
    # Each movement drops the unsent reminder; the next round writes it with what is left.
    assert _reminders() == []
    run_housekeeping(settings, now=now)
    assert "2 unused Session credits" in _reminders()[0].body_text
    _book_with_pass(client, settings, shop["coach"], 10)
    _book_with_pass(client, settings, shop["coach"], 11)
    assert _reminders() == []
    run_housekeeping(settings, now=now)
    assert _reminders() == []


def test_a_sent_reminder_is_never_sent_again(client, shop, settings):
    grant = _buy(shop, settings)
    now = _window(grant)
    run_housekeeping(settings, now=now)
    Outbox.update(status="SENT").execute()
    _book_with_pass(client, settings, shop["coach"], 9)
    run_housekeeping(settings, now=now + timedelta(days=1))
    assert [r.status for r in _reminders()] == ["SENT"]


def test_a_refund_drops_the_unsent_reminder(shop, settings):
    grant = _buy(shop, settings)
    run_housekeeping(settings, now=_window(grant))
    sales.refund_order(Order.get(), settings)
    assert _reminders() == []


def test_extending_moves_the_reminder_to_the_new_date(shop, settings):
    grant = _buy(shop, settings)
    old_window = _window(grant)
    run_housekeeping(settings, now=old_window)
    assert len(_reminders()) == 1
    new_expiry = grant.expires_at + timedelta(days=30)
    result = cli("credits", "extend", EMAIL, "--days", "30", "--coach", "jane")
    assert result.stdout == f"Extended 3 credits for {EMAIL} (session) to {_day(new_expiry)}.\n"
    assert _reminders() == []
    run_housekeeping(settings, now=old_window)
    assert _reminders() == []
    run_housekeeping(settings, now=new_expiry - timedelta(days=13))
    [reminder] = _reminders()
    assert _day(new_expiry) in reminder.subject and _day(grant.expires_at) not in reminder.body_text
    extension = CreditLedger.get(CreditLedger.reason == "extend")
    assert (extension.delta, extension.grant_id, extension.expires_at) == (0, grant.id, new_expiry)
    assert CreditLedger.get_by_id(grant.id).expires_at == new_expiry


def test_extending_expired_credits_revives_them_from_today(shop, settings):
    grant = _buy(shop, settings)
    now = grant.expires_at + timedelta(days=5)
    assert credits.available_credits(shop["coach"], EMAIL, shop["session"], now) == 0
    [moved] = credits.extend_credits(shop["coach"], EMAIL.upper(), 7, now=now)
    assert (moved.credits, moved.expires_at) == (3, now + timedelta(days=7))
    assert credits.available_credits(shop["coach"], EMAIL, shop["session"], now) == 3


def test_credits_list_shows_expired_credits_as_expired(client, shop, settings, monkeypatch):
    monkeypatch.setenv("COLUMNS", "120")
    grant = _buy(shop, settings)
    _book_with_pass(client, settings, shop["coach"], 9)
    lapsed = (utcnow() - timedelta(days=2)).replace(microsecond=0)
    CreditLedger.update(expires_at=lapsed).where(CreditLedger.id == grant.id).execute()
    listed = json.loads(cli("credits", "list", "--json").stdout)
    assert listed == [
        {
            "email": EMAIL,
            "type": "session",
            "available": 0,
            "next_expiry": None,
            "expired": 2,
            "expired_at": format_instant(lapsed),
        }
    ]
    shown = cli("credits", "list", "--customer", EMAIL).stdout
    assert "expired" in shown and f"2 on {_day(lapsed)}" in shown
    monkeypatch.setenv("COLUMNS", "80")
    narrow = cli("credits", "list").stdout
    assert EMAIL in narrow and "2 on" in narrow
    assert max(len(line) for line in narrow.splitlines()) <= 80
    held = credits.balance(shop["coach"], EMAIL, shop["session"])
    assert (held.available, held.expired, held.expired_at) == (0, 2, lapsed)


@pytest.mark.parametrize(
    "args",
    [
        ["nobody@example.com", "--days", "30"],
        [EMAIL, "--days", "0"],
        [EMAIL, "--days", "3651"],
        [EMAIL, "--days", "soon"],
        [EMAIL, "--days", "30", "--type", "workshop"],
        [EMAIL],
    ],
)
def test_extend_mistakes_are_one_line_errors(shop, settings, args):
    _buy(shop, settings)
    result = cli("credits", "extend", *args, "--coach", "jane", code=2)
    assert result.stderr.startswith("Error: ") and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert CreditLedger.select().where(CreditLedger.reason == "extend").count() == 0


def test_credits_that_never_expire_cannot_be_extended(shop, settings):
    Product.update(valid_days=None).where(Product.id == shop["package"].id).execute()
    _buy(shop, settings)
    result = cli("credits", "extend", EMAIL, "--days", "30", code=2)
    assert (
        result.stderr == f"Error: {EMAIL} has no credits that expire (see: coachctl credits list)\n"
    )
