"""Booking use cases: book a slot (race-proof, idempotent) and change a booking's status."""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Protocol, Unpack

from chalicelib.domain import (
    ADMIN_TARGETS,
    SOURCES,
    Booking,
    BookingTerms,
    IdempotencyRecord,
    Status,
    StatusTerms,
    check_transition,
    hold_counters,
    transition,
)
from chalicelib.errors import (
    BookingNotFound,
    HoldExpired,
    HoldRefused,
    IdempotencyKeyExists,
    IdempotencyKeyReused,
    InvalidTransition,
    SlotEndMismatch,
    SlotNotFound,
    SlotUnavailable,
    StatusRefused,
    TooManyHolds,
    ValidationFailed,
)
from chalicelib.services.experts import Catalog

IDEMPOTENCY_HOURS = 24


class BookingStore(Protocol):
    def create_booking(self, booking: Booking, **terms: Unpack[BookingTerms]) -> None: ...
    def get_booking(self, booking_id: str) -> Booking | None: ...
    def save_transition(self, before: Booking, after: Booking) -> None: ...
    def make_hold_firm(self, before: Booking, after: Booking, now: datetime) -> None: ...
    def set_status(self, booking_id: str, target: Status, at: datetime, **terms: Unpack[StatusTerms]) -> Booking: ...


@dataclass(frozen=True)
class HoldPolicy:
    """How long an unverified booking holds its slot (None: firm at once, verification off) and how
    many unverified holds one email or source IP may have at a time (0: no limit)."""

    hold: timedelta | None
    limit: int
    source_ip: str | None = None

    @classmethod
    def of(cls, hold_minutes: int, limit: int, source_ip: str | None) -> HoldPolicy:
        return cls(timedelta(minutes=hold_minutes) if hold_minutes else None, limit, source_ip)


FIRM = HoldPolicy(None, 0)


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
    policy: HoldPolicy = FIRM,
    make_id: Callable[[], str] = new_id,
) -> tuple[Booking, bool]:
    """Book the slot; returns (booking, replayed). Raises SlotNotFound / SlotUnavailable, and
    TooManyHolds when the client already has `policy.limit` unverified holds."""
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
        email_verified=False,
        hold_expires_at=now + policy.hold if policy.hold else None,
        hold_counters=hold_counters(request.email, policy.source_ip) if policy.hold and policy.limit else (),
    )
    record = None
    if idempotency_key is not None:
        expires = now + timedelta(hours=IDEMPOTENCY_HOURS)
        record = IdempotencyRecord(idempotency_key, request.fingerprint(), booking.id, expires)
    # Two attempts: the second only when the slot's stored end differs from the one derived
    # from the expert's current session length (the slot was made before a length change).
    for _ in range(2):
        try:
            store.create_booking(booking, not_before=earliest, now=now, idempotency=record, hold_limit=policy.limit)
            return booking, False
        except SlotEndMismatch as mismatch:
            booking = replace(booking, slot_end=mismatch.actual_end)
        except IdempotencyKeyExists as existing:
            return _replay(store, existing.record, request).as_of(now), True
        except TooManyHolds as full:
            wait = max(1, int((full.retry_at - now).total_seconds()))
            raise TooManyHolds(
                full.retry_at,
                f"You already have {policy.limit} unconfirmed bookings. Confirm one from the email we sent, "
                f"or try again in {max(1, (wait + 59) // 60)} minutes.",
                retry_after=wait,
            ) from None
    raise SlotUnavailable("This slot is no longer available.")


def _replay(store: BookingStore, record: IdempotencyRecord, request: NewBooking) -> Booking:
    if record.request_hash != request.fingerprint():
        raise IdempotencyKeyReused("This Idempotency-Key was already used with a different request.")
    booking = store.get_booking(record.booking_id)
    if booking is None:  # the transaction wrote both items, so this means the data was tampered with
        raise BookingNotFound("The booking for this Idempotency-Key no longer exists.")
    return booking


def change_status(store: BookingStore, booking_id: str, target: Status, *, now: datetime) -> Booking:
    """Move a booking along the status machine (admin); cancelling releases its slot in the same write.

    Confirm and complete of a firm booking are one conditional write (the machine's rules as its
    condition); only a refused write is read back, to say why. Confirming an unverified hold makes it
    firm in one transaction that fails if the hold has expired. A cancel reads first: it must know
    which slot to release."""
    if target not in ADMIN_TARGETS:
        raise InvalidTransition(f"A booking cannot be set to {target.value} by hand.")
    if target is Status.CANCELLED:
        booking = _current(store, booking_id, now)
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
    current = current.as_of(now)
    check_transition(current, target, now)  # raises the precise reason
    if current.hold_expires_at is not None:  # a live unverified hold: the admin makes it firm
        return make_firm(store, current, replace(current, status=target, updated_at=now, hold_expires_at=None), now)
    raise InvalidTransition("The booking changed meanwhile; reload and try again.")


def make_firm(store: BookingStore, before: Booking, after: Booking, now: datetime) -> Booking:
    """Write `after` for an unverified hold in one conditional transaction; 409 when it ran out."""
    try:
        store.make_hold_firm(before, after, now)
    except HoldRefused:
        current = _current(store, before.id, now)
        if current.status is Status.EXPIRED:
            raise HoldExpired(EXPIRED_MESSAGE, details=rebook(before)) from None
        raise InvalidTransition("The booking changed meanwhile; reload and try again.") from None
    return after


EXPIRED_MESSAGE = "This booking's hold expired before its email was confirmed; book again."


def rebook(booking: Booking) -> dict[str, str]:
    """What a client needs to book the same expert again after a hold ran out (no personal data)."""
    return {"expertId": booking.expert_id, "expertName": booking.expert_name}


def _current(store: BookingStore, booking_id: str, now: datetime) -> Booking:
    booking = store.get_booking(booking_id)
    if booking is None:
        raise BookingNotFound("No booking with this id.")
    return booking.as_of(now)
