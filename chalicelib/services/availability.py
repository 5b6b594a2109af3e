"""Weekly availability (issue 12): an expert's rule becomes slots for its horizon, through the same
compare-and-set slot-creation guard as an admin's POST (services/admin.add_slots), so a rule never makes
an overlap and never touches a held slot. Applying a rule again changes nothing."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Protocol
from zoneinfo import ZoneInfo

from chalicelib import timeutil
from chalicelib.domain import Availability, Expert
from chalicelib.errors import DomainError, ExpertNotFound, ValidationFailed
from chalicelib.services import admin
from chalicelib.services.experts import Catalog

log = logging.getLogger(__name__)
PREVIEW_DAYS = 14
# Full-time hours (8 a day, every day) in 30-minute sessions for 180 days make 2,880 slots: a rule may make
# at most this many, which bounds one PUT's work (about 30 transactions of 99).
MAX_SLOTS_PER_RULE = 3000


class AvailabilityStore(admin.AdminStore, Protocol):
    def put_availability(self, expert_id: str, rule: Availability, now: datetime) -> None: ...
    def get_availability(self, expert_id: str) -> Availability | None: ...
    def experts_with_availability(self) -> list[str]: ...
    def delete_free_slots(self, expert_id: str, starts: Sequence[datetime]) -> tuple[int, list[datetime]]: ...


@dataclass(frozen=True)
class Kept:
    """A slot the rule no longer makes, kept because a booking holds it (no personal data)."""

    start: datetime
    booking_id: str | None


@dataclass(frozen=True)
class Applied:
    created: int
    deleted: int
    kept: list[Kept]


def sessions(rule: Availability, expert: Expert, first: date, days: int) -> list[tuple[datetime, datetime]]:
    """The (start, end) UTC instants `rule` makes on `days` local dates from `first`, in order, none
    overlapping: sessions of the expert's length, one every length + buffer within each interval."""
    tz = timeutil.zone(expert.timezone)
    length = timedelta(minutes=expert.session_minutes)
    step = length + timedelta(minutes=rule.buffer_minutes)
    made = sorted(
        {
            session
            for day in (first + timedelta(days=n) for n in range(days))
            for start, end in rule.hours_on(day)
            for session in _interval(day, tz, start, end, length, step)
        }
    )
    apart: list[tuple[datetime, datetime]] = []
    for start, end in made:  # two intervals either side of a fall-back hour can meet in UTC
        if not apart or start >= apart[-1][1]:
            apart.append((start, end))
    return apart


def _interval(
    day: date, tz: ZoneInfo, start: time, end: time, length: timedelta, step: timedelta
) -> Iterator[tuple[datetime, datetime]]:
    """Local wall times that do not exist (spring forward) are skipped; ambiguous ones (fall back) are
    taken once, at their first occurrence (fold=0). A session ends by the interval's local end."""
    cursor, stop = datetime.combine(day, start), datetime.combine(day, end)
    while cursor + length <= stop:
        local = cursor.replace(tzinfo=tz, fold=0)
        cursor += step
        if not timeutil.exists(local):
            continue
        begin = local.astimezone(timezone.utc)
        if (begin + length).astimezone(tz).replace(tzinfo=None) <= stop:
            yield begin, begin + length


def horizon(rule: Availability, expert: Expert, now: datetime) -> tuple[date, datetime]:
    """The first local date of the rule's window (today in the expert's zone) and the instant it ends."""
    tz = timeutil.zone(expert.timezone)
    first = timeutil.today_in(tz, now)
    return first, timeutil.local_midnight(first + timedelta(days=rule.horizon_days), tz)


def materialise(
    store: AvailabilityStore, catalog: Catalog, expert: Expert, rule: Availability, now: datetime, *, prune: bool
) -> Applied:
    """Make the rule's future slots within its horizon; with `prune`, delete the free ones in that window
    it no longer makes (held ones are kept and reported). Past slots are never touched."""
    first, end = horizon(rule, expert, now)
    wanted = [s for s in sessions(rule, expert, first, rule.horizon_days) if s[0] > now]
    existing = store.list_slots(expert.id, now, end, consistent=True)
    rule_makes = set(wanted)
    unwanted = [s for s in existing if s.start > now and (s.start, s.end) not in rule_makes]
    kept = [Kept(s.start, s.booking_id) for s in unwanted if s.booking_id is not None] if prune else []
    free = [s.start for s in unwanted if s.booking_id is None] if prune else []
    deleted, booked_meanwhile = store.delete_free_slots(expert.id, free) if free else (0, [])
    kept += [Kept(start, None) for start in booked_meanwhile]
    standing = {s.start for s in existing} - (set(free) - set(booked_meanwhile))
    fresh = [start for start, _ in wanted if start not in standing]
    created = 0
    for chunk in range(0, len(fresh), admin.MAX_SLOTS_PER_REQUEST):
        made, _ = admin.add_slots(store, catalog, expert.id, fresh[chunk : chunk + admin.MAX_SLOTS_PER_REQUEST], now)
        created += made
    return Applied(created, deleted, kept)


def set_availability(
    store: AvailabilityStore, catalog: Catalog, expert_id: str, rule: Availability, now: datetime
) -> Applied:
    """Store the expert's rule, then bring the slots in its horizon in line with it."""
    expert = catalog.get(expert_id)
    first, _ = horizon(rule, expert, now)
    made = len(sessions(rule, expert, first, rule.horizon_days))
    if made > MAX_SLOTS_PER_RULE:
        raise ValidationFailed.field(
            "weekly",
            f"These hours make {made} slots over the horizon; at most {MAX_SLOTS_PER_RULE} (fewer days or hours).",
        )
    store.put_availability(expert_id, rule, now)
    return materialise(store, catalog, expert, rule, now, prune=True)


def get_availability(store: AvailabilityStore, catalog: Catalog, expert_id: str) -> tuple[Expert, Availability | None]:
    return catalog.get(expert_id), store.get_availability(expert_id)


def preview(
    catalog: Catalog, expert_id: str, rule: Availability, now: datetime
) -> tuple[Expert, dict[date, list[tuple[datetime, datetime]]]]:
    """The future slots `rule` makes over its first days, by the expert's local date; nothing is written."""
    expert = catalog.get(expert_id)
    tz = timeutil.zone(expert.timezone)
    first = timeutil.today_in(tz, now)
    by_day: dict[date, list[tuple[datetime, datetime]]] = {}
    for start, end in sessions(rule, expert, first, min(rule.horizon_days, PREVIEW_DAYS)):
        if start > now:
            by_day.setdefault(start.astimezone(tz).date(), []).append((start, end))
    return expert, by_day


def roll(store: AvailabilityStore, catalog: Catalog, now: datetime) -> int:
    """The scheduled function's work: every rule's horizon moves on with the days (found by one Query).
    It only adds slots: removing hours is the admin's PUT, which reports held slots to them."""
    created = 0
    for expert_id in store.experts_with_availability():
        rule = store.get_availability(expert_id)
        try:
            expert = catalog.get(expert_id)
        except ExpertNotFound:
            continue
        if rule is None:
            continue
        try:
            created += materialise(store, catalog, expert, rule, now, prune=False).created
        except DomainError as exc:  # one expert's trouble does not stop the others; the next run retries
            log.warning("availability roll for %s failed: %s", expert_id, exc.code)
    return created
