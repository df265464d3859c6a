"""The private calendar subscription feed."""

from __future__ import annotations

from datetime import timedelta

import bottle

from coachctl.engine import tokens
from coachctl.engine.errors import NotFound, Unauthorized
from coachctl.engine.messaging import ics
from coachctl.engine.scheduling import bookings
from coachctl.server.web import Web
from coachctl.store.models import utcnow


def register(app: bottle.Bottle, web: Web) -> None:
    @app.get("/ical/<token>.ics")
    def ical(token: str) -> bytes:
        try:
            coach = tokens.authenticate(token, scope="ical")
        except Unauthorized:
            raise NotFound("no such calendar feed") from None
        now = utcnow()
        rows = bookings.list_bookings(
            coach, start=now - timedelta(days=90), end=now + timedelta(days=400)
        )
        bottle.response.content_type = "text/calendar; charset=utf-8"
        bottle.response.set_header("Cache-Control", "private, max-age=300")
        return ics.feed(coach, [b for b in rows if b.status != "PENDING"])
