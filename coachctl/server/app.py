"""The bottle application factory."""

from __future__ import annotations

from collections.abc import Callable

import bottle

from coachctl.config import Settings
from coachctl.engine.insights.buffer import EventBuffer
from coachctl.server.csrf import SECRET_KEY
from coachctl.server.routes import (
    api_analytics,
    api_booking,
    api_commerce,
    api_schedule,
    booking_pages,
    checkout_pages,
    course_pages,
    feeds,
    pages,
)
from coachctl.server.web import STATIC_DIR, Web, connected, is_api, middleware


def create_app(settings: Settings, events: EventBuffer | None = None) -> bottle.Bottle:
    """A bottle app serving every page and API route; the caller opens the database.

    Public analytics events wait in ``events`` (a new buffer by default) for a batch write.
    """
    app = bottle.Bottle()
    app.config.update({"catchall": False, "json.enable": False, SECRET_KEY: settings.secret})
    web = Web(settings, events)
    app.install(connected(web))
    # ids in paths: at most nine digits, so no value can overflow a database integer
    app.router.add_filter("id", lambda _config: (r"[1-9][0-9]{0,8}", int, str))

    @app.get("/static/<name:path>", skip=True)
    def static(name: str):
        response = bottle.static_file(name, root=str(STATIC_DIR))
        if response.status_code == 200:
            response.set_header("Cache-Control", "public, max-age=31536000, immutable")
        return response

    @app.get("/favicon.ico", skip=True)
    def favicon():
        return bottle.static_file("favicon.svg", root=str(STATIC_DIR), mimetype="image/svg+xml")

    modules = (
        api_schedule,
        api_booking,
        api_commerce,
        api_analytics,
        checkout_pages,
        booking_pages,
        course_pages,
        feeds,
        pages,
    )
    for module in modules:
        module.register(app, web)

    def not_found(error: bottle.HTTPError) -> str:
        if is_api(bottle.request.path):
            return web.json({"error": {"code": "not_found", "message": "no such endpoint"}}, 404)
        return web.render("error.html", 404, status=404, message="This page does not exist.")

    def not_allowed(error: bottle.HTTPError) -> str:
        return web.json(
            {
                "error": {
                    "code": "method_not_allowed",
                    "message": f"{bottle.request.method} is not allowed here",
                }
            },
            405,
        )

    app.error_handler.update({404: not_found, 405: not_allowed})
    return app


def wsgi(settings: Settings, events: EventBuffer | None = None) -> Callable:
    """The app wrapped in the security-header and request-log middleware, ready for a server."""
    return middleware(create_app(settings, events))
