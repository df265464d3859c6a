"""JSON API: public coach profiles and slots; token-protected windows and blackouts."""

from __future__ import annotations

from datetime import datetime

import bottle

from coachctl.engine import coaches, parse, schedule
from coachctl.engine.booking_types import get_booking_type
from coachctl.engine.errors import Invalid
from coachctl.server.web import Web


def _int(value: str | None, name: str, default: int) -> int:
    if value in (None, ""):
        return default
    try:
        return int(value)
    except ValueError:
        raise Invalid(f"{name} must be a whole number") from None


def register(app: bottle.Bottle, web: Web) -> None:
    @app.get("/api/coaches/<slug>")
    def coach_profile(slug: str) -> str:
        return web.json(web.public_page(slug))

    @app.get("/api/availability/slots")
    def slots() -> str:
        query = bottle.request.query
        if not query.get("coach"):
            raise Invalid("coach is required", code="missing_coach")
        coach = coaches.get_coach(query.get("coach"), public=True)
        zone_name = query.get("tz") or coach.timezone
        zone = parse.zone(zone_name)
        first = parse.day(query.get("date")) if query.get("date") else datetime.now(zone).date()
        kind = get_booking_type(coach, query.get("type") or None)
        found = schedule.find_slots_on_days(
            coach, kind, first, _int(query.get("days"), "days", 1), zone
        )
        return web.json({**schedule.slots_to_dict(coach, zone_name, found), "type": kind.slug})

    @app.get("/api/availability/windows")
    def list_windows() -> str:
        coach = web.token_coach()
        return web.json(
            {"windows": [schedule.window_to_dict(w) for w in schedule.list_windows(coach)]}
        )

    @app.post("/api/availability/windows")
    def add_window() -> str:
        coach = web.token_coach()
        body = web.body()
        for key in ("weekday", "start", "end"):
            if key not in body:
                raise Invalid(f"{key} is required")
        window = schedule.add_window(coach, body["weekday"], str(body["start"]), str(body["end"]))
        return web.json({"window": schedule.window_to_dict(window)}, 201)

    @app.delete("/api/availability/windows/<window_id:int>")
    def remove_window(window_id: int) -> str:
        schedule.remove_window(web.token_coach(), window_id)
        return web.json({"deleted": window_id})

    @app.get("/api/availability/blackouts")
    def list_blackouts() -> str:
        coach = web.token_coach()
        rows = schedule.list_blackouts(coach)
        return web.json({"blackouts": [schedule.blackout_to_dict(b) for b in rows]})

    @app.post("/api/availability/blackouts")
    def add_blackout() -> str:
        coach = web.token_coach()
        body = web.body()
        reason = str(body.get("reason") or "")
        if "date" in body:
            first = parse.day(str(body["date"]))
            last = parse.day(str(body.get("until") or body["date"]))
            blackout = schedule.add_blackout_days(coach, first, last, reason)
        elif "start" in body and "end" in body:
            start, end = parse.instant(str(body["start"])), parse.instant(str(body["end"]))
            blackout = schedule.add_blackout(coach, start, end, reason)
        else:
            raise Invalid("give start and end instants, or a date")
        return web.json({"blackout": schedule.blackout_to_dict(blackout)}, 201)

    @app.delete("/api/availability/blackouts/<blackout_id:int>")
    def remove_blackout(blackout_id: int) -> str:
        schedule.remove_blackout(web.token_coach(), blackout_id)
        return web.json({"deleted": blackout_id})
