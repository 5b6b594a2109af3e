"""Shared by the reminder tests (fake, moto, DynamoDB Local): a confirmed booking and one scheduled run."""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from chalicelib import mail
from chalicelib.domain import SOURCES, Booking, Email, Status
from chalicelib.services import reminders
from tests.conftest import NOW, make_expert, make_slot

SECRET = "test-client-token-secret-of-32-bytes"
APP_URL = "https://app.example"
OFFSETS = (1440, 60)


def booking_at(start: datetime, booking_id: str = "b-1", status: Status = Status.CONFIRMED) -> Booking:
    """A booking of its own expert (`exp-<booking id>`), so that any two can share a start."""
    return Booking(
        id=booking_id,
        expert_id=f"exp-{booking_id}",
        expert_name="Ada Lovelace",
        slot_start=start,
        slot_end=start + timedelta(hours=1),
        name="Grace Hopper",
        email=f"{booking_id}@example.com",
        phone="+441234567890",
        notes="",
        status=status,
        created_at=NOW - timedelta(days=3),
        updated_at=NOW - timedelta(days=3),
    )


class Outbox:
    """What the scheduled function handed to SES (thread-safe: runs may be concurrent)."""

    def __init__(self) -> None:
        self.sent: list[Email] = []
        self._lock = threading.Lock()

    def send(self, email: Email) -> None:
        with self._lock:
            self.sent.append(email)


def run(store: Any, outbox: Outbox, now: datetime = NOW, offsets: tuple[int, ...] = OFFSETS) -> Counter[str]:
    return reminders.send_due_reminders(
        store, mail, outbox.send, offsets=offsets, now=now, app_url=APP_URL, secret=SECRET
    )


def store_booking(repo: Any, booking: Booking) -> Booking:
    """Through the repository's own writes (works on the fake and on DynamoDB): the slot, the booking
    as made (pending), then its status as an admin would set it."""
    if repo.get_expert(booking.expert_id) is None:
        repo.put_expert(make_expert(booking.expert_id))
    repo.add_slots([make_slot(booking.expert_id, booking.slot_start)])
    made = replace(booking, status=Status.PENDING)
    repo.create_booking(made, not_before=booking.slot_start - timedelta(days=30), now=made.created_at)
    if booking.status is Status.PENDING:
        return made
    if booking.status is Status.COMPLETED:  # only a confirmed session can be completed
        repo.set_status(
            booking.id, Status.CONFIRMED, made.created_at, sources=SOURCES[Status.CONFIRMED], started_by=None
        )
    at, sources = made.created_at, SOURCES[booking.status]
    stored: Booking = repo.set_status(booking.id, booking.status, at, sources=sources, started_by=None)
    return stored
