"""Signed, unguessable links: a random token in the database, signed with the install's secret."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from itsdangerous import BadSignature, SignatureExpired, URLSafeSerializer, URLSafeTimedSerializer

from coachctl.engine.errors import Gone, NotFound


def new_token() -> str:
    """A fresh random token (256 bits)."""
    return secrets.token_urlsafe(32)


def request_key(secret: str, purpose: str, *parts: str) -> str:
    """A 64-hex-digit key for a client's request, bound to ``parts`` (who sent it, and where).

    A key a client chose (a form nonce, an Idempotency-Key header) is only ever looked up
    through this, so one client can never name another client's request.
    """
    message = "\x1f".join((purpose, *parts)).encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


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


def sign_expiring(secret: str, purpose: str, token: str) -> str:
    """``token`` signed for ``purpose`` with the time of signing, for links that expire."""
    return URLSafeTimedSerializer(secret, salt=purpose).dumps(token)


def unsign_expiring(secret: str, purpose: str, signed: str, max_age: float) -> str:
    """The token inside ``signed`` if it is younger than ``max_age`` seconds; an old link is
    Gone, a forged or altered one not found."""
    try:
        value = URLSafeTimedSerializer(secret, salt=purpose).loads(signed, max_age=max_age)
    except SignatureExpired:
        raise Gone("this link has expired; open the email or the page it came from again") from None
    except BadSignature:
        raise NotFound("this link is not valid") from None
    if not isinstance(value, str):
        raise NotFound("this link is not valid")
    return value
