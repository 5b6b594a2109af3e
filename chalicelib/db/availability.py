"""Availability rules: one item per expert, found all together through the sparse GSI4 partition."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime, time
from typing import Any

from chalicelib.db import items, keys
from chalicelib.db.dynamo import Table, failed
from chalicelib.db.table import GSI4
from chalicelib.domain import Availability, Hours
from chalicelib.errors import ServiceUnavailable

DELETES_PER_TRANSACTION = 20  # small: a transaction refused for one held slot is run again without it


def _hours_text(hours: Hours) -> list[list[str]]:
    return [[f"{start:%H:%M}", f"{end:%H:%M}"] for start, end in hours]


def _hours(raw: list[list[str]]) -> Hours:
    return tuple((time.fromisoformat(start), time.fromisoformat(end)) for start, end in raw)


def availability_item(expert_id: str, rule: Availability, now: datetime) -> items.Item:
    hours = {
        "weekly": {day: _hours_text(h) for day, h in rule.weekly.items()},
        "overrides": {day.isoformat(): _hours_text(h) for day, h in rule.overrides.items()},
    }
    return {
        **items.key(keys.availability(expert_id)),
        **items.key(keys.availability_entry(expert_id)),
        "type": {"S": "availability"},
        "hours": {"S": json.dumps(hours, sort_keys=True)},
        "bufferMinutes": {"N": str(rule.buffer_minutes)},
        "horizonDays": {"N": str(rule.horizon_days)},
        "updatedAt": {"S": items.instant(now)},
    }


def availability_from(item: dict[str, Any]) -> Availability:
    hours = json.loads(item["hours"]["S"])
    return Availability(
        weekly={day: _hours(h) for day, h in hours["weekly"].items()},
        overrides={date.fromisoformat(day): _hours(h) for day, h in hours["overrides"].items()},
        buffer_minutes=int(item["bufferMinutes"]["N"]),
        horizon_days=int(item["horizonDays"]["N"]),
    )


class AvailabilityTable(Table):
    def put_availability(self, expert_id: str, rule: Availability, now: datetime) -> None:
        """Replace the expert's rule (the last write wins: an admin's whole-rule PUT)."""
        self._put(availability_item(expert_id, rule, now))

    def get_availability(self, expert_id: str) -> Availability | None:
        found = self._on_item("get_item", keys.availability(expert_id), ConsistentRead=True).get("Item")
        return availability_from(found) if found else None

    def experts_with_availability(self) -> list[str]:
        """The ids of every expert with a rule: one Query on GSI4's AVAILABILITY partition."""
        found = self._query(
            IndexName=GSI4,
            KeyConditionExpression="GSI4PK = :pk",
            ExpressionAttributeValues={":pk": {"S": keys.AVAILABILITY}},
            ProjectionExpression="GSI4SK",
        )
        return [item["GSI4SK"]["S"] for item in found]

    def delete_free_slots(self, expert_id: str, starts: Sequence[datetime]) -> tuple[int, list[datetime]]:
        """Delete the expert's slots at `starts` that no booking holds, up to 20 per transaction (each on
        condition it exists and has no bookingId). Returns (deleted, held): slots already gone count as
        neither; a transaction refused for a held or missing slot is run again without it."""
        deleted, held = 0, []
        pending = list(starts)
        while pending:
            chunk, pending = pending[:DELETES_PER_TRANSACTION], pending[DELETES_PER_TRANSACTION:]
            while chunk:
                reasons = self._transact([self._free_delete(expert_id, start) for start in chunk])
                if reasons is None:
                    deleted += len(chunk)
                    break
                refused = [i for i, r in enumerate(reasons) if failed(r)]
                if not refused:
                    raise ServiceUnavailable()
                held += [chunk[i] for i in refused if "bookingId" in (reasons[i].get("Item") or {})]
                chunk = [start for i, start in enumerate(chunk) if i not in set(refused)]
        return deleted, held

    def _free_delete(self, expert_id: str, start: datetime) -> dict[str, Any]:
        return {
            "Delete": {
                "TableName": self._table,
                "Key": items.key(keys.slot(expert_id, start)),
                "ConditionExpression": "attribute_exists(PK) AND attribute_not_exists(bookingId)",
                "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
            }
        }
