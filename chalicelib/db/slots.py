"""Slots: the compare-and-set creation guard, reading a window, deleting a free slot."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime

from chalicelib.db import items, keys
from chalicelib.db.dynamo import Table, new_change_id, stamped
from chalicelib.domain import Slot
from chalicelib.errors import ServiceUnavailable, SlotBooked, SlotNotFound, SlotsChanged

log = logging.getLogger(__name__)


class SlotTable(Table):
    def slots_version(self, expert_id: str) -> int:
        """The expert's slot-creation counter (0 before the first guarded creation), read consistently."""
        found = self._on_item("get_item", keys.slots_version(expert_id), ConsistentRead=True)
        return int(found.get("Item", {}).get("version", {}).get("N", "0"))

    def add_slots_if_unchanged(
        self, expert_id: str, slots: Sequence[Slot], seen_version: int, change_id: str | None = None
    ) -> None:
        """Create `slots` (at most 99) in one transaction with bumping the expert's counter from
        `seen_version`: SlotsChanged if any slot creation happened since it was read, or a slot exists.
        The counter item keeps `change_id`, so a refusal caused by this very write (applied, response
        lost, retried by botocore) is recognised as success."""
        change_id = change_id or new_change_id()
        guard = {
            "Update": {
                "TableName": self._table,
                "Key": items.key(keys.slots_version(expert_id)),
                "UpdateExpression": "SET version = :next, #type = :type, changeId = :change",
                "ConditionExpression": "attribute_not_exists(version)" if seen_version == 0 else "version = :seen",
                "ExpressionAttributeNames": {"#type": "type"},
                "ExpressionAttributeValues": {
                    ":next": {"N": str(seen_version + 1)},
                    ":type": {"S": "slots_version"},
                    ":change": {"S": change_id},
                    **({":seen": {"N": str(seen_version)}} if seen_version else {}),
                },
                "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
            }
        }
        puts = [
            {
                "Put": {
                    "TableName": self._table,
                    "Item": items.slot_item(slot),
                    "ConditionExpression": "attribute_not_exists(PK)",
                }
            }
            for slot in slots
        ]
        reasons = self._transact([guard, *puts], landed=self._has_change(keys.slots_version(expert_id), change_id))
        if reasons is None or stamped(reasons[0].get("Item"), change_id):
            return
        if "ConditionalCheckFailed" not in {r.get("Code") for r in reasons}:
            raise ServiceUnavailable()
        raise SlotsChanged()

    def list_slots(self, expert_id: str, start: datetime, end: datetime, *, consistent: bool = False) -> list[Slot]:
        """Slots starting in [start, end)."""
        pk, low, high = keys.slot_range(expert_id, start, end)
        found = self._query(
            KeyConditionExpression="PK = :pk AND SK BETWEEN :low AND :high",
            ExpressionAttributeValues={":pk": {"S": pk}, ":low": {"S": low}, ":high": {"S": high}},
            ConsistentRead=consistent,
        )
        slots = [items.slot_from(item) for item in found]
        return [s for s in slots if start <= s.start < end]

    def delete_slot(self, expert_id: str, start: datetime) -> None:
        """Delete a free slot; SlotNotFound when missing, SlotBooked when a booking holds it."""
        try:
            self._on_item(
                "delete_item",
                keys.slot(expert_id, start),
                ConditionExpression="attribute_exists(PK) AND #start = :start AND attribute_not_exists(bookingId)",
                ExpressionAttributeNames={"#start": "start"},
                ExpressionAttributeValues={":start": {"S": items.instant(start)}},
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
        except self._client.exceptions.ConditionalCheckFailedException as exc:
            old = exc.response.get("Item")
            if old and "bookingId" in old and items.slot_from(old).start == start:
                raise SlotBooked("This slot is booked; cancel the booking first.") from exc
            raise SlotNotFound("This expert has no slot at that time.") from exc
