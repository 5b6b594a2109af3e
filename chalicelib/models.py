"""pydantic models at the HTTP edge: requests in, public responses out (camelCase)."""

from __future__ import annotations

import re
from datetime import date, datetime, timezone
from typing import Annotated, Any, Literal

import phonenumbers
from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    field_validator,
    model_validator,
)
from pydantic.alias_generators import to_camel

from chalicelib import timeutil
from chalicelib.domain import Booking, Expert, FailedEmail, Status
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
    return value.astimezone(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_INSTANT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})")


def _iso_only(value: Any) -> Any:
    """Query strings are text; refuse what pydantic would otherwise read as a Unix timestamp."""
    if isinstance(value, str) and not (_ISO_DATE.fullmatch(value) or _ISO_INSTANT.fullmatch(value)):
        raise ValueError("Use a date like 2026-01-31 or an instant like 2026-01-31T09:00:00Z.")
    return value


FIRST_DAY, LAST_DAY = date(2, 1, 1), date(9998, 12, 31)


def _in_calendar(value: Any) -> Any:
    """Years 1 and 9999 leave no room for a zone offset or a day's arithmetic: datetime would raise
    OverflowError (a 500) deep in a service. Instants are judged by their UTC date. Issue 10."""
    try:
        day = value.astimezone(timezone.utc).date() if isinstance(value, datetime) else value
    except OverflowError:
        day = None
    if day is None or not FIRST_DAY <= day <= LAST_DAY:
        raise ValueError(f"Use a date between {FIRST_DAY.isoformat()} and {LAST_DAY.isoformat()}.")
    return value


IsoDate = Annotated[date, BeforeValidator(_iso_only), AfterValidator(_in_calendar)]
IsoDateOrInstant = Annotated[AwareDatetime | date, BeforeValidator(_iso_only), AfterValidator(_in_calendar)]
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


# Control and format characters: C0/C1 controls (CR, LF, NUL, ...), zero-width and bidi controls.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]")
_NOTE_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]")


def _one_line(value: str) -> str:
    """Names are one line of visible text: they go into emails and calendar files."""
    if _CONTROL.search(value):
        raise ValueError("Use letters, spaces and punctuation only (no line breaks or control characters).")
    return value


def _plain_notes(value: str) -> str:
    """Notes keep their line breaks (as LF; tabs kept too); other control and format characters are
    dropped. Notes never go into an email."""
    return _NOTE_CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))


def _email(value: str) -> str:
    """A deliverable-looking address by email-validator's rules (no quoted local parts, no commas,
    angle brackets or semicolons; internationalised domains allowed), stored lower-cased."""
    from email_validator import EmailNotValidError, validate_email

    try:
        checked = validate_email(value, check_deliverability=False)
    except EmailNotValidError as exc:
        raise ValueError("Enter a valid email address, e.g. name@example.com.") from exc
    return str(checked.normalized).lower()


EmailAddress = Annotated[str, Field(max_length=EMAIL_MAX, pattern=EMAIL_PATTERN), AfterValidator(_email)]


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
    name: Annotated[str, AfterValidator(_trimmed), Field(min_length=1, max_length=NAME_MAX), AfterValidator(_one_line)]
    email: EmailAddress
    phone: Annotated[str, Field(max_length=32, pattern=PHONE_PATTERN), AfterValidator(_e164)]
    notes: Annotated[str, Field(max_length=NOTES_MAX), AfterValidator(_plain_notes)] = ""

    @field_validator("slot_start")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        _in_calendar(value)
        return value.astimezone(timezone.utc)


class StatusChange(_Model):
    status: Status


class ExpertsQuery(_Model):
    q: str | None = Field(default=None, max_length=100)
    category: str | None = Field(default=None, max_length=64)
    page: int = Field(default=1, ge=1, le=100_000)
    limit: int = Field(default=12, ge=1, le=50)


class SlotsQuery(_Model):
    from_: IsoDate | None = Field(default=None, alias="from")
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
    email_verified: bool
    # While the email is unverified, when the slot is released (null once the hold is firm).
    hold_expires_at: UtcInstant | None

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
            email_verified=booking.email_verified,
            hold_expires_at=booking.hold_expires_at,
        )


class BookingCreatedOut(_Out):
    """The new booking and a token that opens this one booking (view, cancel) until its session ends."""

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


# -- admin and client routes (issue: admin identity and client privacy) --------


class AdminSessionRequest(_Model):
    """Either `{username, password}`, or the MFA step `{username, session, code}` (TOTP, 6 digits)."""

    username: str = Field(min_length=1, max_length=128)
    password: str | None = Field(default=None, min_length=1, max_length=256)
    session: str | None = Field(default=None, min_length=20, max_length=2048)  # Cognito sessions: 20-2048
    code: str | None = Field(default=None, pattern=r"^[0-9]{6}$")

    @model_validator(mode="after")
    def _one_step(self) -> AdminSessionRequest:
        if (self.password is None) == (self.session is None and self.code is None):
            raise ValueError("Send a password, or the session and code of the MFA step.")
        if self.password is None and (self.session is None or self.code is None):
            raise ValueError("The MFA step needs both the session and the 6-digit code.")
        return self


class AdminChallengeOut(_Out):
    """The password was right; the authenticator app's code is needed next (POST again with it)."""

    mfa_required: Literal[True]
    session: str


class AdminSessionOut(_Out):
    token: str
    expires_at: UtcInstant


def _zone_name(value: str) -> str:
    try:
        timeutil.zone(value)
    except ValueError as exc:
        raise ValueError("Unknown time zone; use an IANA name such as Europe/London.") from exc
    return value


ZoneName = Annotated[str, Field(min_length=1, max_length=64), AfterValidator(_zone_name)]
Category = Annotated[str, AfterValidator(_trimmed), Field(min_length=1, max_length=64)]
ExpertName = Annotated[str, AfterValidator(_trimmed), Field(min_length=1, max_length=NAME_MAX)]


class ExpertCreate(_Model):
    name: ExpertName
    category: Category
    experience_years: int = Field(ge=0, le=80)
    rating: float = Field(ge=0, le=5)
    bio: str = Field(default="", max_length=2000)
    timezone: ZoneName
    session_minutes: int = Field(ge=15, le=240, multiple_of=5)


class ExpertUpdate(_Model):
    name: ExpertName | None = None
    category: Category | None = None
    experience_years: int | None = Field(default=None, ge=0, le=80)
    rating: float | None = Field(default=None, ge=0, le=5)
    bio: str | None = Field(default=None, max_length=2000)
    timezone: ZoneName | None = None
    session_minutes: int | None = Field(default=None, ge=15, le=240, multiple_of=5)

    def changes(self) -> dict[str, Any]:
        return self.model_dump(exclude_none=True)


class NewSlot(_Model):
    start: Annotated[AwareDatetime, AfterValidator(_in_calendar)]


class SlotsCreate(_Model):
    slots: list[NewSlot] = Field(min_length=1, max_length=99)  # one transaction: 99 slots + a guard


class SlotsCreatedOut(_Out):
    created: int
    skipped: int


class AdminBookingsQuery(_Model):
    expert_id: str | None = Field(default=None, max_length=64)
    status: Status | None = None
    # A date means the whole day (UTC); an instant is taken as is.
    from_: IsoDateOrInstant | None = Field(default=None, alias="from")
    to: IsoDateOrInstant | None = None
    cursor: str | None = Field(default=None, max_length=2048)
    limit: int = Field(default=25, ge=1, le=100)


class BookingsPageOut(_Out):
    items: list[BookingOut]
    next_cursor: str | None


class FailedEmailOut(_Out):
    event_key: str  # e.g. booking:<id>:received
    to: str
    subject: str
    reason: str  # permanent:<why> (never retried by itself) or transient:<error>
    failed_at: UtcInstant

    @classmethod
    def of(cls, failed: FailedEmail) -> FailedEmailOut:
        return cls(
            event_key=failed.event_key,
            to=failed.to,
            subject=failed.subject,
            reason=failed.reason,
            failed_at=failed.failed_at,
        )


class FailedEmailsOut(_Out):
    items: list[FailedEmailOut]


class ResendOut(_Out):
    requested: int


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
