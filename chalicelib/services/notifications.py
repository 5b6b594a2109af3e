"""Which emails a table change causes, and sending each exactly once (off the request path).

Driven by the table's stream (app.send_booking_emails, which decodes each record with
chalicelib/db/changes.py and renders with chalicelib/mail.py). Each email has an event key; a marker
item per key makes a redelivered or retried record send nothing twice. A transient failure is recorded
and re-raised so the batch is retried; a permanent one (an invalid address, or SES refusing the message
for good) is recorded and skipped, so the stream moves on. A recorded failure keeps the email's content
until an admin asks for a resend. Bookings are never written here.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Protocol
from urllib.parse import urlencode

from chalicelib.domain import EMAIL_FOR_STATUS, Booking, Email, Expert, FailedEmail, mask_email
from chalicelib.errors import EmailRefused
from chalicelib.services import access

log = logging.getLogger(__name__)
SENT, DUPLICATE, FAILED = "sent", "duplicate", "failed"


class MailStore(Protocol):
    def get_expert(self, expert_id: str) -> Expert | None: ...
    def bookings_for_email(self, email: str) -> list[Booking]: ...
    def claim_email(self, event_key: str, now: datetime) -> bool: ...
    def mark_email(self, event_key: str, state: str) -> None: ...
    def record_email_failure(self, failure: FailedEmail) -> None: ...


class Renderer(Protocol):
    """Turns a booking event or an access link into an email (chalicelib/mail.py)."""

    def booking_email(
        self, kind: str, booking: Booking, expert_zone: str, manage_url: str, *, link: str | None, hold_minutes: int
    ) -> Email: ...
    def magic_link_email(self, address: str, link: str) -> Email: ...


def booking_emails(
    store: MailStore,
    render: Renderer,
    before: str | None,
    booking: Booking,
    *,
    app_url: str,
    secret: str,
    now: datetime,
    moved: bool = False,
) -> list[tuple[str, Email]]:
    """(event key, email) for a booking that was created (`before` None), changed status, or `moved` to
    another slot (one email per move: its event key carries the calendar sequence)."""
    event = f"booking:{booking.id}:rescheduled:{booking.sequence}" if moved else None
    if before == booking.status.value and not moved:
        return []
    kind = "rescheduled" if moved else "received" if before is None else EMAIL_FOR_STATUS[booking.status]
    if kind is None:
        return []
    expert = store.get_expert(booking.expert_id)
    zone = expert.timezone if expert else "UTC"
    link, hold_minutes, template = None, 0, kind
    if kind == "received":
        # The verification link proves the email: it makes the hold firm and opens My bookings.
        token = access.verification_token(secret, booking, now)
        link = f"{app_url}/verify?{urlencode({'booking': booking.id, 'token': token})}"
        if booking.hold_expires_at is not None:
            hold_minutes = max(1, round((booking.hold_expires_at - booking.created_at).total_seconds() / 60))
        else:
            template = "received_firm"
    elif kind == "rescheduled":
        # A move (by the client or an admin) can outlive the client's booking token, which ends with the old
        # session: the email carries one for the new time, opening this booking only (as a reminder does).
        link = access.manage_link(app_url, secret, booking, now)
    email = render.booking_email(
        template, booking, zone, f"{app_url}/my-bookings", link=link, hold_minutes=hold_minutes
    )
    return [(event or f"booking:{booking.id}:{kind}", email)]


def link_emails(
    store: MailStore, render: Renderer, address: str, event: str, *, app_url: str, secret: str, now: datetime
) -> list[tuple[str, Email]]:
    """The access link for a counted request, to an address that has bookings only (the API answered the
    same either way, so nobody learns which addresses are known)."""
    if not store.bookings_for_email(address):
        return []
    token = access.link_token(secret, address, now)
    return [(event, render.magic_link_email(address, f"{app_url}/my-bookings?{urlencode({'token': token})}"))]


def resent_emails(failed: FailedEmail) -> list[tuple[str, Email]]:
    """A failed email an admin asked to resend: its stored content again, under its own event key (so it
    is still sent at most once)."""
    return [(failed.event_key, Email(failed.to, failed.subject, failed.text, failed.ics))]


def deliver(
    store: MailStore,
    send: Callable[[Email], None],
    event_key: str,
    email: Email,
    now: datetime,
    claim: Callable[[str, datetime], bool] | None = None,
) -> str:
    """Send once per event key: SENT, DUPLICATE (sent already) or FAILED (refused for good, recorded and
    skipped). A transient failure is recorded too, then raised so the batch is retried. `claim` replaces
    the stream's claim (store.claim_email) where runs may overlap (reminders)."""
    if not (claim or store.claim_email)(event_key, now):
        return DUPLICATE
    try:
        send(email)
    except EmailRefused as refused:  # recorded and skipped: one bad record never stalls the stream
        _record_failure(store, event_key, email, f"permanent:{refused.reason}", now)
        log.warning("email %s to %s refused for good (%s)", event_key.split(":")[0], mask_email(email.to), refused)
        return FAILED
    except Exception as exc:
        _record_failure(store, event_key, email, f"transient:{type(exc).__name__}", now)
        log.warning("email %s to %s failed; the batch will be retried", event_key.split(":")[0], mask_email(email.to))
        raise
    store.mark_email(event_key, "sent")
    log.info("email %s sent to %s", event_key.split(":")[0], mask_email(email.to))
    return SENT


def _record_failure(store: MailStore, event_key: str, email: Email, reason: str, now: datetime) -> None:
    # One write: the marker becomes `failed` and keeps the email for a resend.
    store.record_email_failure(FailedEmail(event_key, email.to, email.subject, email.text, email.ics, reason, now))
