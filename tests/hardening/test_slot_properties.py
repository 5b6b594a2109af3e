"""Property tests (hypothesis): slot generation and the slots view across DST changes.

Dates are drawn mostly from the days on which each zone changes its offset, so every run
exercises spring-forward gaps, fall-back repeats, half-hour shifts (Lord Howe) and changes at
midnight (Santiago, Havana), not just ordinary days.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from functools import cache
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from chalicelib import timeutil
from chalicelib.services.experts import Catalog
from chalicelib.services.slots import expert_slots
from tests.conftest import make_expert, make_slot
from tests.fakes import FakeRepository

ZONES = [
    "Europe/London",
    "America/New_York",
    "America/Los_Angeles",
    "Australia/Sydney",
    "Europe/Berlin",
    "Australia/Lord_Howe",  # 30-minute DST shift
    "America/Santiago",  # changes at midnight: some days have no 00:00
    "America/Havana",  # changes at midnight too
    "Pacific/Chatham",  # +12:45 / +13:45
    "Asia/Kolkata",  # no DST: the control
]
FIRST_DAY, LAST_DAY = date(2026, 1, 1), date(2027, 12, 31)
PROFILE = settings(max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])


@cache
def change_days(name: str) -> tuple[date, ...]:
    """Local dates on which `name` changes its UTC offset (the day before and after too)."""
    tz, days, day = ZoneInfo(name), [], FIRST_DAY
    while day < LAST_DAY:
        following = day + timedelta(days=1)
        if datetime.combine(day, time(12), tz).utcoffset() != datetime.combine(following, time(12), tz).utcoffset():
            days += [day, following, following + timedelta(days=1)]
        day = following
    return tuple(days) or (date(2026, 3, 29),)


@st.composite
def zone_and_day(draw: st.DrawFn) -> tuple[ZoneInfo, date]:
    name = draw(st.sampled_from(ZONES))
    ordinary = st.dates(min_value=FIRST_DAY, max_value=LAST_DAY)
    day = draw(st.one_of(st.sampled_from(change_days(name)), ordinary))
    return ZoneInfo(name), day


# Half the draws fall between 00:00 and 04:00, where offsets change (00:00 in Santiago and Havana).
quarter_hours = st.one_of(st.integers(min_value=0, max_value=16), st.integers(min_value=0, max_value=95)).map(
    lambda q: time(q // 4, q % 4 * 15) if q < 96 else time(23, 45)
)
lengths = st.sampled_from([15, 30, 45, 60, 90, 120])


@dataclass(frozen=True)
class WorkDay:
    """One working day of an expert: the zone, the local date, the working hours and the session length."""

    tz: ZoneInfo
    day: date
    start: time
    end: time
    minutes: int

    def slots(self) -> list[tuple[datetime, datetime]]:
        return list(timeutil.working_slots(self.day, self.tz, self.start, self.end, self.minutes))


@st.composite
def work_days(draw: st.DrawFn) -> WorkDay:
    tz, day = draw(zone_and_day())
    first, last = draw(quarter_hours), draw(quarter_hours)
    return WorkDay(tz, day, min(first, last), max(first, last), draw(lengths))


def wall(instant: datetime, tz: ZoneInfo) -> datetime:
    return instant.astimezone(tz).replace(tzinfo=None)


@PROFILE
@given(work_days())
def test_working_slots_last_their_real_length_and_start_inside_the_local_day(work: WorkDay) -> None:
    slots = work.slots()
    for begin, finish in slots:
        assert begin.tzinfo is not None and begin.utcoffset() == timedelta(0)
        assert finish - begin == timedelta(minutes=work.minutes)  # elapsed time, not wall-clock time
        assert wall(begin, work.tz).date() == work.day
        assert wall(begin, work.tz).time() >= work.start
    assert [b for b, _ in slots] == sorted({b for b, _ in slots})


LONDON_GAP = (ZoneInfo("Europe/London"), date(2026, 3, 29))  # 01:00 GMT -> 02:00 BST
NEW_YORK_GAP = (ZoneInfo("America/New_York"), date(2026, 3, 8))  # 02:00 EST -> 03:00 EDT


@PROFILE
@example(WorkDay(*LONDON_GAP, time(0, 30), time(2, 45), 45))  # 00:30-02:15 BST overlaps 02:00-02:45 BST
@given(work_days())
def test_working_slots_of_one_day_never_overlap(work: WorkDay) -> None:
    for (_, previous_end), (next_start, _) in itertools.pairwise(work.slots()):
        assert next_start >= previous_end


@PROFILE
@example(WorkDay(*NEW_YORK_GAP, time(1, 30), time(3, 0), 60))  # 01:30 EST + 1 h = 03:30 EDT, after 03:00
@given(work_days())
def test_a_session_ends_by_the_local_end_of_the_working_day(work: WorkDay) -> None:
    """timeutil.working_slots promises it; the real end can pass a wall-clock check across a gap."""
    for _, finish in work.slots():
        assert wall(finish, work.tz) <= datetime.combine(work.day, work.end)


@PROFILE
@given(work_days())
def test_slots_sit_on_the_wall_clock_grid_and_miss_none_on_an_ordinary_day(work: WorkDay) -> None:
    starts = [begin for begin, _ in work.slots()]
    step, grid, cursor = timedelta(minutes=work.minutes), [], datetime.combine(work.day, work.start)
    while cursor + step <= datetime.combine(work.day, work.end):
        local = cursor.replace(tzinfo=work.tz, fold=0)
        if timeutil.exists(local):
            grid.append(local.astimezone(timezone.utc))
        cursor += step
    assert set(starts) <= set(grid)  # a gap's wall times get no slot; a repeated hour's get one, the first
    if work.day not in change_days(work.tz.key):
        assert starts == grid


@PROFILE
@given(zone_and_day())
def test_a_local_day_starts_at_its_first_existing_instant_and_lasts_23_to_25_hours(
    place: tuple[ZoneInfo, date],
) -> None:
    tz, day = place
    begin = timeutil.local_midnight(day, tz)
    following = timeutil.local_midnight(day + timedelta(days=1), tz)
    assert wall(begin, tz).date() == day
    assert wall(begin - timedelta(seconds=1), tz).date() == day - timedelta(days=1)
    assert timedelta(hours=23) <= following - begin <= timedelta(hours=25)


@settings(max_examples=120, deadline=None, database=None)
@given(
    zone_and_day(),
    st.sampled_from(ZONES),
    st.integers(min_value=1, max_value=4),
    st.integers(min_value=-1, max_value=2),
)
def test_the_slots_view_puts_every_slot_once_under_its_local_date(
    place: tuple[ZoneInfo, date], viewer_zone: str, days: int, offset: int
) -> None:
    """Slots made in the expert's zone, viewed in any zone over a range that includes a DST change."""
    expert_tz, day = place
    repo = FakeRepository()
    repo.put_expert(make_expert(timezone=expert_tz.key, session_minutes=60))
    made = [
        begin
        for d in range(-1, days + 2)
        for begin, _ in timeutil.working_slots(day + timedelta(days=d), expert_tz, time(0), time(23, 59), 60)
    ]
    repo.add_slots([make_slot(start=begin) for begin in made])
    viewer = ZoneInfo(viewer_zone)
    first = day + timedelta(days=offset)
    view = expert_slots(
        repo,
        Catalog(repo, 30),
        "exp-1",
        first_day=first,
        days=days,
        tz_name=viewer_zone,
        now=datetime(2020, 1, 1, tzinfo=timezone.utc),
        min_notice=timedelta(hours=1),
    )
    assert [d.date for d in view.days] == [first + timedelta(days=i) for i in range(days)]
    shown = [s.start for d in view.days for s in d.slots]
    for group in view.days:
        assert all(wall(s.start, viewer).date() == group.date for s in group.slots)
        assert [s.start for s in group.slots] == sorted(s.start for s in group.slots)
    in_range = sorted(b for b in made if first <= wall(b, viewer).date() < first + timedelta(days=days))
    assert sorted(shown) == in_range
