"""Reschedule: a booking moves to another slot of the same expert in one transaction (the old slot freed,
the new one held, the booking moved), or nothing changes. The client may do it with that booking's token
(or its email's) until the cancellation cutoff; an admin at any time before the session."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Protocol, Unpack

from chalicelib.domain import HOLDING, Booking, BookingTerms
from chalicelib.errors import (
    BookingNotFound,
    CancellationWindowClosed,
    InvalidTransition,
    SlotEndMismatch,
    SlotNotFound,
    ValidationFailed,
)
from chalicelib.services import access
from chalicelib.services.experts import Catalog


class MoveStore(Protocol):
    def get_booking(self, booking_id: str) -> Booking | None: ...
    def move_booking(self, before: Booking, after: Booking, **terms: Unpack[BookingTerms]) -> None: ...


def reschedule(
    store: MoveStore,
    catalog: Catalog,
    grant: access.Grant | None,
    booking_id: str,
    slot_start: datetime,
    *,
    now: datetime,
    cutoff: timedelta,
    min_notice: timedelta,
) -> Booking:
    """`grant` is the client's (None for an admin). Raises 409 `slot_unavailable` when the new slot is
    taken or too soon, 404 `slot_not_found` when the expert has no slot then."""
    stored = store.get_booking(booking_id)
    if stored is None:
        raise BookingNotFound("No booking with this id.")
    booking = stored.as_of(now)
    if grant is not None:
        access.allow_booking(grant, booking)
    if booking.status not in HOLDING:
        raise InvalidTransition(f"This booking is {booking.status.value}, so it cannot be moved.")
    if booking.slot_start <= now:
        raise InvalidTransition("This session has started, so it cannot be moved.")
    if grant is not None and now > booking.slot_start - cutoff:
        hours = cutoff.total_seconds() / 3600
        raise CancellationWindowClosed(
            f"Bookings can be moved online until {hours:g} hours before the start. Please contact us instead."
        )
    if slot_start == booking.slot_start:
        raise ValidationFailed.field("slotStart", "This is the booking's current time; choose another slot.")
    if slot_start.second or slot_start.microsecond:
        raise SlotNotFound("This expert has no slot at that time.")
    earliest = now + min_notice
    if slot_start < earliest:
        minutes = int(min_notice.total_seconds() // 60)
        raise ValidationFailed.field("slotStart", f"Sessions must be booked at least {minutes} minutes ahead.")
    expert = catalog.get(booking.expert_id)
    moved = replace(
        booking,
        slot_start=slot_start,
        slot_end=slot_start + timedelta(minutes=expert.session_minutes),
        updated_at=now,
        sequence=booking.sequence + 1,
    )
    # A second attempt only when the slot was made for another session length (its stored end differs).
    for _ in range(2):
        try:
            store.move_booking(booking, moved, not_before=earliest, now=now)
            return moved
        except SlotEndMismatch as mismatch:
            moved = replace(moved, slot_end=mismatch.actual_end)
    raise InvalidTransition("The slot changed meanwhile; reload and try again.")


def fresh_token(secret: str, grant: access.Grant | None, moved: Booking, now: datetime) -> str | None:
    """A client's booking token for the moved booking: the one it held expires at the old session's end,
    too soon once the booking moved later. None for an admin (`grant` None), who acts with their own."""
    return None if grant is None else access.booking_token(secret, moved, now)
