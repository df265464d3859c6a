"""JSON API: products (public listing, token-protected changes), checkout, and Stripe webhooks."""

from __future__ import annotations

import json

import bottle

from coachctl.engine import catalog, checkout, coaches, links
from coachctl.engine.booking_types import get_booking_type
from coachctl.engine.errors import Invalid
from coachctl.engine.money import parse_money
from coachctl.server.web import Web


def _price(body: dict, currency: str):
    if "price" not in body:
        return None
    value = body["price"]
    if isinstance(value, int) and not isinstance(value, bool):
        return parse_money(value, default_currency=body.get("currency") or currency)
    if isinstance(value, str):
        return parse_money(value, default_currency=body.get("currency") or currency)
    raise Invalid("price must be minor units (4900) or text such as '49.00 EUR'")


def register(app: bottle.Bottle, web: Web) -> None:
    settings = web.settings

    @app.get("/api/products")
    def list_products() -> str:
        if web.bearer():
            coach = web.token_coach()
            rows = catalog.list_products(coach, include_archived=True)
        else:
            slug = bottle.request.query.get("coach")
            if not slug:
                raise Invalid("coach is required", code="missing_coach")
            coach = coaches.get_coach(slug, public=True)
            rows = catalog.list_products(coach) if coach.products_enabled else []
        return web.json({"products": [catalog.product_to_dict(p) for p in rows]})

    @app.post("/api/products")
    def create_product() -> str:
        coach = web.token_coach()
        body = web.body()
        price = _price(body, coach.currency)
        if price is None:
            raise Invalid("price is required")
        if body.get("kind", "PRODUCT").upper() == "PACKAGE":
            kind = get_booking_type(coach, body["type"]) if body.get("type") else None
            product = catalog.create_package(
                coach,
                str(body.get("title") or ""),
                price,
                description=str(body.get("description") or ""),
                credits=body.get("credits"),
                booking_type=kind,
                valid_days=body.get("valid_days"),
                items=body.get("items") or [],
            )
        else:
            product = catalog.create_product(
                coach, str(body.get("title") or ""), price, str(body.get("description") or "")
            )
        return web.json({"product": catalog.product_to_dict(product)}, 201)

    @app.get("/api/products/<product_id:int>")
    def show_product(product_id: int) -> str:
        return web.json(
            {"product": catalog.product_to_dict(catalog.get_product(web.token_coach(), product_id))}
        )

    @app.route("/api/products/<product_id:int>", method="PATCH")
    def edit_product(product_id: int) -> str:
        coach = web.token_coach()
        product = catalog.get_product(coach, product_id)
        body = web.body()
        active = body.get("active")
        if active is not None and not isinstance(active, bool):
            raise Invalid("active must be true or false")
        edited = catalog.edit_product(
            product,
            title=body.get("title"),
            description=body.get("description"),
            price=_price(body, product.currency),
            active=active,
        )
        return web.json({"product": catalog.product_to_dict(edited)})

    @app.delete("/api/products/<product_id:int>")
    def archive_product(product_id: int) -> str:
        product = catalog.archive_product(catalog.get_product(web.token_coach(), product_id))
        return web.json({"product": catalog.product_to_dict(product)})

    @app.post("/api/checkout")
    def start_checkout() -> str:
        body = web.body()
        booking = None
        if body.get("booking") is not None:
            booking = links.booking_from_link(str(body["booking"]), settings)
        order = checkout.start_checkout(
            settings,
            product_id=body.get("product"),
            booking=booking,
            email=str(body.get("email") or ""),
            name=str(body.get("name") or ""),
        )
        return web.json(
            {"order": {"id": order.id, "status": order.status}, "url": order.checkout_url}, 201
        )

    @app.post("/webhooks/stripe")
    def stripe_webhook() -> str:
        import stripe

        payload = bottle.request.body.read(1_000_000)
        header = bottle.request.get_header("Stripe-Signature")
        secret = settings.stripe_webhook_secret
        try:
            if not secret or not header:
                raise stripe.SignatureVerificationError("missing signature or secret", header)
            stripe.WebhookSignature.verify_header(payload.decode("utf-8"), header, secret, 300)
        except (stripe.SignatureVerificationError, UnicodeDecodeError):
            return web.json(
                {
                    "error": {
                        "code": "bad_signature",
                        "message": "the webhook signature is not valid",
                    }
                },
                400,
            )
        try:
            event = json.loads(payload)
        except ValueError:
            raise Invalid("the webhook body is not JSON", code="bad_json") from None
        outcome = checkout.handle_event(event, settings, provider="stripe")
        return web.json({"received": True, "outcome": outcome})
