"""Reminders (issue 12): confirmed bookings about to start (GSI3, time-ordered) and a claim on a
reminder's email marker that a concurrent run cannot take over."""

from __future__ import annotations

from datetime import datetime, timedelta

from chalicelib.db import items, keys
from chalicelib.db.dynamo import Table
from chalicelib.db.table import GSI3
from chalicelib.domain import Booking, Status


class ReminderTable(Table):
    def confirmed_starting(self, after: datetime, until: datetime) -> list[Booking]:
        """Confirmed bookings starting after `after` and by `until`, earliest first: one Query of the
        all-bookings index (GSI3) over that window; the status filter drops the rest."""
        found = self._query(
            IndexName=GSI3,
            KeyConditionExpression="GSI3PK = :all AND GSI3SK BETWEEN :low AND :high",
            FilterExpression="#status = :confirmed",
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues={
                ":all": {"S": keys.ALL_BOOKINGS},
                ":low": {"S": keys.booking_order_bound(after) + "#~"},  # strictly after `after`'s second
                ":high": {"S": keys.booking_order_bound(until) + "#~"},
                ":confirmed": {"S": Status.CONFIRMED.value},
            },
        )
        return [items.booking_from(item) for item in found]

    def claim_email_once(self, event_key: str, now: datetime, lease: timedelta) -> bool:
        """Claim the email for `event_key` unless it was sent, failed for good, or another run claimed it
        less than `lease` ago (the stream's claim_email lets a retry take over a `sending` marker at
        once; two scheduled runs at the same time must not). A transient failure may be claimed again."""
        try:
            self._put(
                {
                    **items.key(keys.email_marker(event_key)),
                    "type": {"S": "email"},
                    "state": {"S": "sending"},
                    "claimedAt": {"S": items.instant(now)},
                    "expiresAt": {"N": str(int((now + timedelta(days=30)).timestamp()))},
                },
                ConditionExpression=(
                    "attribute_not_exists(PK)"
                    " OR (#state = :sending AND claimedAt < :stale)"
                    " OR (#state = :failed AND begins_with(reason, :transient))"
                ),
                ExpressionAttributeNames={"#state": "state"},
                ExpressionAttributeValues={
                    ":sending": {"S": "sending"},
                    ":stale": {"S": items.instant(now - lease)},
                    ":failed": {"S": "failed"},
                    ":transient": {"S": "transient:"},
                },
            )
            return True
        except self._client.exceptions.ConditionalCheckFailedException:
            return False
