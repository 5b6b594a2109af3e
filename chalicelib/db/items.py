"""Conversion between domain entities and DynamoDB attribute maps: one codec, driven by the domain
dataclasses' fields and types; only keys and renamed attributes are written by hand."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import fields, replace
from datetime import datetime, timezone
from decimal import Decimal
from enum import Enum
from types import MappingProxyType, UnionType
from typing import Any, TypeVar, Union, get_args, get_origin, get_type_hints

from chalicelib.db import keys
from chalicelib.db.table import TTL_ATTRIBUTE
from chalicelib.domain import Booking, Expert, FailedEmail, IdempotencyRecord, Slot, Status, sort_name

Item = dict[str, dict[str, Any]]
T = TypeVar("T")


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


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def encode(value: Any) -> dict[str, Any]:
    """One attribute value: numbers as N, a flag as BOOL, instants in UTC, a tuple of words as one S."""
    if isinstance(value, bool):
        return {"BOOL": value}
    if isinstance(value, int | float):
        return {"N": str(Decimal(str(value)))}
    if isinstance(value, datetime):
        return {"S": instant(value)}
    if isinstance(value, Enum):
        return {"S": value.value}
    if isinstance(value, tuple):
        return {"S": " ".join(value)}
    return {"S": str(value)}


def _decoder(kind: Any) -> Callable[[dict[str, Any]], Any]:
    if kind is bool:
        return lambda value: bool(value["BOOL"])
    if kind is int or kind is float:
        return lambda value: kind(value["N"])
    if kind is datetime:
        return lambda value: parse_instant(value["S"])
    if isinstance(kind, type) and issubclass(kind, Enum):
        return lambda value: kind(value["S"])
    if get_origin(kind) is tuple:
        return lambda value: tuple(value["S"].split())
    return lambda value: str(value["S"])


def _layout(entity: type) -> tuple[tuple[str, Callable[[dict[str, Any]], Any]], ...]:
    """Each field of a domain dataclass with the decoder for its type (`X | None` decodes as X)."""
    hints = get_type_hints(entity)
    layout = []
    for field in fields(entity):
        kinds = [kind for kind in get_args(hints[field.name]) if kind is not type(None)]
        kind = kinds[0] if get_origin(hints[field.name]) in (Union, UnionType) else hints[field.name]
        layout.append((field.name, _decoder(kind)))
    return tuple(layout)


_LAYOUTS: dict[type, tuple[tuple[str, Callable[[dict[str, Any]], Any]], ...]] = {}


def attributes(entity: Any, renamed: Mapping[str, str] = MappingProxyType({})) -> Item:
    """A domain dataclass's fields as item attributes, named in camelCase (or as `renamed` says); None
    and empty tuples are left out."""
    return {
        renamed.get(field.name) or _camel(field.name): encode(value)
        for field in fields(entity)
        if (value := getattr(entity, field.name)) is not None and value != ()
    }


def entity_from(entity: type[T], item: Item, renamed: Mapping[str, str] = MappingProxyType({})) -> T:
    """The domain dataclass stored in `item` (by `attributes`); absent attributes take the field's default."""
    values = {}
    layout = _LAYOUTS.get(entity) or _LAYOUTS.setdefault(entity, _layout(entity))
    for name, decode in layout:
        attribute = renamed.get(name) or _camel(name)
        if attribute in item:
            values[name] = decode(item[attribute])
    return entity(**values)


def expert_attributes(expert_id: str, changes: Mapping[str, Any]) -> Item:
    """Item attributes for some Expert fields; a new name also moves the expert in the catalog order."""
    unknown = set(changes) - {field.name for field in fields(Expert)}
    if unknown:
        raise KeyError(f"not Expert fields: {sorted(unknown)}")
    attributes: Item = {_camel(name): encode(value) for name, value in changes.items()}
    if "name" in changes:
        attributes.update(key(keys.catalog_entry(sort_name(changes["name"]), expert_id)))
    return attributes


def expert_item(expert: Expert) -> Item:
    return {
        **key(keys.expert(expert.id)),
        **key(keys.catalog_entry(sort_name(expert.name), expert.id)),
        "type": {"S": "expert"},
        **attributes(expert),
    }


def expert_from(item: Item) -> Expert:
    return entity_from(Expert, item)


def slot_item(slot: Slot) -> Item:
    return {**key(keys.slot(slot.expert_id, slot.start)), "type": {"S": "slot"}, **attributes(slot)}


def slot_from(item: Item) -> Slot:
    return entity_from(Slot, item)


def booking_item(booking: Booking) -> Item:
    item: Item = {
        **key(keys.booking(booking.id)),
        **key(keys.client_bookings(booking.email, booking.slot_start, booking.id)),
        **key(keys.expert_bookings(booking.expert_id, booking.slot_start, booking.id)),
        **key(keys.all_bookings(booking.slot_start, booking.id)),
        "type": {"S": "booking"},
        **attributes(booking),
    }
    if booking.hold_expires_at is not None and booking.status is Status.PENDING:
        item.update(key(keys.due_hold(booking.hold_expires_at, booking.id)))
    else:
        item.pop("holdExpiresAt", None)  # only a pending booking's hold is live
    return item


def booking_from(item: Item) -> Booking:
    # Bookings from before email verification existed have no emailVerified: the default (firm) applies.
    return entity_from(Booking, item)


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


# FailedEmail field -> marker attribute, where the marker keeps another name.
_FAILED_EMAIL_ATTRIBUTES = MappingProxyType(
    {"to": "failedTo", "subject": "failedSubject", "text": "failedText", "ics": "failedIcs"}
)


def failed_email_attributes(failure: FailedEmail) -> Item:
    """The marker's attributes for a failed email (its state too), GSI4 keys included."""
    index = keys.failed_email(failure.failed_at, failure.event_key)
    return {"state": {"S": "failed"}, **attributes(failure, _FAILED_EMAIL_ATTRIBUTES), **key(index)}


def failed_email_from(item: Item) -> FailedEmail:
    failure = entity_from(FailedEmail, {"failedIcs": {"S": ""}, **item}, _FAILED_EMAIL_ATTRIBUTES)
    return replace(failure, ics=failure.ics or None)  # markers from before kept "" for no calendar file
