"""Booking models: the booking request, the booking as clients see it, tokens and links."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Annotated

from pydantic import (
    AfterValidator,
    AwareDatetime,
    Field,
    field_validator,
)

from chalicelib.domain import Status
from chalicelib.models.base import (
    NAME_MAX,
    NOTES_MAX,
    PHONE_PATTERN,
    EmailAddress,
    UtcInstant,
    _e164,
    _in_calendar,
    _Model,
    _one_line,
    _Out,
    _plain_notes,
    _trimmed,
)


class BookingRequest(_Model):
    expert_id: str = Field(min_length=1, max_length=64)
    slot_start: AwareDatetime
    name: Annotated[str, AfterValidator(_trimmed), Field(min_length=1, max_length=NAME_MAX), AfterValidator(_one_line)]
    email: EmailAddress
    phone: Annotated[str, Field(max_length=32, pattern=PHONE_PATTERN), AfterValidator(_e164)]
    notes: Annotated[str, Field(max_length=NOTES_MAX), AfterValidator(_plain_notes)] = ""

    @field_validator("slot_start")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        _in_calendar(value)
        return value.astimezone(timezone.utc)


class RescheduleRequest(_Model):
    """Another slot of the same expert, as a UTC instant (or with an offset)."""

    slot_start: Annotated[AwareDatetime, AfterValidator(_in_calendar)]

    @field_validator("slot_start")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        return value.astimezone(timezone.utc)


class StatusChange(_Model):
    status: Status


class BookingOut(_Out):
    id: str
    expert_id: str
    expert_name: str
    slot_start: UtcInstant
    slot_end: UtcInstant
    name: str
    email: str
    phone: str
    notes: str
    status: Status
    created_at: UtcInstant
    updated_at: UtcInstant
    email_verified: bool
    # While the email is unverified, when the slot is released (null once the hold is firm).
    hold_expires_at: UtcInstant | None


class BookingCreatedOut(_Out):
    """The new booking and a token that opens this one booking (view, cancel) until its session ends."""

    booking: BookingOut
    access_token: str


class RescheduledOut(BookingOut):
    """The moved booking and, for a client, a fresh booking token: the old one expires at the old session's end,
    which is too soon when the booking moved later (null for an admin, who needs none)."""

    access_token: str | None = None


class BookingsOut(_Out):
    items: list[BookingOut]


class EmailOnly(_Model):
    email: EmailAddress


class LinkToken(_Model):
    """The token from an emailed link (verification or access link)."""

    token: str = Field(min_length=1, max_length=2048)  # ours are ~400 characters


class VerifiedOut(_Out):
    """The booking whose email was just proven, and a token for My bookings of that email."""

    booking: BookingOut
    access_token: str
    expires_at: UtcInstant


class EmailAccessOut(_Out):
    """My bookings for one email: the token an emailed access link is exchanged for."""

    email: str
    access_token: str
    expires_at: UtcInstant
