"""DynamoDB access. Translates ClientError into domain errors; no business rules here."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from chalicelib.db import items, keys
from chalicelib.db.table import GSI1, GSI2, GSI3, GSI4, TTL_ATTRIBUTE
from chalicelib.domain import (
    RELEASING,
    Booking,
    BookingQuery,
    Expert,
    FailedEmail,
    IdempotencyRecord,
    Slot,
    Status,
)
from chalicelib.errors import (
    Conflict,
    HoldRefused,
    IdempotencyKeyExists,
    InvalidTransition,
    ServiceUnavailable,
    SlotBooked,
    SlotEndMismatch,
    SlotNotFound,
    SlotsChanged,
    SlotUnavailable,
    StatusRefused,
    TooManyHolds,
    UnknownOutcome,
    ValidationFailed,
)

log = logging.getLogger(__name__)

_RETRYABLE = {
    "ProvisionedThroughputExceededException",
    "ThrottlingException",
    "RequestLimitExceeded",
    "InternalServerError",
    "ServiceUnavailable",
}
# A TransactionConflict means another transaction touched the same item at the same
# moment; retrying re-evaluates the conditions against the winner's write.
TRANSACTION_ATTEMPTS = 4
MAX_FILTERED_PAGES = 5
ALL_OLD = {"ReturnValuesOnConditionCheckFailure": "ALL_OLD"}
RESOLVE_ATTEMPTS = 1  # the read itself is retried by botocore (chalicelib/aws.py)
_WRITES = {"put_item", "update_item", "delete_item", "transact_write_items", "batch_write_item"}


class DynamoRepository:
    def __init__(self, client: Any, table_name: str):
        self._client = client
        self._table = table_name

    # -- experts ---------------------------------------------------------------
    def put_expert(self, expert: Expert) -> None:
        self._call("put_item", TableName=self._table, Item=items.expert_item(expert))

    def create_expert(self, expert: Expert) -> None:
        """Put a new expert (the id is random, so an existing item means this put already landed and
        botocore retried it after a lost response: that is success, anything else is a conflict)."""
        try:
            self._call(
                "put_item",
                TableName=self._table,
                Item=items.expert_item(expert),
                ConditionExpression="attribute_not_exists(PK)",
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
        except UnknownOutcome:
            if not self._resolve(lambda: self.get_expert(expert.id) == expert):
                raise
        except self._client.exceptions.ConditionalCheckFailedException as exc:
            old = exc.response.get("Item")  # compared as an expert: DynamoDB may write numbers differently
            if not old or items.expert_from(old) != expert:
                raise Conflict("An expert with this id exists.") from exc

    def update_expert(self, expert_id: str, changes: Mapping[str, Any]) -> Expert | None:
        """Set only the given fields, without reading first, so a concurrent edit of other fields is
        kept; returns the stored expert, or None when there is none."""
        if not changes:
            return self.get_expert(expert_id)
        attributes = list(items.expert_attributes(expert_id, changes).items())
        try:
            found = self._call(
                "update_item",
                TableName=self._table,
                Key=items.key(keys.expert(expert_id)),
                UpdateExpression="SET " + ", ".join(f"#a{i} = :v{i}" for i in range(len(attributes))),
                ConditionExpression="attribute_exists(PK)",
                ExpressionAttributeNames={f"#a{i}": name for i, (name, _) in enumerate(attributes)},
                ExpressionAttributeValues={f":v{i}": value for i, (_, value) in enumerate(attributes)},
                ReturnValues="ALL_NEW",
            )
        except self._client.exceptions.ConditionalCheckFailedException:
            return None
        return items.expert_from(found["Attributes"])

    def get_expert(self, expert_id: str) -> Expert | None:
        found = self._call("get_item", TableName=self._table, Key=items.key(keys.expert(expert_id)))
        return items.expert_from(found["Item"]) if "Item" in found else None

    def list_experts(self) -> list[Expert]:
        pages = self._query(
            IndexName=GSI1,
            KeyConditionExpression="GSI1PK = :pk",
            ExpressionAttributeValues={":pk": {"S": keys.CATALOG}},
        )
        return [items.expert_from(item) for item in pages]

    # -- slots -----------------------------------------------------------------
    def add_slots(self, slots: Sequence[Slot]) -> tuple[int, int]:
        """Create the slots that do not exist yet; returns (created, skipped).

        Each write is conditional (attribute_not_exists), so an existing slot, booked or not,
        is never overwritten.
        """
        created = 0
        for slot in slots:
            try:
                self._call(
                    "put_item",
                    TableName=self._table,
                    Item=items.slot_item(slot),
                    ConditionExpression="attribute_not_exists(PK)",
                )
                created += 1
            except self._client.exceptions.ConditionalCheckFailedException:
                pass
        return created, len(slots) - created

    def slots_version(self, expert_id: str) -> int:
        """The expert's slot-creation counter (0 before the first guarded creation), read consistently."""
        found = self._call(
            "get_item", TableName=self._table, Key=items.key(keys.slots_version(expert_id)), ConsistentRead=True
        )
        return int(found.get("Item", {}).get("version", {}).get("N", "0"))

    def add_slots_if_unchanged(
        self, expert_id: str, slots: Sequence[Slot], seen_version: int, change_id: str | None = None
    ) -> None:
        """Create `slots` (at most 99) in one transaction with bumping the expert's counter from
        `seen_version`: SlotsChanged if any slot creation happened since it was read, or a slot exists.
        The counter item keeps `change_id`, so a refusal caused by this very write (applied, response
        lost, retried by botocore) is recognised as success."""
        change_id = change_id or _new_change_id()
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
        if reasons is None or _stamped(reasons[0].get("Item"), change_id):
            return
        if "ConditionalCheckFailed" not in {r.get("Code") for r in reasons}:
            raise ServiceUnavailable()
        raise SlotsChanged()

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
            self._call(
                "delete_item",
                TableName=self._table,
                Key=items.key(keys.slot(expert_id, start)),
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

    # -- bookings --------------------------------------------------------------
    def create_booking(
        self,
        booking: Booking,
        *,
        not_before: datetime,
        now: datetime,
        idempotency: IdempotencyRecord | None = None,
        hold_limit: int = 0,
    ) -> None:
        """Hold the slot and write the booking (and idempotency record) in one transaction; an
        unverified hold also counts against its client's counters (at most `hold_limit` each).

        A counter either starts a new window (none live) or counts within the live one; which one
        applies is learnt from the refused write's old item, so a first booking takes one call."""
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
            ops += [{"Update": self._count_hold(c, fresh[c], booking, now, hold_limit)} for c in counted]
            try:
                reasons = self._transact(ops, landed=lambda: self.get_booking(booking.id) is not None)
            except (Contended, UnknownOutcome) as busy:
                # Many clients at one slot: conflicts (or no answer in time, and this booking is not
                # stored) mean others were writing it. Say what the slot holds now rather than "busy".
                log.warning("booking transaction %s; reading the slot", type(busy).__name__)
                holder = self._slot_holder(booking, now)
                if holder == booking.id:
                    return
                if holder is not None:
                    raise SlotUnavailable("This slot is no longer available.") from None
                raise
            if reasons is None or self._applied_earlier(reasons, booking):
                return
            if any(r.get("Code") == "ConditionalCheckFailed" for r in reasons[:first_counter]):
                raise self._booking_failure(reasons, booking, not_before, now)
            refused = [(c, r) for c, r in zip(counted, reasons[first_counter:], strict=True) if _failed(r)]
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
        found = self._call(
            "get_item",
            TableName=self._table,
            Key=items.key(keys.slot(booking.expert_id, booking.slot_start)),
            ConsistentRead=True,
        )
        if "Item" not in found:
            return None
        slot = items.slot_from(found["Item"])
        return slot.booking_id if slot.held_at(now) else None

    def _put_new(self, item: dict[str, Any]) -> dict[str, Any]:
        return {"TableName": self._table, "Item": item, "ConditionExpression": "attribute_not_exists(PK)"}

    def _count_hold(self, counter: str, fresh: bool, booking: Booking, now: datetime, limit: int) -> dict[str, Any]:
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
            "TableName": self._table,
            "Key": items.key(keys.hold_counter(counter)),
            "UpdateExpression": f"{update}, resetAt = :reset, {TTL_ATTRIBUTE} = :ttl",
            "ConditionExpression": condition,
            "ExpressionAttributeValues": values,
            **ALL_OLD,
        }

    def _uncount_holds(self, booking: Booking) -> list[dict[str, Any]]:
        """Give back the counters of a live unverified hold that becomes firm or is cancelled (a live
        hold was always counted in its counter's current window)."""
        return [
            {
                "Update": {
                    "TableName": self._table,
                    "Key": items.key(keys.hold_counter(counter)),
                    "UpdateExpression": "ADD n :minus",
                    "ExpressionAttributeValues": {":minus": {"N": "-1"}},
                }
            }
            for counter in booking.hold_counters
        ]

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

    def make_hold_firm(self, before: Booking, after: Booking, now: datetime) -> None:
        """An unverified, unexpired hold becomes firm (the email was verified, or an admin confirmed
        it) in one transaction that fails if the hold has expired meanwhile: the booking takes
        `after`'s status and verification, the slot keeps the booking for good, the client's
        counters are given back. Raises HoldRefused when the hold expired or the booking changed."""
        change_id = _new_change_id()
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
        ops = [{"Update": booking_update}, {"Update": slot_update}, *self._uncount_holds(before)]
        reasons = self._transact(ops, landed=self._has_change(keys.booking(before.id), change_id))
        if reasons is None or _stamped(reasons[0].get("Item"), change_id):
            return
        if "ConditionalCheckFailed" not in {r.get("Code") for r in reasons}:
            raise ServiceUnavailable()
        raise HoldRefused()

    def record_verified(self, booking_id: str, at: datetime) -> None:
        """Note that a firm booking's email was proven (verification off: nothing else changes)."""
        self._call(
            "update_item",
            TableName=self._table,
            Key=items.key(keys.booking(booking_id)),
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
        if _failed(reasons[0]):
            return False
        if not _failed(reasons[1]):
            raise ServiceUnavailable()
        try:  # the slot was taken by a later booking: only the expired one is written down
            self._call("update_item", **booking_update)
        except self._client.exceptions.ConditionalCheckFailedException:
            return False
        return True

    def get_booking(self, booking_id: str) -> Booking | None:
        found = self._call(
            "get_item", TableName=self._table, Key=items.key(keys.booking(booking_id)), ConsistentRead=True
        )
        return items.booking_from(found["Item"]) if "Item" in found else None

    def save_transition(self, before: Booking, after: Booking) -> None:
        """Write `after` if the stored booking is still in `before.status`; cancelling releases the slot.

        The booking keeps a random `changeId`, so when botocore retries a transaction that was applied
        but whose response was lost, the refusal it meets is recognised as this write's own success."""
        change_id = _new_change_id()
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
            ops.append(
                {
                    "Update": {
                        "TableName": self._table,
                        "Key": items.key(keys.slot(before.expert_id, before.slot_start)),
                        "UpdateExpression": "REMOVE bookingId, holdExpiresAt",
                        "ConditionExpression": "bookingId = :booking",
                        "ExpressionAttributeValues": {":booking": {"S": before.id}},
                    }
                }
            )
            if before.status is Status.PENDING and before.hold_expires_at is not None:
                ops += self._uncount_holds(before)
        reasons = self._transact(ops, landed=self._has_change(keys.booking(before.id), change_id))
        if reasons is None or _stamped(reasons[0].get("Item"), change_id):
            return
        if "ConditionalCheckFailed" not in {r.get("Code") for r in reasons}:
            raise ServiceUnavailable()
        raise InvalidTransition("The booking changed meanwhile; reload and try again.")

    def set_status(
        self,
        booking_id: str,
        target: Status,
        at: datetime,
        *,
        sources: frozenset[Status],
        started_by: datetime | None,
        change_id: str | None = None,
    ) -> Booking:
        """One conditional UpdateItem: the booking moves to `target` if its status is one of `sources`
        (and, with `started_by`, its session started by then). Raises StatusRefused with the stored
        booking (None when there is none) otherwise. The write stamps a change id on the item, so a
        refusal caused by this very write (applied, response lost, retried by botocore) is a success."""
        change_id = change_id or _new_change_id()
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
            updated = self._call(
                "update_item",
                TableName=self._table,
                Key=items.key(keys.booking(booking_id)),
                UpdateExpression="SET #status = :to, updatedAt = :at, changeId = :change",
                ConditionExpression=condition,
                ExpressionAttributeNames={"#status": "status"},
                ExpressionAttributeValues=values,
                ReturnValues="ALL_NEW",
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
        except UnknownOutcome:
            if not self._resolve(self._has_change(keys.booking(booking_id), change_id)):
                raise
            return self._booking_or_fail(booking_id)
        except self._client.exceptions.ConditionalCheckFailedException as exc:
            old = exc.response.get("Item")
            if old and _stamped(old, change_id):
                return items.booking_from(old)
            raise StatusRefused(items.booking_from(old) if old else None) from None
        return items.booking_from(updated["Attributes"])

    def _booking_or_fail(self, booking_id: str) -> Booking:
        found = self.get_booking(booking_id)
        if found is None:
            raise ServiceUnavailable()
        return found

    def get_idempotency(self, key: str) -> IdempotencyRecord | None:
        found = self._call("get_item", TableName=self._table, Key=items.key(keys.idempotency(key)))
        return items.idempotency_from(found["Item"]) if "Item" in found else None

    def list_bookings(self, query: BookingQuery) -> tuple[list[Booking], dict[str, str] | None]:
        """One page of bookings by start time, for one expert (GSI2) or all (GSI3)."""
        index, pk = (
            (GSI2, keys.expert_bookings_partition(query.expert_id)) if query.expert_id else (GSI3, keys.ALL_BOOKINGS)
        )
        low = keys.booking_order_bound(query.start) if query.start else "0"
        high = keys.booking_order_bound(query.end) + "#~" if query.end else "~"  # inclusive of `end`
        params: dict[str, Any] = {
            "TableName": self._table,
            "IndexName": index,
            "KeyConditionExpression": f"{index}PK = :pk AND {index}SK BETWEEN :low AND :high",
            "ExpressionAttributeValues": {":pk": {"S": pk}, ":low": {"S": low}, ":high": {"S": high}},
        }
        if query.status is not None:
            params["FilterExpression"] = "#status = :status"
            params["ExpressionAttributeNames"] = {"#status": "status"}
            params["ExpressionAttributeValues"][":status"] = {"S": query.status.value}
        if query.cursor:
            if set(query.cursor) != {"PK", "SK", f"{index}PK", f"{index}SK"} or query.cursor[f"{index}PK"] != pk:
                raise ValidationFailed.field("cursor", "This cursor belongs to another listing; start again.")
            params["ExclusiveStartKey"] = items.key(query.cursor)
        found: list[Booking] = []
        for _ in range(MAX_FILTERED_PAGES):  # a status filter can leave pages short: read on, within bounds
            params["Limit"] = query.limit - len(found)
            page = self._call("query", **params)
            found += [items.booking_from(item) for item in page.get("Items", [])]
            last = page.get("LastEvaluatedKey")
            if last is None or len(found) >= query.limit:
                break
            params["ExclusiveStartKey"] = last
        cursor = {name: value["S"] for name, value in last.items()} if last else None
        return found, cursor

    def bookings_for_email(self, email: str) -> list[Booking]:
        found = self._query(
            IndexName=GSI1,
            KeyConditionExpression="GSI1PK = :pk",
            ExpressionAttributeValues={":pk": {"S": keys.client_partition(email)}},
        )
        return [items.booking_from(item) for item in found]

    # -- access links and emails -----------------------------------------------
    def count_access_link(self, email: str, now: datetime, limit: int) -> bool:
        """Count a magic-link request for this email in the current hour; False over `limit`.

        The counter item also carries the address, so its stream record tells the email
        consumer where to send the link."""
        hour = now.replace(minute=0, second=0, microsecond=0)
        try:
            self._call(
                "update_item",
                TableName=self._table,
                Key=items.key(keys.access_link_counter(email, hour)),
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
            self._call(
                "put_item",
                TableName=self._table,
                Item={
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
        self._call(
            "update_item",
            TableName=self._table,
            Key=items.key(keys.email_marker(event_key)),
            UpdateExpression="SET #state = :state",
            ExpressionAttributeNames={"#state": "state"},
            ExpressionAttributeValues={":state": {"S": state}},
        )

    def record_email_failure(self, failure: FailedEmail) -> None:
        """Keep a failed email's content on its marker and list it in GSI4 until a resend succeeds
        (claiming the event again replaces the marker, which drops both)."""
        attributes = list(items.failed_email_attributes(failure).items())
        self._call(
            "update_item",
            TableName=self._table,
            Key=items.key(keys.email_marker(failure.event_key)),
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
            self._call(
                "update_item",
                TableName=self._table,
                Key=items.key(keys.email_marker(event_key)),
                UpdateExpression="ADD resends :one",
                ConditionExpression="attribute_exists(GSI4PK)",
                ExpressionAttributeValues={":one": {"N": "1"}},
            )
        except self._client.exceptions.ConditionalCheckFailedException:
            return False
        return True

    # -- plumbing --------------------------------------------------------------
    def _transact(
        self, ops: list[dict[str, Any]], landed: Callable[[], bool] | None = None
    ) -> list[dict[str, Any]] | None:
        """Run a transaction; None on success, else the cancellation reasons. When no answer came
        (UnknownOutcome), `landed` — a consistent read of what the write leaves behind — tells
        whether it was applied: then it is a success, never a 503 for a write that happened."""
        for attempt in range(TRANSACTION_ATTEMPTS):
            try:
                self._call("transact_write_items", TransactItems=ops)
                return None
            except UnknownOutcome:
                if landed is not None and self._resolve(landed):
                    return None
                raise
            except self._client.exceptions.TransactionCanceledException as exc:
                reasons: list[dict[str, Any]] = exc.response.get("CancellationReasons", [])
                codes = {r.get("Code") for r in reasons}
                if "TransactionConflict" in codes and "ConditionalCheckFailed" not in codes:
                    if attempt + 1 < TRANSACTION_ATTEMPTS:
                        _backoff(attempt)
                        continue
                    raise Contended() from exc
                return reasons
        raise AssertionError("unreachable")

    @staticmethod
    def _resolve(landed: Callable[[], bool]) -> bool:
        """Whether a write whose answer was lost is in the table (a few tries: the read may time out too)."""
        for attempt in range(RESOLVE_ATTEMPTS):
            try:
                return landed()
            except ServiceUnavailable:
                if attempt + 1 == RESOLVE_ATTEMPTS:
                    raise
                _backoff(attempt)
        return False

    def _has_change(self, key: dict[str, str], change_id: str) -> Callable[[], bool]:
        """`landed` for a write that stamps `changeId` on the item at `key`."""

        def landed() -> bool:
            found = self._call("get_item", TableName=self._table, Key=items.key(key), ConsistentRead=True)
            return _stamped(found.get("Item"), change_id)

        return landed

    def _query(self, **kwargs: Any) -> Iterator[dict[str, Any]]:
        params = {"TableName": self._table, **kwargs}
        while True:
            page = self._call("query", **params)
            yield from page.get("Items", [])
            if "LastEvaluatedKey" not in page:
                return
            params["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def _call(self, operation: str, **kwargs: Any) -> Any:
        from botocore.exceptions import ClientError, HTTPClientError
        from botocore.exceptions import ConnectionError as BotoConnectionError

        try:
            return getattr(self._client, operation)(**kwargs)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in _RETRYABLE:
                log.warning("dynamodb %s throttled or failed: %s", operation, exc.response["Error"]["Code"])
                raise ServiceUnavailable() from exc
            raise
        # ConnectionError: no connection (refused, connect timeout): nothing was sent. HTTPClientError: the
        # connection was closed, reset or cut mid-answer, or the read timed out (ConnectionClosedError,
        # ReadTimeoutError): a write may have been applied, which the caller finds out (UnknownOutcome).
        except BotoConnectionError as exc:
            log.warning("dynamodb %s unreachable: %s", operation, type(exc).__name__)
            raise ServiceUnavailable() from exc
        except HTTPClientError as exc:
            log.warning("dynamodb %s got no answer: %s", operation, type(exc).__name__)
            if operation in _WRITES:
                raise UnknownOutcome() from exc
            raise ServiceUnavailable() from exc


def _new_change_id() -> str:
    """Stamped as `changeId` by a conditional write, so that when the write is refused it can tell from
    the old item (ALL_OLD) whether it refused itself: applied once, response lost, retried by botocore."""
    return secrets.token_urlsafe(12)


def _failed(reason: dict[str, Any]) -> bool:
    return reason.get("Code") == "ConditionalCheckFailed"


def _stamped(item: dict[str, Any] | None, change_id: str) -> bool:
    return bool(item) and (item or {}).get("changeId", {}).get("S") == change_id


class Contended(ServiceUnavailable):
    """TransactionConflict on every attempt: other transactions kept writing the same items."""


def _backoff(attempt: int) -> None:
    import random
    import time

    time.sleep(random.uniform(0.01, 0.05 * 2**attempt))  # full jitter: 10-50 ms, then up to 100, 200 ms
