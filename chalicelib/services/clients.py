"""Client (no account) use cases: my bookings, magic links, and cancelling one's own booking."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Protocol

from chalicelib.domain import Booking, Status, transition
from chalicelib.errors import BookingNotFound, CancellationWindowClosed, Forbidden
from chalicelib.services.bookings import BookingStore

ACCESS_LINKS_PER_HOUR = 5


class ClientStore(BookingStore, Protocol):
    def bookings_for_email(self, email: str) -> list[Booking]: ...
    def count_access_link(self, email: str, now: datetime, limit: int) -> bool: ...


def my_bookings(store: ClientStore, token_owner: str, email: str) -> list[Booking]:
    if token_owner != email.lower():
        raise Forbidden("This access token is for another email address.")
    return store.bookings_for_email(email)


def request_access_link(store: ClientStore, email: str, now: datetime) -> None:
    """Record the request; the email consumer sends the link if the address has bookings.

    The caller answers 202 whatever happens here, so nobody learns whether an address is known.
    Over the hourly limit the request is dropped silently."""
    store.count_access_link(email, now, ACCESS_LINKS_PER_HOUR)


def cancel_own_booking(
    store: ClientStore, booking_id: str, token_owner: str, *, now: datetime, cutoff: timedelta
) -> Booking:
    booking = store.get_booking(booking_id)
    if booking is None:
        raise BookingNotFound("No booking with this id.")
    if booking.email != token_owner:
        raise Forbidden("This booking belongs to another email address.")
    if booking.status in (Status.PENDING, Status.CONFIRMED) and now > booking.slot_start - cutoff:
        hours = cutoff.total_seconds() / 3600
        raise CancellationWindowClosed(
            f"Bookings can be cancelled online until {hours:g} hours before the start. Please contact us instead."
        )
    updated = transition(booking, Status.CANCELLED, now)
    store.save_transition(booking, updated)
    return updated
