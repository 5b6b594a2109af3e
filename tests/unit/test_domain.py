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
