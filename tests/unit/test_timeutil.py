from datetime import date, datetime, time, timedelta, timezone

import pytest

from chalicelib import timeutil


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)


def test_spring_forward_skips_the_missing_hour_in_london() -> None:
    tz = timeutil.zone("Europe/London")  # 2026-03-29 01:00 local does not exist
    starts = [s for s, _ in timeutil.working_slots(date(2026, 3, 29), tz, time(0), time(4), 60)]
    assert starts == [utc("2026-03-29T00:00"), utc("2026-03-29T01:00"), utc("2026-03-29T02:00")]
    assert [s.astimezone(tz).hour for s in starts] == [0, 2, 3]


def test_fall_back_uses_the_first_occurrence_once() -> None:
    tz = timeutil.zone("America/New_York")  # 2026-11-01 01:00 local happens twice
    starts = [s for s, _ in timeutil.working_slots(date(2026, 11, 1), tz, time(0), time(3), 60)]
    assert starts == [utc("2026-11-01T04:00"), utc("2026-11-01T05:00"), utc("2026-11-01T07:00")]


def test_sessions_last_their_real_length_across_a_change() -> None:
    tz = timeutil.zone("Australia/Sydney")  # 2026-10-04 02:00 -> 03:00
    for start, end in timeutil.working_slots(date(2026, 10, 4), tz, time(0), time(6), 45):
        assert end - start == timedelta(minutes=45)


def test_local_midnight_and_today() -> None:
    tz = timeutil.zone("Asia/Kolkata")
    assert timeutil.local_midnight(date(2026, 1, 2), tz) == utc("2026-01-01T18:30")
    assert timeutil.today_in(tz, utc("2026-01-01T19:00")) == date(2026, 1, 2)


@pytest.mark.parametrize("name", ["", "Mars/Base", "../etc/passwd", "/etc/localtime", "x" * 100, "Europe/../UTC"])
def test_unknown_zones_are_refused(name: str) -> None:
    with pytest.raises(ValueError):
        timeutil.zone(name)
