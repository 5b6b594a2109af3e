"""The weekly availability materialiser (issue 12) on the in-memory store: DST, overrides, buffer,
idempotence, pruning that keeps held slots, the rolling horizon, and the request model's rules."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from chalicelib.domain import Availability, Booking, Slot, Status
from chalicelib.errors import ValidationFailed
from chalicelib.models.availability import AvailabilityRule
from chalicelib.services import availability as service
from chalicelib.services.experts import Catalog
from tests.availability_rules import BAD_CHANGES, RULE
from tests.conftest import make_expert
from tests.fakes import FakeRepository

UTC = timezone.utc


def rule(weekly: dict[str, list[tuple[str, str]]], **options: object) -> Availability:
    hours = {d: tuple((time.fromisoformat(a), time.fromisoformat(b)) for a, b in h) for d, h in weekly.items()}
    return replace(Availability(weekly=hours, overrides={}), **options)  # type: ignore[arg-type]


def setup(zone: str = "Europe/London", minutes: int = 60) -> tuple[FakeRepository, Catalog]:
    repo = FakeRepository()
    repo.put_expert(make_expert(timezone=zone, session_minutes=minutes))
    return repo, Catalog(repo, 30)


def local_starts(repo: FakeRepository, zone: str, day: date) -> list[str]:
    tz = ZoneInfo(zone)
    found = sorted(s.start for s in repo.slots.values() if s.start.astimezone(tz).date() == day)
    return [f"{s.astimezone(tz):%H:%M%z}" for s in found]


def apply(repo: FakeRepository, catalog: Catalog, made: Availability, now: datetime) -> service.Applied:
    return service.set_availability(repo, catalog, "exp-1", made, now)


def test_london_fall_back_makes_each_local_hour_once_and_keeps_wall_times_across_the_change() -> None:
    repo, catalog = setup()
    now = datetime(2026, 10, 20, 12, 0, tzinfo=UTC)  # Tuesday; clocks go back on Sunday 25 October
    apply(repo, catalog, rule({"sun": [("00:00", "04:00")], "mon": [("09:00", "12:00")]}, horizon_days=10), now)
    # 01:00 happens twice that night: one session, at its first (BST) occurrence; no overlap in UTC.
    assert local_starts(repo, "Europe/London", date(2026, 10, 25)) == [
        "00:00+0100",
        "01:00+0100",
        "02:00+0000",
        "03:00+0000",
    ]
    assert local_starts(repo, "Europe/London", date(2026, 10, 26)) == ["09:00+0000", "10:00+0000", "11:00+0000"]
    # The same wall times the Monday after: 09:00 local is 09:00 UTC, not 08:00 as in summer.
    assert local_starts(repo, "Europe/London", date(2026, 10, 26))[0] == "09:00+0000"
    ordered = sorted(repo.slots.values(), key=lambda s: s.start)
    assert all(a.end <= b.start for a, b in itertools.pairwise(ordered))


def test_new_york_spring_forward_skips_the_missing_hour() -> None:
    repo, catalog = setup("America/New_York")
    now = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
    apply(repo, catalog, rule({"sun": [("01:00", "04:00")], "fri": [("09:00", "11:00")]}, horizon_days=14), now)
    assert local_starts(repo, "America/New_York", date(2026, 3, 8)) == ["01:00-0500", "03:00-0400"]
    # Fridays either side of the change: 09:00 local both times (14:00 then 13:00 UTC).
    assert local_starts(repo, "America/New_York", date(2026, 3, 6)) == ["09:00-0500", "10:00-0500"]
    assert local_starts(repo, "America/New_York", date(2026, 3, 13)) == ["09:00-0400", "10:00-0400"]


def test_overrides_replace_a_dates_hours_and_an_empty_one_is_a_day_off() -> None:
    repo, catalog = setup()
    now = datetime(2026, 3, 20, 6, 0, tzinfo=UTC)  # Friday
    weekly = rule({d: [("09:00", "11:00")] for d in ("mon", "tue", "wed")}, horizon_days=7)
    made = replace(weekly, overrides={date(2026, 3, 23): (), date(2026, 3, 24): ((time(14), time(15)),)})
    apply(repo, catalog, made, now)
    assert local_starts(repo, "Europe/London", date(2026, 3, 23)) == []
    assert local_starts(repo, "Europe/London", date(2026, 3, 24)) == ["14:00+0000"]
    assert local_starts(repo, "Europe/London", date(2026, 3, 25)) == ["09:00+0000", "10:00+0000"]


def test_buffer_spaces_sessions_of_the_experts_length() -> None:
    repo, catalog = setup(minutes=45)
    now = datetime(2026, 3, 20, 6, 0, tzinfo=UTC)
    apply(repo, catalog, rule({"mon": [("09:00", "12:00")]}, horizon_days=4, buffer_minutes=15), now)
    assert local_starts(repo, "Europe/London", date(2026, 3, 23)) == ["09:00+0000", "10:00+0000", "11:00+0000"]
    assert all(s.end - s.start == timedelta(minutes=45) for s in repo.slots.values())
    apply(repo, catalog, rule({"mon": [("09:00", "12:00")]}, horizon_days=4), now)  # buffer removed
    assert local_starts(repo, "Europe/London", date(2026, 3, 23)) == [
        "09:00+0000",
        "09:45+0000",
        "10:30+0000",
        "11:15+0000",
    ]


def test_applying_again_changes_nothing() -> None:
    repo, catalog = setup(minutes=30)
    now = datetime(2026, 3, 20, 6, 0, tzinfo=UTC)
    made = rule({d: [("09:00", "17:00")] for d in ("mon", "tue", "wed", "thu", "fri")}, horizon_days=30)
    first = apply(repo, catalog, made, now)
    assert first.created == 21 * 16 and first.deleted == 0  # 21 weekdays: several 99-slot transactions
    before, version = dict(repo.slots), repo.versions["exp-1"]
    assert apply(repo, catalog, made, now) == service.Applied(0, 0, [])
    assert repo.slots == before and repo.versions["exp-1"] == version


def test_only_future_slots_within_the_horizon_are_made() -> None:
    repo, catalog = setup()
    now = datetime(2026, 3, 20, 10, 30, tzinfo=UTC)  # Friday 10:30 in London
    apply(repo, catalog, rule({"fri": [("09:00", "13:00")]}, horizon_days=7), now)
    assert local_starts(repo, "Europe/London", date(2026, 3, 20)) == ["11:00+0000", "12:00+0000"]
    assert local_starts(repo, "Europe/London", date(2026, 3, 27)) == []  # day 8: outside the horizon


def book(repo: FakeRepository, slot: Slot, booking_id: str, now: datetime) -> None:
    booking = Booking(
        booking_id,
        "exp-1",
        "Ada",
        slot.start,
        slot.end,
        "Grace",
        "g@example.com",
        "+441234567890",
        "",
        Status.CONFIRMED,
        now,
        now,
    )
    repo.create_booking(booking, not_before=now, now=now)


def test_removing_hours_deletes_free_slots_only_and_reports_the_held_ones() -> None:
    repo, catalog = setup()
    now = datetime(2026, 3, 20, 6, 0, tzinfo=UTC)
    apply(repo, catalog, rule({"mon": [("09:00", "12:00")], "tue": [("09:00", "10:00")]}, horizon_days=7), now)
    held = next(s for s in repo.slots.values() if s.start == datetime(2026, 3, 23, 10, 0, tzinfo=UTC))
    book(repo, held, "b-1", now)
    outcome = apply(repo, catalog, rule({"tue": [("09:00", "10:00")]}, horizon_days=7), now)
    assert outcome.deleted == 2 and outcome.created == 0
    assert outcome.kept == [service.Kept(held.start, "b-1")]
    assert sorted(s.start for s in repo.slots.values()) == [held.start, datetime(2026, 3, 24, 9, 0, tzinfo=UTC)]
    assert repo.slots[("exp-1", held.start)].booking_id == "b-1"


def test_a_held_slot_in_the_way_is_never_overlapped() -> None:
    repo, catalog = setup()
    now = datetime(2026, 3, 20, 6, 0, tzinfo=UTC)
    odd = Slot("exp-1", datetime(2026, 3, 23, 9, 30, tzinfo=UTC), datetime(2026, 3, 23, 10, 30, tzinfo=UTC))
    repo.add_slots([odd])
    book(repo, odd, "b-1", now)
    outcome = apply(repo, catalog, rule({"mon": [("09:00", "12:00")]}, horizon_days=7), now)
    assert outcome.kept == [service.Kept(odd.start, "b-1")]
    assert local_starts(repo, "Europe/London", date(2026, 3, 23)) == ["09:30+0000", "11:00+0000"]


def test_the_roll_finds_every_rule_and_adds_the_days_that_came_into_the_horizon() -> None:
    repo, catalog = setup()
    repo.put_expert(make_expert("exp-2", timezone="Asia/Kolkata"))
    repo.put_expert(make_expert("exp-3"))  # no rule: left alone
    now = datetime(2026, 3, 20, 6, 0, tzinfo=UTC)
    weekdays = rule({d: [("09:00", "10:00")] for d in ("mon", "tue", "wed", "thu", "fri")}, horizon_days=3)
    service.set_availability(repo, catalog, "exp-1", weekdays, now)
    service.set_availability(repo, catalog, "exp-2", weekdays, now)
    manual = Slot("exp-1", datetime(2026, 3, 23, 15, 0, tzinfo=UTC), datetime(2026, 3, 23, 16, 0, tzinfo=UTC))
    repo.add_slots([manual])
    later = now + timedelta(days=4)  # Tuesday 24 March 06:00 UTC: the horizon is Tue-Thu
    # London: Tue, Wed, Thu at 09:00; Kolkata (11:30 there): Tuesday's 09:00 has passed, so Wed and Thu.
    assert service.roll(repo, catalog, later) == 3 + 2
    assert service.roll(repo, catalog, later) == 0
    assert ("exp-1", manual.start) in repo.slots  # the roll only adds
    assert {e for e, _ in repo.slots} == {"exp-1", "exp-2"}


@pytest.mark.parametrize(("change", "field"), BAD_CHANGES)
def test_rule_model_refuses_bad_rules_naming_the_field(change: dict[str, object], field: str) -> None:
    AvailabilityRule.model_validate(RULE)  # the rule is valid but for the change
    with pytest.raises(ValidationError) as refused:
        AvailabilityRule.model_validate({**RULE, **change})
    fields = {".".join(str(p) for p in e["loc"]) for e in refused.value.errors()}
    assert field in fields


def test_rule_model_round_trips_to_the_domain_rule() -> None:
    body = {
        "weekly": {"mon": [{"start": "13:00", "end": "17:00"}, {"start": "09:00", "end": "12:00"}]},
        "overrides": [{"date": "2026-12-24", "intervals": []}],
        "bufferMinutes": 10,
        "horizonDays": 30,
    }
    made = AvailabilityRule.model_validate(body).rule()
    assert made.weekly == {"mon": ((time(9), time(12)), (time(13), time(17)))}
    assert made.overrides == {date(2026, 12, 24): ()}
    assert AvailabilityRule.of_rule(made).rule() == made


def test_a_rule_that_would_make_too_many_slots_is_refused_and_changes_nothing() -> None:
    repo, catalog = setup(minutes=30)
    now = datetime(2026, 3, 20, 6, 0, tzinfo=UTC)
    every_day = {d: [("00:00", "23:30")] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
    with pytest.raises(ValidationFailed) as refused:
        apply(repo, catalog, rule(every_day, horizon_days=180), now)
    assert refused.value.details[0]["field"] == "weekly" and "at most 3000" in refused.value.details[0]["message"]
    assert repo.slots == {} and repo.availability == {}
    full_time = {d: [("09:00", "17:00")] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
    assert apply(repo, catalog, rule(full_time, horizon_days=180), now).created == 180 * 16  # 06:00 now: all ahead
