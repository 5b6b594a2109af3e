"""The table's stream records, decoded into the changes the stream consumer acts on (issue 11: services
never read DynamoDB images). One record is one item's change: a booking's status, an access-link
request counted, an admin's resend request on a failed email's marker, or a new or edited expert
(which republishes the catalog snapshot, issue 14)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from chalicelib.db import items
from chalicelib.domain import Booking, Expert, FailedEmail, Status

Image = dict[str, dict[str, Any]]


@dataclass(frozen=True)
class BookingChanged:
    before: Status | None  # None: the booking is new
    after: Booking
    moved: bool = False  # its slot changed (a reschedule)


@dataclass(frozen=True)
class LinkRequested:
    email: str
    count: int  # requests this hour, this one included
    event: str  # unique per request: the counter's key and count


@dataclass(frozen=True)
class ResendRequested:
    failed: FailedEmail


@dataclass(frozen=True)
class ExpertChanged:
    expert: Expert


Change = BookingChanged | LinkRequested | ResendRequested | ExpertChanged


def decode(new: Image | None, old: Image | None) -> Change | None:
    """The change one stream record describes, or None when it calls for nothing."""
    kind = (new or {}).get("type", {}).get("S")
    if new is None:
        return None
    if kind == "expert":
        return ExpertChanged(items.expert_from(new))
    if kind == "booking":
        before = Status(old["status"]["S"]) if old else None
        moved = old is not None and old["slotStart"]["S"] != new["slotStart"]["S"]
        return BookingChanged(before, items.booking_from(new), moved)
    if kind == "access_link":
        count = int(new["count"]["N"])
        if old is not None and int(old["count"]["N"]) >= count:
            return None
        return LinkRequested(new["email"]["S"], count, f"link:{new['PK']['S']}:{new['SK']['S']}:{count}")
    if kind == "email":
        asked = int(new.get("resends", {}).get("N", "0"))
        before_asked = int((old or {}).get("resends", {}).get("N", "0"))
        if asked > before_asked and "failedTo" in new:
            return ResendRequested(items.failed_email_from(new))
    return None
