"""Booking types (event types): how long a session lasts, its grid, buffers, notice and price."""

from __future__ import annotations

import re
from typing import Any

from coachctl.engine import locations
from coachctl.engine.commerce.money import Money, parse_money
from coachctl.engine.errors import Conflict, Invalid, NotFound, problems
from coachctl.store.models import BookingType, Coach

_SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$")
_LIMITS = {
    "duration": (5, 24 * 60),
    "interval": (5, 24 * 60),
    "buffer_before": (0, 24 * 60),
    "buffer_after": (0, 24 * 60),
    "notice": (0, 365 * 24 * 60),
    "horizon_days": (1, 730),
    "cancel_notice": (0, 30 * 24 * 60),
    "late_refund_percent": (0, 100),
}
EDITABLE = (
    *_LIMITS,
    "name",
    "description",
    "price_minor",
    "currency",
    "requires_payment",
    "reminders",
    "active",
    "location",
)


def late_refund(text: str) -> int:
    """A late-cancellation refund as a percentage: ``none``, ``full``, ``50%`` or ``50``."""
    words = {"none": 0, "no": 0, "0": 0, "full": 100, "all": 100}
    value = text.strip().lower().removesuffix("%").strip()
    if value in words:
        return words[value]
    if not value.isdigit() or not 0 <= int(value) <= 100:
        raise Invalid(f"late refund {text!r} must be none, full, or a percentage from 0 to 100")
    return int(value)


def _check(fields: dict[str, Any]) -> dict[str, Any]:
    for key, (low, high) in _LIMITS.items():
        if key in fields and fields[key] is not None:
            value = fields[key]
            if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
                raise Invalid(
                    f"{key.replace('_', '-')} must be a whole number from {low} to {high}"
                )
    if fields.get("reminders") is not None:
        reminders = fields["reminders"]
        if not isinstance(reminders, list) or not all(
            isinstance(m, int) and 0 < m <= 30 * 24 * 60 for m in reminders
        ):
            raise Invalid("reminders must be a list of minutes before the session")
        fields["reminders"] = sorted(set(reminders), reverse=True)
    if fields.get("location") is not None:
        fields["location"] = locations.parse_location(fields["location"])
    if "name" in fields and not str(fields["name"]).strip():
        raise Invalid("a booking type needs a name")
    price = fields.get("price_minor")
    if price is not None and (not isinstance(price, int) or price < 0):
        raise Invalid("price must be a whole number of minor units, not negative")
    return {k: v for k, v in fields.items() if v is not None or k in ("price_minor", "currency")}


def form_problems(fields: dict[str, str], currency: str) -> dict[str, str]:
    """What is wrong with a booking type typed as text (``name``, ``duration``, ``price`` and,
    for a new one, ``slug``), field by field, in the words ``create_booking_type`` would refuse
    it with; no database access."""
    return problems(
        {
            "slug": lambda: "slug" in fields and _check_slug(fields["slug"]),
            "name": lambda: _check({"name": fields.get("name", "")}),
            "duration": lambda: _check({"duration": _whole(fields.get("duration", ""))}),
            "price": lambda: fields.get("price") and parse_money(fields["price"], currency),
        }
    )


def _check_slug(slug: str) -> str:
    if not _SLUG.match(slug or ""):
        raise Invalid(f"type slug {slug!r} must be lowercase letters, digits and hyphens")
    return slug


def _whole(text: str) -> int | str:
    return int(text) if text.strip().isdigit() else text


def create_booking_type(coach: Coach, slug: str, name: str, **fields: Any) -> BookingType:
    """Add a booking type to a coach; the slug is unique per coach."""
    _check_slug(slug)
    if BookingType.get_or_none(coach=coach, slug=slug):
        raise Conflict(f"{coach.slug} already has a booking type {slug!r}")
    values = _check({"name": name, **fields})
    if values.get("requires_payment") and not values.get("price_minor"):
        raise Invalid("a paid booking type needs a price")
    return BookingType.create(coach=coach, slug=slug, **values)


def edit_booking_type(booking_type: BookingType, **fields: Any) -> BookingType:
    """Change the given fields of a booking type (None leaves a field as it is)."""
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise Invalid(f"unknown booking type fields: {', '.join(sorted(unknown))}")
    values = _check({k: v for k, v in fields.items() if v is not None})
    for key, value in values.items():
        setattr(booking_type, key, value)
    if booking_type.requires_payment and not booking_type.price_minor:
        raise Invalid("a paid booking type needs a price")
    booking_type.save()
    return booking_type


def get_booking_type(
    coach: Coach, slug: str | None = None, *, include_inactive: bool = False, public: bool = False
) -> BookingType:
    """The coach's active type named ``slug``, or their first active one when None; ``public``
    words a miss for a visitor."""
    query = BookingType.select().where(BookingType.coach == coach)
    if not include_inactive:
        query = query.where(BookingType.active == True)  # noqa: E712
    if slug:
        found = query.where(BookingType.slug == slug).first()
        if found is None:
            raise NotFound(
                f"{coach.name} does not offer this session any more."
                if public
                else f"{coach.slug} has no booking type {slug!r}"
            )
        return found
    found = query.order_by(BookingType.id).first()
    if found is None:
        raise NotFound(
            f"{coach.name} has no sessions to book right now."
            if public
            else f"{coach.slug} has no active booking type"
        )
    return found


def list_booking_types(coach: Coach, include_inactive: bool = False) -> list[BookingType]:
    """The coach's booking types in the order they were made."""
    query = coach.booking_types
    if not include_inactive:
        query = query.where(BookingType.active == True)  # noqa: E712
    return list(query.order_by(BookingType.id))


def booking_type_to_dict(booking_type: BookingType, *, public: bool = False) -> dict[str, Any]:
    """The JSON shape of a booking type; ``public`` for visitors (no fixed video link)."""
    return {
        "slug": booking_type.slug,
        "name": booking_type.name,
        "description": booking_type.description,
        "duration": booking_type.duration,
        "interval": booking_type.interval,
        "buffer_before": booking_type.buffer_before,
        "buffer_after": booking_type.buffer_after,
        "notice": booking_type.notice,
        "horizon_days": booking_type.horizon_days,
        "cancel_notice": booking_type.cancel_notice,
        "late_refund_percent": booking_type.late_refund_percent,
        "price": booking_type.price_minor,
        "currency": booking_type.currency,
        "requires_payment": booking_type.requires_payment,
        "price_display": (
            Money(booking_type.price_minor, booking_type.currency).display()
            if booking_type.requires_payment and booking_type.price_minor
            else None
        ),
        "reminders": booking_type.reminders,
        "active": booking_type.active,
        "location": location_dict(locations.type_location(booking_type), public=public),
        "questions": booking_type.questions,
    }


def location_dict(
    where: locations.Location | None, *, public: bool = False
) -> dict[str, str | None] | None:
    """The JSON shape of a location (None when unset); ``public`` leaves out a video link."""
    if where is None:
        return None
    if public:
        return {"kind": where.kind, "label": where.public, "url": None}
    return {"kind": where.kind, "label": where.label, "url": where.url}
