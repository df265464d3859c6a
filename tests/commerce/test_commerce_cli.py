"""Commerce through the CLI: products, packages, orders, refunds, credits, Stripe sync."""

import json

import pytest

from coachctl.engine import sales
from coachctl.store.db import db
from tests.support import run_cli as cli


@pytest.fixture
def jane(environment):
    cli("coach", "create", "jane", "--name", "Jane Doe", "--timezone", "Europe/London")


def test_products_and_packages(jane):
    made = json.loads(
        cli("product", "add", "--title", "Workbook", "--price", "49.00 EUR", "--json").stdout
    )
    assert (made["price"], made["currency"], made["kind"]) == (4900, "EUR", "PRODUCT")
    cheap = json.loads(cli("product", "add", "--title", "Guide", "--price", "900", "--json").stdout)
    assert (cheap["price"], cheap["currency"]) == (900, "EUR")
    package = json.loads(
        cli(
            "package",
            "add",
            "--title",
            "Five",
            "--price",
            "400 EUR",
            "--credits",
            "5",
            "--type",
            "session",
            "--valid-days",
            "90",
            "--json",
        ).stdout
    )
    assert (package["credits"], package["type"], package["valid_days"]) == (5, "session", 90)
    cli("product", "edit", str(made["id"]), "--price", "59.00 EUR")
    cli("product", "archive", str(cheap["id"]))
    listed = json.loads(cli("product", "list", "--json").stdout)
    assert [(p["title"], p["price"]) for p in listed] == [("Workbook", 5900), ("Five", 40000)]
    assert len(json.loads(cli("product", "list", "--all", "--json").stdout)) == 3


@pytest.mark.parametrize("price", ["49,00 EUR", "49.001 EUR", "-1", "gratis"])
def test_bad_prices_are_one_line_errors(jane, price):
    result = cli("product", "add", "--title", "X", "--price", price, code=2)
    assert result.stderr.startswith("Error: ") and len(result.stderr.strip().splitlines()) == 1
    assert json.loads(cli("product", "list", "--all", "--json").stdout) == []


def test_orders_list_and_sandbox_refund(jane, settings):
    from coachctl.engine.commerce.catalog import get_product
    from coachctl.store.db import open_database

    made = json.loads(
        cli(
            "package",
            "add",
            "--title",
            "Two",
            "--price",
            "100 EUR",
            "--credits",
            "2",
            "--type",
            "session",
            "--json",
        ).stdout
    )
    open_database(settings.database_url)
    order = sales.start_product_checkout(get_product(None, made["id"]), "ann@example.com", settings)
    sales.pay_sandbox(order, settings)
    db.close()
    orders = json.loads(cli("orders", "list", "--coach", "jane", "--json").stdout)
    assert [(o["id"], o["status"], o["amount"]) for o in orders] == [(order.id, "PAID", 10000)]
    balances = json.loads(cli("credits", "list", "--customer", "ann@example.com", "--json").stdout)
    assert balances == [
        {
            "email": "ann@example.com",
            "type": "session",
            "available": 2,
            "next_expiry": None,
            "expired": 0,
            "expired_at": None,
        }
    ]
    assert "Refunded" in cli("orders", "refund", str(order.id)).stdout
    assert (
        json.loads(cli("orders", "list", "--status", "refunded", "--json").stdout)[0]["id"]
        == order.id
    )
    assert json.loads(cli("credits", "list", "--json").stdout)[0]["available"] == 0
    assert "only paid orders" in cli("orders", "refund", str(order.id), code=2).stderr


def test_stripe_sync_is_idempotent(jane, stripe_settings, stripe_double):
    cli("product", "add", "--title", "Workbook", "--price", "49.00 EUR")
    first = json.loads(cli("stripe", "sync", "--json").stdout)
    assert [r["action"] for r in first] == ["created"]
    assert stripe_double.paths() == ["/v1/products", "/v1/prices"]
    second = json.loads(cli("stripe", "sync", "--json").stdout)
    assert [r["action"] for r in second] == ["unchanged"]
    assert second[0]["stripe_price"] == first[0]["stripe_price"]
    cli("product", "edit", str(first[0]["product_id"]), "--price", "59.00 EUR")
    third = json.loads(cli("stripe", "sync", "--json").stdout)
    assert third[0]["action"] == "updated" and third[0]["stripe_price"] != first[0]["stripe_price"]
    assert stripe_double.paths()[-2:] == ["/v1/prices", f"/v1/prices/{first[0]['stripe_price']}"]
    assert stripe_double.requests[-1]["fields"] == {"active": "false"}


def test_stripe_sync_without_a_key_says_so(jane):
    assert "STRIPE_SECRET_KEY" in cli("stripe", "sync", code=2).stderr
