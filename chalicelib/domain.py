"""Domain entities and the booking status machine. No I/O, no frameworks."""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from enum import Enum
from typing import NotRequired, TypedDict

from chalicelib.errors import InvalidTransition


class Status(str, Enum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    EXPIRED = "expired"  # an unverified hold that ran out (set by the system, never by a person)


# Pending and confirmed bookings hold their slot (a pending, unverified one only until its hold
# expires); completed, cancelled and expired are final.
HOLDING = frozenset({Status.PENDING, Status.CONFIRMED})
# Moving to these gives the slot back (a completed session keeps its slot: it happened).
RELEASING = frozenset({Status.CANCELLED, Status.EXPIRED})

TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.PENDING: frozenset({Status.CONFIRMED, Status.CANCELLED, Status.EXPIRED}),
    Status.CONFIRMED: frozenset({Status.COMPLETED, Status.CANCELLED}),
    Status.COMPLETED: frozenset(),
    Status.CANCELLED: frozenset(),
    Status.EXPIRED: frozenset(),
}
# What a person (an admin) may set; `expired` only follows from time.
ADMIN_TARGETS = frozenset({Status.CONFIRMED, Status.COMPLETED, Status.CANCELLED})
# The statuses a booking may move to each status from (TRANSITIONS read backwards).
SOURCES: dict[Status, frozenset[Status]] = {
    target: frozenset(source for source, targets in TRANSITIONS.items() if target in targets) for target in Status
}


@dataclass(frozen=True)
class Expert:
    id: str
    name: str
    category: str
    experience_years: int
    rating: float
    bio: str
    timezone: str
    session_minutes: int


@dataclass(frozen=True)
class Slot:
    """One bookable session of an expert (stored per expert and start); a booking holds it by id."""

    expert_id: str
    start: datetime
    end: datetime
    booking_id: str | None = None
    # Set while the holding booking's email is unverified: the slot is free again from this instant.
    hold_expires_at: datetime | None = None

    def held_at(self, now: datetime) -> bool:
        if self.booking_id is None:
            return False
        return self.hold_expires_at is None or self.hold_expires_at > now


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")  # date.weekday() order
Hours = tuple[tuple[time, time], ...]  # a day's working intervals, local wall times, start < end


@dataclass(frozen=True)
class Availability:
    """An expert's weekly hours in their own zone (issue 12): `weekly` by WEEKDAYS name, `overrides` replace
    a date's hours (empty: a day off). Slots of the session length (plus buffer) are made from it."""

    weekly: dict[str, Hours]
    overrides: dict[date, Hours]
    buffer_minutes: int = 0
    horizon_days: int = 60

    def hours_on(self, day: date) -> Hours:
        return self.overrides[day] if day in self.overrides else self.weekly.get(WEEKDAYS[day.weekday()], ())


@dataclass(frozen=True)
class Booking:
    id: str
    expert_id: str
    expert_name: str
    slot_start: datetime
    slot_end: datetime
    name: str
    email: str
    phone: str
    notes: str
    status: Status
    created_at: datetime
    updated_at: datetime
    # False until the client opens the verification link that was emailed (or an admin confirms).
    email_verified: bool = True
    # While unverified, the instant the slot stops being held (None: the hold is firm).
    hold_expires_at: datetime | None = None
    # Opaque ids of the per-client counters this unverified hold counts against (email, source IP).
    hold_counters: tuple[str, ...] = ()
    # The calendar invite's SEQUENCE: 0 when booked, one more on every reschedule (same UID).
    sequence: int = 0

    def hold_expired(self, now: datetime) -> bool:
        return self.status is Status.PENDING and self.hold_expires_at is not None and self.hold_expires_at <= now

    def as_of(self, now: datetime) -> Booking:
        """The booking as it stands at `now`: an unverified hold that ran out is `expired` at once,
        even before the scheduled sweep writes it down."""
        if self.hold_expired(now):
            return replace(self, status=Status.EXPIRED, updated_at=self.hold_expires_at or self.updated_at)
        return self


@dataclass(frozen=True)
class IdempotencyRecord:
    key: str
    request_hash: str
    booking_id: str
    expires_at: datetime


class BookingTerms(TypedDict):
    """What a new booking's write is checked against, besides the booking itself (the store's keywords)."""

    not_before: datetime  # the slot must start at or after this (the booking window)
    now: datetime  # holds that ran out by now count as free
    idempotency: NotRequired[IdempotencyRecord | None]  # stored with the booking, once per key
    hold_limit: NotRequired[int]  # the most live unverified holds per client counter (0: no limit)


class StatusTerms(TypedDict):
    """When a stored booking may move to another status in one conditional write (the store's keywords)."""

    sources: frozenset[Status]  # the statuses it may move from
    started_by: datetime | None  # with a time: its session must have started by then
    change_id: NotRequired[str | None]  # stamped on the item, to recognise this write after a lost response


@dataclass(frozen=True)
class Email:
    """An email ready to send: rendered by chalicelib/mail.py, sent through SES by the stream consumer.

    `ics` is the calendar file attached to it, when the email is about a session."""

    to: str
    subject: str
    text: str
    ics: str | None = None


# The email each status change sends (a new booking sends "received"); None: no email. Every status
# is listed, so a new one cannot be forgotten (tests/unit/test_email_kinds.py checks the templates).
EMAIL_FOR_STATUS: dict[Status, str | None] = {
    Status.PENDING: None,
    Status.CONFIRMED: "confirmed",
    Status.CANCELLED: "cancelled",
    Status.COMPLETED: "completed",
    Status.EXPIRED: "expired",
}


@dataclass(frozen=True)
class FailedEmail:
    """An email the consumer could not send, kept (with its content) until a resend succeeds."""

    event_key: str
    to: str
    subject: str
    text: str
    ics: str | None
    reason: str
    failed_at: datetime


@dataclass(frozen=True)
class BookingQuery:
    """Admin listing filters; `cursor` is the storage position to continue from."""

    expert_id: str | None = None
    status: Status | None = None
    start: datetime | None = None
    end: datetime | None = None
    cursor: dict[str, str] | None = None
    limit: int = 25


def sort_name(name: str) -> str:
    """Case- and accent-folded name used for catalog order and search."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def mask_email(address: str) -> str:
    """For logs: keep the first character and the domain only."""
    local, _, domain = address.partition("@")
    return f"{local[:1]}***@{domain}" if domain else "***"


def hold_counters(email: str, source_ip: str | None) -> tuple[str, ...]:
    """The per-client counters an unverified hold counts against: its email and its source IP,
    hashed so that neither is stored in a key."""

    def digest(value: str) -> str:
        return hashlib.sha256(value.lower().encode()).hexdigest()[:32]

    return (f"email:{digest(email)}",) + ((f"ip:{digest(source_ip)}",) if source_ip else ())


def check_transition(booking: Booking, target: Status, now: datetime) -> None:
    """Raise InvalidTransition unless `booking` may move to `target` at `now`."""
    if target not in TRANSITIONS[booking.status]:
        raise InvalidTransition(
            f"A {booking.status.value} booking cannot become {target.value}.",
            details={"from": booking.status.value, "to": target.value},
        )
    if target is Status.COMPLETED and now < booking.slot_start:
        raise InvalidTransition(
            "A session can only be completed once it has started.",
            details={"from": booking.status.value, "to": target.value},
        )


def transition(booking: Booking, target: Status, now: datetime) -> Booking:
    check_transition(booking, target, now)
    return replace(booking, status=target, updated_at=now)
