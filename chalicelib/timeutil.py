"""Time-zone helpers. Every instant is aware; local wall times exist only inside here."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def zone(name: str) -> ZoneInfo:
    """The IANA zone called `name`; ValueError when there is none."""
    if not name or len(name) > 64 or name.startswith(("/", ".")) or ".." in name:
        raise ValueError(f"unknown time zone {name!r}")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError) as exc:
        raise ValueError(f"unknown time zone {name!r}") from exc


def local_midnight(day: date, tz: ZoneInfo) -> datetime:
    """The first instant of `day` in `tz`, in UTC (a DST change never happens at a date boundary
    in a way that skips it: if midnight does not exist, the day starts at the first valid minute)."""
    candidate = datetime.combine(day, time(0, 0), tzinfo=tz)
    return _existing(candidate).astimezone(timezone.utc)


def _existing(local: datetime) -> datetime:
    """Move a wall time that falls in a spring-forward gap to the end of the gap."""
    roundtrip = local.astimezone(timezone.utc).astimezone(local.tzinfo)
    if roundtrip.replace(tzinfo=None) == local.replace(tzinfo=None):
        return local
    return roundtrip


def exists(local: datetime) -> bool:
    roundtrip = local.astimezone(timezone.utc).astimezone(local.tzinfo)
    return roundtrip.replace(tzinfo=None) == local.replace(tzinfo=None)


def working_slots(day: date, tz: ZoneInfo, start: time, end: time, minutes: int) -> Iterator[tuple[datetime, datetime]]:
    """Consecutive sessions of `minutes` between local `start` and `end` on `day`, as UTC instants.

    Wall times that do not exist (spring forward) are skipped; ambiguous ones (fall back) take
    their first occurrence. A session must end by the local end of the working day and never
    overlaps the previous one (both can happen next to a spring-forward gap).
    """
    cursor = datetime.combine(day, start)
    stop = datetime.combine(day, end)
    step = timedelta(minutes=minutes)
    previous_end: datetime | None = None
    while cursor + step <= stop:
        local = cursor.replace(tzinfo=tz, fold=0)
        cursor += step
        if not exists(local):
            continue
        begin = local.astimezone(timezone.utc)
        finish = begin + step
        # Across a spring-forward gap a session can run into the next one or past the working day.
        if finish.astimezone(tz).replace(tzinfo=None) > stop or (previous_end and begin < previous_end):
            continue
        yield begin, finish
        previous_end = finish


def today_in(tz: ZoneInfo, now: datetime) -> date:
    return now.astimezone(tz).date()
