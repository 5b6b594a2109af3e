"""Bookings: the race-proof booking transaction (slot + booking + idempotency + hold counters) and reads."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any, Unpack

from chalicelib.db import holds, items, keys
from chalicelib.db.dynamo import ALL_OLD, TRANSACTION_ATTEMPTS, Contended, Table, failed
from chalicelib.domain import Booking, BookingTerms, IdempotencyRecord
from chalicelib.errors import (
    IdempotencyKeyExists,
    NotApplied,
    ServiceUnavailable,
    SlotEndMismatch,
    SlotNotFound,
    SlotUnavailable,
    TooManyHolds,
    UnknownOutcome,
)

log = logging.getLogger(__name__)


class BookingTable(Table):
    def create_booking(self, booking: Booking, **terms: Unpack[BookingTerms]) -> None:
        """Hold the slot and write the booking (and idempotency record) in one transaction; an
        unverified hold also counts against its client's counters (at most `hold_limit` each).

        A counter either starts a new window (none live) or counts within the live one; which one
        applies is learnt from the refused write's old item, so a first booking takes one call."""
        not_before, now = terms["not_before"], terms["now"]
        idempotency, hold_limit = terms.get("idempotency"), terms.get("hold_limit", 0)
        counted = booking.hold_counters if booking.hold_expires_at is not None and hold_limit else ()
        fresh = dict.fromkeys(counted, True)
        for _ in range(TRANSACTION_ATTEMPTS):
            ops: list[dict[str, Any]] = [
                {"Update": self._hold_slot(booking, not_before, now)},
                {"Put": self._put_new(items.booking_item(booking))},
            ]
            if idempotency is not None:
                ops.append({"Put": {**self._put_new(items.idempotency_item(idempotency)), **ALL_OLD}})
            first_counter = len(ops)
            ops += [
                {"Update": holds.count_hold_op(self._table, c, fresh[c], booking, now, hold_limit)} for c in counted
            ]
            try:
                reasons = self._transact(ops, landed=lambda: self.get_booking(booking.id) is not None)
            except (Contended, UnknownOutcome) as busy:
                # Many clients at one slot: conflicts (or no answer in time, and this booking is not
                # stored) mean others were writing it. Say what the slot holds now rather than "busy".
                log.warning("booking transaction %s; reading the slot", type(busy).__name__)
                try:
                    holder = self._slot_holder(booking, now)
                except ServiceUnavailable:
                    raise busy from None  # no more known than before: unknown stays unknown
                if holder == booking.id:
                    return
                if holder is not None:
                    raise SlotUnavailable("This slot is no longer available.") from None
                # The slot is free, so this booking (written with it in one transaction) is not stored.
                raise busy if isinstance(busy, Contended) else NotApplied() from None
            if reasons is None or self._applied_earlier(reasons, booking):
                return
            if any(r.get("Code") == "ConditionalCheckFailed" for r in reasons[:first_counter]):
                raise self._booking_failure(reasons, booking, not_before, now)
            refused = [(c, r) for c, r in zip(counted, reasons[first_counter:], strict=True) if failed(r)]
            if not refused:
                raise ServiceUnavailable()
            for counter, reason in refused:
                old = reason.get("Item") or {}
                reset_at = items.parse_instant(old["resetAt"]["S"]) if "resetAt" in old else None
                live = reset_at is not None and reset_at > now
                if live and reset_at is not None and int(old["n"]["N"]) >= hold_limit:
                    raise TooManyHolds(reset_at)
                fresh[counter] = not live
        raise ServiceUnavailable()

    def _slot_holder(self, booking: Booking, now: datetime) -> str | None:
        """The booking holding the slot now (an expired hold holds nothing), read consistently."""
        found = self._on_item(
            "get_item",
            keys.slot(booking.expert_id, booking.slot_start),
            ConsistentRead=True,
        )
        if "Item" not in found:
            return None
        slot = items.slot_from(found["Item"])
        return slot.booking_id if slot.held_at(now) else None

    def _put_new(self, item: dict[str, Any]) -> dict[str, Any]:
        return {"TableName": self._table, "Item": item, "ConditionExpression": "attribute_not_exists(PK)"}

    @staticmethod
    def _applied_earlier(reasons: list[dict[str, Any]], booking: Booking) -> bool:
        """True when the slot is held by this very booking: an earlier attempt of this call was
        applied but its response was lost, and botocore retried it."""
        held_by: str | None = (reasons[0].get("Item") or {}).get("bookingId", {}).get("S")
        return held_by == booking.id

    def _hold_slot(self, booking: Booking, not_before: datetime, now: datetime) -> dict[str, Any]:
        """Take the slot if it is free, or held by an unverified hold that has expired (free at once,
        whatever the sweep has done); an unverified booking's hold expiry goes on the slot."""
        values = {
            ":booking": {"S": booking.id},
            ":start": {"S": items.instant(booking.slot_start)},
            ":end": {"S": items.instant(booking.slot_end)},
            ":notBefore": {"S": items.instant(not_before)},
            ":now": {"S": items.instant(now)},
        }
        if booking.hold_expires_at is not None:
            update = "SET bookingId = :booking, holdExpiresAt = :expires"
            values[":expires"] = {"S": items.instant(booking.hold_expires_at)}
        else:
            update = "SET bookingId = :booking REMOVE holdExpiresAt"
        return {
            "TableName": self._table,
            "Key": items.key(keys.slot(booking.expert_id, booking.slot_start)),
            "UpdateExpression": update,
            "ConditionExpression": (
                "attribute_exists(PK) AND (attribute_not_exists(bookingId) OR holdExpiresAt <= :now)"
                " AND #start = :start AND #start >= :notBefore AND #end = :end"
            ),
            "ExpressionAttributeNames": {"#start": "start", "#end": "end"},
            "ExpressionAttributeValues": values,
            **ALL_OLD,
        }

    def _release_slot(self, booking: Booking) -> dict[str, Any]:
        """Free the booking's slot, if this booking still holds it (a transaction's Update)."""
        return {
            "TableName": self._table,
            "Key": items.key(keys.slot(booking.expert_id, booking.slot_start)),
            "UpdateExpression": "REMOVE bookingId, holdExpiresAt",
            "ConditionExpression": "bookingId = :booking",
            "ExpressionAttributeValues": {":booking": {"S": booking.id}},
        }

    @staticmethod
    def _booking_failure(
        reasons: list[dict[str, Any]], booking: Booking, not_before: datetime, now: datetime
    ) -> Exception:
        if (
            len(reasons) > 2
            and reasons[2].get("Code") == "ConditionalCheckFailed"
            and "key" in (reasons[2].get("Item") or {})
        ):
            return IdempotencyKeyExists(items.idempotency_from(reasons[2]["Item"]))
        slot_reason = reasons[0]
        if slot_reason.get("Code") != "ConditionalCheckFailed":
            return ServiceUnavailable()
        old = slot_reason.get("Item")
        if not old:
            return SlotNotFound("This expert has no slot at that time.")
        slot = items.slot_from(old)
        if slot.start != booking.slot_start:
            return SlotNotFound("This expert has no slot at that time.")
        if slot.held_at(now) or slot.start < not_before:
            return SlotUnavailable("This slot is no longer available.")
        return SlotEndMismatch(slot.end)

    def get_booking(self, booking_id: str) -> Booking | None:
        found = self._on_item("get_item", keys.booking(booking_id), ConsistentRead=True)
        return items.booking_from(found["Item"]) if "Item" in found else None

    def get_idempotency(self, key: str) -> IdempotencyRecord | None:
        found = self._on_item("get_item", keys.idempotency(key))
        return items.idempotency_from(found["Item"]) if "Item" in found else None
