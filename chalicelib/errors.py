"""Domain errors. Services raise these; chalicelib/http.py maps them to HTTP."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A refusal a client may see: `status` and `code` go into the error envelope (chalicelib/http.py).

    A subclass names its code, and its status when it differs from its parent's:
    `class SlotBooked(Conflict, code="slot_booked")`."""

    status = 400
    code = "bad_request"

    def __init_subclass__(cls, *, code: str | None = None, status: int | None = None, **kwargs: Any):
        super().__init_subclass__(**kwargs)
        if code is not None:
            cls.code = code
        if status is not None:
            cls.status = status

    def __init__(self, message: str, details: Any = None, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.message = message
        self.details = details
        self.headers = headers or {}


class ValidationFailed(DomainError, code="validation_failed"):
    """The request's input breaks a rule (a field, a query parameter, the body)."""

    @classmethod
    def field(cls, field: str, message: str) -> ValidationFailed:
        return cls("The request is not valid.", details=[{"field": field, "message": message}])


class Unauthorized(DomainError, code="unauthorized", status=401):
    """No token, or one that is forged, expired or of the wrong kind."""


class Forbidden(DomainError, code="forbidden", status=403):
    """A valid token that does not open this resource."""


class NotFound(DomainError, code="not_found", status=404):
    """Nothing at this path."""


class ExpertNotFound(NotFound, code="expert_not_found"):
    """No expert with this id."""


class BookingNotFound(NotFound, code="booking_not_found"):
    """No booking with this id."""


class SlotNotFound(NotFound, code="slot_not_found"):
    """The expert has no slot starting then."""


class Conflict(DomainError, code="conflict", status=409):
    """The request clashes with the current state."""


class SlotUnavailable(Conflict, code="slot_unavailable"):
    """The slot is held by another booking, or too soon to book."""


class SlotBooked(Conflict, code="slot_booked"):
    """An admin cannot delete a slot a booking holds."""


class InvalidTransition(Conflict, code="invalid_transition"):
    """The booking's status cannot move to the one asked for."""


class CancellationWindowClosed(Conflict, code="cancellation_window_closed"):
    """Too close to the session to cancel it."""


class IdempotencyKeyReused(Conflict, code="idempotency_key_reused"):
    """This Idempotency-Key was sent before with another body."""


class HoldExpired(Conflict, code="hold_expired"):
    """The unverified hold ran out before the email was confirmed."""


class TooManyHolds(DomainError, code="too_many_holds", status=429):
    """A client (email or source IP) already has the most unverified holds allowed at a time."""

    def __init__(self, retry_at: Any, message: str | None = None, retry_after: int = 60):
        super().__init__(
            message
            or "You already have the most unconfirmed bookings allowed. Confirm one from the email we sent you, "
            "or wait until an unconfirmed one expires.",
            headers={"Retry-After": str(retry_after)},
        )
        self.retry_at = retry_at


class InvalidCredentials(DomainError, code="invalid_credentials", status=401):
    """The admin's username, password or MFA code is wrong."""


class ServiceUnavailable(DomainError, code="service_unavailable", status=503):
    """The data store throttled or timed out; the client may retry later."""

    def __init__(self, message: str = "The service is busy. Please retry shortly.", retry_after: int = 1):
        super().__init__(message, headers={"Retry-After": str(retry_after)})


class UnknownOutcome(ServiceUnavailable):
    """A write was sent but no answer came (read timeout, connection closed): it may have been applied.
    The repository finds out before answering (issue 10); only when it cannot does this reach a client,
    as the 503 it is, saying that it may have been saved rather than that nothing happened."""

    def __init__(
        self,
        message: str = "We could not confirm whether this was saved; it may have been. "
        "Please check before trying again.",
        retry_after: int = 1,
    ):
        super().__init__(message, retry_after)


class NotApplied(UnknownOutcome):
    """A write whose answer was lost, which a consistent read then showed was not applied: a plain retry."""

    def __init__(self) -> None:
        super().__init__("The service is busy. Please retry shortly.")


# Signals from the repository to the booking service; never reach a client as such.
class IdempotencyKeyExists(Exception):
    def __init__(self, record: Any):
        super().__init__("idempotency key already used")
        self.record = record


class SlotEndMismatch(Exception):
    """The slot exists and is free but ends at another time than the caller assumed."""

    def __init__(self, actual_end: Any):
        super().__init__("slot end differs")
        self.actual_end = actual_end


class StatusRefused(Exception):
    """A conditional status write found the booking absent (`current` None) or not in a source status."""

    def __init__(self, current: Any):
        super().__init__("status change refused")
        self.current = current


class HoldRefused(Exception):
    """Making an unverified hold firm was refused: it expired, or the booking changed meanwhile."""


class EmailRefused(Exception):
    """This email can never be sent (an invalid recipient, or SES refused it for good)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class SlotsChanged(Exception):
    """Another request changed this expert's slots since they were read (compare-and-set failed)."""
