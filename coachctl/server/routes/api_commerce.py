"""JSON API: products (public listing, token-protected changes), checkout, and Stripe webhooks."""

from __future__ import annotations

import json

import bottle

from coachctl.engine import coaches, links, payment_events, sales
from coachctl.engine.commerce import catalog
from coachctl.engine.commerce.money import parse_money
from coachctl.engine.errors import Invalid
from coachctl.engine.scheduling.booking_types import get_booking_type
from coachctl.server.web import MAX_ID, Body, Web


def _price(body: Body, currency: str):
    value = body.get("price")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise Invalid("price must be minor units (4900) or text such as '49.00 EUR'")
    return parse_money(value, default_currency=body.text("currency") or currency)


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
        if (body.text("kind") or "PRODUCT").upper() == "PACKAGE":
            kind = get_booking_type(coach, body.text("type")) if body.text("type") else None
            items = body.array("items")
            if not all(isinstance(i, int) and not isinstance(i, bool) for i in items):
                raise Invalid("items must be a list of product ids", code="bad_type")
            product = catalog.create_package(
                coach,
                body.text("title"),
                price,
                description=body.text("description"),
                credits=body.integer("credits", high=1000),
                booking_type=kind,
                valid_days=body.integer("valid_days", high=3650),
                items=items,
                allow_currency=bool(body.flag("allow_currency")),
            )
        else:
            product = catalog.create_product(
                coach,
                body.text("title"),
                price,
                body.text("description"),
                allow_currency=bool(body.flag("allow_currency")),
            )
        return web.json({"product": catalog.product_to_dict(product)}, 201)

    @app.get("/api/products/<product_id:id>")
    def show_product(product_id: int) -> str:
        return web.json(
            {"product": catalog.product_to_dict(catalog.get_product(web.token_coach(), product_id))}
        )

    @app.route("/api/products/<product_id:id>", method="PATCH")
    def edit_product(product_id: int) -> str:
        coach = web.token_coach()
        product = catalog.get_product(coach, product_id)
        body = web.body()
        edited = catalog.edit_product(
            product,
            title=body.text("title", None),
            description=body.text("description", None),
            price=_price(body, product.currency),
            active=body.flag("active"),
            allow_currency=bool(body.flag("allow_currency")),
        )
        return web.json({"product": catalog.product_to_dict(edited)})

    @app.delete("/api/products/<product_id:id>")
    def archive_product(product_id: int) -> str:
        product = catalog.archive_product(catalog.get_product(web.token_coach(), product_id))
        return web.json({"product": catalog.product_to_dict(product)})

    @app.post("/api/checkout")
    def start_checkout() -> str:
        body = web.body()
        booking = None
        if body.text("booking"):
            booking = links.booking_from_link(body.text("booking"), settings)
        web.limit("checkout", body.text("email"))
        order = sales.start_checkout(
            settings,
            product_id=body.integer("product", low=1, high=MAX_ID),
            booking=booking,
            email=body.text("email"),
            name=body.text("name"),
            coupon=body.text("coupon"),
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
        outcome = payment_events.handle_stripe_event(event, settings)
        return web.json({"received": True, "outcome": outcome})
