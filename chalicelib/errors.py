"""Domain errors. Services raise these; chalicelib/http.py maps them to HTTP."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message: str, details: Any = None, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.message = message
        self.details = details
        self.headers = headers or {}


class ValidationFailed(DomainError):
    status = 400
    code = "validation_failed"

    @classmethod
    def field(cls, field: str, message: str) -> ValidationFailed:
        return cls("The request is not valid.", details=[{"field": field, "message": message}])


class Unauthorized(DomainError):
    status = 401
    code = "unauthorized"


class Forbidden(DomainError):
    status = 403
    code = "forbidden"


class NotFound(DomainError):
    status = 404
    code = "not_found"


class ExpertNotFound(NotFound):
    code = "expert_not_found"


class BookingNotFound(NotFound):
    code = "booking_not_found"


class SlotNotFound(NotFound):
    code = "slot_not_found"


class Conflict(DomainError):
    status = 409
    code = "conflict"


class SlotUnavailable(Conflict):
    code = "slot_unavailable"


class SlotBooked(Conflict):
    code = "slot_booked"


class InvalidTransition(Conflict):
    code = "invalid_transition"


class CancellationWindowClosed(Conflict):
    code = "cancellation_window_closed"


class IdempotencyKeyReused(Conflict):
    code = "idempotency_key_reused"


class HoldExpired(Conflict):
    code = "hold_expired"


class TooManyHolds(DomainError):
    """A client (email or source IP) already has the most unverified holds allowed at a time."""

    status = 429
    code = "too_many_holds"

    def __init__(self, retry_at: Any, message: str | None = None, retry_after: int = 60):
        super().__init__(
            message
            or "You already have the most unconfirmed bookings allowed. Confirm one from the email we sent you, "
            "or wait until an unconfirmed one expires.",
            headers={"Retry-After": str(retry_after)},
        )
        self.retry_at = retry_at


class InvalidCredentials(DomainError):
    status = 401
    code = "invalid_credentials"


class ServiceUnavailable(DomainError):
    """The data store throttled or timed out; the client may retry later."""

    status = 503
    code = "service_unavailable"

    def __init__(self, message: str = "The service is busy. Please retry shortly.", retry_after: int = 1):
        super().__init__(message, headers={"Retry-After": str(retry_after)})


class UnknownOutcome(ServiceUnavailable):
    """A write was sent but no answer came (read timeout, connection closed): it may have been applied.
    The repository finds out before answering (issue 10); only when it cannot does this reach a client,
    as the 503 it is."""


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
