"""Availability rules on every store: the in-memory fake, moto over HTTP, and DynamoDB Local
(tests/hardening/test_dynamodb_local.py runs this class there too). Storage, the GSI4 Query the roll
uses, and the materialiser through the real slot-creation guard."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

from chalicelib.domain import Availability, Booking, Status
from chalicelib.services import availability as service
from chalicelib.services.experts import Catalog
from tests.conftest import make_expert, make_slot
from tests.integration.conftest import Contract

NOW = datetime(2026, 3, 20, 6, 0, tzinfo=timezone.utc)  # Friday, 06:00 in London
RULE = Availability(
    weekly={"mon": ((time(9), time(12)),), "tue": ((time(9), time(10)), (time(14), time(16)))},
    overrides={date(2026, 3, 31): (), date(2026, 4, 1): ((time(8, 30), time(9, 30)),)},
    buffer_minutes=0,
    horizon_days=14,
)


class AvailabilityContract(Contract):
    def arrange(self, repo: Any) -> None:
        repo.put_expert(make_expert("exp-2", "Grace Hopper", timezone="America/New_York"))
        self.catalog = Catalog(repo, 30)

    def test_rule_round_trip_and_replace(self) -> None:
        assert self.repo.get_availability("exp-1") is None
        self.repo.put_availability("exp-1", RULE, NOW)
        assert self.repo.get_availability("exp-1") == RULE
        changed = replace(RULE, weekly={"sun": ((time(0), time(23, 59)),)}, overrides={}, buffer_minutes=5)
        self.repo.put_availability("exp-1", changed, NOW)
        assert self.repo.get_availability("exp-1") == changed

    def test_the_roll_finds_exactly_the_experts_with_rules(self) -> None:
        self.repo.put_expert(make_expert("exp-3", "No Rule"))
        self.repo.put_availability("exp-2", RULE, NOW)
        self.repo.put_availability("exp-1", RULE, NOW)
        self.repo.put_availability("exp-1", RULE, NOW)
        # An unverified hold shares GSI4 (another partition): it must not show up as a rule.
        self.repo.add_slots([service_slot("exp-3")])
        self.repo.create_booking(unverified_booking("exp-3"), not_before=NOW, now=NOW)
        assert sorted(self.repo.experts_with_availability()) == ["exp-1", "exp-2"]

    def test_materialising_twice_changes_nothing_and_pruning_keeps_held_slots(self) -> None:
        first = service.set_availability(self.repo, self.catalog, "exp-1", RULE, NOW)
        end = NOW + timedelta(days=15)
        made = self.repo.list_slots("exp-1", NOW, end, consistent=True)
        # Mon 23, Tue 24 (1 + 2), Mon 30, Tue 31 off, Wed 1 April 08:30 (BST from 29 March).
        assert first.created == len(made) == 3 + 3 + 3 + 0 + 1
        version = self.repo.slots_version("exp-1")
        assert service.set_availability(self.repo, self.catalog, "exp-1", RULE, NOW) == service.Applied(0, 0, [])
        assert self.repo.list_slots("exp-1", NOW, end, consistent=True) == made
        assert self.repo.slots_version("exp-1") == version
        held = made[1]
        self.repo.create_booking(confirmed_booking(held.start, held.end), not_before=NOW, now=NOW)
        no_hours = replace(RULE, weekly={}, overrides={})
        outcome = service.set_availability(self.repo, self.catalog, "exp-1", no_hours, NOW)
        assert outcome.deleted == len(made) - 1 and outcome.created == 0
        assert outcome.kept == [service.Kept(held.start, "b-held")]
        [left] = self.repo.list_slots("exp-1", NOW, end, consistent=True)
        assert left.start == held.start and left.booking_id == "b-held"

    def test_free_slots_are_deleted_in_batches_and_held_ones_reported(self) -> None:
        starts = [NOW + timedelta(days=1, minutes=60 * n) for n in range(50)]  # three transactions
        self.repo.import_slots([make_slot(start=s) for s in starts])
        held = starts[25]
        self.repo.create_booking(confirmed_booking(held, held + timedelta(minutes=60)), not_before=NOW, now=NOW)
        missing = NOW + timedelta(days=30)
        deleted, kept = self.repo.delete_free_slots("exp-1", [*starts, missing])
        assert (deleted, kept) == (49, [held])
        [left] = self.repo.list_slots("exp-1", NOW, NOW + timedelta(days=40), consistent=True)
        assert (left.start, left.booking_id) == (held, "b-held")


def service_slot(expert_id: str) -> Any:
    return make_slot(expert_id, NOW + timedelta(days=2))


def _booking(booking_id: str, expert_id: str, start: datetime, end: datetime) -> Booking:
    return Booking(
        booking_id,
        expert_id,
        "Someone",
        start,
        end,
        "Client",
        "c@example.com",
        "+441234567890",
        "",
        Status.CONFIRMED,
        NOW,
        NOW,
    )


def confirmed_booking(start: datetime, end: datetime) -> Booking:
    return _booking("b-held", "exp-1", start, end)


def unverified_booking(expert_id: str) -> Booking:
    slot = service_slot(expert_id)
    booking = _booking("b-hold", expert_id, slot.start, slot.end)
    return replace(booking, status=Status.PENDING, email_verified=False, hold_expires_at=NOW + timedelta(minutes=15))


class TestAvailability(AvailabilityContract):
    """On the fake and on moto (conftest's `repo`)."""
