"""Shared pieces of the edge models: the base classes, field rules and types, and the error envelope."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, timezone
from typing import Annotated, Any, Literal, Self

import phonenumbers
from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
)
from pydantic.alias_generators import to_camel

from chalicelib import timeutil

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
    """A response body. `of` reads it from the domain object (or view) with the same field names, nested
    ones included, so no model copies its fields out by hand."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid", from_attributes=True)

    @classmethod
    def of(cls, source: object) -> Self:
        return cls.model_validate(source)


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


def _zone_name(value: str) -> str:
    try:
        timeutil.zone(value)
    except ValueError as exc:
        raise ValueError("Unknown time zone; use an IANA name such as Europe/London.") from exc
    return value


ZoneName = Annotated[str, Field(min_length=1, max_length=64), AfterValidator(_zone_name)]


def _required(message: str) -> Callable[[str], str]:
    """Trim, and refuse what is left empty in this field's own words (an admin's form, not a client's)."""

    def check(value: str) -> str:
        if not value.strip():
            raise ValueError(message)
        return value.strip()

    return check


Category = Annotated[str, AfterValidator(_required("Enter a category.")), Field(min_length=1, max_length=64)]


ExpertName = Annotated[
    str, AfterValidator(_required("Enter the expert's name.")), Field(min_length=1, max_length=NAME_MAX)
]


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
