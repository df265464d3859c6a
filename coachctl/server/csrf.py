"""Cross-site request forgery protection for HTML forms: a signed token bound to its cookie.

A random token lives in a SameSite=Lax, HttpOnly cookie; the form carries that token signed with
the app's secret. A POST whose field is not the signature of its own cookie (a forged or swapped
pair, or either missing) is refused before anything is read or written.
"""

from __future__ import annotations

import hmac
import secrets

import bottle
from itsdangerous import BadSignature, URLSafeSerializer

from coachctl.engine.errors import Forbidden

COOKIE = "coachctl_csrf"
SECRET_KEY = "coachctl.secret"  # where create_app keeps the signing secret in the app's config


def _signer() -> URLSafeSerializer:
    return URLSafeSerializer(bottle.request.app.config[SECRET_KEY], salt="csrf")


def _cookie() -> str:
    token = bottle.request.get_cookie(COOKIE) or ""
    return token if len(token) == 43 else ""


def csrf_token() -> str:
    """The value for the form's hidden field: the visitor's cookie token, signed."""
    token = _cookie()
    if not token:
        token = secrets.token_urlsafe(32)
        bottle.response.set_cookie(
            COOKIE,
            token,
            path="/",
            httponly=True,
            samesite="lax",
            secure=bottle.request.urlparts.scheme == "https",
            max_age=60 * 60 * 24,
        )
    return _signer().dumps(token)


def check_csrf() -> None:
    """Refuse a form post whose field is not the signature of the cookie sent with it."""
    cookie = _cookie()
    try:
        signed = _signer().loads(bottle.request.forms.get("csrf") or "")
    except BadSignature:
        signed = None
    if not cookie or not isinstance(signed, str) or not hmac.compare_digest(cookie, signed):
        raise Forbidden(
            "this form has expired or was sent from another site; please try again", code="csrf"
        )
