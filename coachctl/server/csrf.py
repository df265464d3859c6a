"""Cross-site request forgery protection for HTML forms: a double-submit token.

The token lives in a SameSite=Lax, HttpOnly cookie and in a hidden form field; a POST whose two
copies differ (or lack either) is refused before anything is read or written.
"""

from __future__ import annotations

import hmac
import secrets

import bottle

from coachctl.engine.errors import Forbidden

COOKIE = "coachctl_csrf"


def csrf_token() -> str:
    """The visitor's token, set as a cookie on first use."""
    token = bottle.request.get_cookie(COOKIE)
    if not token or len(token) < 32:
        token = secrets.token_urlsafe(32)
        secure = bottle.request.urlparts.scheme == "https"
        bottle.response.set_cookie(
            COOKIE,
            token,
            path="/",
            httponly=True,
            samesite="lax",
            secure=secure,
            max_age=60 * 60 * 24,
        )
    return token


def check_csrf() -> None:
    """Refuse a form post whose token does not match the cookie."""
    cookie = bottle.request.get_cookie(COOKIE) or ""
    field = bottle.request.forms.get("csrf") or ""
    if not cookie or not hmac.compare_digest(cookie.encode(), field.encode()):
        raise Forbidden(
            "this form has expired or was sent from another site; please try again", code="csrf"
        )
