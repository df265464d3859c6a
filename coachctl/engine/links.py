"""Signed links a client receives: manage a booking, book with a credits pass."""

from __future__ import annotations

from coachctl.config import Settings
from coachctl.engine.errors import NotFound
from coachctl.engine.signing import sign, unsign
from coachctl.store.models import Booking


def manage_url(booking: Booking, settings: Settings) -> str:
    """The client's signed link to see, cancel or reschedule ``booking``."""
    return f"{settings.base_url}/booking/{sign(settings.secret, 'booking', booking.manage_token)}"


def booking_from_link(signed: str, settings: Settings) -> Booking:
    """The booking a signed manage link names; forged or unknown links are not found."""
    booking = Booking.get_or_none(
        Booking.manage_token == unsign(settings.secret, "booking", signed)
    )
    if booking is None:
        raise NotFound("this booking link is not valid")
    return booking
