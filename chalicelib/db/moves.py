"""Moving a booking to another slot of its expert (reschedule): one transaction or nothing."""

from __future__ import annotations

from typing import Any, Unpack

from chalicelib.db import items, keys
from chalicelib.db.bookings import BookingTable
from chalicelib.db.dynamo import Contended, new_change_id, stamped
from chalicelib.domain import Booking, BookingTerms
from chalicelib.errors import InvalidTransition, ServiceUnavailable, SlotUnavailable


class MoveTable(BookingTable):
    def move_booking(self, before: Booking, after: Booking, **terms: Unpack[BookingTerms]) -> None:
        """Hold `after`'s slot, free `before`'s and rewrite the booking (its index keys follow the new
        start), in one transaction: each part is conditional, so either all happen or none.

        Refusals: the new slot's (SlotNotFound, SlotUnavailable, SlotEndMismatch, as for a new booking);
        the booking or its old slot changed meanwhile (InvalidTransition). A lost response is resolved
        by the change id the rewritten booking carries."""
        not_before, now = terms["not_before"], terms["now"]
        change_id = new_change_id()
        booking_item = {**items.booking_item(after), "changeId": {"S": change_id}}
        ops: list[dict[str, Any]] = [
            {"Update": self._hold_slot(after, not_before, now)},
            {"Update": self._release_slot(before)},
            {
                "Put": {
                    "TableName": self._table,
                    "Item": booking_item,
                    # Still where and as it was read: same status, same start, hold (if any) not run out.
                    "ConditionExpression": "#status = :status AND slotStart = :start AND "
                    "(attribute_not_exists(holdExpiresAt) OR holdExpiresAt > :now)",
                    "ExpressionAttributeNames": {"#status": "status"},
                    "ExpressionAttributeValues": {
                        ":status": {"S": before.status.value},
                        ":start": {"S": items.instant(before.slot_start)},
                        ":now": {"S": items.instant(now)},
                    },
                    "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
                }
            },
        ]
        try:
            reasons = self._transact(ops, landed=self._has_change(keys.booking(after.id), change_id))
        except Contended:
            # Others kept writing these items: say so plainly when the new slot has another holder now.
            if self._slot_holder(after, now) not in (None, after.id):
                raise SlotUnavailable("This slot is no longer available.") from None
            raise
        if reasons is None or stamped(reasons[2].get("Item"), change_id):
            return
        if not any(r.get("Code") == "ConditionalCheckFailed" for r in reasons):
            raise ServiceUnavailable()
        if reasons[0].get("Code") == "ConditionalCheckFailed":
            raise self._booking_failure(reasons[:1], after, not_before, now)
        raise InvalidTransition("The booking changed meanwhile; reload and try again.")
