"""Which emails tell the coach what happened: one switch per kind, all on by default."""

from __future__ import annotations

from coachctl.engine.errors import Invalid
from coachctl.store.models import Coach

KINDS = {
    "booking": "a client booked",
    "change": "a booking moved or its details changed",
    "cancellation": "a booking was cancelled",
    "sale": "a product, package or session was paid for",
    "refund": "an order was refunded",
}
FOR_BOOKING_CHANGE = {
    "confirmed": "booking",
    "rescheduled": "change",
    "updated": "change",
    "cancelled": "cancellation",
}


def wants(coach: Coach, kind: str) -> bool:
    """Whether ``coach`` is told of ``kind``: they have an email and have not turned it off."""
    return bool(coach.email) and kind not in coach.notices_off


def set_notices(coach: Coach, *, on: list[str] = (), off: list[str] = ()) -> list[str]:
    """Turn kinds of notice on or off (``all`` for every kind); return the kinds now off."""
    chosen = {"on": _kinds(on), "off": _kinds(off)}
    both = chosen["on"] & chosen["off"]
    if both:
        raise Invalid(f"{', '.join(sorted(both))} cannot be both on and off")
    coach.notices_off = sorted((set(coach.notices_off) - chosen["on"]) | chosen["off"])
    coach.save()
    return coach.notices_off


def _kinds(names: list[str]) -> set[str]:
    found = set()
    for name in names:
        if name == "all":
            found |= set(KINDS)
        elif name in KINDS:
            found.add(name)
        else:
            raise Invalid(f"unknown notice {name!r}; use one of {', '.join(KINDS)} or all")
    return found
