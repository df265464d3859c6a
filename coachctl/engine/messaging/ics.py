"""Calendar data: invites for one booking (REQUEST / CANCEL) and a coach's bookings as a feed."""

from __future__ import annotations

from datetime import datetime

from icalendar import Calendar, Event, vCalAddress, vText

from coachctl.engine import locations
from coachctl.engine.plain_text import lines as plain_lines
from coachctl.engine.plain_text import one_line
from coachctl.store.models import Booking, BookingType, Coach, utcnow

PRODID = "-//coachctl//bookings//EN"


def booking_uid(booking: Booking) -> str:
    """A UID that stays the same for the booking's whole life (updates and cancellation)."""
    return f"booking-{booking.id}-{booking.manage_token[:10]}@coachctl"


def _calendar(method: str | None = None) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    return calendar


def _event(
    booking: Booking, coach: Coach, kind: BookingType, manage_url: str | None, stamp: datetime
) -> Event:
    event = Event()
    event.add("uid", booking_uid(booking))
    event.add("dtstamp", stamp)
    event.add("dtstart", booking.start)
    event.add("dtend", booking.end)
    event.add("sequence", booking.sequence)
    event.add("summary", one_line(f"{kind.name}: {coach.name} & {booking.customer_name}"))
    description = [f"{kind.name} with {coach.name}."]
    where = locations.booking_location(booking)
    if where is not None:
        event.add("location", one_line(where.place))
        description.append(where.label)
        if where.url:
            event.add("url", where.url)
    if manage_url:
        description.append(f"Change or cancel: {manage_url}")
        if where is None or not where.url:
            event.add("url", manage_url)
    if booking.notes:
        description.append(f"Note: {booking.notes}")
    event.add("description", plain_lines("\n".join(description)))
    cancelled = booking.status == "CANCELLED"
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "TRANSPARENT" if cancelled else "OPAQUE")
    if coach.email:
        organizer = vCalAddress(f"mailto:{coach.email}")
        organizer.params["cn"] = vText(one_line(coach.name))
        event.add("organizer", organizer)
    attendee = vCalAddress(f"mailto:{booking.customer_email}")
    attendee.params.update(
        {
            "cn": vText(one_line(booking.customer_name)),
            "role": vText("REQ-PARTICIPANT"),
            "rsvp": vText("FALSE"),
        }
    )
    event.add("attendee", attendee)
    return event


def invite(booking: Booking, manage_url: str | None = None) -> bytes:
    """One booking as an invite: METHOD:REQUEST while it stands, METHOD:CANCEL once cancelled."""
    method = "CANCEL" if booking.status == "CANCELLED" else "REQUEST"
    calendar = _calendar(method)
    calendar.add_component(
        _event(booking, booking.coach, booking.booking_type, manage_url, utcnow())
    )
    return calendar.to_ical()


def feed(coach: Coach, bookings: list[Booking], name: str | None = None) -> bytes:
    """A subscribable calendar of ``bookings`` (cancelled ones shown as cancelled)."""
    calendar = _calendar("PUBLISH")
    calendar.add("x-wr-calname", name or f"{coach.name} — bookings")
    calendar.add("x-published-ttl", "PT15M")
    stamp = utcnow()
    for booking in bookings:
        calendar.add_component(_event(booking, coach, booking.booking_type, None, stamp))
    return calendar.to_ical()
