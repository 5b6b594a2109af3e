"""An in-memory repository with the same contract as DynamoRepository.

tests/integration/test_repository_contract.py runs one test class against both, so this
fake cannot drift from the real thing.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any, Unpack

from chalicelib.db.items import instant, parse_instant
from chalicelib.domain import (
    RELEASING,
    Availability,
    Booking,
    BookingQuery,
    BookingTerms,
    Expert,
    FailedEmail,
    IdempotencyRecord,
    Slot,
    Status,
    StatusTerms,
    sort_name,
)
from chalicelib.errors import (
    HoldRefused,
    IdempotencyKeyExists,
    InvalidTransition,
    SlotBooked,
    SlotEndMismatch,
    SlotNotFound,
    SlotsChanged,
    SlotUnavailable,
    StatusRefused,
    TooManyHolds,
)
from chalicelib.waitlist import JoinOutcome, WaitlistEntry


class FakeRepository:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.experts: dict[str, Expert] = {}
        self.slots: dict[tuple[str, datetime], Slot] = {}
        self.bookings: dict[str, Booking] = {}
        self.idempotency: dict[str, IdempotencyRecord] = {}
        self.calls: list[str] = []
        self.link_counts: dict[tuple[str, str], int] = {}
        self.versions: dict[str, int] = {}
        self.last_slot_change: dict[str, str] = {}
        self.emails: dict[str, str] = {}
        self.email_claimed_at: dict[str, datetime] = {}  # reminders' claims (claim_email_once)
        self.failed_email_reasons: dict[str, str] = {}
        self.hold_counts: dict[str, tuple[int, datetime]] = {}  # counter -> (holds, window end)
        self.availability: dict[str, Availability] = {}
        self.waitlists: dict[tuple[str, date, str], WaitlistEntry] = {}  # (expert, date, digest) -> entry
        self.waitlist_asks: dict[tuple[str, date, str], int] = {}
        self.waitlist_counts: dict[tuple[str, str], int] = {}  # (counter, hour) -> joins

    def put_expert(self, expert: Expert) -> None:
        self.calls.append("put_expert")
        self.experts[expert.id] = expert

    def get_expert(self, expert_id: str) -> Expert | None:
        self.calls.append("get_expert")
        return self.experts.get(expert_id)

    def list_experts(self) -> list[Expert]:
        self.calls.append("list_experts")
        return sorted(self.experts.values(), key=lambda e: (sort_name(e.name), e.id))

    def create_expert(self, expert: Expert) -> None:
        if expert.id in self.experts:
            raise RuntimeError("expert exists")
        self.experts[expert.id] = expert

    def update_expert(self, expert_id: str, changes: Mapping[str, Any]) -> Expert | None:
        with self._lock:
            if expert_id not in self.experts:
                return None
            self.experts[expert_id] = replace(self.experts[expert_id], **changes)
            return self.experts[expert_id]

    def delete_slot(self, expert_id: str, start: datetime) -> None:
        with self._lock:
            slot = self.slots.get((expert_id, start))
            if slot is None:
                raise SlotNotFound("This expert has no slot at that time.")
            if slot.booking_id is not None:
                raise SlotBooked("This slot is booked; cancel the booking first.")
            del self.slots[(expert_id, start)]

    def add_slots(self, slots: Sequence[Slot]) -> tuple[int, int]:
        with self._lock:
            created = 0
            for slot in slots:
                key = (slot.expert_id, slot.start.replace(second=0, microsecond=0))
                if key not in self.slots:
                    self.slots[key] = slot
                    created += 1
            return created, len(slots) - created

    def slots_version(self, expert_id: str) -> int:
        self.calls.append("slots_version")
        return self.versions.get(expert_id, 0)

    def add_slots_if_unchanged(
        self, expert_id: str, slots: Sequence[Slot], seen_version: int, change_id: str | None = None
    ) -> None:
        self.calls.append("add_slots_if_unchanged")
        with self._lock:
            keys = [(s.expert_id, s.start.replace(second=0, microsecond=0)) for s in slots]
            if change_id is not None and self.last_slot_change.get(expert_id) == change_id:
                return  # this write was applied already
            if self.versions.get(expert_id, 0) != seen_version or any(k in self.slots for k in keys):
                raise SlotsChanged()
            self.versions[expert_id] = seen_version + 1
            if change_id is not None:
                self.last_slot_change[expert_id] = change_id
            self.slots.update(zip(keys, slots, strict=True))

    def import_slots(self, slots: Sequence[Slot]) -> int:
        return self.add_slots(slots)[0]

    def list_slots(self, expert_id: str, start: datetime, end: datetime, *, consistent: bool = False) -> list[Slot]:
        self.calls.append("list_slots")
        found = [s for (eid, _), s in self.slots.items() if eid == expert_id and start <= s.start < end]
        return sorted(found, key=lambda s: s.start)

    def create_booking(self, booking: Booking, **terms: Unpack[BookingTerms]) -> None:
        not_before, now = terms["not_before"], terms["now"]
        idempotency, hold_limit = terms.get("idempotency"), terms.get("hold_limit", 0)
        self.calls.append("create_booking")
        with self._lock:
            if idempotency is not None and idempotency.key in self.idempotency:
                raise IdempotencyKeyExists(self.idempotency[idempotency.key])
            slot = self._free_slot_for(booking, not_before, now)
            if booking.id in self.bookings:
                raise RuntimeError("booking id collision")
            counted = booking.hold_counters if booking.hold_expires_at is not None and hold_limit else ()
            for counter in counted:
                n, reset_at = self.hold_counts.get(counter, (0, now))
                if reset_at > now and n >= hold_limit:
                    raise TooManyHolds(reset_at)
            for counter in counted:
                n, reset_at = self.hold_counts.get(counter, (0, now))
                self.hold_counts[counter] = (n + 1 if reset_at > now else 1, booking.hold_expires_at or now)
            self.slots[(slot.expert_id, slot.start)] = replace(
                slot, booking_id=booking.id, hold_expires_at=booking.hold_expires_at
            )
            self.bookings[booking.id] = booking
            if idempotency is not None:
                self.idempotency[idempotency.key] = idempotency

    def _free_slot_for(self, booking: Booking, not_before: datetime, now: datetime) -> Slot:
        """The slot `booking` would hold, if it may (the same refusals as DynamoDB's conditions)."""
        slot = self.slots.get((booking.expert_id, booking.slot_start.replace(second=0, microsecond=0)))
        if slot is None or slot.start != booking.slot_start:
            raise SlotNotFound("This expert has no slot at that time.")
        if slot.held_at(now) or slot.start < not_before:
            raise SlotUnavailable("This slot is no longer available.")
        if slot.end != booking.slot_end:
            raise SlotEndMismatch(slot.end)
        return slot

    def move_booking(self, before: Booking, after: Booking, **terms: Unpack[BookingTerms]) -> None:
        not_before, now = terms["not_before"], terms["now"]
        self.calls.append("move_booking")
        with self._lock:
            new = self._free_slot_for(after, not_before, now)
            stored = self.bookings.get(before.id)
            old = self.slots.get((before.expert_id, before.slot_start))
            unchanged = stored is not None and (stored.status, stored.slot_start) == (before.status, before.slot_start)
            if (
                not unchanged
                or stored is None
                or stored.hold_expired(now)
                or old is None
                or old.booking_id != before.id
            ):
                raise InvalidTransition("The booking changed meanwhile; reload and try again.")
            self.slots[(old.expert_id, old.start)] = replace(old, booking_id=None, hold_expires_at=None)
            self.slots[(new.expert_id, new.start)] = replace(
                new, booking_id=after.id, hold_expires_at=after.hold_expires_at
            )
            self.bookings[after.id] = after

    def _uncount(self, booking: Booking) -> None:
        for counter in booking.hold_counters:
            n, reset_at = self.hold_counts[counter]
            self.hold_counts[counter] = (n - 1, reset_at)

    def make_hold_firm(self, before: Booking, after: Booking, now: datetime) -> None:
        self.calls.append("make_hold_firm")
        with self._lock:
            stored = self.bookings.get(before.id)
            key = (before.expert_id, before.slot_start)
            slot = self.slots.get(key)
            live = stored is not None and stored.hold_expires_at is not None and stored.hold_expires_at > now
            if not live or stored is None or stored.status is not before.status:
                raise HoldRefused()
            if slot is None or slot.booking_id != before.id:
                raise HoldRefused()
            self.bookings[before.id] = replace(
                stored,
                status=after.status,
                email_verified=after.email_verified,
                hold_expires_at=None,
                updated_at=after.updated_at,
            )
            self.slots[key] = replace(slot, hold_expires_at=None)
            self._uncount(before)

    def record_verified(self, booking_id: str, at: datetime) -> None:
        with self._lock:
            self.bookings[booking_id] = replace(self.bookings[booking_id], email_verified=True, updated_at=at)

    def due_holds(self, now: datetime, limit: int) -> list[Booking]:
        due = [
            b
            for b in self.bookings.values()
            if b.status is Status.PENDING and b.hold_expires_at is not None and b.hold_expires_at <= now
        ]
        return sorted(due, key=lambda b: (b.hold_expires_at, b.id))[:limit]

    def expire_hold(self, booking: Booking, now: datetime) -> bool:
        with self._lock:
            stored = self.bookings.get(booking.id)
            if stored is None or not stored.hold_expired(now):
                return False
            self.bookings[booking.id] = replace(stored, status=Status.EXPIRED, updated_at=now)
            key = (booking.expert_id, booking.slot_start)
            slot = self.slots.get(key)
            if slot is not None and slot.booking_id == booking.id:
                self.slots[key] = replace(slot, booking_id=None, hold_expires_at=None)
            return True

    def get_booking(self, booking_id: str) -> Booking | None:
        self.calls.append("get_booking")
        return self.bookings.get(booking_id)

    def save_transition(self, before: Booking, after: Booking) -> None:
        self.calls.append("save_transition")
        with self._lock:
            stored = self.bookings.get(before.id)
            key = (before.expert_id, before.slot_start)
            releasing = after.status in RELEASING
            if stored is None or stored.status is not before.status or stored.hold_expired(after.updated_at):
                raise InvalidTransition("The booking changed meanwhile; reload and try again.")
            if releasing and (key not in self.slots or self.slots[key].booking_id != before.id):
                raise InvalidTransition("The booking changed meanwhile; reload and try again.")
            self.bookings[before.id] = replace(stored, status=after.status, updated_at=after.updated_at)
            if releasing:
                self.slots[key] = replace(self.slots[key], booking_id=None, hold_expires_at=None)
                if stored.status is Status.PENDING and stored.hold_expires_at is not None:
                    self._uncount(stored)

    def set_status(self, booking_id: str, target: Status, at: datetime, **terms: Unpack[StatusTerms]) -> Booking:
        # A change_id is accepted for the contract's sake: there are no lost responses in memory.
        sources, started_by = terms["sources"], terms["started_by"]
        self.calls.append("set_status")
        with self._lock:
            stored = self.bookings.get(booking_id)
            if stored is None or stored.status not in sources or stored.hold_expires_at is not None:
                raise StatusRefused(stored)
            if started_by is not None and stored.slot_start > started_by:
                raise StatusRefused(stored)
            self.bookings[booking_id] = replace(stored, status=target, updated_at=at)
            return self.bookings[booking_id]

    def get_idempotency(self, key: str) -> IdempotencyRecord | None:
        return self.idempotency.get(key)

    def list_bookings(self, query: BookingQuery) -> tuple[list[Booking], dict[str, str] | None]:
        found = sorted(
            (
                b
                for b in self.bookings.values()
                if (query.expert_id is None or b.expert_id == query.expert_id)
                and (query.status is None or b.status is query.status)
                and (query.start is None or b.slot_start >= query.start)
                and (query.end is None or b.slot_start <= query.end)
            ),
            key=lambda b: (b.slot_start, b.id),
        )
        if query.cursor:
            found = [b for b in found if (b.slot_start, b.id) > (parse_instant(query.cursor["at"]), query.cursor["id"])]
        page = found[: query.limit]
        more = len(found) > query.limit
        return page, ({"at": instant(page[-1].slot_start), "id": page[-1].id} if more else None)

    def count_access_link(self, email: str, now: datetime, limit: int) -> bool:
        key = (email.lower(), now.strftime("%Y-%m-%dT%H"))
        if self.link_counts.get(key, 0) >= limit:
            return False
        self.link_counts[key] = self.link_counts.get(key, 0) + 1
        return True

    def claim_email(self, event_key: str, now: datetime) -> bool:
        if self.emails.get(event_key) == "sent":
            return False
        self.emails[event_key] = "sending"
        return True

    def mark_email(self, event_key: str, state: str) -> None:
        self.emails[event_key] = state

    def bookings_for_email(self, email: str) -> list[Booking]:
        found = [b for b in self.bookings.values() if b.email == email.lower()]
        return sorted(found, key=lambda b: (b.slot_start, b.id))

    def put_availability(self, expert_id: str, rule: Availability, now: datetime) -> None:
        self.calls.append("put_availability")
        self.availability[expert_id] = rule

    def get_availability(self, expert_id: str) -> Availability | None:
        return self.availability.get(expert_id)

    def experts_with_availability(self) -> list[str]:
        self.calls.append("experts_with_availability")
        return sorted(self.availability)

    def delete_free_slots(self, expert_id: str, starts: Sequence[datetime]) -> tuple[int, list[datetime]]:
        with self._lock:
            deleted, held = 0, []
            for start in starts:
                slot = self.slots.get((expert_id, start))
                if slot is not None and slot.booking_id is not None:
                    held.append(start)
                elif slot is not None:
                    del self.slots[(expert_id, start)]
                    deleted += 1
            return deleted, held

    def confirmed_starting(self, after: datetime, until: datetime) -> list[Booking]:
        # Whole seconds, as the index's sort key: starts within `after`'s second are not "after" it.
        low = after.replace(microsecond=0)
        found = [b for b in self.bookings.values() if b.status is Status.CONFIRMED and low < b.slot_start <= until]
        return sorted(found, key=lambda b: (b.slot_start, b.id))

    def claim_email_once(self, event_key: str, now: datetime, lease: timedelta) -> bool:
        with self._lock:
            state = self.emails.get(event_key)
            stale = state == "sending" and self.email_claimed_at[event_key] < now - lease
            transient = state == "failed" and self.failed_email_reasons[event_key].startswith("transient:")
            if state is not None and not stale and not transient:
                return False
            self.emails[event_key] = "sending"
            self.email_claimed_at[event_key] = now
            return True

    def record_email_failure(self, failure: FailedEmail) -> None:
        with self._lock:
            self.emails[failure.event_key] = "failed"
            self.failed_email_reasons[failure.event_key] = failure.reason

    def join_waitlist(self, entry: WaitlistEntry, limits: Sequence[tuple[str, int]], now: datetime) -> str:
        hour = now.strftime("%Y-%m-%dT%H")
        key = (entry.expert_id, entry.date, entry.digest)
        with self._lock:
            full = [counter for counter, limit in limits if self.waitlist_counts.get((counter, hour), 0) >= limit]
            if any(counter.startswith("ip:") for counter in full):
                return JoinOutcome.IP_LIMITED
            stored = self.waitlists.get(key)
            if stored is not None and stored.verified_at is not None:
                return JoinOutcome.ALREADY_VERIFIED
            if full:
                return JoinOutcome.EMAIL_LIMITED
            for counter, _ in limits:
                self.waitlist_counts[(counter, hour)] = self.waitlist_counts.get((counter, hour), 0) + 1
            created = stored.created_at if stored else entry.created_at
            self.waitlists[key] = replace(entry, created_at=created)
            self.waitlist_asks[key] = self.waitlist_asks.get(key, 0) + 1
            return JoinOutcome.JOINED

    def verify_waitlist_entry(
        self, expert_id: str, day: date, digest: str, now: datetime, expires_at: datetime
    ) -> WaitlistEntry | None:
        key = (expert_id, day, digest)
        with self._lock:
            stored = self.waitlists.get(key)
            if stored is None or (stored.verified_at is None and stored.expires_at <= now):
                return None
            self.waitlists[key] = replace(stored, verified_at=stored.verified_at or now, expires_at=expires_at)
            return self.waitlists[key]

    def waitlist(self, expert_id: str, day: date) -> list[WaitlistEntry]:
        return [e for (eid, d, _), e in self.waitlists.items() if eid == expert_id and d == day]
