"""pydantic models at the HTTP edge: requests in, public responses out (camelCase)."""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Annotated, Any, Literal

import phonenumbers
from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, PlainSerializer, field_validator
from pydantic.alias_generators import to_camel

from chalicelib import timeutil
from chalicelib.domain import Booking, Expert, Status
from chalicelib.services.experts import ExpertPage
from chalicelib.services.slots import SlotsView

# The booking rules, shared with the SPA through the exported JSON schema (one source).
NAME_MAX = 100
NOTES_MAX = 1000
EMAIL_MAX = 254
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
PHONE_PATTERN = r"^\+[0-9][0-9 ().-]{6,30}$"


# Friendlier wording for constraint failures, keyed by (field, pydantic error type).
FIELD_MESSAGES = {
    ("name", "too_short"): "Enter your name.",
    ("name", "string_too_long"): f"Name must be at most {NAME_MAX} characters.",
    ("email", "string_pattern_mismatch"): "Enter a valid email address, e.g. name@example.com.",
    ("email", "string_too_long"): f"Email must be at most {EMAIL_MAX} characters.",
    ("phone", "string_pattern_mismatch"): "Enter the number in international format, e.g. +91 98765 43210.",
    ("notes", "string_too_long"): f"Notes must be at most {NOTES_MAX} characters.",
    ("slotStart", "timezone_aware"): "Give the slot start as a UTC instant, e.g. 2026-01-01T09:00:00Z.",
}


def _utc_text(value: datetime) -> str:
    return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


UtcInstant = Annotated[
    datetime, PlainSerializer(_utc_text, return_type=str), Field(json_schema_extra={"format": "date-time"})
]


class _Model(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")

    def to_json(self) -> str:
        return self.model_dump_json(by_alias=True)


class _Out(_Model):
    pass


def _trimmed(value: str) -> str:
    return value.strip()


def _e164(value: str) -> str:
    try:
        parsed = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException as exc:
        raise ValueError("Enter the number in international format, e.g. +91 98765 43210.") from exc
    if not phonenumbers.is_valid_number(parsed):
        raise ValueError("This is not a valid phone number; use international format, e.g. +91 98765 43210.")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


class BookingRequest(_Model):
    expert_id: str = Field(min_length=1, max_length=64)
    slot_start: AwareDatetime
    name: Annotated[str, AfterValidator(_trimmed), Field(min_length=1, max_length=NAME_MAX)]
    email: str = Field(max_length=EMAIL_MAX, pattern=EMAIL_PATTERN)
    phone: Annotated[str, Field(max_length=32, pattern=PHONE_PATTERN), AfterValidator(_e164)]
    notes: str = Field(default="", max_length=NOTES_MAX)

    @field_validator("email")
    @classmethod
    def _lower(cls, value: str) -> str:
        return value.lower()

    @field_validator("slot_start")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        return value.astimezone(timezone.utc)


class StatusChange(_Model):
    status: Status


class ExpertsQuery(_Model):
    q: str | None = Field(default=None, max_length=100)
    category: str | None = Field(default=None, max_length=64)
    page: int = Field(default=1, ge=1, le=100_000)
    limit: int = Field(default=12, ge=1, le=50)


class SlotsQuery(_Model):
    from_: date | None = Field(default=None, alias="from")
    days: int = Field(default=14, ge=1, le=60)
    tz: str | None = Field(default=None, max_length=64)

    @field_validator("tz")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                timeutil.zone(value)
            except ValueError as exc:
                raise ValueError("Unknown time zone; use an IANA name such as Europe/London.") from exc
        return value


class ExpertOut(_Out):
    id: str
    name: str
    category: str
    experience_years: int
    rating: float = Field(ge=0, le=5)
    bio: str
    timezone: str
    session_minutes: int

    @classmethod
    def of(cls, expert: Expert) -> ExpertOut:
        return cls(
            id=expert.id,
            name=expert.name,
            category=expert.category,
            experience_years=expert.experience_years,
            rating=expert.rating,
            bio=expert.bio,
            timezone=expert.timezone,
            session_minutes=expert.session_minutes,
        )


class ExpertPageOut(_Out):
    items: list[ExpertOut]
    page: int
    limit: int
    total: int
    total_pages: int

    @classmethod
    def of(cls, page: ExpertPage) -> ExpertPageOut:
        return cls(
            items=[ExpertOut.of(e) for e in page.items],
            page=page.page,
            limit=page.limit,
            total=page.total,
            total_pages=page.total_pages,
        )


class CategoryOut(_Out):
    name: str
    count: int


class CategoriesOut(_Out):
    items: list[CategoryOut]


class SlotOut(_Out):
    start: UtcInstant
    end: UtcInstant
    available: bool


class SlotDayOut(_Out):
    date: date
    slots: list[SlotOut]


class SlotsOut(_Out):
    expert_id: str
    timezone: str
    days: list[SlotDayOut]

    @classmethod
    def of(cls, view: SlotsView) -> SlotsOut:
        return cls(
            expert_id=view.expert_id,
            timezone=view.timezone,
            days=[
                SlotDayOut(
                    date=d.date, slots=[SlotOut(start=s.start, end=s.end, available=s.available) for s in d.slots]
                )
                for d in view.days
            ],
        )


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

    @classmethod
    def of(cls, booking: Booking) -> BookingOut:
        return cls(
            id=booking.id,
            expert_id=booking.expert_id,
            expert_name=booking.expert_name,
            slot_start=booking.slot_start,
            slot_end=booking.slot_end,
            name=booking.name,
            email=booking.email,
            phone=booking.phone,
            notes=booking.notes,
            status=booking.status,
            created_at=booking.created_at,
            updated_at=booking.updated_at,
        )


class BookingCreatedOut(_Out):
    booking: BookingOut
    access_token: str


class HealthOut(_Out):
    status: Literal["ok"]


class FieldErrorOut(_Out):
    field: str
    message: str


class ErrorBody(_Out):
    code: str
    message: str
    details: Any = None


class ErrorOut(_Out):
    error: ErrorBody
