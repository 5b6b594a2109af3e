"""Domain entities and the booking status machine. No I/O, no frameworks."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import Enum

from chalicelib.errors import InvalidTransition


class Status(str, Enum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


# Pending and confirmed bookings hold their slot; completed and cancelled are final.
HOLDING = frozenset({Status.PENDING, Status.CONFIRMED})

TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.PENDING: frozenset({Status.CONFIRMED, Status.CANCELLED}),
    Status.CONFIRMED: frozenset({Status.COMPLETED, Status.CANCELLED}),
    Status.COMPLETED: frozenset(),
    Status.CANCELLED: frozenset(),
}
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
    expert_id: str
    start: datetime
    end: datetime
    booking_id: str | None = None

    @property
    def held(self) -> bool:
        return self.booking_id is not None


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


@dataclass(frozen=True)
class IdempotencyRecord:
    key: str
    request_hash: str
    booking_id: str
    expires_at: datetime


@dataclass(frozen=True)
class BookingQuery:
    """Admin listing filters; `cursor` is the storage position to continue from."""

    expert_id: str | None = None
    status: Status | None = None
    start: datetime | None = None
    end: datetime | None = None
    cursor: dict[str, str] | None = None
    limit: int = 25


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
