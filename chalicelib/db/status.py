"""Status changes: confirm/complete in one conditional write, cancel/expire with the slot released."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any, Unpack

from chalicelib.db import holds, items, keys
from chalicelib.db.bookings import BookingTable
from chalicelib.db.dynamo import new_change_id, stamped
from chalicelib.domain import RELEASING, Booking, Status, StatusTerms
from chalicelib.errors import InvalidTransition, NotApplied, ServiceUnavailable, StatusRefused, UnknownOutcome

log = logging.getLogger(__name__)


class StatusTable(BookingTable):
    def save_transition(self, before: Booking, after: Booking) -> None:
        """Write `after` if the stored booking is still in `before.status`; cancelling releases the slot.

        The booking keeps a random `changeId`, so when botocore retries a transaction that was applied
        but whose response was lost, the refusal it meets is recognised as this write's own success."""
        change_id = new_change_id()
        ops: list[dict[str, Any]] = [
            {
                "Update": {
                    "TableName": self._table,
                    "Key": items.key(keys.booking(before.id)),
                    "UpdateExpression": (
                        "SET #status = :to, updatedAt = :at, changeId = :change REMOVE GSI4PK, GSI4SK"
                    ),
                    # An unverified hold that ran out is expired, not cancellable.
                    "ConditionExpression": "#status = :from AND (attribute_not_exists(holdExpiresAt)"
                    " OR holdExpiresAt > :at OR #status <> :pending)",
                    "ExpressionAttributeNames": {"#status": "status"},
                    "ExpressionAttributeValues": {
                        ":to": {"S": after.status.value},
                        ":from": {"S": before.status.value},
                        ":pending": {"S": Status.PENDING.value},
                        ":at": {"S": items.instant(after.updated_at)},
                        ":change": {"S": change_id},
                    },
                    "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
                }
            }
        ]
        if after.status in RELEASING:
            ops.append({"Update": self._release_slot(before)})
            if before.status is Status.PENDING and before.hold_expires_at is not None:
                ops += holds.uncount_ops(self._table, before)
        reasons = self._transact(ops, landed=self._has_change(keys.booking(before.id), change_id))
        if reasons is None or stamped(reasons[0].get("Item"), change_id):
            return
        if "ConditionalCheckFailed" not in {r.get("Code") for r in reasons}:
            raise ServiceUnavailable()
        raise InvalidTransition("The booking changed meanwhile; reload and try again.")

    def set_status(self, booking_id: str, target: Status, at: datetime, **terms: Unpack[StatusTerms]) -> Booking:
        """One conditional UpdateItem: the booking moves to `target` if its status is one of `sources`
        (and, with `started_by`, its session started by then). Raises StatusRefused with the stored
        booking (None when there is none) otherwise. The write stamps a change id on the item, so a
        refusal caused by this very write (applied, response lost, retried by botocore) is a success."""
        sources, started_by = terms["sources"], terms["started_by"]
        change_id = terms.get("change_id") or new_change_id()
        names = sorted(source.value for source in sources)
        values: dict[str, Any] = {f":from{i}": {"S": name} for i, name in enumerate(names)}
        values.update({":to": {"S": target.value}, ":at": {"S": items.instant(at)}, ":change": {"S": change_id}})
        # Only a firm booking moves in one write; an unverified hold is made firm by make_hold_firm.
        condition = (
            f"attribute_exists(PK) AND #status IN ({', '.join(f':from{i}' for i in range(len(names)))})"
            " AND attribute_not_exists(holdExpiresAt)"
        )
        if started_by is not None:
            condition += " AND slotStart <= :started"
            values[":started"] = {"S": items.instant(started_by)}
        try:
            updated = self._on_item(
                "update_item",
                keys.booking(booking_id),
                UpdateExpression="SET #status = :to, updatedAt = :at, changeId = :change",
                ConditionExpression=condition,
                ExpressionAttributeNames={"#status": "status"},
                ExpressionAttributeValues=values,
                ReturnValues="ALL_NEW",
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
        except UnknownOutcome:
            if not self._resolve(self._has_change(keys.booking(booking_id), change_id)):
                raise NotApplied() from None
            return self._booking_or_fail(booking_id)
        except self._client.exceptions.ConditionalCheckFailedException as exc:
            old = exc.response.get("Item")
            if old and stamped(old, change_id):
                return items.booking_from(old)
            raise StatusRefused(items.booking_from(old) if old else None) from None
        return items.booking_from(updated["Attributes"])

    def _booking_or_fail(self, booking_id: str) -> Booking:
        found = self.get_booking(booking_id)
        if found is None:
            raise ServiceUnavailable()
        return found
