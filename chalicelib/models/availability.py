"""Availability models: an expert's weekly hours with date overrides, what applying them did, a preview."""

from __future__ import annotations

import re
from datetime import date, time
from itertools import pairwise
from typing import Annotated, Self

from pydantic import AfterValidator, BeforeValidator, Field, model_validator

from chalicelib.domain import WEEKDAYS, Availability, Hours
from chalicelib.models.base import UtcInstant, _in_calendar, _Model, _Out

MAX_INTERVALS_PER_DAY = 12
MAX_OVERRIDES = 100  # keeps a rule's body well under the 16 KB request limit
BUFFER_MAX = 240
HORIZON_MAX = 180


class Interval(_Model):
    """Local wall times in the expert's zone, HH:MM (24 h)."""

    start: str = Field(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$", examples=["09:00"])
    end: str = Field(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$", examples=["12:00"])

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.start >= self.end:
            raise ValueError("An interval must start before it ends (both HH:MM on the same day).")
        return self


def _apart(intervals: list[Interval]) -> list[Interval]:
    ordered = sorted(intervals, key=lambda i: i.start)
    for before, after in pairwise(ordered):
        if after.start < before.end:
            raise ValueError(f"Intervals {before.start}-{before.end} and {after.start}-{after.end} overlap.")
    return intervals


DayHours = Annotated[list[Interval], Field(max_length=MAX_INTERVALS_PER_DAY), AfterValidator(_apart)]


def _weekdays(weekly: dict[str, list[Interval]]) -> dict[str, list[Interval]]:
    unknown = sorted(set(weekly) - set(WEEKDAYS))
    if unknown:
        raise ValueError(f"Unknown day {unknown[0]!r}; use {', '.join(WEEKDAYS)}.")
    return weekly


def _date_text(value: object) -> object:
    """Bodies are parsed strictly (no number is a date), which refuses every string as a date: read it here."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("Use a date like 2026-12-24.")
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise ValueError("Use a date like 2026-12-24.") from exc


DateText = Annotated[date, BeforeValidator(_date_text), AfterValidator(_in_calendar)]


class Override(_Model):
    """A date's hours instead of its weekday's; no intervals: a day off."""

    date: DateText
    intervals: DayHours


def _one_per_date(overrides: list[Override]) -> list[Override]:
    seen: set[date] = set()
    for override in overrides:
        if override.date in seen:
            raise ValueError(f"{override.date.isoformat()} is overridden twice; give each date once.")
        seen.add(override.date)
    return overrides


def _hours(intervals: list[Interval]) -> Hours:
    ordered = sorted(intervals, key=lambda i: i.start)
    return tuple((time.fromisoformat(i.start), time.fromisoformat(i.end)) for i in ordered)


def _intervals(hours: Hours) -> list[Interval]:
    return [Interval(start=f"{start:%H:%M}", end=f"{end:%H:%M}") for start, end in hours]


class AvailabilityRule(_Model):
    """Weekly hours (mon..sun) in the expert's zone, date overrides, a buffer after each session and how
    many days ahead slots are kept."""

    weekly: Annotated[dict[str, DayHours], AfterValidator(_weekdays)]
    overrides: Annotated[list[Override], Field(max_length=MAX_OVERRIDES), AfterValidator(_one_per_date)] = []
    buffer_minutes: int = Field(default=0, ge=0, le=BUFFER_MAX)
    horizon_days: int = Field(default=60, ge=1, le=HORIZON_MAX)

    def rule(self) -> Availability:
        return Availability(
            weekly={day: _hours(h) for day, h in self.weekly.items() if h},
            overrides={o.date: _hours(o.intervals) for o in self.overrides},
            buffer_minutes=self.buffer_minutes,
            horizon_days=self.horizon_days,
        )

    @classmethod
    def of_rule(cls, rule: Availability) -> AvailabilityRule:
        return cls(
            weekly={day: _intervals(rule.weekly.get(day, ())) for day in WEEKDAYS},
            overrides=[Override(date=d, intervals=_intervals(h)) for d, h in sorted(rule.overrides.items())],
            buffer_minutes=rule.buffer_minutes,
            horizon_days=rule.horizon_days,
        )


class AvailabilityOut(_Out):
    """The expert's rule (null until one is set), with the zone and session length it is read in."""

    availability: AvailabilityRule | None
    timezone: str
    session_minutes: int


class KeptSlotOut(_Out):
    """A slot the rule no longer makes but a booking holds: kept, for the admin to settle."""

    start: UtcInstant
    booking_id: str | None


class AvailabilityAppliedOut(_Out):
    availability: AvailabilityRule
    created: int
    deleted: int
    kept: list[KeptSlotOut]


class PreviewSlotOut(_Out):
    start: UtcInstant
    end: UtcInstant


class PreviewDayOut(_Out):
    date: date
    slots: list[PreviewSlotOut]


class AvailabilityPreviewOut(_Out):
    """The slots a rule makes over its first days (nothing is written), by local date."""

    timezone: str
    days: list[PreviewDayOut]
