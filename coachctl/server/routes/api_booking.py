"""JSON API: public booking creation; token-protected booking listings."""

from __future__ import annotations

import bottle

from coachctl.engine import bookings, checkout, coaches, links, parse
from coachctl.engine.availability import local_days
from coachctl.engine.booking_types import get_booking_type
from coachctl.engine.errors import Invalid
from coachctl.engine.schedule import zone_of
from coachctl.server.web import Web


def register(app: bottle.Bottle, web: Web) -> None:
    settings = web.settings

    def as_dict(booking) -> dict:
        return bookings.booking_to_dict(booking, links.manage_url(booking, settings))

    @app.post("/api/bookings")
    def create() -> str:
        body = web.body()
        for key in ("coach", "start", "name", "email"):
            if not body.get(key):
                raise Invalid(f"{key} is required")
        coach = coaches.get_coach(str(body["coach"]), public=True)
        kind = get_booking_type(coach, str(body.get("type") or "") or None)
        customer = bookings.Customer.checked(
            str(body["name"]),
            str(body["email"]),
            str(body.get("timezone") or body.get("tz") or "UTC"),
        )
        start = parse.instant(str(body["start"]))
        use_credit = False
        if body.get("pass"):
            holder = checkout.email_from_pass(settings, coach, str(body["pass"]))
            if holder != customer.email.lower():
                raise Invalid("this booking pass belongs to another email address")
            use_credit = True
        booking = bookings.create_booking(
            coach,
            kind,
            start,
            customer,
            notes=str(body.get("notes") or ""),
            use_credit=use_credit,
            settings=settings,
        )
        data = {"booking": as_dict(booking)}
        if booking.status == "PENDING":
            order = checkout.start_booking_checkout(booking, settings)
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
