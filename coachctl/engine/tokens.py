"""API tokens: shown once, stored only as a hash, revocable."""

from __future__ import annotations

import hashlib
import secrets

from coachctl.engine.errors import Invalid, NotFound, Unauthorized
from coachctl.store.models import ApiToken, Coach, utcnow

PREFIX = "cc_"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(coach: Coach, name: str) -> tuple[ApiToken, str]:
    """Make a token for ``coach``; the clear token is returned here and never again."""
    name = (name or "").strip()
    if not name or len(name) > 80:
        raise Invalid("a token needs a name of at most 80 characters")
    token = PREFIX + secrets.token_urlsafe(32)
    row = ApiToken.create(coach=coach, name=name, token_hash=_digest(token), prefix=token[:8])
    return row, token


def authenticate(token: str | None) -> Coach:
    """The coach a bearer token acts for; unknown or revoked tokens are refused."""
    if not token or not token.startswith(PREFIX):
        raise Unauthorized("a valid API token is required", hint="Authorization: Bearer <token>")
    row = (
        ApiToken.select(ApiToken, Coach)
        .join(Coach)
        .where((ApiToken.token_hash == _digest(token)) & ApiToken.revoked_at.is_null())
        .first()
    )
    if row is None:
        raise Unauthorized("that API token is unknown or revoked")
    now = utcnow()
    if row.last_used_at is None or (now - row.last_used_at).total_seconds() > 60:
        ApiToken.update(last_used_at=now).where(ApiToken.id == row.id).execute()
    return row.coach


def list_tokens(coach: Coach) -> list[ApiToken]:
    """The coach's tokens, newest first, revoked ones included."""
    return list(coach.tokens.order_by(ApiToken.id.desc()))


def revoke_token(coach: Coach, token_id: int) -> ApiToken:
    """Revoke one of the coach's tokens; revoking twice is harmless."""
    row = ApiToken.get_or_none((ApiToken.id == token_id) & (ApiToken.coach == coach))
    if row is None:
        raise NotFound(f"no token {token_id} for {coach.slug}")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        row.save()
    return row
