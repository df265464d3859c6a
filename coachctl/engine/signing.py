"""Signed, unguessable links: a random token in the database, signed with the install's secret."""

from __future__ import annotations

import secrets

from itsdangerous import BadSignature, URLSafeSerializer

from coachctl.engine.errors import NotFound


def new_token() -> str:
    """A fresh random token (256 bits)."""
    return secrets.token_urlsafe(32)


def sign(secret: str, purpose: str, token: str) -> str:
    """``token`` signed for ``purpose``, safe to put in a URL."""
    return URLSafeSerializer(secret, salt=purpose).dumps(token)


def unsign(secret: str, purpose: str, signed: str) -> str:
    """The token inside ``signed``; a forged or altered link is reported as not found."""
    try:
        value = URLSafeSerializer(secret, salt=purpose).loads(signed)
    except BadSignature:
        raise NotFound("this link is not valid") from None
    if not isinstance(value, str):
        raise NotFound("this link is not valid")
    return value
