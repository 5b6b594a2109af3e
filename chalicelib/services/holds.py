"""Tidying expired unverified holds (issue 9): a scheduled sweep, never needed for correctness.

A hold that ran out is free at once: the booking transaction accepts a slot whose hold has expired,
and every read shows such a booking as `expired` (Booking.as_of). The sweep only writes that down:
the booking becomes `expired` (which sends its email) and the slot loses the stale booking id.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from chalicelib.domain import Booking

BATCH = 100
MAX_BATCHES = 20


class HoldStore(Protocol):
    def due_holds(self, now: datetime, limit: int) -> list[Booking]: ...
    def expire_hold(self, booking: Booking, now: datetime) -> bool: ...


def expire_due_holds(store: HoldStore, now: datetime) -> int:
    """Mark every unverified booking whose hold ran out by `now` expired; returns how many."""
    expired = 0
    for _ in range(MAX_BATCHES):
        due = store.due_holds(now, BATCH)
        expired += sum(store.expire_hold(booking, now) for booking in due)
        if len(due) < BATCH:
            break
    return expired
