"""Admin use cases: the bookings list, expert create/update, and slot management."""

from __future__ import annotations

import base64
import json
import secrets
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, Protocol

from chalicelib.domain import Booking, BookingQuery, Expert, FailedEmail, Slot
from chalicelib.errors import ExpertNotFound, ServiceUnavailable, SlotsChanged, ValidationFailed
from chalicelib.services.experts import Catalog

# One transaction holds 100 items: the version guard and up to 99 slots.
MAX_SLOTS_PER_REQUEST = 99
SLOT_WRITE_ATTEMPTS = 3


class AdminStore(Protocol):
    def list_bookings(self, query: BookingQuery) -> tuple[list[Booking], dict[str, str] | None]: ...
    def create_expert(self, expert: Expert) -> None: ...
    def update_expert(self, expert_id: str, changes: Mapping[str, Any]) -> Expert | None: ...
    def slots_version(self, expert_id: str) -> int: ...
    def add_slots_if_unchanged(self, expert_id: str, slots: Sequence[Slot], seen_version: int) -> None: ...
    def list_slots(self, expert_id: str, start: datetime, end: datetime, *, consistent: bool = False) -> list[Slot]: ...
    def delete_slot(self, expert_id: str, start: datetime) -> None: ...


def encode_cursor(position: dict[str, str] | None) -> str | None:
    if position is None:
        return None
    return base64.urlsafe_b64encode(json.dumps(position, sort_keys=True).encode()).decode().rstrip("=")


def decode_cursor(text: str | None) -> dict[str, str] | None:
    if not text:
        return None
    try:
        data = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
    except ValueError as exc:
        raise ValidationFailed.field("cursor", "This cursor is not valid; start again.") from exc
    if (
        not isinstance(data, dict)
        or not data
        or not all(isinstance(k, str) and isinstance(v, str) for k, v in data.items())
    ):
        raise ValidationFailed.field("cursor", "This cursor is not valid; start again.")
    return data


def booking_query(params: Any) -> BookingQuery:
    """From the validated query model: dates cover whole UTC days."""

    def bound(value: date | datetime | None, end: bool) -> datetime | None:
        if value is None or isinstance(value, datetime):
            return value
        day = datetime.combine(value, time(0), tzinfo=timezone.utc)
        return day + timedelta(days=1) - timedelta(seconds=1) if end else day

    start, end = bound(params.from_, end=False), bound(params.to, end=True)
    if start is not None and end is not None and end < start:  # DynamoDB refuses a BETWEEN high < low
        raise ValidationFailed.field("to", "Give a 'to' on or after 'from'.")
    return BookingQuery(
        expert_id=params.expert_id,
        status=params.status,
        start=start,
        end=end,
        cursor=decode_cursor(params.cursor),
        limit=params.limit,
    )


def list_bookings(store: AdminStore, query: BookingQuery, now: datetime) -> tuple[list[Booking], str | None]:
    """One page; a hold that ran out shows as `expired` at once, before the sweep writes it down."""
    found, position = store.list_bookings(query)
    return [b.as_of(now) for b in found], encode_cursor(position)


def create_expert(store: AdminStore, catalog: Catalog, fields: dict[str, Any]) -> Expert:
    expert = Expert(id=f"exp-{secrets.token_hex(6)}", **fields)
    store.create_expert(expert)
    catalog.invalidate()
    return expert


def update_expert(store: AdminStore, catalog: Catalog, expert_id: str, changes: dict[str, Any]) -> Expert:
    """Write only the fields that change: never a cached or stale copy of the others (lost update)."""
    updated = store.update_expert(expert_id, changes)
    if updated is None:
        raise ExpertNotFound("No expert with this id.")
    catalog.invalidate()
    return updated


def add_slots(
    store: AdminStore, catalog: Catalog, expert_id: str, starts: list[datetime], now: datetime
) -> tuple[int, int]:
    """Create sessions of the expert's length at `starts`; existing or overlapping ones are skipped.

    The overlap check reads, so the write is a compare-and-set: it commits only if no other slot
    creation for this expert happened since the read (the expert's slots version), else it reads again.
    Two admins adding 10:00 and 10:30 hour-long sessions at once cannot both succeed."""
    expert = catalog.get(expert_id)
    length = timedelta(minutes=expert.session_minutes)
    _check_starts(starts, length, now)
    ordered = sorted(starts)
    for _ in range(SLOT_WRITE_ATTEMPTS):
        version = store.slots_version(expert_id)
        nearby = store.list_slots(expert_id, ordered[0] - timedelta(days=1), ordered[-1] + length, consistent=True)
        fresh = [s for s in ordered if not any(s < o.end and o.start < s + length for o in nearby)]
        if not fresh:
            return 0, len(starts)
        try:
            store.add_slots_if_unchanged(expert_id, [Slot(expert_id, s, s + length) for s in fresh], version)
        except SlotsChanged:
            continue
        return len(fresh), len(starts) - len(fresh)
    raise ServiceUnavailable()


def _check_starts(starts: list[datetime], length: timedelta, now: datetime) -> None:
    if not 1 <= len(starts) <= MAX_SLOTS_PER_REQUEST:
        raise ValidationFailed.field("slots", f"Send 1 to {MAX_SLOTS_PER_REQUEST} slots.")
    ordered = sorted(starts)
    for index, start in enumerate(ordered):
        field = f"slots.{starts.index(start)}.start"
        if start.second or start.microsecond:
            raise ValidationFailed.field(field, "Slots start on a whole minute.")
        if start <= now:
            raise ValidationFailed.field(field, "Slots must start in the future.")
        if index and start < ordered[index - 1] + length:
            raise ValidationFailed.field(field, "Slots in one request must not overlap.")


def delete_slot(store: AdminStore, catalog: Catalog, expert_id: str, start: datetime) -> None:
    catalog.get(expert_id)
    store.delete_slot(expert_id, start)


class EmailOpsStore(Protocol):
    def failed_emails(self, limit: int) -> list[FailedEmail]: ...
    def request_resend(self, event_key: str) -> bool: ...


FAILED_EMAILS_LISTED = 100


def failed_emails(store: EmailOpsStore) -> list[FailedEmail]:
    """Emails the consumer could not send (oldest first), kept until a resend succeeds."""
    return store.failed_emails(FAILED_EMAILS_LISTED)


def resend_failed_emails(store: EmailOpsStore) -> int:
    """Ask the email consumer to send every failed email again; returns how many were asked."""
    return sum(store.request_resend(failed.event_key) for failed in store.failed_emails(FAILED_EMAILS_LISTED))


class ClientLookupStore(Protocol):
    def bookings_for_email(self, email: str) -> list[Booking]: ...


def bookings_for_client(store: ClientLookupStore, email: str, now: datetime) -> list[Booking]:
    """An admin's search by a client's email (issue 13): one query on the client index (GSI1, keyed by the
    hashed address), never a scan; latest session first."""
    found = [b.as_of(now) for b in store.bookings_for_email(email)]
    return sorted(found, key=lambda b: b.slot_start, reverse=True)
