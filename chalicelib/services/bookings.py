"""Booking use cases: book a slot (race-proof, idempotent) and change a booking's status."""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Protocol

from chalicelib.domain import SOURCES, Booking, IdempotencyRecord, Status, check_transition, transition
from chalicelib.errors import (
    BookingNotFound,
    IdempotencyKeyExists,
    IdempotencyKeyReused,
    InvalidTransition,
    SlotEndMismatch,
    SlotNotFound,
    SlotUnavailable,
    StatusRefused,
    ValidationFailed,
)
from chalicelib.services.experts import Catalog

IDEMPOTENCY_HOURS = 24


class BookingStore(Protocol):
    def create_booking(
        self, booking: Booking, *, not_before: datetime, idempotency: IdempotencyRecord | None = None
    ) -> None: ...
    def get_booking(self, booking_id: str) -> Booking | None: ...
    def save_transition(self, before: Booking, after: Booking) -> None: ...
    def set_status(
        self,
        booking_id: str,
        target: Status,
        at: datetime,
        *,
        sources: frozenset[Status],
        started_by: datetime | None,
    ) -> Booking: ...


@dataclass(frozen=True)
class NewBooking:
    """A booking request that already passed the edge validation (models.BookingRequest)."""

    expert_id: str
    slot_start: datetime
    name: str
    email: str
    phone: str
    notes: str

    def fingerprint(self) -> str:
        body = {
            "expertId": self.expert_id,
            "slotStart": self.slot_start.isoformat(),
            "name": self.name,
            "email": self.email,
            "phone": self.phone,
            "notes": self.notes,
        }
        return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


def new_id() -> str:
    """128 random bits, URL-safe."""
    return secrets.token_urlsafe(16)


def book_slot(
    store: BookingStore,
    catalog: Catalog,
    request: NewBooking,
    *,
    idempotency_key: str | None,
    now: datetime,
    min_notice: timedelta,
    make_id: Callable[[], str] = new_id,
) -> tuple[Booking, bool]:
    """Book the slot; returns (booking, replayed). Raises SlotNotFound / SlotUnavailable."""
    expert = catalog.get(request.expert_id)
    if request.slot_start.second or request.slot_start.microsecond:
        raise SlotNotFound("This expert has no slot at that time.")
    earliest = now + min_notice
    if request.slot_start < earliest:
        minutes = int(min_notice.total_seconds() // 60)
        raise ValidationFailed.field("slotStart", f"Sessions must be booked at least {minutes} minutes ahead.")
    booking = Booking(
        id=make_id(),
        expert_id=expert.id,
        expert_name=expert.name,
        slot_start=request.slot_start,
        slot_end=request.slot_start + timedelta(minutes=expert.session_minutes),
        name=request.name,
        email=request.email,
        phone=request.phone,
        notes=request.notes,
        status=Status.PENDING,
        created_at=now,
        updated_at=now,
    )
    record = None
    if idempotency_key is not None:
        expires = now + timedelta(hours=IDEMPOTENCY_HOURS)
        record = IdempotencyRecord(idempotency_key, request.fingerprint(), booking.id, expires)
    # Two attempts: the second only when the slot's stored end differs from the one derived
    # from the expert's current session length (the slot was made before a length change).
    for _ in range(2):
        try:
            store.create_booking(booking, not_before=earliest, idempotency=record)
            return booking, False
        except SlotEndMismatch as mismatch:
            booking = replace(booking, slot_end=mismatch.actual_end)
        except IdempotencyKeyExists as existing:
            return _replay(store, existing.record, request), True
    raise SlotUnavailable("This slot is no longer available.")


def _replay(store: BookingStore, record: IdempotencyRecord, request: NewBooking) -> Booking:
    if record.request_hash != request.fingerprint():
        raise IdempotencyKeyReused("This Idempotency-Key was already used with a different request.")
    booking = store.get_booking(record.booking_id)
    if booking is None:  # the transaction wrote both items, so this means the data was tampered with
        raise BookingNotFound("The booking for this Idempotency-Key no longer exists.")
    return booking


def change_status(store: BookingStore, booking_id: str, target: Status, *, now: datetime) -> Booking:
    """Move a booking along the status machine; cancelling releases its slot in the same write.

    Confirm and complete are one conditional write (the machine's rules as its condition); only a
    refused write is read back, to say why. A cancel reads first: it must know which slot to release."""
    if target is Status.CANCELLED or not SOURCES[target]:
        booking = store.get_booking(booking_id)
        if booking is None:
            raise BookingNotFound("No booking with this id.")
        updated = transition(booking, target, now)
        store.save_transition(booking, updated)
        return updated
    started_by = now if target is Status.COMPLETED else None
    try:
        return store.set_status(booking_id, target, now, sources=SOURCES[target], started_by=started_by)
    except StatusRefused as refused:
        current: Booking | None = refused.current
    if current is None:
        raise BookingNotFound("No booking with this id.")
    check_transition(current, target, now)  # raises the precise reason
    raise InvalidTransition("The booking changed meanwhile; reload and try again.")
