from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from itertools import count

import pytest

from chalicelib.domain import Status
from chalicelib.errors import (
    BookingNotFound,
    ExpertNotFound,
    IdempotencyKeyReused,
    InvalidTransition,
    SlotNotFound,
    SlotUnavailable,
    ValidationFailed,
)
from chalicelib.services import bookings
from chalicelib.services.experts import Catalog
from tests.conftest import NOW, make_expert, make_slot
from tests.fakes import FakeRepository

START = NOW + timedelta(days=1)
NOTICE = timedelta(minutes=60)


@pytest.fixture
def repo() -> FakeRepository:
    repo = FakeRepository()
    repo.put_expert(make_expert())
    repo.add_slots([make_slot(start=START), make_slot(start=NOW + timedelta(minutes=30))])
    return repo


def request(**overrides: object) -> bookings.NewBooking:
    fields: dict[str, object] = {
        "expert_id": "exp-1",
        "slot_start": START,
        "name": "Grace",
        "email": "grace@example.com",
        "phone": "+441234567890",
        "notes": "",
    }
    fields.update(overrides)
    return bookings.NewBooking(**fields)  # type: ignore[arg-type]


def book(repo: FakeRepository, key: str | None = None, **overrides: object):
    return bookings.book_slot(
        repo, Catalog(repo, 30), request(**overrides), idempotency_key=key, now=NOW, min_notice=NOTICE
    )


def test_booking_creates_a_pending_booking_holding_the_slot(repo: FakeRepository) -> None:
    booking, replayed = book(repo)
    assert not replayed
    assert (booking.status, booking.expert_name, booking.slot_end) == (
        Status.PENDING,
        "Ada Lovelace",
        START + timedelta(hours=1),
    )
    assert len(booking.id) >= 22  # 128 random bits, base64url
    assert repo.bookings == {booking.id: booking}
    assert repo.slots[("exp-1", START)].booking_id == booking.id


def test_ids_are_unique(repo: FakeRepository) -> None:
    assert len({bookings.new_id() for _ in range(1000)}) == 1000


def test_a_taken_slot_is_unavailable(repo: FakeRepository) -> None:
    book(repo)
    with pytest.raises(SlotUnavailable):
        book(repo, email="other@example.com")
    assert len(repo.bookings) == 1


def test_inside_the_minimum_notice_is_a_validation_error(repo: FakeRepository) -> None:
    with pytest.raises(ValidationFailed) as caught:
        book(repo, slot_start=NOW + timedelta(minutes=30))
    assert caught.value.details[0]["field"] == "slotStart"
    assert repo.bookings == {}


def test_unknown_expert_and_unknown_slot(repo: FakeRepository) -> None:
    with pytest.raises(ExpertNotFound):
        book(repo, expert_id="nobody")
    with pytest.raises(SlotNotFound):
        book(repo, slot_start=START + timedelta(hours=3))
    with pytest.raises(SlotNotFound):
        book(repo, slot_start=START + timedelta(seconds=30))
    assert repo.bookings == {}


def test_a_slot_made_before_a_session_length_change_books_with_its_own_end(repo: FakeRepository) -> None:
    repo.put_expert(make_expert(session_minutes=45))
    booking, _ = book(repo)
    assert booking.slot_end == START + timedelta(minutes=60)


def test_the_same_idempotency_key_and_body_returns_the_same_booking(repo: FakeRepository) -> None:
    first, _ = book(repo, key="k1")
    again, replayed = book(repo, key="k1")
    assert replayed and again == first
    assert len(repo.bookings) == 1


def test_reusing_a_key_with_another_body_is_refused(repo: FakeRepository) -> None:
    book(repo, key="k1")
    with pytest.raises(IdempotencyKeyReused):
        book(repo, key="k1", name="Someone else")
    assert len(repo.bookings) == 1


def test_concurrent_bookings_of_one_slot_have_exactly_one_winner(repo: FakeRepository) -> None:
    numbers = count()

    def attempt(_: int) -> str:
        try:
            book(repo, email=f"c{next(numbers)}@example.com")
            return "won"
        except SlotUnavailable:
            return "lost"

    with ThreadPoolExecutor(16) as pool:
        outcomes = list(pool.map(attempt, range(64)))
    assert outcomes.count("won") == 1 and outcomes.count("lost") == 63
    assert len(repo.bookings) == 1


def test_status_changes_follow_the_machine_and_cancel_releases(repo: FakeRepository) -> None:
    booking, _ = book(repo)
    confirmed = bookings.change_status(repo, booking.id, Status.CONFIRMED, now=NOW)
    assert confirmed.status is Status.CONFIRMED
    with pytest.raises(InvalidTransition):
        bookings.change_status(repo, booking.id, Status.COMPLETED, now=NOW)  # not started yet
    bookings.change_status(repo, booking.id, Status.CANCELLED, now=NOW)
    assert repo.slots[("exp-1", START)].booking_id is None
    with pytest.raises(InvalidTransition):
        bookings.change_status(repo, booking.id, Status.CONFIRMED, now=NOW)
    rebooked, _ = book(repo, email="next@example.com")
    assert repo.slots[("exp-1", START)].booking_id == rebooked.id


def test_completing_after_the_start_keeps_the_slot_held(repo: FakeRepository) -> None:
    booking, _ = book(repo)
    bookings.change_status(repo, booking.id, Status.CONFIRMED, now=NOW)
    done = bookings.change_status(repo, booking.id, Status.COMPLETED, now=START + timedelta(minutes=5))
    assert done.status is Status.COMPLETED
    assert repo.slots[("exp-1", START)].booking_id == booking.id


def test_unknown_booking(repo: FakeRepository) -> None:
    with pytest.raises(BookingNotFound):
        bookings.change_status(repo, "nope", Status.CONFIRMED, now=NOW)
