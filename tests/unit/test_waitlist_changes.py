"""Stream records the waitlist acts on (chalicelib/db/changes.py): a slot losing its booking, and a
waitlist request that needs its verification link."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from chalicelib.db import changes, items
from tests.conftest import NOW, make_slot

SLOT = make_slot(start=NOW + timedelta(days=1))


def entry_image(asks: int, verified: bool = False) -> dict:
    image = {
        "PK": {"S": "WAITLIST#exp-1#2026-03-21"},
        "SK": {"S": "ENTRY#abc"},
        "type": {"S": "waitlist"},
        "expertId": {"S": "exp-1"},
        "date": {"S": "2026-03-21"},
        "email": {"S": "wait@example.com"},
        "createdAt": {"S": "2026-03-20T09:00:00Z"},
        "expiresAt": {"N": str(int((NOW + timedelta(days=1)).timestamp()))},
        "asks": {"N": str(asks)},
    }
    return image | ({"verifiedAt": {"S": "2026-03-20T09:05:00Z"}} if verified else {})


def test_a_slot_that_loses_its_booking_is_freed_by_that_booking() -> None:
    held, free = items.slot_item(replace(SLOT, booking_id="b-1")), items.slot_item(SLOT)
    change = changes.decode(free, held)
    assert change == changes.SlotFreed(SLOT, "b-1")


def test_a_slot_taken_created_retaken_or_deleted_frees_nothing() -> None:
    held, free = items.slot_item(replace(SLOT, booking_id="b-1")), items.slot_item(SLOT)
    other = items.slot_item(replace(SLOT, booking_id="b-2"))
    assert changes.decode(held, free) is None
    assert changes.decode(free, None) is None
    assert changes.decode(other, held) is None  # an expired hold taken over by a new booking
    assert changes.decode(None, free) is None


def test_each_new_ask_of_an_unverified_entry_calls_for_a_verification_email() -> None:
    first = changes.decode(entry_image(1), None)
    assert isinstance(first, changes.WaitlistRequested) and first.entry.email == "wait@example.com"
    second = changes.decode(entry_image(2), entry_image(1))
    assert isinstance(second, changes.WaitlistRequested) and second.event != first.event
    assert changes.decode(entry_image(2, verified=True), entry_image(2)) is None  # the link was opened
    assert changes.decode(entry_image(1, verified=True), None) is None  # verification off
