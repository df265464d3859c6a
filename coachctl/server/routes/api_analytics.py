"""JSON API: public analytics ingest (one event or a batch) and the token-protected summary."""

from __future__ import annotations

import bottle

from coachctl.engine import parse
from coachctl.engine.insights import analytics, report
from coachctl.server.web import Web
from coachctl.store.models import utcnow


def register(app: bottle.Bottle, web: Web) -> None:
    @app.post("/api/analytics/events", connection="lazy")
    def ingest() -> str:
        """Queue the events for the next batch write: 202 once they are accepted."""
        rows = analytics.parse_events(web.body(), web.coach_id, web.visit(), web.salts, utcnow())
        web.events.add(rows)
        return web.json({"accepted": len(rows)}, 202)

    @app.get("/api/analytics/summary")
    def summary() -> str:
        coach = web.token_coach()
        query = bottle.request.query
        start = parse.day(query["from"]) if query.get("from") else None
        end = parse.day(query["to"]) if query.get("to") else None
        return web.json(report.summary(coach, start, end))
