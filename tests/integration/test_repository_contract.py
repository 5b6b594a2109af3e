"""One contract, two implementations: the in-memory fake and DynamoDB (moto_server over HTTP)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest

from chalicelib import errors
from chalicelib.domain import Booking, BookingQuery, IdempotencyRecord, Status
from tests.conftest import NOW, make_expert, make_slot
from tests.integration.conftest import Contract

START = NOW + timedelta(days=2)


def make_booking(booking_id: str = "b-1", start=START, minutes: int = 60, email: str = "ada@example.com") -> Booking:
    return Booking(
        id=booking_id,
        expert_id="exp-1",
        expert_name="Ada Lovelace",
        slot_start=start,
        slot_end=start + timedelta(minutes=minutes),
        name="Grace Hopper",
        email=email,
        phone="+441234567890",
        notes="",
        status=Status.PENDING,
        created_at=NOW,
        updated_at=NOW,
    )


class RepositoryContract(Contract):
    def arrange(self, repo: Any) -> None:
        repo.add_slots([make_slot(start=START)])

    def test_expert_round_trip_and_unknown(self) -> None:
        assert self.repo.get_expert("exp-1") == make_expert()
        assert self.repo.get_expert("nope") is None

    def test_catalog_lists_every_expert_in_folded_name_order(self) -> None:
        self.repo.put_expert(make_expert("exp-2", "émile Zola"))
        self.repo.put_expert(make_expert("exp-3", "Bob"))
        assert [e.id for e in self.repo.list_experts()] == ["exp-1", "exp-3", "exp-2"]

    def test_add_slots_skips_existing_and_never_overwrites_a_held_slot(self) -> None:
        self.repo.create_booking(make_booking(), not_before=NOW, now=NOW)
        later = make_slot(start=START + timedelta(hours=1))
        assert self.repo.add_slots([make_slot(start=START), later]) == (1, 1)
        assert self.repo.import_slots([make_slot(start=START), later]) == 0
        held = self.repo.list_slots("exp-1", START, START + timedelta(minutes=1))
        assert [s.booking_id for s in held] == ["b-1"]

    def test_list_slots_is_half_open_and_per_expert(self) -> None:
        self.repo.add_slots([make_slot(start=START + timedelta(hours=h)) for h in (1, 2)])
        self.repo.add_slots([make_slot("exp-2", START)])
        found = self.repo.list_slots("exp-1", START, START + timedelta(hours=2))
        assert [s.start for s in found] == [START, START + timedelta(hours=1)]
        assert all(s.expert_id == "exp-1" and not s.held_at(NOW) for s in found)

    def test_booking_holds_the_slot_and_is_stored(self) -> None:
        booking = make_booking()
        self.repo.create_booking(booking, not_before=NOW, now=NOW)
        assert self.repo.get_booking("b-1") == booking
        [slot] = self.repo.list_slots("exp-1", START, START + timedelta(minutes=1))
        assert slot.booking_id == "b-1"

    def test_second_booking_of_a_held_slot_is_refused_and_writes_nothing(self) -> None:
        self.repo.create_booking(make_booking(), not_before=NOW, now=NOW)
        with pytest.raises(errors.SlotUnavailable):
            self.repo.create_booking(make_booking("b-2"), not_before=NOW, now=NOW)
        assert self.repo.get_booking("b-2") is None

    def test_missing_slot_and_wrong_expert(self) -> None:
        with pytest.raises(errors.SlotNotFound):
            self.repo.create_booking(make_booking(start=START + timedelta(hours=5)), not_before=NOW, now=NOW)
        with pytest.raises(errors.SlotNotFound):
            self.repo.create_booking(replace(make_booking(), expert_id="exp-9"), not_before=NOW, now=NOW)
        assert self.repo.get_booking("b-1") is None

    def test_slot_inside_the_notice_window_is_unavailable(self) -> None:
        with pytest.raises(errors.SlotUnavailable):
            self.repo.create_booking(make_booking(), not_before=START + timedelta(minutes=1), now=NOW)
        [slot] = self.repo.list_slots("exp-1", START, START + timedelta(minutes=1))
        assert not slot.held_at(NOW)

    def test_slot_end_mismatch_reports_the_stored_end(self) -> None:
        with pytest.raises(errors.SlotEndMismatch) as caught:
            self.repo.create_booking(make_booking(minutes=45), not_before=NOW, now=NOW)
        assert caught.value.actual_end == START + timedelta(minutes=60)
        assert self.repo.get_booking("b-1") is None

    def test_idempotency_record_is_written_with_the_booking_and_reported_on_reuse(self) -> None:
        record = IdempotencyRecord("key-1", "hash", "b-1", NOW + timedelta(hours=24))
        self.repo.create_booking(make_booking(), not_before=NOW, now=NOW, idempotency=record)
        assert self.repo.get_idempotency("key-1") == record
        with pytest.raises(errors.IdempotencyKeyExists) as caught:
            self.repo.create_booking(
                make_booking("b-2"), not_before=NOW, now=NOW, idempotency=replace(record, booking_id="b-2")
            )
        assert caught.value.record == record
        assert self.repo.get_booking("b-2") is None

    def test_failed_booking_leaves_no_idempotency_record(self) -> None:
        self.repo.create_booking(make_booking(), not_before=NOW, now=NOW)
        record = IdempotencyRecord("key-2", "hash", "b-2", NOW + timedelta(hours=24))
        with pytest.raises(errors.SlotUnavailable):
            self.repo.create_booking(make_booking("b-2"), not_before=NOW, now=NOW, idempotency=record)
        assert self.repo.get_idempotency("key-2") is None

    def test_transition_is_conditional_on_the_expected_status(self) -> None:
        booking = make_booking()
        self.repo.create_booking(booking, not_before=NOW, now=NOW)
        confirmed = replace(booking, status=Status.CONFIRMED, updated_at=NOW + timedelta(minutes=5))
        self.repo.save_transition(booking, confirmed)
        assert self.repo.get_booking("b-1") == confirmed
        with pytest.raises(errors.InvalidTransition):  # stale view: the booking is no longer pending
            self.repo.save_transition(booking, replace(booking, status=Status.CANCELLED))
        assert self.repo.get_booking("b-1").status is Status.CONFIRMED

    def test_slot_creation_is_a_compare_and_set_on_the_experts_slots_version(self) -> None:
        first, second, third = (make_slot(start=START + timedelta(hours=h)) for h in (10, 11, 12))
        assert self.repo.slots_version("exp-1") == 0
        self.repo.add_slots_if_unchanged("exp-1", [first], 0, "change-a")
        assert self.repo.slots_version("exp-1") == 1
        with pytest.raises(errors.SlotsChanged):  # read before the write above: stale
            self.repo.add_slots_if_unchanged("exp-1", [second], 0, "change-b")
        with pytest.raises(errors.SlotsChanged):  # current version, but one of the slots exists: nothing is written
            self.repo.add_slots_if_unchanged("exp-1", [second, first], 1, "change-c")
        assert self.repo.slots_version("exp-1") == 1
        self.repo.add_slots_if_unchanged("exp-1", [second, third], 1, "change-d")
        self.repo.add_slots_if_unchanged("exp-1", [second, third], 1, "change-d")  # a retry of the same write
        found = self.repo.list_slots("exp-1", first.start, START + timedelta(days=1), consistent=True)
        assert [s.start for s in found] == [first.start, second.start, third.start]
        assert self.repo.slots_version("exp-1") == 2

    def test_set_status_is_one_conditional_write_on_the_source_statuses(self) -> None:
        booking = make_booking()
        self.repo.create_booking(booking, not_before=NOW, now=NOW)
        at = NOW + timedelta(minutes=5)
        pending = frozenset({Status.PENDING})
        confirmed = self.repo.set_status("b-1", Status.CONFIRMED, at, sources=pending, started_by=None, change_id="c1")
        assert confirmed == replace(booking, status=Status.CONFIRMED, updated_at=at)
        assert self.repo.get_booking("b-1") == confirmed
        with pytest.raises(errors.StatusRefused) as refused:  # another change: no longer pending
            self.repo.set_status("b-1", Status.CONFIRMED, at, sources=pending, started_by=None, change_id="c2")
        assert refused.value.current == confirmed
        with pytest.raises(errors.StatusRefused) as refused:
            self.repo.set_status("nope", Status.CONFIRMED, at, sources=pending, started_by=None, change_id="c3")
        assert refused.value.current is None

    def test_set_status_can_require_that_the_session_has_started(self) -> None:
        booking = replace(make_booking(), status=Status.CONFIRMED)
        self.repo.create_booking(booking, not_before=NOW, now=NOW)
        sources = frozenset({Status.CONFIRMED})
        with pytest.raises(errors.StatusRefused) as refused:
            self.repo.set_status(
                "b-1", Status.COMPLETED, NOW, sources=sources, started_by=START - timedelta(seconds=1), change_id="c4"
            )
        assert refused.value.current == booking
        done = self.repo.set_status("b-1", Status.COMPLETED, START, sources=sources, started_by=START, change_id="c5")
        assert done.status is Status.COMPLETED and self.repo.get_booking("b-1") == done
        [slot] = self.repo.list_slots("exp-1", START, START + timedelta(minutes=1))
        assert slot.held_at(NOW)  # completing keeps the slot taken

    def test_cancel_releases_the_slot_and_it_can_be_booked_again(self) -> None:
        booking = make_booking()
        self.repo.create_booking(booking, not_before=NOW, now=NOW)
        self.repo.save_transition(booking, replace(booking, status=Status.CANCELLED))
        [slot] = self.repo.list_slots("exp-1", START, START + timedelta(minutes=1))
        assert not slot.held_at(NOW)
        self.repo.create_booking(make_booking("b-2"), not_before=NOW, now=NOW)
        assert self.repo.get_booking("b-1").status is Status.CANCELLED
        assert self.repo.get_booking("b-2").status is Status.PENDING

    def test_bookings_for_email_are_scoped_and_ordered(self) -> None:
        later = START + timedelta(hours=3)
        self.repo.add_slots([make_slot(start=later), make_slot(start=later + timedelta(hours=1))])
        self.repo.create_booking(make_booking("b-2", start=later), not_before=NOW, now=NOW)
        self.repo.create_booking(make_booking("b-1"), not_before=NOW, now=NOW)
        self.repo.create_booking(
            make_booking("b-3", start=later + timedelta(hours=1), email="x@example.com"), not_before=NOW, now=NOW
        )
        assert [b.id for b in self.repo.bookings_for_email("ADA@example.com")] == ["b-1", "b-2"]

    def test_delete_slot_refuses_booked_and_missing_slots(self) -> None:
        later = START + timedelta(hours=1)
        self.repo.add_slots([make_slot(start=later)])
        self.repo.create_booking(make_booking(), not_before=NOW, now=NOW)
        with pytest.raises(errors.SlotBooked):
            self.repo.delete_slot("exp-1", START)
        self.repo.delete_slot("exp-1", later)
        with pytest.raises(errors.SlotNotFound):
            self.repo.delete_slot("exp-1", later)
        assert [s.start for s in self.repo.list_slots("exp-1", START, START + timedelta(days=1))] == [START]

    def test_expert_create_and_update_state_their_preconditions(self) -> None:
        assert self.repo.update_expert("exp-new", {"name": "Nobody"}) is None
        assert self.repo.get_expert("exp-new") is None
        self.repo.create_expert(make_expert("exp-new"))
        renamed = self.repo.update_expert("exp-new", {"name": "Renamed"})
        assert renamed == make_expert("exp-new", "Renamed") == self.repo.get_expert("exp-new")
        assert "Renamed" in [e.name for e in self.repo.list_experts()]  # the catalog order follows

    def test_expert_updates_of_different_fields_are_both_kept(self) -> None:
        self.repo.create_expert(make_expert("exp-new"))
        self.repo.update_expert("exp-new", {"bio": "New bio."})  # one admin
        self.repo.update_expert("exp-new", {"rating": 4.2, "session_minutes": 45})  # another, from an older copy
        assert self.repo.get_expert("exp-new") == make_expert("exp-new", bio="New bio.", rating=4.2, session_minutes=45)
        assert self.repo.update_expert("exp-new", {}) == self.repo.get_expert("exp-new")

    def test_list_bookings_filters_orders_and_continues_from_a_cursor(self) -> None:
        starts = [START + timedelta(hours=h) for h in range(1, 4)]
        self.repo.add_slots([make_slot(start=s) for s in starts])
        for number, start in enumerate([START, *starts]):
            self.repo.create_booking(make_booking(f"b-{number}", start=start), not_before=NOW, now=NOW)
        first, cursor = self.repo.list_bookings(BookingQuery(expert_id="exp-1", limit=3))
        assert [b.id for b in first] == ["b-0", "b-1", "b-2"] and cursor
        rest, end = self.repo.list_bookings(BookingQuery(expert_id="exp-1", limit=3, cursor=cursor))
        assert ([b.id for b in rest], end) == (["b-3"], None)
        window = BookingQuery(start=starts[0], end=starts[1])
        assert [b.id for b in self.repo.list_bookings(window)[0]] == ["b-1", "b-2"]
        assert self.repo.list_bookings(BookingQuery(status=Status.CONFIRMED))[0] == []

    def test_access_link_counter_allows_the_limit_per_hour(self) -> None:
        results = [self.repo.count_access_link("Ada@example.com", NOW, 3) for _ in range(4)]
        assert results == [True, True, True, False]
        assert self.repo.count_access_link("ada@example.com", NOW + timedelta(hours=1), 3) is True

    def test_email_claims_are_once_per_event_until_sent(self) -> None:
        assert self.repo.claim_email("booking:b-1:received", NOW) is True
        self.repo.mark_email("booking:b-1:received", "failed")
        assert self.repo.claim_email("booking:b-1:received", NOW) is True  # a failed send is retried
        self.repo.mark_email("booking:b-1:received", "sent")
        assert self.repo.claim_email("booking:b-1:received", NOW) is False

    # -- unverified holds (issue 9) -----------------------------------------------
    def test_an_expired_hold_frees_its_slot_at_once_without_a_sweep(self) -> None:
        self.repo.create_booking(unverified("b-1"), not_before=NOW, now=NOW)
        with pytest.raises(errors.SlotUnavailable):  # one second before the hold runs out
            self.repo.create_booking(unverified("b-2"), not_before=NOW, now=HOLD_END - timedelta(seconds=1))
        self.repo.create_booking(make_booking("b-3"), not_before=NOW, now=HOLD_END)
        assert self.repo.list_slots("exp-1", START, START + timedelta(minutes=1))[0].booking_id == "b-3"
        assert not self.repo.list_slots("exp-1", START, START + timedelta(minutes=1))[0].hold_expires_at
        # The first booking still says pending in storage, but reads as expired from its expiry on.
        first = self.repo.get_booking("b-1")
        assert (first.status, first.as_of(HOLD_END).status) == (Status.PENDING, Status.EXPIRED)

    def test_making_a_hold_firm_keeps_the_slot_past_the_hold(self) -> None:
        booking = unverified("b-1")
        self.repo.create_booking(booking, not_before=NOW, now=NOW)
        verified = replace(booking, email_verified=True, hold_expires_at=None, updated_at=NOW)
        self.repo.make_hold_firm(booking, verified, NOW + timedelta(minutes=1))
        stored = self.repo.get_booking("b-1")
        assert (stored.email_verified, stored.hold_expires_at, stored.status) == (True, None, Status.PENDING)
        with pytest.raises(errors.SlotUnavailable):
            self.repo.create_booking(make_booking("b-2"), not_before=NOW, now=HOLD_END + timedelta(days=1))
        assert self.repo.due_holds(HOLD_END + timedelta(days=1), 10) == []

    def test_a_hold_cannot_be_made_firm_once_it_expired(self) -> None:
        booking = unverified("b-1")
        self.repo.create_booking(booking, not_before=NOW, now=NOW)
        with pytest.raises(errors.HoldRefused):
            self.repo.make_hold_firm(booking, replace(booking, email_verified=True, hold_expires_at=None), HOLD_END)
        assert self.repo.get_booking("b-1").hold_expires_at == HOLD_END

    def test_the_sweep_expires_due_holds_and_frees_only_their_own_slots(self) -> None:
        later = START + timedelta(hours=2)
        self.repo.add_slots([make_slot(start=later)])
        self.repo.create_booking(unverified("b-1"), not_before=NOW, now=NOW)
        self.repo.create_booking(unverified("b-2", start=later), not_before=NOW, now=NOW)
        self.repo.create_booking(make_booking("b-3"), not_before=NOW, now=HOLD_END)  # took b-1's slot
        assert self.repo.due_holds(HOLD_END - timedelta(seconds=1), 10) == []
        due = self.repo.due_holds(HOLD_END, 10)
        assert sorted(b.id for b in due) == ["b-1", "b-2"]
        assert all(self.repo.expire_hold(b, HOLD_END) for b in due)
        assert not self.repo.expire_hold(due[0], HOLD_END)  # a second sweep changes nothing
        assert {self.repo.get_booking(i).status for i in ("b-1", "b-2")} == {Status.EXPIRED}
        assert self.repo.get_booking("b-3").status is Status.PENDING
        holders = [s.booking_id for s in self.repo.list_slots("exp-1", START, later + timedelta(minutes=1))]
        assert holders == ["b-3", None]
        assert self.repo.due_holds(HOLD_END, 10) == []

    def test_holds_per_client_are_limited_until_one_is_made_firm_or_the_window_ends(self) -> None:
        starts = [START + timedelta(hours=h) for h in range(1, 5)]
        self.repo.add_slots([make_slot(start=s) for s in starts])
        counters = ("email:x", "ip:y")
        holds = [replace(unverified(f"b-{n}", start=s), hold_counters=counters) for n, s in enumerate(starts)]
        for booking in holds[:2]:
            self.repo.create_booking(booking, not_before=NOW, now=NOW, hold_limit=2)
        with pytest.raises(errors.TooManyHolds) as refused:
            self.repo.create_booking(holds[2], not_before=NOW, now=NOW, hold_limit=2)
        assert refused.value.retry_at == HOLD_END
        assert self.repo.list_slots("exp-1", starts[2], starts[2] + timedelta(minutes=1))[0].booking_id is None
        firm = replace(holds[0], email_verified=True, hold_expires_at=None)
        self.repo.make_hold_firm(holds[0], firm, NOW)  # a verified hold no longer counts
        self.repo.create_booking(holds[2], not_before=NOW, now=NOW, hold_limit=2)
        with pytest.raises(errors.TooManyHolds):
            self.repo.create_booking(holds[3], not_before=NOW, now=NOW, hold_limit=2)
        self.repo.create_booking(holds[3], not_before=NOW, now=HOLD_END, hold_limit=2)  # the window ended

    def test_cancelling_a_live_hold_gives_its_count_back(self) -> None:
        later = START + timedelta(hours=1)
        self.repo.add_slots([make_slot(start=later)])
        first = replace(unverified("b-1"), hold_counters=("email:x",))
        self.repo.create_booking(first, not_before=NOW, now=NOW, hold_limit=1)
        second = replace(unverified("b-2", start=later), hold_counters=("email:x",))
        with pytest.raises(errors.TooManyHolds):
            self.repo.create_booking(second, not_before=NOW, now=NOW, hold_limit=1)
        self.repo.save_transition(first, replace(first, status=Status.CANCELLED))
        self.repo.create_booking(second, not_before=NOW, now=NOW, hold_limit=1)
        assert self.repo.list_slots("exp-1", START, START + timedelta(minutes=1))[0].booking_id is None


HOLD_END = NOW + timedelta(minutes=15)


def unverified(booking_id: str, start=START) -> Booking:
    return replace(make_booking(booking_id, start=start), email_verified=False, hold_expires_at=HOLD_END)


class TestRepository(RepositoryContract):
    """On the fake and on moto (conftest's `repo`)."""
