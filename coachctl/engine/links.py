"""Signed links a client receives: manage a booking, return from checkout, book with a pass."""

from __future__ import annotations

from coachctl.config import Settings
from coachctl.engine.errors import NotFound
from coachctl.engine.signing import sign, unsign
from coachctl.store.models import Booking, Coach, Order


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


def return_urls(settings: Settings, order: Order) -> tuple[str, str]:
    """The signed success and cancel URLs of an order."""
    token = sign(settings.secret, "order", str(order.id))
    base = settings.base_url
    return f"{base}/checkout/success?order={token}", f"{base}/checkout/cancelled?order={token}"


def order_from_link(token: str, settings: Settings) -> Order:
    """The order a signed success/cancel link names."""
    order = Order.get_or_none(Order.id == int(unsign(settings.secret, "order", token)))
    if order is None:
        raise NotFound("this order link is not valid")
    return order


def credits_pass(settings: Settings, coach: Coach, email: str) -> str:
    """A signed pass that lets ``email`` spend their session credits with ``coach``."""
    return sign(settings.secret, "credits", f"{coach.id}:{email.lower()}")


def email_from_pass(settings: Settings, coach: Coach, token: str) -> str:
    """The email a credits pass was issued to, for this coach only."""
    coach_id, _, email = unsign(settings.secret, "credits", token).partition(":")
    if coach_id != str(coach.id) or not email:
        raise NotFound("this booking pass is not valid")
    return email
