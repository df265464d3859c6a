"""Prices read right: free products need no checkout, a coach sells in their own currency unless
told otherwise, and packages can be edited and archived."""

from __future__ import annotations

import json

from coachctl.engine import sales
from coachctl.engine.errors import Conflict
from coachctl.store.models import Order, Outbox, Product
from tests.commerce.test_sandbox_flows import _form_with_csrf
from tests.support import run_cli


def test_a_free_product_skips_checkout_and_is_delivered(client, shop, tmp_path, settings):
    guide = tmp_path / "guide.pdf"
    guide.write_bytes(b"%PDF-1.4 free guide")
    made = json.loads(
        run_cli(
            "product", "add", "--title", "Free guide", "--price", "free", "--file", str(guide),
            "--json",
        ).stdout
    )  # fmt: skip
    assert made["price"] == 0 and made["price_display"] == "Free"
    bio = client.get("/jane")
    offer = next(a for a in bio.html.select('[data-cta="buy"]') if f"/{made['id']}" in a["href"])
    assert offer.text.split()[:2] == ["Get", "Free:"] and "Free guide" in offer.text
    form = _form_with_csrf(client.get(offer["href"]))
    assert form.html.select_one("button").text == "Get it now"
    form["email"] = "ann@example.com"
    done = form.submit().follow()
    assert "/checkout/success" in done.request.url
    assert done.html.select_one(".downloads a").text == "Download guide.pdf"
    order = Order.get(Order.product == made["id"])
    assert (order.status, order.provider, order.amount_minor) == ("PAID", "free", 0)
    assert Outbox.select().where(Outbox.kind == "purchase").count() == 1
    try:
        sales.refund_order(order, settings)
    except Conflict as refused:
        assert "nothing to refund" in refused.message
    else:
        raise AssertionError("a free order has nothing to refund")


def test_a_price_in_another_currency_needs_to_be_allowed(shop):
    refused = run_cli("product", "add", "--title", "US", "--price", "30.00 USD", code=2)
    assert "the price is in USD but jane sells in EUR" in refused.stderr
    assert "--allow-currency" in refused.stderr
    assert not Product.select().where(Product.title == "US").exists()
    run_cli("product", "add", "--title", "US", "--price", "30.00 USD", "--allow-currency")
    assert Product.get(Product.title == "US").currency == "USD"


def test_packages_can_be_edited_and_archived(shop):
    package = shop["package"]
    run_cli("package", "edit", str(package.id), "--price", "199.00 EUR", "--title", "Three")
    edited = Product.get_by_id(package.id)
    assert (edited.title, edited.price_minor) == ("Three", 19900)
    refused = run_cli("package", "edit", str(shop["workbook"].id), "--title", "X", code=2)
    assert "no package" in refused.stderr
    run_cli("package", "archive", str(package.id))
    assert "Three" not in run_cli("package", "list").stdout
    assert "Three" in run_cli("package", "list", "--all").stdout


def test_the_api_sells_in_a_second_currency_only_when_asked(client, coach, token):
    headers = {"Authorization": f"Bearer {token}"}
    body = {"title": "Retreat", "price": "500 USD"}
    refused = client.post_json("/api/products", body, headers=headers, status=422)
    assert "allow_currency" in refused.json["error"]["hint"]
    made = client.post_json(
        "/api/products", {**body, "allow_currency": True}, headers=headers, status=201
    )
    assert made.json["product"]["currency"] == "USD"
