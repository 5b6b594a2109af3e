"""Conversion between domain entities and DynamoDB attribute maps (S and N only)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

from chalicelib.db import keys
from chalicelib.db.table import TTL_ATTRIBUTE
from chalicelib.domain import Booking, Expert, FailedEmail, IdempotencyRecord, Slot, Status, sort_name

Item = dict[str, dict[str, Any]]


def instant(value: datetime) -> str:
    """UTC, whole seconds, ending in Z (isoformat is much faster than strftime)."""
    return value.astimezone(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def parse_instant(value: str) -> datetime:
    # fromisoformat reads the stored "...Z" form on 3.11 and is several times faster than strptime.
    return datetime.fromisoformat(value)


def key(values: dict[str, str]) -> Item:
    return {name: {"S": value} for name, value in values.items()}


def _s(item: Item, name: str) -> str:
    return str(item[name]["S"])


# Expert field -> item attribute; the numeric ones are stored as N.
EXPERT_ATTRIBUTES = {
    "name": "name",
    "category": "category",
    "experience_years": "experienceYears",
    "rating": "rating",
    "bio": "bio",
    "timezone": "timezone",
    "session_minutes": "sessionMinutes",
}
_NUMERIC = {"experience_years", "rating", "session_minutes"}


def expert_attributes(expert_id: str, fields: Mapping[str, Any]) -> Item:
    """Item attributes for some Expert fields; a new name also moves the expert in the catalog order."""
    attributes: Item = {
        EXPERT_ATTRIBUTES[name]: {"N": str(Decimal(str(value)))} if name in _NUMERIC else {"S": str(value)}
        for name, value in fields.items()
    }
    if "name" in fields:
        attributes.update(key(keys.catalog_entry(sort_name(fields["name"]), expert_id)))
    return attributes


def expert_item(expert: Expert) -> Item:
    return {
        **key(keys.expert(expert.id)),
        "type": {"S": "expert"},
        "id": {"S": expert.id},
        **expert_attributes(expert.id, {name: getattr(expert, name) for name in EXPERT_ATTRIBUTES}),
    }


def expert_from(item: Item) -> Expert:
    return Expert(
        id=_s(item, "id"),
        name=_s(item, "name"),
        category=_s(item, "category"),
        experience_years=int(item["experienceYears"]["N"]),
        rating=float(item["rating"]["N"]),
        bio=_s(item, "bio"),
        timezone=_s(item, "timezone"),
        session_minutes=int(item["sessionMinutes"]["N"]),
    )


def slot_item(slot: Slot) -> Item:
    item: Item = {
        **key(keys.slot(slot.expert_id, slot.start)),
        "type": {"S": "slot"},
        "expertId": {"S": slot.expert_id},
        "start": {"S": instant(slot.start)},
        "end": {"S": instant(slot.end)},
    }
    if slot.booking_id:
        item["bookingId"] = {"S": slot.booking_id}
    if slot.hold_expires_at is not None:
        item["holdExpiresAt"] = {"S": instant(slot.hold_expires_at)}
    return item


def slot_from(item: Item) -> Slot:
    return Slot(
        expert_id=_s(item, "expertId"),
        start=parse_instant(_s(item, "start")),
        end=parse_instant(_s(item, "end")),
        booking_id=item["bookingId"]["S"] if "bookingId" in item else None,
        hold_expires_at=parse_instant(item["holdExpiresAt"]["S"]) if "holdExpiresAt" in item else None,
    )


def booking_item(booking: Booking) -> Item:
    item = _booking_attributes(booking)
    if booking.hold_expires_at is not None and booking.status is Status.PENDING:
        item.update(key(keys.due_hold(booking.hold_expires_at, booking.id)))
        item["holdExpiresAt"] = {"S": instant(booking.hold_expires_at)}
    if booking.hold_counters:
        item["holdCounters"] = {"S": " ".join(booking.hold_counters)}
    return item


def _booking_attributes(booking: Booking) -> Item:
    return {
        **key(keys.booking(booking.id)),
        **key(keys.client_bookings(booking.email, booking.slot_start, booking.id)),
        **key(keys.expert_bookings(booking.expert_id, booking.slot_start, booking.id)),
        **key(keys.all_bookings(booking.slot_start, booking.id)),
        "type": {"S": "booking"},
        "id": {"S": booking.id},
        "expertId": {"S": booking.expert_id},
        "expertName": {"S": booking.expert_name},
        "slotStart": {"S": instant(booking.slot_start)},
        "slotEnd": {"S": instant(booking.slot_end)},
        "name": {"S": booking.name},
        "email": {"S": booking.email},
        "phone": {"S": booking.phone},
        "notes": {"S": booking.notes},
        "status": {"S": booking.status.value},
        "createdAt": {"S": instant(booking.created_at)},
        "updatedAt": {"S": instant(booking.updated_at)},
        "emailVerified": {"BOOL": booking.email_verified},
    }


def booking_from(item: Item) -> Booking:
    return Booking(
        id=_s(item, "id"),
        expert_id=_s(item, "expertId"),
        expert_name=_s(item, "expertName"),
        slot_start=parse_instant(_s(item, "slotStart")),
        slot_end=parse_instant(_s(item, "slotEnd")),
        name=_s(item, "name"),
        email=_s(item, "email"),
        phone=_s(item, "phone"),
        notes=_s(item, "notes"),
        status=Status(_s(item, "status")),
        created_at=parse_instant(_s(item, "createdAt")),
        updated_at=parse_instant(_s(item, "updatedAt")),
        # Bookings from before email verification existed are firm.
        email_verified=bool(item.get("emailVerified", {}).get("BOOL", True)),
        hold_expires_at=parse_instant(_s(item, "holdExpiresAt")) if "holdExpiresAt" in item else None,
        hold_counters=tuple(_s(item, "holdCounters").split()) if "holdCounters" in item else (),
    )


def idempotency_item(record: IdempotencyRecord) -> Item:
    return {
        **key(keys.idempotency(record.key)),
        "type": {"S": "idempotency"},
        "key": {"S": record.key},
        "requestHash": {"S": record.request_hash},
        "bookingId": {"S": record.booking_id},
        TTL_ATTRIBUTE: {"N": str(int(record.expires_at.timestamp()))},
    }


def idempotency_from(item: Item) -> IdempotencyRecord:
    return IdempotencyRecord(
        key=_s(item, "key"),
        request_hash=_s(item, "requestHash"),
        booking_id=_s(item, "bookingId"),
        expires_at=datetime.fromtimestamp(int(item[TTL_ATTRIBUTE]["N"]), tz=timezone.utc),
    )


def failed_email_attributes(failure: FailedEmail) -> Item:
    """The marker's attributes for a failed email (its state too), GSI4 keys included."""
    index = keys.failed_email(failure.failed_at, failure.event_key)
    return {
        "state": {"S": "failed"},
        "eventKey": {"S": failure.event_key},
        "failedTo": {"S": failure.to},
        "failedSubject": {"S": failure.subject},
        "failedText": {"S": failure.text},
        "failedIcs": {"S": failure.ics or ""},
        "reason": {"S": failure.reason},
        "failedAt": {"S": instant(failure.failed_at)},
        **key(index),
    }


def failed_email_from(item: Item) -> FailedEmail:
    return FailedEmail(
        event_key=_s(item, "eventKey"),
        to=_s(item, "failedTo"),
        subject=_s(item, "failedSubject"),
        text=_s(item, "failedText"),
        ics=_s(item, "failedIcs") or None,
        reason=_s(item, "reason"),
        failed_at=parse_instant(_s(item, "failedAt")),
    )
