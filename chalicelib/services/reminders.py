"""Reminder emails before confirmed sessions (issue 12, part 3), sent by a scheduled function.

Each run reads the confirmed bookings that start within the largest offset (one Query of the
time-ordered all-bookings index, GSI3) and, for each, sends the reminder of the nearest due offset:
an offset is due once the session starts within it, and when several are due (the 24 h and the 1 h
one, say, for a session confirmed 30 minutes before it starts) only the smallest is sent, so no late
24 h reminder ever follows or precedes the 1 h one. Each (booking, offset, start) is one email event
key, claimed with a conditional write that a concurrent run cannot take over (LEASE), so a reminder
goes out once however often or concurrently the function runs; a rescheduled booking gets its
reminders for the new time. Bookings are never written here.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Protocol

from chalicelib.domain import Booking, Email
from chalicelib.services import access, notifications

log = logging.getLogger(__name__)
# Longer than the scheduled function's timeout (60 s): a run that died after claiming leaves its
# reminder to a run at least this much later (it may then be sent twice if the first one had sent it).
LEASE = timedelta(minutes=15)


class ReminderStore(notifications.MailStore, Protocol):
    def confirmed_starting(self, after: datetime, until: datetime) -> list[Booking]: ...
    def claim_email_once(self, event_key: str, now: datetime, lease: timedelta) -> bool: ...


class ReminderRenderer(Protocol):
    def reminder_email(self, booking: Booking, expert_zone: str, manage_url: str, *, minutes_left: int) -> Email: ...


def due_offset(offsets: Sequence[int], start: datetime, now: datetime) -> int | None:
    """The nearest due offset (minutes) for a session starting at `start`; None before the first is due
    or once the session has started."""
    if now >= start:
        return None
    due = [offset for offset in offsets if start - timedelta(minutes=offset) <= now]
    return min(due) if due else None


def reminder_key(booking: Booking, offset: int) -> str:
    """The email event key: per booking, offset and start (a reschedule starts a new series)."""
    return f"booking:{booking.id}:reminder:{offset}:{booking.slot_start:%Y%m%dT%H%MZ}"


def send_due_reminders(
    store: ReminderStore,
    render: ReminderRenderer,
    send: Callable[[Email], None],
    *,
    offsets: Sequence[int],
    now: datetime,
    app_url: str,
    secret: str,
) -> Counter[str]:
    """Send every reminder due at `now` that no run sent yet; counts of SENT, DUPLICATE and FAILED.
    A transient sending failure is recorded and raised: the next run claims that reminder again."""
    outcomes: Counter[str] = Counter()
    if not offsets:
        return outcomes
    zones: dict[str, str] = {}

    def claim(key: str, at: datetime) -> bool:
        return store.claim_email_once(key, at, LEASE)

    for booking in store.confirmed_starting(now, now + timedelta(minutes=max(offsets))):
        offset = due_offset(offsets, booking.slot_start, now)
        if offset is None:
            continue
        if booking.expert_id not in zones:
            expert = store.get_expert(booking.expert_id)
            zones[booking.expert_id] = expert.timezone if expert else "UTC"
        minutes_left = int((booking.slot_start - now).total_seconds() // 60)
        link = access.manage_link(app_url, secret, booking, now)
        email = render.reminder_email(booking, zones[booking.expert_id], link, minutes_left=minutes_left)
        outcomes[notifications.deliver(store, send, reminder_key(booking, offset), email, now, claim)] += 1
    return outcomes
