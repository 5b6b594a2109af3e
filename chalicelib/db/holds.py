"""Unverified holds: made firm (verification or admin confirmation), found when due (GSI4) and
expired by the sweep; and the per-client hold counters inside the booking transaction."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from chalicelib.db import items, keys
from chalicelib.db.dynamo import ALL_OLD, Table, failed, new_change_id, stamped
from chalicelib.db.table import GSI4, TTL_ATTRIBUTE
from chalicelib.domain import Booking, Status
from chalicelib.errors import HoldRefused, ServiceUnavailable

log = logging.getLogger(__name__)


class HoldTable(Table):
    def make_hold_firm(self, before: Booking, after: Booking, now: datetime) -> None:
        """An unverified, unexpired hold becomes firm (the email was verified, or an admin confirmed
        it) in one transaction that fails if the hold has expired meanwhile: the booking takes
        `after`'s status and verification, the slot keeps the booking for good, the client's
        counters are given back. Raises HoldRefused when the hold expired or the booking changed."""
        change_id = new_change_id()
        at = {":now": {"S": items.instant(now)}}
        booking_update = {
            "TableName": self._table,
            "Key": items.key(keys.booking(before.id)),
            "UpdateExpression": (
                "SET #status = :to, emailVerified = :verified, updatedAt = :at, changeId = :change"
                " REMOVE holdExpiresAt, GSI4PK, GSI4SK"
            ),
            "ConditionExpression": "#status = :from AND holdExpiresAt > :now",
            "ExpressionAttributeNames": {"#status": "status"},
            "ExpressionAttributeValues": {
                ":to": {"S": after.status.value},
                ":from": {"S": before.status.value},
                ":verified": {"BOOL": after.email_verified},
                ":at": {"S": items.instant(after.updated_at)},
                ":change": {"S": change_id},
                **at,
            },
            **ALL_OLD,
        }
        slot_update = {
            "TableName": self._table,
            "Key": items.key(keys.slot(before.expert_id, before.slot_start)),
            "UpdateExpression": "REMOVE holdExpiresAt",
            "ConditionExpression": "bookingId = :booking AND holdExpiresAt > :now",
            "ExpressionAttributeValues": {":booking": {"S": before.id}, **at},
        }
        ops = [{"Update": booking_update}, {"Update": slot_update}, *uncount_ops(self._table, before)]
        reasons = self._transact(ops, landed=self._has_change(keys.booking(before.id), change_id))
        if reasons is None or stamped(reasons[0].get("Item"), change_id):
            return
        if "ConditionalCheckFailed" not in {r.get("Code") for r in reasons}:
            raise ServiceUnavailable()
        raise HoldRefused()

    def record_verified(self, booking_id: str, at: datetime) -> None:
        """Note that a firm booking's email was proven (verification off: nothing else changes)."""
        self._on_item(
            "update_item",
            keys.booking(booking_id),
            UpdateExpression="SET emailVerified = :true, updatedAt = :at",
            ConditionExpression="attribute_exists(PK)",
            ExpressionAttributeValues={":true": {"BOOL": True}, ":at": {"S": items.instant(at)}},
        )

    def due_holds(self, now: datetime, limit: int) -> list[Booking]:
        """Unverified bookings whose hold expired by `now`, oldest first (GSI4, sparse)."""
        page = self._call(
            "query",
            TableName=self._table,
            IndexName=GSI4,
            KeyConditionExpression="GSI4PK = :due AND GSI4SK <= :bound",
            ExpressionAttributeValues={
                ":due": {"S": keys.DUE_HOLDS},
                ":bound": {"S": keys.booking_order_bound(now) + "#~"},
            },
            Limit=limit,
        )
        return [items.booking_from(item) for item in page.get("Items", [])]

    def expire_hold(self, booking: Booking, now: datetime) -> bool:
        """Mark an unverified booking whose hold ran out `expired` and free its slot, unless another
        booking took the slot meanwhile (then only the booking is marked). False when the booking was
        no longer an expired pending hold (verified, confirmed, cancelled, or already expired)."""
        booking_update = {
            "TableName": self._table,
            "Key": items.key(keys.booking(booking.id)),
            "UpdateExpression": "SET #status = :expired, updatedAt = :now REMOVE GSI4PK, GSI4SK",
            "ConditionExpression": "#status = :pending AND holdExpiresAt <= :now",
            "ExpressionAttributeNames": {"#status": "status"},
            "ExpressionAttributeValues": {
                ":expired": {"S": Status.EXPIRED.value},
                ":pending": {"S": Status.PENDING.value},
                ":now": {"S": items.instant(now)},
            },
        }
        slot_update = {
            "TableName": self._table,
            "Key": items.key(keys.slot(booking.expert_id, booking.slot_start)),
            "UpdateExpression": "REMOVE bookingId, holdExpiresAt",
            "ConditionExpression": "bookingId = :booking AND holdExpiresAt <= :now",
            "ExpressionAttributeValues": {":booking": {"S": booking.id}, ":now": {"S": items.instant(now)}},
        }
        reasons = self._transact([{"Update": booking_update}, {"Update": slot_update}])
        if reasons is None:
            return True
        if failed(reasons[0]):
            return False
        if not failed(reasons[1]):
            raise ServiceUnavailable()
        try:  # the slot was taken by a later booking: only the expired one is written down
            self._call("update_item", **booking_update)
        except self._client.exceptions.ConditionalCheckFailedException:
            return False
        return True


def count_hold_op(table: str, counter: str, fresh: bool, booking: Booking, now: datetime, limit: int) -> dict[str, Any]:
    """Count one more unverified hold for a client: start a window when none is live, else count
    within it, below `limit`. The window lasts until the newest counted hold expires."""
    expires = booking.hold_expires_at or now
    values = {
        ":one": {"N": "1"},
        ":now": {"S": items.instant(now)},
        ":reset": {"S": items.instant(expires)},
        ":ttl": {"N": str(int((expires + timedelta(days=1)).timestamp()))},
    }
    if fresh:
        update, condition = "SET n = :one", "attribute_not_exists(n) OR resetAt <= :now"
    else:
        update, condition = "SET n = n + :one", "n < :limit AND resetAt > :now"
        values[":limit"] = {"N": str(limit)}
    return {
        "TableName": table,
        "Key": items.key(keys.hold_counter(counter)),
        "UpdateExpression": f"{update}, resetAt = :reset, {TTL_ATTRIBUTE} = :ttl",
        "ConditionExpression": condition,
        "ExpressionAttributeValues": values,
        **ALL_OLD,
    }


def uncount_ops(table: str, booking: Booking) -> list[dict[str, Any]]:
    """Give back the counters of a live unverified hold that becomes firm or is cancelled (a live
    hold was always counted in its counter's current window)."""
    return [
        {
            "Update": {
                "TableName": table,
                "Key": items.key(keys.hold_counter(counter)),
                "UpdateExpression": "ADD n :minus",
                "ExpressionAttributeValues": {":minus": {"N": "-1"}},
            }
        }
        for counter in booking.hold_counters
    ]
