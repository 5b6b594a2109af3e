"""Moving a booking (reschedule, issue 12): one contract for the fake, moto and DynamoDB Local
(tests/hardening/test_dynamodb_local.py runs it there, where transactions really race).

The guarantees: the old slot is freed, the new one held and the booking moved (with its index keys) in
one transaction, or nothing changes; two moves to one slot, or a move racing a new booking of it, leave
exactly one holder."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest

from chalicelib import errors
from chalicelib.domain import Booking, BookingQuery, Status
from tests.conftest import NOW, make_slot
from tests.integration.conftest import Contract
from tests.integration.test_repository_contract import START, make_booking

LATER = START + timedelta(hours=2)
TERMS = {"not_before": NOW, "now": NOW}


def moved(booking: Booking, start=LATER) -> Booking:
    return replace(booking, slot_start=start, slot_end=start + timedelta(hours=1), sequence=booking.sequence + 1)


class RescheduleContract(Contract):
    def arrange(self, repo: Any) -> None:
        """Two free slots and one booking."""
        repo.add_slots([make_slot(start=START + timedelta(hours=h)) for h in (0, 2, 4, 6)])
        repo.create_booking(make_booking("b-1"), **TERMS)

    def holder(self, start) -> str | None:
        [slot] = self.repo.list_slots("exp-1", start, start + timedelta(minutes=1), consistent=True)
        return slot.booking_id

    def test_a_move_frees_the_old_slot_holds_the_new_one_and_moves_the_booking(self) -> None:
        before = self.repo.get_booking("b-1")
        after = moved(before)
        self.repo.move_booking(before, after, **TERMS)
        assert self.repo.get_booking("b-1") == after and after.sequence == 1
        assert (self.holder(START), self.holder(LATER)) == (None, "b-1")
        # The indexes follow the new start: the client's list and the admin's list by expert and window.
        assert [b.slot_start for b in self.repo.bookings_for_email("ada@example.com")] == [LATER]
        window = BookingQuery(expert_id="exp-1", start=LATER, end=LATER + timedelta(minutes=1))
        assert [b.id for b in self.repo.list_bookings(window)[0]] == ["b-1"]

    def test_a_move_to_a_held_slot_is_refused_and_changes_nothing(self) -> None:
        self.repo.create_booking(make_booking("b-2", start=LATER), **TERMS)
        before = self.repo.get_booking("b-1")
        with pytest.raises(errors.SlotUnavailable):
            self.repo.move_booking(before, moved(before), **TERMS)
        assert self.repo.get_booking("b-1") == before
        assert (self.holder(START), self.holder(LATER)) == ("b-1", "b-2")

    def test_a_move_to_no_slot_or_too_soon_is_refused(self) -> None:
        before = self.repo.get_booking("b-1")
        with pytest.raises(errors.SlotNotFound):
            self.repo.move_booking(before, moved(before, START + timedelta(hours=1)), **TERMS)
        with pytest.raises(errors.SlotUnavailable):
            self.repo.move_booking(before, moved(before), not_before=LATER + timedelta(minutes=1), now=NOW)
        assert self.repo.get_booking("b-1") == before and self.holder(LATER) is None

    def test_a_move_of_a_booking_that_changed_meanwhile_changes_nothing(self) -> None:
        before = self.repo.get_booking("b-1")
        cancelled = replace(before, status=Status.CANCELLED, updated_at=NOW + timedelta(minutes=1))
        self.repo.save_transition(before, cancelled)
        with pytest.raises(errors.InvalidTransition):
            self.repo.move_booking(before, moved(before), **TERMS)
        assert self.repo.get_booking("b-1") == cancelled
        assert (self.holder(START), self.holder(LATER)) == (None, None)

    def test_an_unverified_hold_moves_with_its_expiry(self) -> None:
        hold = replace(make_booking("b-2", start=START + timedelta(hours=4)), email_verified=False)
        hold = replace(hold, hold_expires_at=NOW + timedelta(minutes=15))
        self.repo.create_booking(hold, **TERMS)
        self.repo.move_booking(hold, moved(hold), **TERMS)
        [slot] = self.repo.list_slots("exp-1", LATER, LATER + timedelta(minutes=1), consistent=True)
        assert (slot.booking_id, slot.hold_expires_at) == ("b-2", hold.hold_expires_at)
        assert not slot.held_at(hold.hold_expires_at)  # free again when the hold runs out, as before

    def test_two_moves_to_one_slot_leave_exactly_one_holder(self) -> None:
        self.repo.create_booking(make_booking("b-2", start=START + timedelta(hours=4)), **TERMS)
        one, two = self.repo.get_booking("b-1"), self.repo.get_booking("b-2")
        outcomes = race(
            lambda: self.repo.move_booking(one, moved(one, START + timedelta(hours=6)), **TERMS),
            lambda: self.repo.move_booking(two, moved(two, START + timedelta(hours=6)), **TERMS),
        )
        assert sorted(outcomes) == ["SlotUnavailable", "ok"], outcomes
        winner = "b-1" if outcomes[0] == "ok" else "b-2"
        loser_start = START + timedelta(hours=4) if winner == "b-1" else START
        assert self.holder(START + timedelta(hours=6)) == winner
        assert self.holder(START if winner == "b-1" else START + timedelta(hours=4)) is None  # freed
        assert self.holder(loser_start) == ("b-2" if winner == "b-1" else "b-1")  # kept
        assert self.repo.get_booking(winner).slot_start == START + timedelta(hours=6)

    def test_a_move_racing_a_new_booking_of_the_slot_leaves_exactly_one_holder(self) -> None:
        one = self.repo.get_booking("b-1")
        outcomes = race(
            lambda: self.repo.move_booking(one, moved(one), **TERMS),
            lambda: self.repo.create_booking(make_booking("b-2", start=LATER), **TERMS),
        )
        assert sorted(outcomes) == ["SlotUnavailable", "ok"], outcomes
        if outcomes[0] == "ok":  # the move won: the old slot is free, the new booking was never stored
            assert (self.holder(START), self.holder(LATER), self.repo.get_booking("b-2")) == (None, "b-1", None)
        else:  # the booking won: the move changed nothing
            assert (self.holder(START), self.holder(LATER)) == ("b-1", "b-2")
            assert self.repo.get_booking("b-1") == one


def race(*writes: Callable[[], None]) -> list[str]:
    """Run the writes at once (released together); each outcome is "ok" or the error's class name."""
    gate = threading.Barrier(len(writes))
    outcomes = [""] * len(writes)

    def run(index: int, write: Callable[[], None]) -> None:
        gate.wait()
        try:
            write()
            outcomes[index] = "ok"
        except Exception as exc:
            outcomes[index] = type(exc).__name__

    threads = [threading.Thread(target=run, args=(i, w)) for i, w in enumerate(writes)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


class TestReschedule(RescheduleContract):
    """On the fake and on moto (conftest's `repo`)."""
