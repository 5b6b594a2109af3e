"""Admin models: sign-in (with the MFA step), the bookings list, and failed emails."""

from __future__ import annotations

from typing import Literal

from pydantic import (
    Field,
    model_validator,
)

from chalicelib.domain import Status
from chalicelib.models.base import (
    IsoDateOrInstant,
    UtcInstant,
    _Model,
    _Out,
)
from chalicelib.models.bookings import BookingOut


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


class FailedEmailsOut(_Out):
    items: list[FailedEmailOut]


class ResendOut(_Out):
    requested: int
