"""Property tests (hypothesis, stateful): the booking status machine and the slot it holds.

Random sequences of bookings, status changes (at random times) and rebookings run through the
booking service against a repository, next to a model written from PRODUCT.md alone. After every
step: the service agreed with the model, final states never moved, and each slot is held by
exactly the one uncancelled booking made on it, or by none.
Runs against the in-memory fake (many examples) and DynamoDB on moto (fewer; it is slower).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, invariant, rule

from chalicelib import aws
from chalicelib.db.repository import DynamoRepository
from chalicelib.domain import Status
from chalicelib.errors import InvalidTransition, SlotUnavailable
from chalicelib.services import bookings
from chalicelib.services.experts import Catalog
from tests.conftest import NOW, make_expert, make_slot
from tests.fakes import FakeRepository

# From PRODUCT.md, independent of chalicelib.domain.TRANSITIONS.
ALLOWED = {
    ("pending", "confirmed"),
    ("pending", "cancelled"),
    ("confirmed", "completed"),  # only once the session has started
    ("confirmed", "cancelled"),
}
# Pending and confirmed hold the slot; a completed booking keeps its (past) slot, since the session
# happened (docs/decisions/2026-11-24-booking-transaction.md); only cancelling releases it.
HOLDING = {"pending", "confirmed", "completed"}
SLOTS = [NOW + timedelta(days=1, hours=h) for h in range(3)]
NOTICE = timedelta(minutes=60)


class StatusMachine(RuleBasedStateMachine):
    """Subclasses set `make_repository`."""

    bookings_made = Bundle("bookings")

    def make_repository(self) -> Any:
        raise NotImplementedError

    def __init__(self) -> None:
        super().__init__()
        self.repo = self.make_repository()
        self.repo.put_expert(make_expert())
        self.repo.add_slots([make_slot(start=start) for start in SLOTS])
        self.catalog = Catalog(self.repo, 30)
        self.status: dict[str, str] = {}  # the model: booking id -> status
        self.slot_of: dict[str, int] = {}

    @rule(target=bookings_made, slot=st.integers(min_value=0, max_value=len(SLOTS) - 1))
    def book(self, slot: int) -> str:
        request = bookings.NewBooking("exp-1", SLOTS[slot], "Grace", "grace@example.com", "+442079460958", "")
        free = not any(self.slot_of[b] == slot and s in HOLDING for b, s in self.status.items())
        try:
            booking, _ = bookings.book_slot(
                self.repo, self.catalog, request, idempotency_key=None, now=NOW, min_notice=NOTICE
            )
        except SlotUnavailable:
            assert not free, "a free slot was refused"
            return "refused"
        assert free, "a held slot was booked twice"
        self.status[booking.id], self.slot_of[booking.id] = "pending", slot
        return booking.id

    @rule(
        booking_id=bookings_made,
        to=st.sampled_from([s.value for s in Status]),
        hours_after_start=st.sampled_from([-30, -1, 0, 1]),
    )
    def change(self, booking_id: str, to: str, hours_after_start: int) -> None:
        if booking_id == "refused":
            return
        now = SLOTS[self.slot_of[booking_id]] + timedelta(hours=hours_after_start)
        current = self.status[booking_id]
        allowed = (current, to) in ALLOWED and (to != "completed" or hours_after_start >= 0)
        try:
            changed = bookings.change_status(self.repo, booking_id, Status(to), now=now)
        except InvalidTransition:
            assert not allowed, f"{current} -> {to} was refused"
            return
        assert allowed, f"{current} -> {to} was allowed"
        assert changed.status.value == to
        self.status[booking_id] = to

    @rule(booking_id=bookings_made, hours_after_start=st.sampled_from([-30, -1, 0, 1]))
    def advance(self, booking_id: str, hours_after_start: int) -> None:
        """Push a booking along its usual path (pending → confirmed → completed), at any time,
        so long sequences reach the later states often."""
        if booking_id != "refused":
            following = {"pending": "confirmed", "confirmed": "completed"}.get(self.status[booking_id], "pending")
            self.change(booking_id, following, hours_after_start)

    @invariant()
    def stored_statuses_match_the_model(self) -> None:
        for booking_id, status in self.status.items():
            assert self.repo.get_booking(booking_id).status.value == status

    @invariant()
    def each_slot_is_held_by_its_one_live_booking(self) -> None:
        for index, start in enumerate(SLOTS):
            live = [b for b, s in self.status.items() if self.slot_of[b] == index and s in HOLDING]
            assert len(live) <= 1
            [slot] = self.repo.list_slots("exp-1", start, start + timedelta(minutes=1))
            assert slot.booking_id == (live[0] if live else None)


class FakeStatusMachine(StatusMachine):
    def make_repository(self) -> Any:
        return FakeRepository()


FakeStatusMachine.TestCase.settings = settings(max_examples=100, stateful_step_count=20, deadline=None, database=None)
test_status_machine_on_the_fake = FakeStatusMachine.TestCase


@pytest.fixture
def moto_table(table_name: str) -> str:
    return table_name


def test_status_machine_on_dynamodb_under_moto(moto_table: str) -> None:
    class MotoStatusMachine(StatusMachine):
        def make_repository(self) -> Any:
            repo = DynamoRepository(aws.client("dynamodb"), moto_table)
            for item in aws.client("dynamodb").scan(TableName=moto_table)["Items"]:  # a fresh table per example
                aws.client("dynamodb").delete_item(TableName=moto_table, Key={"PK": item["PK"], "SK": item["SK"]})
            return repo

    MotoStatusMachine.TestCase.settings = settings(
        max_examples=6,
        stateful_step_count=12,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    MotoStatusMachine.TestCase().runTest()
