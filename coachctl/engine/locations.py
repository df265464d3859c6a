"""Where a session happens: a video link, a phone call, an address, or a link sent later.

A booking type stores its location as one string (a URL, ``phone``, ``later`` or an address); a
booking may carry its own (a link the coach sets afterwards), which wins over its type's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from coachctl.engine.errors import Invalid
from coachctl.engine.parse import web_url
from coachctl.engine.plain_text import one_line
from coachctl.store.models import Booking, BookingType

VIDEO, PHONE, ADDRESS, LATER = "video", "phone", "address", "later"
_PHONE = re.compile(r"^\+?[0-9][0-9 ()./-]{5,30}$")


@dataclass(frozen=True)
class Location:
    """A location as readers see it: its kind, a sentence, what a calendar's LOCATION holds, and
    a URL for video links."""

    kind: str
    label: str
    place: str
    url: str | None = None

    @property
    def public(self) -> str:
        """The label for anyone who has not booked: a fixed video link stays private."""
        return "Video call: the link comes with your confirmation" if self.url else self.label


def parse_location(text: str) -> str:
    """The stored form of a location typed by a coach; ``""`` clears it."""
    value = " ".join((text or "").split())
    if len(value) > 500:
        raise Invalid("a location is at most 500 characters")
    if value.lower() in (PHONE, LATER, ""):
        return value.lower()
    if "://" in value or value.lower().startswith("www."):
        return web_url(value if "://" in value else f"https://{value}")
    return one_line(value)


def phone_number(text: str) -> str:
    """A client's phone number as typed, checked to look like one (digits, spaces, + ( ) - . /)."""
    value = " ".join((text or "").split())
    if not _PHONE.match(value) or sum(c.isdigit() for c in value) < 6:
        raise Invalid(
            "please give a phone number the coach can call, e.g. +44 20 7946 0958", code="phone"
        )
    return value


def describe(stored: str, phone: str = "") -> Location | None:
    """What a stored location means, with the client's ``phone`` for a call; None when unset."""
    if not stored:
        return None
    if stored == PHONE:
        label = f"Phone call: the coach calls you on {phone}" if phone else "Phone call"
        return Location(PHONE, label, f"Phone: {phone}" if phone else "Phone call")
    if stored == LATER:
        return Location(
            LATER,
            "Video call: the link will be sent before the session",
            "Video call (link to follow)",
        )
    if stored.startswith(("http://", "https://")):
        return Location(VIDEO, f"Video call: {stored}", stored, stored)
    return Location(ADDRESS, f"In person: {stored}", stored)


def type_location(kind: BookingType) -> Location | None:
    """Where sessions of ``kind`` happen, as the booking page announces it."""
    return describe(kind.location)


def booking_location(booking: Booking) -> Location | None:
    """Where ``booking`` happens: its own location when the coach set one, else its type's."""
    return describe(booking.location or booking.booking_type.location, booking.customer_phone)


def needs_phone(kind: BookingType) -> bool:
    """Whether booking ``kind`` asks the client for a phone number."""
    return kind.location == PHONE
