"""Waitlist use cases (issue 12, part 4): join a full day's waitlist, verify the entry by its emailed
link, and decide who hears of a freed slot (called by the stream consumer, app.send_booking_emails).

Joining answers the same whether or not an entry existed, so nothing about other entries can be learnt;
the emails go out from the table's stream, never on the request path."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from itertools import islice
from typing import Protocol
from urllib.parse import quote, urlencode
from zoneinfo import ZoneInfo

from chalicelib import timeutil
from chalicelib.domain import HOLDING, Booking, Email, Expert, Slot, hold_counters
from chalicelib.errors import Forbidden, ValidationFailed
from chalicelib.services import access
from chalicelib.services.experts import Catalog
from chalicelib.waitlist import (
    JOINS_PER_EMAIL_HOUR,
    JOINS_PER_IP_HOUR,
    NOTIFY_PER_SLOT,
    UNVERIFIED_TTL,
    WAITLIST_DAYS,
    JoinOutcome,
    SlotsAvailable,
    TooManyWaitlistRequests,
    WaitlistEntry,
    WaitlistEntryNotFound,
    parse_subject,
    token_subject,
)


class WaitlistStore(Protocol):
    def list_slots(self, expert_id: str, start: datetime, end: datetime) -> list[Slot]: ...
    def join_waitlist(self, entry: WaitlistEntry, limits: Sequence[tuple[str, int]], now: datetime) -> str: ...
    def verify_waitlist_entry(
        self, expert_id: str, day: date, digest: str, now: datetime, expires_at: datetime
    ) -> WaitlistEntry | None: ...
    def waitlist(self, expert_id: str, day: date) -> list[WaitlistEntry]: ...


class NoticeStore(WaitlistStore, Protocol):
    def get_expert(self, expert_id: str) -> Expert | None: ...
    def bookings_for_email(self, email: str) -> list[Booking]: ...


class Renderer(Protocol):
    """chalicelib/waitlist_mail.py."""

    def waitlist_verify_email(self, address: str, expert_name: str, day: date, link: str) -> Email: ...
    def waitlist_slot_email(
        self, address: str, expert_name: str, start: datetime, zone_name: str, link: str
    ) -> Email: ...


@dataclass(frozen=True)
class JoinPolicy:
    verify: bool  # False when UNVERIFIED_HOLD_MINUTES=0: the entry counts at once
    min_notice: timedelta
    source_ip: str | None = None


def join(
    store: WaitlistStore, catalog: Catalog, expert_id: str, email: str, day: date, *, now: datetime, policy: JoinPolicy
) -> None:
    """Put `email` on the expert's waitlist for `day` (their local date, today to WAITLIST_DAYS ahead, with
    sessions left and none free). Silent for a known entry and over the email's hourly limit; only a full
    source-IP counter is refused (429), which says nothing about any entry."""
    expert = catalog.get(expert_id)
    tz = timeutil.zone(expert.timezone)
    today = timeutil.today_in(tz, now)
    if not today <= day <= today + timedelta(days=WAITLIST_DAYS):
        raise ValidationFailed.field(
            "date", f"Choose a date from {today.isoformat()} to {WAITLIST_DAYS} days later (the expert's time zone)."
        )
    _check_day_is_full(store, expert.id, day, tz, now, now + policy.min_notice)
    email = email.lower()
    verified_at = None if policy.verify else now
    expires = _verified_expiry(day, tz) if verified_at else now + UNVERIFIED_TTL
    entry = WaitlistEntry(expert.id, day, email, now, expires, verified_at)
    limits = [
        (counter, JOINS_PER_EMAIL_HOUR if counter.startswith("email:") else JOINS_PER_IP_HOUR)
        for counter in hold_counters(email, policy.source_ip)
    ]
    if store.join_waitlist(entry, limits, now) == JoinOutcome.IP_LIMITED:
        next_hour = now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
        raise TooManyWaitlistRequests(max(1, int((next_hour - now).total_seconds())))


def _check_day_is_full(
    store: WaitlistStore, expert_id: str, day: date, tz: ZoneInfo, now: datetime, earliest: datetime
) -> None:
    start = timeutil.local_midnight(day, tz)
    slots = store.list_slots(expert_id, start, timeutil.local_midnight(day + timedelta(days=1), tz))
    upcoming = [slot for slot in slots if slot.start >= earliest]
    if not upcoming:
        raise ValidationFailed.field("date", "The expert has no sessions left on this date.")
    if any(not slot.held_at(now) for slot in upcoming):
        raise SlotsAvailable("This date has free times: book one of them instead.")


def _verified_expiry(day: date, tz: ZoneInfo) -> datetime:
    """A verified entry is kept until a day after its date has ended (then TTL removes it)."""
    return timeutil.local_midnight(day + timedelta(days=2), tz)


def verify(store: WaitlistStore, catalog: Catalog, grant: access.Grant, expert_id: str, now: datetime) -> WaitlistEntry:
    """The emailed link was opened: the entry counts from now (opening it again changes nothing)."""
    found = parse_subject(grant.subject)
    if grant.scope != access.WAITLIST or found is None or found[0] != expert_id:
        raise Forbidden("This link is for another waitlist.")
    _, day, digest = found
    tz = timeutil.zone(catalog.get(expert_id).timezone)
    entry = store.verify_waitlist_entry(expert_id, day, digest, now, _verified_expiry(day, tz))
    if entry is None:
        raise WaitlistEntryNotFound("This waitlist request has expired. Please join the waitlist again.")
    return entry


def verification_emails(
    store: NoticeStore, render: Renderer, entry: WaitlistEntry, event: str, *, app_url: str, secret: str, now: datetime
) -> list[tuple[str, Email]]:
    """(event key, email): the link that proves the entry's email."""
    expert = store.get_expert(entry.expert_id)
    if expert is None:
        return []
    token = access.waitlist_token(secret, token_subject(entry.expert_id, entry.date, entry.digest), now)
    link = f"{app_url}/waitlist/verify?{urlencode({'expert': entry.expert_id, 'token': token})}"
    return [(event, render.waitlist_verify_email(entry.email, expert.name, entry.date, link))]


def freed_slot_emails(
    store: NoticeStore,
    render: Renderer,
    freed: Slot,
    released_by: str,
    *,
    app_url: str,
    now: datetime,
    min_notice: timedelta,
) -> list[tuple[str, Email]]:
    """(event key, email) for the earliest verified entries of the freed slot's date (at most
    NOTIFY_PER_SLOT), skipping those who already hold a session with the expert that day. Nothing when
    the slot is too soon, gone, or taken again by the time this runs. The event key names the slot, the
    booking that released it and the entry, so each entry hears of each freeing once."""
    expert = store.get_expert(freed.expert_id)
    if expert is None or freed.start < now + min_notice:
        return []
    tz = timeutil.zone(expert.timezone)
    day = freed.start.astimezone(tz).date()
    waiting = sorted((e for e in store.waitlist(expert.id, day) if e.live_at(now)), key=_queue_order)
    if not waiting:  # the usual case: one Query, and no slot read
        return []
    current = store.list_slots(expert.id, freed.start, freed.start + timedelta(minutes=1))
    if not current or current[0].held_at(now):
        return []
    chosen = list(islice((e for e in waiting if not _has_session(store, e, day, tz, now)), NOTIFY_PER_SLOT))
    start = freed.start.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    link = f"{app_url}/experts/{quote(expert.id, safe='')}?{urlencode({'slot': start})}"
    return [
        (
            f"waitlist:slot:{expert.id}:{start}:{released_by}:{entry.digest}",
            render.waitlist_slot_email(entry.email, expert.name, freed.start, expert.timezone, link),
        )
        for entry in chosen
    ]


def _queue_order(entry: WaitlistEntry) -> tuple[datetime, str]:
    return entry.verified_at or entry.created_at, entry.digest


def _has_session(store: NoticeStore, entry: WaitlistEntry, day: date, tz: ZoneInfo, now: datetime) -> bool:
    return any(
        b.expert_id == entry.expert_id and b.as_of(now).status in HOLDING and b.slot_start.astimezone(tz).date() == day
        for b in store.bookings_for_email(entry.email)
    )
