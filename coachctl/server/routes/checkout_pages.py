"""Checkout pages: the Buy form, the local sandbox checkout, and the return pages."""

from __future__ import annotations

import bottle

from coachctl.engine import links, payment_events, sales
from coachctl.engine.commerce import catalog, checkout, delivery
from coachctl.engine.errors import DomainError
from coachctl.server.csrf import check_csrf, csrf_token
from coachctl.server.web import Web


def register(app: bottle.Bottle, web: Web) -> None:
    settings = web.settings

    def form(product, error: str | None = None, status: int = 200, **values: str) -> str:
        return web.render(
            "checkout.html",
            status,
            product=catalog.product_to_dict(product),
            coach=product.coach,
            csrf=csrf_token(),
            error=error,
            values=values,
        )

    @app.get("/checkout/<product_id:id>")
    def buy(product_id: int) -> str:
        return form(catalog.get_product(None, product_id, public=True))

    @app.post("/checkout/<product_id:id>")
    def buy_submit(product_id: int):
        check_csrf()
        product = catalog.get_product(None, product_id, public=True)
        email = bottle.request.forms.getunicode("email") or ""
        name = bottle.request.forms.getunicode("name") or ""
        coupon = bottle.request.forms.getunicode("coupon") or ""
        web.limit("checkout", email)
        try:
            order = sales.start_checkout(
                settings, product_id=product.id, email=email, name=name, coupon=coupon
            )
        except DomainError as error:
            return form(product, error.message, error.status, email=email, name=name, coupon=coupon)
        return bottle.redirect(order.checkout_url, 303)

    @app.get("/checkout/sandbox/<signed>")
    def sandbox(signed: str) -> str:
        order = sales.sandbox_order(signed, settings)
        return web.render(
            "sandbox.html",
            order=checkout.order_to_dict(order),
            csrf=csrf_token(),
            coach=order.coach,
            declined=bottle.request.query.get("declined"),
            open=order.status in ("PENDING", "FAILED"),
        )

    @app.post("/checkout/sandbox/<signed>")
    def sandbox_submit(signed: str):
        check_csrf()
        order = sales.sandbox_order(signed, settings)
        if bottle.request.forms.get("action") == "decline":
            sales.decline_sandbox(order, settings)
            return bottle.redirect(f"/checkout/sandbox/{signed}?declined=1", 303)
        sales.pay_sandbox(order, settings)
        success, _ = links.return_urls(settings, order)
        return bottle.redirect(success, 303)

    @app.get("/checkout/<outcome:re:success|cancelled>")
    def returned(outcome: str) -> str:
        order = links.order_from_link(bottle.request.query.get("order", ""), settings)
        if outcome == "success" and order.status == "PAID" and order.booking_id:
            return bottle.redirect(links.manage_url(order.booking, settings) + "?done=paid", 303)
        return web.render(
            "checkout_result.html",
            order=checkout.order_to_dict(order),
            coach=order.coach,
            outcome=outcome,
            book_url=payment_events.credits_booking_url(order, settings),
            downloads=delivery.download_links(order, settings),
        )

    @app.get("/download/<signed>")
    def download(signed: str):
        found = delivery.open_download(signed, settings)
        if found.url:
            return bottle.redirect(found.url, 303)
        response = bottle.static_file(
            found.path.name,
            root=str(found.path.parent),
            mimetype=found.product.file_type or "application/octet-stream",
            download=found.product.file_name or "download",
        )
        response.set_header("Cache-Control", "private, no-store")
        return response
