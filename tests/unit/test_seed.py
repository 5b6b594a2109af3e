import random
from collections import Counter
from datetime import datetime, timezone

from chalicelib import timeutil
from chalicelib.domain import Status
from chalicelib.services import availability
from chalicelib.services.experts import Catalog
from devstack import seed as demo
from tests.conftest import SPEC_ZONES
from tests.fakes import FakeRepository

NOW = datetime(2026, 10, 24, 12, 0, tzinfo=timezone.utc)  # spans the October DST changes


def seeded() -> FakeRepository:
    repo = FakeRepository()
    demo.seed(repo, NOW)
    return repo


def test_demo_data_shape() -> None:
    repo = seeded()
    experts = list(repo.experts.values())
    assert len(experts) == 48
    assert Counter(e.category for e in experts) == {c: 6 for c in demo.CATEGORIES}
    assert SPEC_ZONES <= {e.timezone for e in experts}
    assert all(0 <= e.rating <= 5 for e in experts)


def test_deterministic_and_idempotent() -> None:
    first, second = seeded(), seeded()
    assert first.experts == second.experts and first.bookings == second.bookings
    assert set(first.slots) == set(second.slots)
    before = (dict(first.slots), dict(first.bookings))
    assert demo.seed(first, NOW) == {"experts": 48, "slots": 0, "bookings": 0}
    assert (dict(first.slots), dict(first.bookings)) == before


def test_slots_fall_in_local_working_hours_through_dst_changes() -> None:
    repo = seeded()
    plans = {p.expert.id: p for p in demo.experts(random.Random(42))}
    for (expert_id, _), slot in repo.slots.items():
        plan = plans[expert_id]
        tz = timeutil.zone(plan.expert.timezone)
        local_start, local_end = slot.start.astimezone(tz), slot.end.astimezone(tz)
        assert plan.start <= local_start.time() and local_end.time() <= plan.end
        assert local_start.weekday() in plan.weekdays


def test_bookings_in_every_status_with_completed_in_the_past() -> None:
    repo = seeded()
    statuses = Counter(b.status for b in repo.bookings.values())
    assert set(statuses) == set(Status) and min(statuses.values()) >= 3
    assert all(b.slot_end < NOW for b in repo.bookings.values() if b.status is Status.COMPLETED)
    for booking in repo.bookings.values():
        holder = repo.slots[(booking.expert_id, booking.slot_start)].booking_id
        assert (holder == booking.id) == (booking.status not in (Status.CANCELLED, Status.EXPIRED))
    expired = [b for b in repo.bookings.values() if b.status is Status.EXPIRED]
    assert all(not b.email_verified and b.hold_expires_at is not None and b.hold_expires_at < NOW for b in expired)


def test_a_confirmed_session_has_started_so_complete_can_be_tried() -> None:
    """Issue 13: "Mark completed" needs a confirmed session that has started; the demo data has some."""
    repo = seeded()
    started = [b for b in repo.bookings.values() if b.status is Status.CONFIRMED and b.slot_start <= NOW]
    assert len(started) >= 3


def test_every_expert_has_a_rule_and_the_bookable_slots_are_the_ones_it_makes() -> None:
    repo = seeded()
    assert sorted(repo.experts_with_availability()) == sorted(repo.experts)
    for plan in demo.experts(random.Random(42)):
        rule = repo.get_availability(plan.expert.id)
        assert rule == demo.rule_for(plan) and rule.horizon_days == demo.FUTURE_DAYS
        today = timeutil.today_in(timeutil.zone(plan.expert.timezone), NOW)
        made = [s for s in availability.sessions(rule, plan.expert, today, demo.FUTURE_DAYS) if s[0] > NOW]
        stored = sorted((s.start, s.end) for (e, _), s in repo.slots.items() if e == plan.expert.id and s.start > NOW)
        assert stored == made and made
    assert availability.roll(repo, Catalog(repo, 60), NOW) == 0  # the scheduled roll finds nothing to add
