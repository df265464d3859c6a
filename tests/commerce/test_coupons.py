"""Coupons: what they take off, every refusal, the maximum under racing checkouts, Stripe, CLI."""

import json
import threading
from datetime import date, timedelta

import pytest

from coachctl.engine import payment_events, sales
from coachctl.engine.commerce import catalog, checkout, coupons, payments
from coachctl.engine.commerce.money import Money
from coachctl.engine.commerce.stripe_sync import sync_coupons
from coachctl.engine.errors import Conflict
from coachctl.engine.parse import format_instant
from coachctl.store.db import connection
from coachctl.store.models import Booking, Coupon, CouponRedemption, Order, Outbox, utcnow
from tests.commerce.conftest import tomorrow_at
from tests.support import run_cli as cli


def _coupon(coach, code="SPRING", **rules):
    if "amount_off" not in rules:
        rules.setdefault("percent_off", 20)
    return coupons.create_coupon(coach, code, **rules)


def _api_checkout(client, product, status=201, email="ann@example.com", **extra):
    body = {"product": product.id, "email": email, **extra}
    return client.post_json("/api/checkout", body, status=status)


def _pay(client, url):
    sandbox = client.get(url.replace("http://coach.test", ""))
    return sandbox.forms[0].submit("action", value="pay")


def test_a_percent_coupon_through_the_api_discounts_the_order_and_counts_when_paid(client, shop):
    _coupon(shop["coach"], "SPRING", percent_off=20)
    data = _api_checkout(client, shop["workbook"], coupon="spring").json
    order = Order.get_by_id(data["order"]["id"])
    assert (order.amount_minor, order.discount_minor, order.coupon.code) == (2320, 580, "SPRING")
    shown = checkout.order_to_dict(order)
    assert (shown["amount"], shown["discount"], shown["coupon"]) == (2320, 580, "SPRING")
    assert CouponRedemption.select().count() == 0, "a checkout only holds a use until it is paid"
    _pay(client, data["url"])
    redemption = CouponRedemption.get()
    assert (redemption.order_id, redemption.discount_minor) == (order.id, 580)
    assert Order.get_by_id(order.id).status == "PAID"
    email = Outbox.get(Outbox.kind == "purchase")
    assert "Paid: €23.20" in email.body_text and "Discount (SPRING): €5.80" in email.body_text


def test_an_amount_coupon_through_the_buy_form(client, shop):
    _coupon(shop["coach"], "TENOFF", amount_off=Money(1000, "EUR"))
    page = client.get(f"/checkout/{shop['workbook'].id}")
    form = page.forms[0]
    form["email"], form["name"], form["coupon"] = "ann@example.com", "Ann", "tenoff"
    sandbox = form.submit().follow()
    assert "€19.00" in sandbox.text
    order = Order.get()
    assert (order.amount_minor, order.discount_minor, order.coupon.code) == (1900, 1000, "TENOFF")


def test_free_products_ask_for_no_discount_code(client, shop):
    free = catalog.create_product(shop["coach"], "Guide", Money(0, "EUR"))
    assert client.get(f"/checkout/{free.id}").html.select("#coupon") == []
    assert client.get(f"/checkout/{shop['workbook'].id}").html.select("#coupon")


REFUSALS = {
    "unknown": (422, "the discount code NOPE does not exist"),
    "archived": (422, "the discount code SPRING is no longer valid"),
    "expired": (422, "the discount code SPRING has expired"),
    "other product": (422, "the discount code SPRING does not apply to Workbook"),
    "only sessions": (422, "the discount code SPRING does not apply to Workbook"),
    "currency": (422, "the discount code SPRING is for prices in EUR, not USD"),
    "used up": (409, "the discount code SPRING has been used up"),
    "once per customer": (409, "the discount code SPRING has already been used with this email"),
}


def _refusing(case, shop, settings):
    """Set up ``case``; return the product to buy and the code to give."""
    coach, product = shop["coach"], shop["workbook"]
    if case == "unknown":
        return product, "nope"
    if case == "other product":
        _coupon(coach, products=[shop["package"].id])
    elif case == "only sessions":
        _coupon(coach, booking_types=[shop["session"]])
    elif case == "currency":
        _coupon(coach, amount_off=Money(500, "EUR"))
        product = catalog.create_product(coach, "Workbook", Money(3000, "USD"), allow_currency=True)
    elif case == "used up":
        _coupon(coach, max_redemptions=1)
        sales.start_product_checkout(product, "bo@example.com", settings, coupon="SPRING")
    elif case == "once per customer":
        _coupon(coach, once_per_customer=True)
        earlier = sales.start_product_checkout(
            product, "ANN@example.com", settings, coupon="SPRING"
        )
        sales.pay_sandbox(earlier, settings)
    else:
        _coupon(coach, expires_on=date.today() + timedelta(days=2))
        if case == "archived":
            coupons.archive_coupon(coach, "spring")
        else:
            Coupon.update(expires_at=utcnow() - timedelta(minutes=1)).execute()
    return product, "SPRING"


@pytest.mark.parametrize("case", REFUSALS)
def test_each_refusal_is_a_clear_4xx_and_writes_no_order(client, shop, settings, case):
    product, code = _refusing(case, shop, settings)
    before = Order.select().count()
    status, message = REFUSALS[case]
    response = _api_checkout(client, product, status=status, coupon=code)
    assert response.json["error"]["message"].startswith(message)
    assert response.json["error"]["code"].startswith("coupon_")
    assert Order.select().count() == before


def test_a_refused_code_on_the_buy_form_keeps_what_was_typed(client, shop):
    page = client.get(f"/checkout/{shop['workbook'].id}")
    form = page.forms[0]
    form["email"], form["name"], form["coupon"] = "ann@example.com", "Ann <b>", "<i>BAD</i>"
    again = form.submit(status=422)
    assert again.html.select_one('[role="alert"]').text == (
        "The discount code <I>BAD</I> does not exist."
    )
    assert "<I>BAD</I> does not exist" not in again.text, "the message is escaped"
    kept = again.forms[0]
    assert (kept["email"].value, kept["name"].value, kept["coupon"].value) == (
        "ann@example.com",
        "Ann <b>",
        "<i>BAD</i>",
    )
    assert Order.select().count() == 0


def test_a_full_discount_makes_the_order_free_and_fulfilled_at_once(client, shop):
    _coupon(shop["coach"], "GIFT", percent_off=100)
    data = _api_checkout(client, shop["package"], coupon="gift").json
    order = Order.get_by_id(data["order"]["id"])
    assert (order.status, order.provider, order.amount_minor) == ("PAID", "free", 0)
    assert "/checkout/success" in data["url"]
    assert CouponRedemption.get().discount_minor == 21000


def test_an_amount_never_takes_more_than_the_price(shop, settings):
    _coupon(shop["coach"], "BIG", amount_off=Money(5000, "EUR"))
    order = sales.start_product_checkout(
        shop["workbook"], "ann@example.com", settings, coupon="BIG"
    )
    assert (order.amount_minor, order.discount_minor, order.status) == (0, 2900, "PAID")


def _slot_form(client, start):
    page = client.get(f"/book/jane/session?tz=UTC&date={start.date()}&slot={format_instant(start)}")
    form = page.forms["confirm"]
    form["name"], form["email"] = "Ann", "ann@example.com"
    return form


def test_a_paid_session_booked_with_a_code_on_the_form(client, shop):
    _coupon(shop["coach"], "SESSION25", percent_off=25, booking_types=[shop["session"]])
    form = _slot_form(client, tomorrow_at(10))
    form["coupon"] = "session25"
    sandbox = form.submit().follow()
    assert "€60.00" in sandbox.text
    order = Order.get()
    assert (order.amount_minor, order.discount_minor) == (6000, 2000)
    assert order.booking_id == Booking.get().id
    sandbox.forms[0].submit("action", value="pay")
    assert Booking.get().status == "CONFIRMED" and CouponRedemption.select().count() == 1


def test_a_refused_code_on_the_booking_form_holds_no_slot(client, shop):
    _coupon(shop["coach"], "PRODUCTS", products=[shop["workbook"].id])
    form = _slot_form(client, tomorrow_at(11))
    form["coupon"] = "products"
    again = form.submit(status=422)
    assert "does not apply to Session" in again.html.select_one("#book-error").text
    kept = again.forms["confirm"]
    assert (kept["coupon"].value, kept["email"].value) == ("products", "ann@example.com")
    assert again.html.select_one("#coupon")["aria-invalid"] == "true"
    assert Booking.select().count() == 0 and Order.select().count() == 0


def test_a_used_up_code_on_the_booking_form_lets_the_hold_go(client, shop, settings):
    _coupon(shop["coach"], "ONCE", max_redemptions=1)
    sales.start_product_checkout(shop["workbook"], "bo@example.com", settings, coupon="ONCE")
    form = _slot_form(client, tomorrow_at(12))
    form["coupon"] = "once"
    again = form.submit(status=409)
    assert "has been used up" in again.html.select_one("#book-error").text
    assert again.forms["confirm"]["coupon"].value == "once", "the chosen time stays on the form"
    assert [b.status for b in Booking.select()] == ["CANCELLED"]


def test_a_full_discount_confirms_a_paid_session_at_once(client, shop):
    _coupon(shop["coach"], "FREEBIE", percent_off=100)
    body = {
        "coach": "jane",
        "start": format_instant(tomorrow_at(13)),
        "name": "Ann",
        "email": "ann@example.com",
        "coupon": "freebie",
    }
    data = client.post_json("/api/bookings", body, status=201).json
    assert data["booking"]["status"] == "CONFIRMED"
    order = Order.get()
    assert (order.status, order.provider, order.discount_minor) == ("PAID", "free", 8000)
    assert CouponRedemption.select().count() == 1


def test_a_booking_checkout_already_open_refuses_a_code_added_later(client, shop):
    _coupon(shop["coach"])
    body = {"coach": "jane", "start": format_instant(tomorrow_at(14)), "name": "Ann"}
    data = client.post_json("/api/bookings", {**body, "email": "ann@example.com"}).json
    booking_link = data["booking"]["manage_url"].rsplit("/", 1)[1]
    refused = client.post_json(
        "/api/checkout",
        {"booking": booking_link, "email": "ann@example.com", "coupon": "SPRING"},
        status=409,
    )
    assert refused.json["error"]["code"] == "coupon_too_late"
    assert Order.select().count() == 1


RACERS = 10


def test_ten_racing_checkouts_for_one_use_make_one_order(shop, settings):
    _coupon(shop["coach"], "ONE", max_redemptions=1)
    product_id = shop["workbook"].id
    barrier = threading.Barrier(RACERS)
    outcomes: list[str] = []

    def racer(n: int) -> None:
        with connection():
            barrier.wait()
            try:
                sales.start_checkout(
                    settings, product_id=product_id, email=f"racer{n}@example.com", coupon="one"
                )
                outcomes.append("order")
            except Conflict as error:
                outcomes.append(error.code)

    threads = [threading.Thread(target=racer, args=(n,)) for n in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["coupon_used_up"] * (RACERS - 1) + ["order"]
    assert Order.select().count() == 1 and Order.get().coupon.code == "ONE"
    for order in Order.select():
        sales.pay_sandbox(order, settings)
    paid = list(Order.select().where(Order.status == "PAID"))
    assert [(o.amount_minor, o.discount_minor, o.coupon.code) for o in paid] == [(2320, 580, "ONE")]
    assert CouponRedemption.select().count() == 1


def test_an_expired_checkout_gives_its_use_back(shop, settings):
    _coupon(shop["coach"], "ONE", max_redemptions=1)
    first = sales.start_product_checkout(
        shop["workbook"], "ann@example.com", settings, coupon="ONE"
    )
    with pytest.raises(Conflict, match="used up"):
        sales.start_product_checkout(shop["workbook"], "bo@example.com", settings, coupon="ONE")
    assert sales.expire_overdue(settings, now=first.expires_at + timedelta(seconds=1)) == 1
    again = sales.start_product_checkout(shop["workbook"], "bo@example.com", settings, coupon="ONE")
    assert again.coupon.code == "ONE" and again.amount_minor == 2320


def test_a_failed_session_holds_no_use(shop, settings, monkeypatch):
    _coupon(shop["coach"], "ONE", max_redemptions=1)

    def unreachable(*args, **kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr(payments.SandboxProvider, "create_session", unreachable)
    with pytest.raises(Exception, match="could not be reached"):
        sales.start_product_checkout(shop["workbook"], "ann@example.com", settings, coupon="ONE")
    monkeypatch.undo()
    order = sales.start_product_checkout(shop["workbook"], "bo@example.com", settings, coupon="ONE")
    assert order.coupon.code == "ONE"


def test_a_replayed_payment_counts_one_redemption(shop, settings):
    _coupon(shop["coach"], "SPRING", max_redemptions=5)
    order = sales.start_product_checkout(
        shop["workbook"], "ann@example.com", settings, coupon="SPRING"
    )
    event = payments.sandbox_event(payments.PAID, order)
    assert payment_events.apply_event(event, settings, provider="sandbox") == "processed"
    assert payment_events.apply_event(event, settings, provider="sandbox") == "duplicate"
    again = payments.sandbox_event(payments.PAID, order, unique="_async")
    assert payment_events.apply_event(again, settings, provider="sandbox") == "processed"
    assert CouponRedemption.select().count() == 1
    assert coupons.coupon_to_dict(Coupon.get())["used"] == 1


def test_stripe_sync_creates_each_coupon_once(shop, stripe_settings, stripe_double):
    _coupon(shop["coach"], "SPRING", percent_off=20)
    _coupon(shop["coach"], "TENOFF", amount_off=Money(1000, "EUR"))
    _coupon(shop["coach"], "OLD")
    coupons.archive_coupon(shop["coach"], "OLD")
    first = sync_coupons(shop["coach"], stripe_settings)
    assert [(r.code, r.action) for r in first] == [("SPRING", "created"), ("TENOFF", "created")]
    made = [r for r in stripe_double.requests if r["path"] == "/v1/coupons"]
    assert made[0]["fields"] == {
        "duration": "once",
        "name": "SPRING",
        "percent_off": "20",
        "metadata[coachctl_coupon]": str(Coupon.get(Coupon.code == "SPRING").id),
    }
    assert (made[1]["fields"]["amount_off"], made[1]["fields"]["currency"]) == ("1000", "eur")
    assert made[0]["idempotency_key"] != made[1]["idempotency_key"]
    second = sync_coupons(shop["coach"], stripe_settings)
    assert [r.action for r in second] == ["unchanged", "unchanged"]
    assert [r.stripe_coupon for r in second] == [r.stripe_coupon for r in first]
    assert len([r for r in stripe_double.requests if r["path"] == "/v1/coupons"]) == 2


def test_a_stripe_checkout_sends_the_coupon_as_a_discount(shop, stripe_settings, stripe_double):
    _coupon(shop["coach"], "SPRING", percent_off=20)
    synced = sync_coupons(shop["coach"], stripe_settings)[0].stripe_coupon
    order = sales.start_product_checkout(
        shop["workbook"], "ann@example.com", stripe_settings, coupon="spring"
    )
    session = stripe_double.requests[-1]
    assert session["path"] == "/v1/checkout/sessions"
    assert session["fields"]["discounts[0][coupon]"] == synced
    assert session["fields"]["line_items[0][price_data][unit_amount]"] == "2900"
    assert (order.amount_minor, order.discount_minor) == (2320, 580)


def test_a_stripe_checkout_creates_a_coupon_not_yet_synced(shop, stripe_settings, stripe_double):
    _coupon(shop["coach"], "LATE", percent_off=10)
    sales.start_product_checkout(
        shop["workbook"], "ann@example.com", stripe_settings, coupon="LATE"
    )
    assert stripe_double.paths() == ["/v1/coupons", "/v1/checkout/sessions"]
    made = Coupon.get().stripe_coupon_id
    assert made and stripe_double.requests[1]["fields"]["discounts[0][coupon]"] == made
    sales.start_product_checkout(shop["workbook"], "bo@example.com", stripe_settings, coupon="LATE")
    assert stripe_double.paths().count("/v1/coupons") == 1


@pytest.fixture
def jane(environment):
    cli("coach", "create", "jane", "--name", "Jane Doe", "--timezone", "Europe/London")


def test_coupon_cli_add_list_rm(jane):
    made = json.loads(
        cli(
            "coupon",
            "add",
            "spring-24",
            "--percent",
            "20",
            "--type",
            "session",
            "--expires",
            "2099-03-31",
            "--max",
            "5",
            "--json",
        ).stdout
    )
    assert (made["code"], made["percent_off"], made["types"]) == ("SPRING-24", 20, ["session"])
    assert (made["last_day"], made["expires_at"]) == ("2099-03-31", "2099-03-31T23:00:00Z")
    assert (
        "Added coupon TEN"
        in cli("coupon", "add", "ten", "--amount", "10.00 EUR", "--once-per-customer").stdout
    )
    listed = json.loads(cli("coupon", "list", "--json").stdout)
    assert [(c["code"], c["used"], c["status"]) for c in listed] == [
        ("SPRING-24", 0, "active"),
        ("TEN", 0, "active"),
    ]
    table = cli("coupon", "list", "--coach", "jane").stdout
    assert "0/5" in table and "31 Mar 2099" in table and "once per customer" in table
    assert "Archived coupon TEN" in cli("coupon", "rm", "Ten").stdout
    listed = json.loads(cli("coupon", "list", "--json").stdout)
    assert [c["status"] for c in listed] == ["active", "archived"]


@pytest.mark.parametrize(
    "args",
    [
        ["x", "--percent", "5"],
        ["has space", "--percent", "5"],
        ["OK1", "--percent", "0"],
        ["OK1", "--percent", "101"],
        ["OK1", "--percent", "abc"],
        ["OK1"],
        ["OK1", "--percent", "5", "--amount", "1.00 EUR"],
        ["OK1", "--amount", "10.00 USD"],
        ["OK1", "--amount", "10.00 XYZ"],
        ["OK1", "--amount", "0 EUR"],
        ["OK1", "--percent", "5", "--expires", "2020-01-01"],
        ["OK1", "--percent", "5", "--expires", "31/03/2099"],
        ["OK1", "--percent", "5", "--product", "99"],
        ["OK1", "--percent", "5", "--type", "nope"],
        ["OK1", "--percent", "5", "--max", "0"],
    ],
)
def test_coupon_cli_bad_input_is_one_line_and_writes_nothing(jane, args):
    result = cli("coupon", "add", *args, code=2)
    assert result.stderr.startswith("Error: ") and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert json.loads(cli("coupon", "list", "--json").stdout) == []


def test_coupon_cli_refuses_a_taken_code_and_an_unknown_one(jane):
    cli("coupon", "add", "SPRING", "--percent", "5")
    assert (
        "already has a coupon SPRING"
        in cli("coupon", "add", "spring", "--percent", "9", code=2).stderr
    )
    assert "no coupon 'NOPE'" in cli("coupon", "rm", "NOPE", code=2).stderr


def test_stripe_sync_cli_reports_coupons(jane, stripe_settings, stripe_double):
    cli("coupon", "add", "SPRING", "--percent", "20")
    rows = json.loads(cli("stripe", "sync", "--json").stdout)
    assert [(r["kind"], r.get("code"), r["action"]) for r in rows] == [
        ("coupon", "SPRING", "created")
    ]


def test_the_test_checkout_and_the_thank_you_page_show_the_discount(client, shop):
    _coupon(shop["coach"])
    page = client.get(f"/checkout/{shop['workbook'].id}")
    form = page.forms[0]
    form["email"], form["name"], form["coupon"] = "ann@example.com", "Ann", "spring"
    sandbox = form.submit().follow()
    assert "€23.20 (€5.80 off with SPRING)" in sandbox.html.select_one(".summary").text
    thanks = sandbox.forms[0].submit("action", value="pay").follow()
    assert "€5.80 off with SPRING" in thanks.text
