"""JSON API: public booking creation; token-protected booking listings."""

from __future__ import annotations

import bottle

from coachctl.engine import booking_desk, coaches, links, parse
from coachctl.engine.errors import Invalid
from coachctl.engine.scheduling import bookings
from coachctl.engine.scheduling.availability import local_days
from coachctl.engine.scheduling.booking_types import get_booking_type
from coachctl.engine.scheduling.schedule import zone_of
from coachctl.engine.signing import request_key
from coachctl.server.web import Web


def register(app: bottle.Bottle, web: Web) -> None:
    settings = web.settings

    def as_dict(booking) -> dict:
        return bookings.booking_to_dict(booking, links.manage_url(booking, settings))

    @app.post("/api/bookings")
    def create() -> str:
        body = web.body()
        coach = coaches.get_coach(body.text("coach", required=True), public=True)
        kind = get_booking_type(coach, body.text("type") or None)
        customer = bookings.Customer.checked(
            body.text("name", required=True),
            body.text("email", required=True),
            body.text("timezone") or body.text("tz") or "UTC",
            body.text("phone"),
        )
        idempotency = bottle.request.get_header("Idempotency-Key")
        if idempotency is not None and not 1 <= len(idempotency) <= 255:
            raise Invalid("Idempotency-Key must be 1 to 255 characters", code="bad_header")
        web.limit("booking", customer.email)
        made = booking_desk.request_booking(
            coach,
            kind,
            parse.instant(body.text("start", required=True)),
            customer,
            settings=settings,
            notes=body.text("notes"),
            credits_pass=body.text("pass"),
            answers=body.mapping("answers"),
            coupon=body.text("coupon"),
            request_key=request_key(settings.secret, "api-booking", str(coach.id), idempotency)
            if idempotency
            else None,
        )
        data = {"booking": as_dict(made.booking)}
        if made.order is not None:
            order = made.order
            data["checkout"] = {
                "order": {"id": order.id, "status": order.status},
                "url": order.checkout_url,
            }
        return web.json(data, 201)

    @app.get("/api/bookings")
    def list_() -> str:
        coach = web.token_coach()
        query = bottle.request.query
        tz = zone_of(coach)

        def bound(name: str, end_of_day: bool):
            value = query.get(name)
            if not value:
                return None
            if "T" in value:
                return parse.instant(value)
            span = local_days(parse.day(value), 1, tz)
            return span.end if end_of_day else span.start

        rows = bookings.list_bookings(
            coach,
            start=bound("from", False),
            end=bound("to", True),
            status=query.get("status") or None,
        )
        return web.json({"bookings": [as_dict(b) for b in rows]})
