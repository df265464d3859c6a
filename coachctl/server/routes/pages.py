"""Public HTML pages: the coach bio page and the home page."""

from __future__ import annotations

import hashlib

import bottle

from coachctl.engine import coaches, media
from coachctl.server.web import Web
from coachctl.store.db import connection


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

    @app.get("/<slug>", connection="lazy")
    def bio(slug: str) -> str:
        html, etag, coach_id = web.pages.get(f"bio:{slug}", lambda: _render_bio(slug))
        web.count_view(coach_id)
        bottle.response.set_header("Cache-Control", "no-cache")
        bottle.response.set_header("ETag", etag)
        if etag in bottle.request.get_header("If-None-Match", ""):
            bottle.response.status = 304
            return ""
        bottle.response.content_type = "text/html; charset=utf-8"
        return html

    def _render_bio(slug: str) -> tuple[str, str, int]:
        """The bio page as served, its validator, and its coach (kept in the page cache)."""
        with connection():
            page = web.public_page(slug)
            html = web.render("bio.html", page=page)
            coach_id = web.coach_id(slug)
        etag = '"' + hashlib.blake2b(html.encode(), digest_size=12).hexdigest() + '"'
        return html, etag, coach_id
