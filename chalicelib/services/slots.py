"""An expert's slots over a range of days, grouped by date in a time zone. No attendee data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal, Protocol

from chalicelib import timeutil
from chalicelib.domain import Slot
from chalicelib.errors import ValidationFailed
from chalicelib.services.experts import Catalog


class SlotStore(Protocol):
    def list_slots(self, expert_id: str, start: datetime, end: datetime) -> list[Slot]: ...


SlotReason = Literal["booked", "too_soon"]


@dataclass(frozen=True)
class SlotView:
    start: datetime
    end: datetime
    # Why a slot cannot be booked: "booked" (held by a booking) or "too_soon" (inside the minimum notice).
    reason: SlotReason | None = None

    @property
    def available(self) -> bool:
        return self.reason is None


@dataclass(frozen=True)
class DayView:
    date: date
    slots: list[SlotView]


@dataclass(frozen=True)
class SlotsView:
    expert_id: str
    timezone: str
    days: list[DayView]


def expert_slots(
    store: SlotStore,
    catalog: Catalog,
    expert_id: str,
    *,
    first_day: date | None,
    days: int,
    tz_name: str | None,
    now: datetime,
    min_notice: timedelta,
) -> SlotsView:
    expert = catalog.get(expert_id)
    try:
        tz = timeutil.zone(tz_name or expert.timezone)
    except ValueError as exc:
        raise ValidationFailed.field("tz", "Unknown time zone; use an IANA name such as Europe/London.") from exc
    first = first_day or timeutil.today_in(tz, now)
    dates = [first + timedelta(days=i) for i in range(days)]
    window_start = timeutil.local_midnight(dates[0], tz)
    window_end = timeutil.local_midnight(dates[-1] + timedelta(days=1), tz)
    earliest = now + min_notice
    by_day: dict[date, list[SlotView]] = {d: [] for d in dates}
    for slot in store.list_slots(expert_id, window_start, window_end):
        day = slot.start.astimezone(tz).date()
        held = slot.held_at(now)  # an expired hold is free
        reason: SlotReason | None = "booked" if held else "too_soon" if slot.start < earliest else None
        by_day[day].append(SlotView(slot.start, slot.end, reason))
    return SlotsView(
        expert_id=expert.id,
        timezone=tz.key,
        days=[DayView(d, sorted(by_day[d], key=lambda s: s.start)) for d in dates],
    )
