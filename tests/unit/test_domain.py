from dataclasses import replace
from datetime import timedelta

import pytest

from chalicelib.domain import Status, transition
from chalicelib.errors import InvalidTransition
from tests.conftest import NOW
from tests.integration.test_repository_contract import START, make_booking

ALLOWED = {
    (Status.PENDING, Status.CONFIRMED),
    (Status.PENDING, Status.CANCELLED),
    (Status.CONFIRMED, Status.COMPLETED),
    (Status.CONFIRMED, Status.CANCELLED),
    (Status.PENDING, Status.EXPIRED),
}


@pytest.mark.parametrize("source", list(Status))
@pytest.mark.parametrize("target", list(Status))
def test_only_the_documented_transitions_are_allowed(source: Status, target: Status) -> None:
    booking = replace(make_booking(), status=source)
    after_start = START + timedelta(minutes=1)
    if (source, target) in ALLOWED:
        moved = transition(booking, target, after_start)
        assert (moved.status, moved.updated_at) == (target, after_start)
    else:
        with pytest.raises(InvalidTransition):
            transition(booking, target, after_start)


def test_completing_before_the_session_starts_is_refused() -> None:
    booking = replace(make_booking(), status=Status.CONFIRMED)
    with pytest.raises(InvalidTransition, match="started"):
        transition(booking, Status.COMPLETED, START - timedelta(seconds=1))
    assert transition(booking, Status.COMPLETED, START).status is Status.COMPLETED


def test_transition_does_not_mutate_the_original() -> None:
    booking = make_booking()
    transition(booking, Status.CONFIRMED, NOW)
    assert booking.status is Status.PENDING


def test_an_unverified_hold_reads_as_expired_from_its_expiry_on() -> None:
    hold_end = NOW + timedelta(minutes=15)
    booking = replace(make_booking(), email_verified=False, hold_expires_at=hold_end)
    assert booking.as_of(hold_end - timedelta(seconds=1)).status is Status.PENDING
    expired = booking.as_of(hold_end)
    assert (expired.status, expired.updated_at) == (Status.EXPIRED, hold_end)
    # A firm booking never expires, nor does a confirmed one.
    assert replace(booking, hold_expires_at=None).as_of(hold_end).status is Status.PENDING
    assert replace(booking, status=Status.CONFIRMED).as_of(hold_end).status is Status.CONFIRMED


def test_a_slot_held_by_an_unverified_booking_is_free_once_the_hold_expires() -> None:
    from chalicelib.domain import Slot

    slot = Slot("exp-1", START, START + timedelta(hours=1), booking_id="b-1", hold_expires_at=NOW)
    assert slot.held_at(NOW - timedelta(seconds=1))
    assert not slot.held_at(NOW)
    assert Slot("exp-1", START, START + timedelta(hours=1), booking_id="b-1").held_at(NOW + timedelta(days=400))
    assert not Slot("exp-1", START, START + timedelta(hours=1)).held_at(NOW)
