"""Weekly windows, blackouts, booking types and bookings."""

from coachctl.store.db import db
from coachctl.store.models import AvailabilityWindow, Blackout, Booking, BookingType


def apply() -> None:
    db.create_tables([AvailabilityWindow, Blackout, BookingType, Booking], safe=True)
