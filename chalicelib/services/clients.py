"""Client (no account) use cases: one booking by its token, My bookings by an emailed link, verifying a
booking's email, magic links, and cancelling. Who may do what is decided by access.Grant."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Protocol

from chalicelib.domain import HOLDING, Booking, Status, transition
from chalicelib.errors import BookingNotFound, CancellationWindowClosed, Forbidden, HoldExpired, InvalidTransition
from chalicelib.services import access
from chalicelib.services.bookings import EXPIRED_MESSAGE, BookingStore, make_firm, rebook

ACCESS_LINKS_PER_HOUR = 5


class ClientStore(BookingStore, Protocol):
    def bookings_for_email(self, email: str) -> list[Booking]: ...
    def count_access_link(self, email: str, now: datetime, limit: int) -> bool: ...
    def record_verified(self, booking_id: str, at: datetime) -> None: ...


def my_bookings(store: ClientStore, grant: access.Grant, email: str, now: datetime) -> list[Booking]:
    access.allow_email(grant, email)
    return [b.as_of(now) for b in store.bookings_for_email(email)]


def get_booking(store: ClientStore, grant: access.Grant, booking_id: str, now: datetime) -> Booking:
    booking = _find(store, booking_id, now)
    access.allow_booking(grant, booking)
    return booking


def verify_email(store: ClientStore, grant: access.Grant, booking_id: str, now: datetime) -> Booking:
    """The verification link was opened: the booking's email is proven and its hold becomes firm, in
    one conditional write that fails if the hold already expired (HoldExpired). Opening it again, or
    after an admin confirmed the booking, changes nothing."""
    if grant.scope != access.VERIFY or grant.subject != booking_id:
        raise Forbidden("This link is for another booking.")
    booking = _find(store, booking_id, now)
    if booking.email_verified:
        return booking
    if booking.status in (Status.CONFIRMED, Status.COMPLETED):  # an admin made it firm: note the proof
        store.record_verified(booking.id, now)
        return replace(booking, email_verified=True, updated_at=now)
    if booking.status is Status.EXPIRED:
        raise HoldExpired(EXPIRED_MESSAGE, details=rebook(booking))
    if booking.status is not Status.PENDING:
        raise InvalidTransition(f"This booking is {booking.status.value}.")
    if booking.hold_expires_at is None:  # verification off: the hold is firm already; record the proof
        store.record_verified(booking.id, now)
        return replace(booking, email_verified=True, updated_at=now)
    return make_firm(store, booking, replace(booking, email_verified=True, hold_expires_at=None, updated_at=now), now)


def request_access_link(store: ClientStore, email: str, now: datetime) -> None:
    """Record the request; the email consumer sends the link if the address has bookings.

    The caller answers 202 whatever happens here, so nobody learns whether an address is known.
    Over the hourly limit the request is dropped silently."""
    store.count_access_link(email, now, ACCESS_LINKS_PER_HOUR)


def cancel_booking(
    store: ClientStore, grant: access.Grant, booking_id: str, *, now: datetime, cutoff: timedelta
) -> Booking:
    booking = _find(store, booking_id, now)
    access.allow_booking(grant, booking)
    if booking.status in HOLDING and now > booking.slot_start - cutoff:
        hours = cutoff.total_seconds() / 3600
        raise CancellationWindowClosed(
            f"Bookings can be cancelled online until {hours:g} hours before the start. Please contact us instead."
        )
    updated = transition(booking, Status.CANCELLED, now)
    store.save_transition(booking, updated)
    return updated


def _find(store: ClientStore, booking_id: str, now: datetime) -> Booking:
    booking = store.get_booking(booking_id)
    if booking is None:
        raise BookingNotFound("No booking with this id.")
    return booking.as_of(now)
