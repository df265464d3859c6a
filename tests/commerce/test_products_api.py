"""The products API: public listing of what is on sale; changes need the coach's token."""

import pytest

from coachctl.store.models import Product


def _auth(token):
    return {"Authorization": f"Bearer {token}"}


def test_create_edit_archive_with_a_token(client, coach, token):
    client.post_json("/api/products", {"title": "Guide", "price": "19.00 EUR"}, status=401)
    made = client.post_json(
        "/api/products", {"title": "Guide", "price": "19.00 EUR"}, headers=_auth(token), status=201
    ).json["product"]
    assert (made["price"], made["currency"], made["kind"]) == (1900, "EUR", "PRODUCT")
    package = client.post_json(
        "/api/products",
        {
            "kind": "PACKAGE",
            "title": "Five",
            "price": 40000,
            "credits": 5,
            "type": "session",
            "valid_days": 60,
        },
        headers=_auth(token),
        status=201,
    ).json["product"]
    assert (package["credits"], package["type"], package["price"]) == (5, "session", 40000)
    edited = client.patch_json(
        f"/api/products/{made['id']}", {"price": "21.50 EUR"}, headers=_auth(token)
    ).json["product"]
    assert edited["price"] == 2150
    client.delete(f"/api/products/{made['id']}", headers=_auth(token))
    assert Product.get_by_id(made["id"]).active is False
    public = client.get("/api/products?coach=jane").json["products"]
    assert [p["title"] for p in public] == ["Five"]
    mine = client.get("/api/products", headers=_auth(token)).json["products"]
    assert [p["title"] for p in mine] == ["Guide", "Five"]


@pytest.mark.parametrize(
    "body",
    [
        {"title": "X", "price": "19,00 EUR"},
        {"title": "", "price": 100},
        {"title": "X"},
        {"title": "X", "price": 1.5},
        {"kind": "PACKAGE", "title": "P", "price": 100},
    ],
)
def test_bad_products_are_422_and_write_nothing(client, coach, token, body):
    response = client.post_json("/api/products", body, headers=_auth(token), status=422)
    assert response.json["error"]["message"]
    assert Product.select().count() == 0


def test_another_coachs_product_is_not_found(client, coach, token):
    from coachctl.engine.coaches import create_coach
    from coachctl.engine.commerce.catalog import create_product
    from coachctl.engine.commerce.money import Money

    other = create_product(create_coach("bob", "Bob"), "Bob's guide", Money(100, "EUR"))
    client.patch_json(
        f"/api/products/{other.id}", {"title": "Mine now"}, headers=_auth(token), status=404
    )
    assert Product.get_by_id(other.id).title == "Bob's guide"
