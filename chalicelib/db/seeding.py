"""Writes for the demo seed and the benchmarks only: unguarded puts, never on a request path."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import timedelta

from chalicelib.db import items
from chalicelib.db.slots import SlotTable
from chalicelib.domain import Expert, Slot

log = logging.getLogger(__name__)


class SeedTable(SlotTable):
    def put_expert(self, expert: Expert) -> None:
        self._put(items.expert_item(expert))

    def add_slots(self, slots: Sequence[Slot]) -> tuple[int, int]:
        """Create the slots that do not exist yet; returns (created, skipped).

        Each write is conditional (attribute_not_exists), so an existing slot, booked or not,
        is never overwritten.
        """
        created = 0
        for slot in slots:
            try:
                self._put(
                    items.slot_item(slot),
                    ConditionExpression="attribute_not_exists(PK)",
                )
                created += 1
            except self._client.exceptions.ConditionalCheckFailedException:
                pass
        return created, len(slots) - created

    def import_slots(self, slots: Sequence[Slot]) -> int:
        """Bulk-load slots for seeding: skips the ones that exist, batch-writes the rest.

        Not for use while the API serves bookings: a slot booked between the read and the
        batch write would be overwritten. The seed runs before `chalice local` starts.
        """
        by_expert: dict[str, list[Slot]] = {}
        for slot in slots:
            by_expert.setdefault(slot.expert_id, []).append(slot)
        fresh: list[Slot] = []
        for expert_id, group in by_expert.items():
            first, last = min(s.start for s in group), max(s.start for s in group)
            existing = {s.start for s in self.list_slots(expert_id, first, last + timedelta(minutes=1))}
            fresh += {s.start: s for s in group if s.start not in existing}.values()
        for start in range(0, len(fresh), 25):
            requests = [{"PutRequest": {"Item": items.slot_item(s)}} for s in fresh[start : start + 25]]
            while requests:
                result = self._call("batch_write_item", RequestItems={self._table: requests})
                requests = result.get("UnprocessedItems", {}).get(self._table, [])
        return len(fresh)
