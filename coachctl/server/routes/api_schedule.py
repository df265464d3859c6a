"""JSON API: public coach profiles and slots; token-protected windows, overrides and blackouts."""

from __future__ import annotations

from datetime import datetime

import bottle

from coachctl.engine import coaches, parse
from coachctl.engine.errors import Invalid
from coachctl.engine.scheduling import overrides, schedule
from coachctl.engine.scheduling.booking_types import get_booking_type
from coachctl.server.web import Web


def _int(value: str | None, name: str, default: int) -> int:
    if value in (None, ""):
        return default
    try:
        return int(value)
    except ValueError:
        raise Invalid(f"{name} must be a whole number") from None


def _hours(windows: object) -> list[tuple[str, str]]:
    if not isinstance(windows, list) or not all(isinstance(w, dict) for w in windows):
        raise Invalid('windows must be a list of {"start": "HH:MM", "end": "HH:MM"}')
    for window in windows:
        if not isinstance(window.get("start"), str) or not isinstance(window.get("end"), str):
            raise Invalid("each window needs a start and an end, HH:MM")
    return [(w["start"], w["end"]) for w in windows]


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
        added = schedule.add_window(
            coach,
            body.integer("weekday", required=True, high=6),
            body.text("start", required=True),
            body.text("end", required=True),
            overnight=bool(body.flag("overnight")),
        )
        return web.json(
            {"window": schedule.window_to_dict(added.window), "merged": added.merged}, 201
        )

    @app.delete("/api/availability/windows/<window_id:id>")
    def remove_window(window_id: int) -> str:
        schedule.remove_window(web.token_coach(), window_id)
        return web.json({"deleted": window_id})

    @app.get("/api/availability/overrides")
    def list_overrides() -> str:
        coach = web.token_coach()
        coming = overrides.coming_overrides(coach)
        return web.json({"overrides": [overrides.override_to_dict(o) for o in coming]})

    @app.post("/api/availability/overrides")
    def set_override() -> str:
        coach = web.token_coach()
        body = web.body()
        day = parse.day(body.text("date", required=True))
        if "windows" not in body:
            raise Invalid("windows is required")
        found = overrides.set_override(coach, day, _hours(body["windows"]))
        return web.json({"override": overrides.override_to_dict(found)}, 201)

    @app.delete("/api/availability/overrides/<day>")
    def clear_override(day: str) -> str:
        coach = web.token_coach()
        found = parse.day(day)
        overrides.clear_override(coach, found)
        return web.json({"deleted": found.isoformat()})

    @app.get("/api/availability/blackouts")
    def list_blackouts() -> str:
        coach = web.token_coach()
        rows = schedule.list_blackouts(coach)
        return web.json({"blackouts": [schedule.blackout_to_dict(b) for b in rows]})

    @app.post("/api/availability/blackouts")
    def add_blackout() -> str:
        coach = web.token_coach()
        body = web.body()
        reason = body.text("reason")
        if body.text("date"):
            first = parse.day(body.text("date"))
            last = parse.day(body.text("until") or body.text("date"))
            blackout = schedule.add_blackout_days(coach, first, last, reason)
        elif body.text("start") and body.text("end"):
            start, end = parse.instant(body.text("start")), parse.instant(body.text("end"))
            blackout = schedule.add_blackout(coach, start, end, reason)
        else:
            raise Invalid("give start and end instants, or a date")
        return web.json({"blackout": schedule.blackout_to_dict(blackout)}, 201)

    @app.delete("/api/availability/blackouts/<blackout_id:id>")
    def remove_blackout(blackout_id: int) -> str:
        schedule.remove_blackout(web.token_coach(), blackout_id)
        return web.json({"deleted": blackout_id})
