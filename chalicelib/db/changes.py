"""The table's stream records, decoded into the changes the stream consumer acts on (issue 11: services
never read DynamoDB images). One record is one item's change: a booking's status, an access-link
request counted, an admin's resend request on a failed email's marker, or a new or edited expert
(which republishes the catalog snapshot, issue 14)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from chalicelib.db import items, waitlist
from chalicelib.domain import Booking, Expert, FailedEmail, Slot, Status
from chalicelib.waitlist import WaitlistEntry

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


@dataclass(frozen=True)
class SlotFreed:
    """A slot lost its booking (a cancel, an expired hold written down, a reschedule away): the
    waitlist of its date may hear of it."""

    slot: Slot
    released_by: str  # the booking that held it: with the slot, names this freeing once


@dataclass(frozen=True)
class WaitlistRequested:
    """Someone asked (again) to join a waitlist with an unverified email: it gets the verification link."""

    entry: WaitlistEntry
    event: str  # unique per ask: the entry's key and its ask count


Change = BookingChanged | LinkRequested | ResendRequested | ExpertChanged | SlotFreed | WaitlistRequested


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
    if kind in ("slot", "waitlist"):
        return _waitlist_change(kind, new, old or {})
    if kind == "email":
        asked = int(new.get("resends", {}).get("N", "0"))
        before_asked = int((old or {}).get("resends", {}).get("N", "0"))
        if asked > before_asked and "failedTo" in new:
            return ResendRequested(items.failed_email_from(new))
    return None


def _waitlist_change(kind: str, new: Image, old: Image) -> Change | None:
    if kind == "slot":
        released = old.get("bookingId", {}).get("S")
        return SlotFreed(items.slot_from(new), released) if released and "bookingId" not in new else None
    asks = int(new.get("asks", {}).get("N", "0"))
    if "verifiedAt" in new or asks <= int(old.get("asks", {}).get("N", "0")):
        return None
    return WaitlistRequested(waitlist.entry_from(new), f"waitlist:verify:{new['PK']['S']}:{new['SK']['S']}:{asks}")
