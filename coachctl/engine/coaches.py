"""Coach profiles: slugs, validation, and which calls to action a public page shows."""

from __future__ import annotations

import difflib
import re
from typing import Any

from coachctl.engine import media, parse
from coachctl.engine.errors import Conflict, Invalid, NotFound
from coachctl.engine.messaging.coach_notices import KINDS
from coachctl.engine.scheduling.booking_types import create_booking_type
from coachctl.store.db import db
from coachctl.store.models import Coach, utcnow

_SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$")
RESERVED_SLUGS = frozenset(
    {
        "api",
        "book",
        "booking",
        "bookings",
        "checkout",
        "c",
        "ical",
        "static",
        "webhooks",
        "admin",
        "login",
        "logout",
        "health",
        "favicon.ico",
        "robots.txt",
        "assets",
        "www",
    }
)
EDITABLE = (
    "name",
    "headline",
    "bio",
    "avatar_url",
    "email",
    "links",
    "timezone",
    "currency",
    "booking_enabled",
    "products_enabled",
    "active",
)
_LIMITS = {"name": 120, "headline": 200, "bio": 20_000, "avatar_url": 500, "email": 254}


def validate_slug(slug: str) -> str:
    """A slug of lowercase letters, digits and hyphens that no route uses."""
    if not isinstance(slug, str) or not _SLUG.match(slug):
        raise Invalid(
            f"slug {slug!r} must be 1–40 lowercase letters, digits or hyphens",
            hint="for example: jane-doe",
        )
    if slug in RESERVED_SLUGS:
        raise Invalid(f"slug {slug!r} is reserved; choose another")
    return slug


def _links(links: Any) -> list[dict[str, str]]:
    if not isinstance(links, list):
        raise Invalid("links must be a list of {label, url}")
    cleaned = []
    for link in links:
        if not isinstance(link, dict) or not str(link.get("label", "")).strip():
            raise Invalid("each link needs a label and a url")
        cleaned.append(
            {
                "label": str(link["label"]).strip()[:80],
                "url": parse.web_url(str(link.get("url", "")), schemes=("http", "https", "mailto")),
            }
        )
    return cleaned


def _check(fields: dict[str, Any]) -> dict[str, Any]:
    for key, limit in _LIMITS.items():
        if key in fields:
            fields[key] = str(fields[key] or "").strip()
            if len(fields[key]) > limit:
                raise Invalid(f"{key} is longer than {limit} characters")
    if "name" in fields and not fields["name"]:
        raise Invalid("a coach needs a name")
    if "timezone" in fields:
        parse.zone(fields["timezone"])
    if fields.get("avatar_url") is not None:
        fields["avatar_url"] = media.image(fields["avatar_url"])
    if fields.get("email"):
        fields["email"] = parse.email(fields["email"])
    if "links" in fields:
        fields["links"] = _links(fields["links"])
    if "currency" in fields:
        currency = str(fields["currency"]).upper()
        if not re.fullmatch(r"[A-Z]{3}", currency):
            raise Invalid(f"currency {fields['currency']!r} is not an ISO 4217 code")
        fields["currency"] = currency
    return fields


def create_coach(slug: str, name: str, timezone: str = "UTC", **fields: Any) -> Coach:
    """Create a coach with a default 60-minute ``session`` booking type, in one transaction."""
    validate_slug(slug)
    values = _check({"name": name, "timezone": timezone, **fields})
    with db.atomic():
        if Coach.get_or_none(Coach.slug == slug):
            raise Conflict(f"a coach with slug {slug!r} already exists")
        coach = Coach.create(slug=slug, **values)
        create_booking_type(coach, "session", "Session", duration=60, interval=60)
    return coach


def edit_coach(coach: Coach, **fields: Any) -> Coach:
    """Change the given profile fields (None leaves a field as it is)."""
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise Invalid(f"unknown coach fields: {', '.join(sorted(unknown))}")
    values = _check({k: v for k, v in fields.items() if v is not None})
    for key, value in values.items():
        setattr(coach, key, value)
    coach.updated_at = utcnow()
    coach.save()
    return coach


def get_coach(slug: str, *, public: bool = False) -> Coach:
    """The coach with ``slug``; with ``public`` an inactive coach counts as missing."""
    coach = Coach.get_or_none(Coach.slug == slug) if isinstance(slug, str) else None
    if coach is None or (public and not coach.active):
        if public:
            raise NotFound("There is no coach page at this address.")
        slugs = [c.slug for c in Coach.select(Coach.slug)]
        close = difflib.get_close_matches(str(slug), slugs, n=1)
        raise NotFound(f"no coach {slug!r}", hint=f"did you mean {close[0]}?" if close else None)
    return coach


def resolve_coach(slug: str | None) -> Coach:
    """The coach named by ``slug``, or the only coach when ``slug`` is None."""
    if slug:
        return get_coach(slug)
    coaches = list(Coach.select().order_by(Coach.id).limit(2))
    if len(coaches) == 1:
        return coaches[0]
    if not coaches:
        raise NotFound(
            "no coach yet", hint="create one with: coachctl coach create SLUG --name NAME"
        )
    slugs = [c.slug for c in Coach.select(Coach.slug).order_by(Coach.slug).limit(11)]
    listed = ", ".join(slugs[:10]) + (", …" if len(slugs) > 10 else "")
    raise Invalid(f"several coaches exist ({listed}); name one with --coach SLUG")


def list_coaches() -> list[Coach]:
    """Every coach, by slug."""
    return list(Coach.select().order_by(Coach.slug))


def coach_to_dict(coach: Coach) -> dict[str, Any]:
    """The JSON shape of a coach's profile."""
    return {
        "slug": coach.slug,
        "name": coach.name,
        "headline": coach.headline,
        "bio": coach.bio,
        "avatar_url": coach.avatar_url,
        "links": coach.links,
        "timezone": coach.timezone,
        "currency": coach.currency,
        "booking_enabled": coach.booking_enabled,
        "products_enabled": coach.products_enabled,
        "active": coach.active,
    }


def coach_settings(coach: Coach) -> dict[str, Any]:
    """Everything a coach has set, for the coach's own eyes: the public profile, the email
    notices go to, and which notices are on."""
    return {
        **coach_to_dict(coach),
        "email": coach.email or None,
        "notices": {kind: kind not in coach.notices_off for kind in KINDS},
    }
