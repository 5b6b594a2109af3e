"""Email bookkeeping: access-link counters, once-per-event markers, failed emails and resend requests."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from chalicelib.db import items, keys
from chalicelib.db.dynamo import Table
from chalicelib.db.table import GSI4
from chalicelib.domain import FailedEmail

log = logging.getLogger(__name__)


class EmailTable(Table):
    def count_access_link(self, email: str, now: datetime, limit: int) -> bool:
        """Count a magic-link request for this email in the current hour; False over `limit`.

        The counter item also carries the address, so its stream record tells the email
        consumer where to send the link."""
        hour = now.replace(minute=0, second=0, microsecond=0)
        try:
            self._on_item(
                "update_item",
                keys.access_link_counter(email, hour),
                UpdateExpression="ADD #count :one SET email = :email, #type = :type, expiresAt = :ttl",
                ConditionExpression="attribute_not_exists(#count) OR #count < :limit",
                ExpressionAttributeNames={"#count": "count", "#type": "type"},
                ExpressionAttributeValues={
                    ":one": {"N": "1"},
                    ":limit": {"N": str(limit)},
                    ":email": {"S": email.lower()},
                    ":type": {"S": "access_link"},
                    ":ttl": {"N": str(int((hour + timedelta(hours=2)).timestamp()))},
                },
            )
            return True
        except self._client.exceptions.ConditionalCheckFailedException:
            return False

    def claim_email(self, event_key: str, now: datetime) -> bool:
        """Claim the right to send the email for `event_key`; False when it was already sent."""
        try:
            self._put(
                {
                    **items.key(keys.email_marker(event_key)),
                    "type": {"S": "email"},
                    "state": {"S": "sending"},
                    "expiresAt": {"N": str(int((now + timedelta(days=30)).timestamp()))},
                },
                ConditionExpression="attribute_not_exists(PK) OR #state <> :sent",
                ExpressionAttributeNames={"#state": "state"},
                ExpressionAttributeValues={":sent": {"S": "sent"}},
            )
            return True
        except self._client.exceptions.ConditionalCheckFailedException:
            return False

    def mark_email(self, event_key: str, state: str) -> None:
        self._on_item(
            "update_item",
            keys.email_marker(event_key),
            UpdateExpression="SET #state = :state",
            ExpressionAttributeNames={"#state": "state"},
            ExpressionAttributeValues={":state": {"S": state}},
        )

    def record_email_failure(self, failure: FailedEmail) -> None:
        """Keep a failed email's content on its marker and list it in GSI4 until a resend succeeds
        (claiming the event again replaces the marker, which drops both)."""
        attributes = list(items.failed_email_attributes(failure).items())
        self._on_item(
            "update_item",
            keys.email_marker(failure.event_key),
            UpdateExpression="SET " + ", ".join(f"#a{i} = :v{i}" for i in range(len(attributes))),
            ExpressionAttributeNames={f"#a{i}": name for i, (name, _) in enumerate(attributes)},
            ExpressionAttributeValues={f":v{i}": value for i, (_, value) in enumerate(attributes)},
        )

    def failed_emails(self, limit: int) -> list[FailedEmail]:
        page = self._call(
            "query",
            TableName=self._table,
            IndexName=GSI4,
            KeyConditionExpression="GSI4PK = :failed",
            ExpressionAttributeValues={":failed": {"S": keys.FAILED_EMAILS}},
            Limit=limit,
        )
        return [items.failed_email_from(item) for item in page.get("Items", [])]

    def request_resend(self, event_key: str) -> bool:
        """Ask the email consumer to send a failed email again (its marker's stream record carries the
        request); False when it is no longer failed."""
        try:
            self._on_item(
                "update_item",
                keys.email_marker(event_key),
                UpdateExpression="ADD resends :one",
                ConditionExpression="attribute_exists(GSI4PK)",
                ExpressionAttributeValues={":one": {"N": "1"}},
            )
        except self._client.exceptions.ConditionalCheckFailedException:
            return False
        return True
