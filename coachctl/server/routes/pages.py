"""Public HTML pages: the coach bio page and the home page."""

from __future__ import annotations

import bottle

from coachctl.engine import coaches, media
from coachctl.server.web import Web


def register(app: bottle.Bottle, web: Web) -> None:
    @app.get("/")
    def home() -> str:
        listed = [c for c in coaches.list_coaches() if c.active]
        if len(listed) == 1:
            return bottle.redirect(f"/{listed[0].slug}", 302)
        return web.render("home.html", coaches=listed)

    @app.get("/media/<name>")
    def media_file(name: str):
        path, content_type = media.open_media(name)
        response = bottle.static_file(path.name, root=str(path.parent), mimetype=content_type)
        response.set_header("Cache-Control", "public, max-age=31536000, immutable")
        return response

    @app.get("/<slug>")
    def bio(slug: str) -> str:
        page = web.public_page(slug)
        bottle.response.set_header("Cache-Control", "no-cache")
        return web.render("bio.html", page=page)
