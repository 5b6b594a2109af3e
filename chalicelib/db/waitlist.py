"""Waitlist items (issue 12, part 4): joining (one entry per email and date, counted against the
email's and the source IP's hourly limits, in one transaction), verifying an entry, reading a date's
entries. Entry: `PK = WAITLIST#<expert>#<date>`, `SK = ENTRY#<sha256(email)>`, TTL `expiresAt`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta, timezone
from typing import Any

from chalicelib.db import items, keys
from chalicelib.db.dynamo import Table, failed
from chalicelib.db.table import TTL_ATTRIBUTE
from chalicelib.errors import ServiceUnavailable
from chalicelib.waitlist import JoinOutcome, WaitlistEntry

ENTRY_TYPE = "waitlist"


def _epoch(instant: datetime) -> dict[str, str]:
    return {"N": str(int(instant.timestamp()))}


def entry_from(item: dict[str, Any]) -> WaitlistEntry:
    verified = item.get("verifiedAt", {}).get("S")
    return WaitlistEntry(
        expert_id=item["expertId"]["S"],
        date=date.fromisoformat(item["date"]["S"]),
        email=item["email"]["S"],
        created_at=items.parse_instant(item["createdAt"]["S"]),
        expires_at=datetime.fromtimestamp(int(item[TTL_ATTRIBUTE]["N"]), tz=timezone.utc),
        verified_at=items.parse_instant(verified) if verified else None,
    )


class WaitlistTable(Table):
    def join_waitlist(self, entry: WaitlistEntry, limits: Sequence[tuple[str, int]], now: datetime) -> str:
        """Add the entry, or ask again for an unverified one (its `asks` count goes up, which the email
        consumer answers with a verification link), counting the request on each (counter, limit) of
        this hour, all in one transaction: a verified entry or a full counter writes nothing."""
        hour = now.replace(minute=0, second=0, microsecond=0)
        ops = [{"Update": self._join_entry(entry)}]
        ops += [{"Update": self._count_join(counter, limit, hour)} for counter, limit in limits]
        reasons = self._transact(ops)
        if reasons is None:
            return JoinOutcome.JOINED
        refused = [failed(reason) for reason in reasons]
        if not any(refused):
            raise ServiceUnavailable()
        if any(no for (counter, _), no in zip(limits, refused[1:], strict=True) if counter.startswith("ip:")):
            return JoinOutcome.IP_LIMITED
        return JoinOutcome.ALREADY_VERIFIED if refused[0] else JoinOutcome.EMAIL_LIMITED

    def _join_entry(self, entry: WaitlistEntry) -> dict[str, Any]:
        values = {
            ":type": {"S": ENTRY_TYPE},
            ":expert": {"S": entry.expert_id},
            ":date": {"S": entry.date.isoformat()},
            ":email": {"S": entry.email},
            ":created": {"S": items.instant(entry.created_at)},
            ":ttl": _epoch(entry.expires_at),
            ":one": {"N": "1"},
        }
        sets = "#type = :type, expertId = :expert, #date = :date, email = :email, expiresAt = :ttl"
        sets += ", createdAt = if_not_exists(createdAt, :created)"
        if entry.verified_at is not None:  # verification off: the entry counts at once
            sets += ", verifiedAt = :verified"
            values[":verified"] = {"S": items.instant(entry.verified_at)}
        return {
            "TableName": self._table,
            "Key": items.key(keys.waitlist_entry(entry.expert_id, entry.date, entry.digest)),
            "UpdateExpression": f"SET {sets} ADD asks :one",
            "ConditionExpression": "attribute_not_exists(verifiedAt)",
            "ExpressionAttributeNames": {"#type": "type", "#date": "date"},
            "ExpressionAttributeValues": values,
        }

    def _count_join(self, counter: str, limit: int, hour: datetime) -> dict[str, Any]:
        return {
            "TableName": self._table,
            "Key": items.key(keys.waitlist_limit(counter, hour)),
            "UpdateExpression": "ADD #count :one SET expiresAt = :ttl",
            "ConditionExpression": "attribute_not_exists(#count) OR #count < :limit",
            "ExpressionAttributeNames": {"#count": "count"},
            "ExpressionAttributeValues": {
                ":one": {"N": "1"},
                ":limit": {"N": str(limit)},
                ":ttl": _epoch(hour + timedelta(hours=2)),
            },
        }

    def verify_waitlist_entry(
        self, expert_id: str, day: date, digest: str, now: datetime, expires_at: datetime
    ) -> WaitlistEntry | None:
        """The entry's email is proven: it counts from now (a second time changes nothing) and lives
        until `expires_at`. None when there is no such entry or its unverified request lapsed."""
        try:
            found = self._on_item(
                "update_item",
                keys.waitlist_entry(expert_id, day, digest),
                UpdateExpression="SET verifiedAt = if_not_exists(verifiedAt, :now), expiresAt = :ttl",
                ConditionExpression="attribute_exists(PK) AND (attribute_exists(verifiedAt) OR expiresAt > :epoch)",
                ExpressionAttributeValues={
                    ":now": {"S": items.instant(now)},
                    ":ttl": _epoch(expires_at),
                    ":epoch": _epoch(now),
                },
                ReturnValues="ALL_NEW",
            )
        except self._client.exceptions.ConditionalCheckFailedException:
            return None
        return entry_from(found["Attributes"])

    def waitlist(self, expert_id: str, day: date) -> list[WaitlistEntry]:
        """Every entry of the expert's date (verified or not; TTL deletion is lazy, so lapsed ones too)."""
        found = self._query(
            KeyConditionExpression="PK = :pk",
            ExpressionAttributeValues={":pk": {"S": keys.waitlist_day(expert_id, day)}},
        )
        return [entry_from(item) for item in found]
