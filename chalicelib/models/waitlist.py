"""Waitlist models (issue 12, part 4): joining an expert's waitlist for a date, and a verified entry."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator

from chalicelib.models.base import EmailAddress, _in_calendar, _Model, _Out

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_day(value: Any) -> Any:
    """A JSON string like 2026-01-31 (bodies are parsed strictly: no timestamps, no other shapes)."""
    if not isinstance(value, str) or not _DAY.fullmatch(value):
        raise ValueError("Use a date like 2026-01-31.")
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise ValueError("Use a date like 2026-01-31.") from exc


class WaitlistJoin(_Model):
    """The expert's local date (today or later) on which no slot is free, and the email to tell."""

    email: EmailAddress
    date: Annotated[date, BeforeValidator(_iso_day), AfterValidator(_in_calendar)]


class WaitlistVerifiedOut(_Out):
    """The entry whose email was just proven (no personal data: the client knows their address)."""

    expert_id: str
    date: date
