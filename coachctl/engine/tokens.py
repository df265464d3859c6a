"""API tokens: shown once, stored only as a hash, revocable."""

from __future__ import annotations

import hashlib
import secrets

from coachctl.engine.errors import Invalid, NotFound, Unauthorized
from coachctl.store.models import ApiToken, Coach, utcnow

PREFIX = "cc_"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


SCOPES = ("api", "ical")


def create_token(coach: Coach, name: str, scope: str = "api") -> tuple[ApiToken, str]:
    """Make a token for ``coach``; the clear token is returned here and never again.

    ``api`` tokens act on the JSON API; ``ical`` tokens only read the calendar feed.
    """
    name = (name or "").strip()
    if not name or len(name) > 80:
        raise Invalid("a token needs a name of at most 80 characters")
    if scope not in SCOPES:
        raise Invalid(f"unknown token scope {scope!r}")
    token = PREFIX + secrets.token_urlsafe(32)
    row = ApiToken.create(
        coach=coach, name=name, token_hash=_digest(token), prefix=token[:8], scopes=[scope]
    )
    return row, token


def authenticate(token: str | None, scope: str = "api") -> Coach:
    """The coach a token acts for within ``scope``; unknown, revoked or other-scope tokens fail."""
    if not token or not token.startswith(PREFIX):
        raise Unauthorized("a valid API token is required", hint="Authorization: Bearer <token>")
    row = (
        ApiToken.select(ApiToken, Coach)
        .join(Coach)
        .where((ApiToken.token_hash == _digest(token)) & ApiToken.revoked_at.is_null())
        .first()
    )
    if row is None or scope not in (row.scopes or ["api"]):
        raise Unauthorized("that token is unknown, revoked, or not for this")
    now = utcnow()
    if row.last_used_at is None or (now - row.last_used_at).total_seconds() > 60:
        ApiToken.update(last_used_at=now).where(ApiToken.id == row.id).execute()
    return row.coach


def list_tokens(coach: Coach, scope: str = "api") -> list[ApiToken]:
    """The coach's tokens of ``scope``, newest first, revoked ones included."""
    return [t for t in coach.tokens.order_by(ApiToken.id.desc()) if scope in (t.scopes or ["api"])]


def revoke_token(coach: Coach, token_id: int) -> ApiToken:
    """Revoke one of the coach's tokens; revoking twice is harmless."""
    row = ApiToken.get_or_none((ApiToken.id == token_id) & (ApiToken.coach == coach))
    if row is None:
        raise NotFound(f"no token {token_id} for {coach.slug}")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        row.save()
    return row
