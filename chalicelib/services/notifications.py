"""Which emails a table change causes, and sending each exactly once (off the request path).

Driven by the table's stream (app.send_booking_emails). Each email has an event key; a marker
item per key makes a redelivered or retried record send nothing twice. A transient failure marks
the marker failed and re-raises so the batch is retried; a permanent one (an invalid address, or
SES refusing the message for good) is recorded as failed and skipped, so the stream moves on.
Bookings are never written here.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any, Protocol
from urllib.parse import urlencode

from chalicelib import mail
from chalicelib.db import items
from chalicelib.domain import Booking, Expert, FailedEmail
from chalicelib.services import access

log = logging.getLogger(__name__)
Image = dict[str, dict[str, Any]]


class MailStore(Protocol):
    def get_expert(self, expert_id: str) -> Expert | None: ...
    def bookings_for_email(self, email: str) -> list[Booking]: ...
    def claim_email(self, event_key: str, now: datetime) -> bool: ...
    def mark_email(self, event_key: str, state: str) -> None: ...
    def record_email_failure(self, failure: FailedEmail) -> None: ...


def emails_for_change(
    store: MailStore, new: Image | None, old: Image | None, *, app_url: str, secret: str, now: datetime
) -> list[tuple[str, mail.Email]]:
    """(event key, email) for each email this change of one item calls for."""
    kind = (new or {}).get("type", {}).get("S")
    if kind == "booking" and new is not None:
        return _booking_emails(store, new, old, app_url=app_url, secret=secret, now=now)
    if kind == "access_link" and new is not None:
        return _link_emails(store, new, old, app_url=app_url, secret=secret, now=now)
    if kind == "email" and new is not None:
        return _resend_emails(new, old)
    return []


def _booking_emails(
    store: MailStore, new: Image, old: Image | None, *, app_url: str, secret: str, now: datetime
) -> list[tuple[str, mail.Email]]:
    booking = items.booking_from(new)
    before = old["status"]["S"] if old else None
    if before == booking.status.value:
        return []
    event = "received" if old is None else booking.status.value
    if event not in mail.SUBJECTS:
        log.warning("no email template for booking event %s; nothing sent", event)
        return []
    expert = store.get_expert(booking.expert_id)
    zone = expert.timezone if expert else "UTC"
    manage = f"{app_url}/my-bookings"
    link, hold_minutes = None, 0
    if event == "received":
        # The verification link proves the email: it makes the hold firm and opens My bookings.
        token = access.verification_token(secret, booking, now)
        link = f"{app_url}/verify?{urlencode({'booking': booking.id, 'token': token})}"
        if booking.hold_expires_at is not None:
            hold_minutes = max(1, round((booking.hold_expires_at - booking.created_at).total_seconds() / 60))
        else:
            event = "received_firm"
    email = mail.booking_email(event, booking, zone, manage, link=link, hold_minutes=hold_minutes)
    return [(f"booking:{booking.id}:{'received' if event == 'received_firm' else event}", email)]


def _link_emails(
    store: MailStore, new: Image, old: Image | None, *, app_url: str, secret: str, now: datetime
) -> list[tuple[str, mail.Email]]:
    count = int(new["count"]["N"])
    if old is not None and int(old["count"]["N"]) >= count:
        return []
    address = new["email"]["S"]
    if not store.bookings_for_email(address):
        return []  # unknown addresses get nothing; the API answered the same either way
    token = access.link_token(secret, address, now)
    link = f"{app_url}/my-bookings?{urlencode({'token': token})}"
    event = f"link:{new['PK']['S']}:{new['SK']['S']}:{count}"
    return [(event, mail.magic_link_email(address, link))]


SENT, DUPLICATE, FAILED = "sent", "duplicate", "failed"


def deliver(
    store: MailStore, send: Callable[[mail.Email], None], event_key: str, email: mail.Email, now: datetime
) -> str:
    """Send once per event key: SENT, DUPLICATE (sent already) or FAILED (refused for good, recorded and
    skipped). A transient failure is recorded too, then raised so the batch is retried. A recorded
    failure keeps the email's content until an admin asks for a resend (POST /admin/emails/resend)."""
    if not store.claim_email(event_key, now):
        return DUPLICATE
    try:
        send(email)
    except mail.PermanentFailure as failure:  # recorded and skipped: one bad record never stalls the stream
        _record_failure(store, event_key, email, f"permanent:{failure.reason}", now)
        log.warning("email %s to %s refused for good (%s)", event_key.split(":")[0], mail.mask_email(email.to), failure)
        return FAILED
    except Exception as exc:
        _record_failure(store, event_key, email, f"transient:{type(exc).__name__}", now)
        log.warning(
            "email %s to %s failed; the batch will be retried", event_key.split(":")[0], mail.mask_email(email.to)
        )
        raise
    store.mark_email(event_key, "sent")
    log.info("email %s sent to %s", event_key.split(":")[0], mail.mask_email(email.to))
    return SENT


def _record_failure(store: MailStore, event_key: str, email: mail.Email, reason: str, now: datetime) -> None:
    store.mark_email(event_key, "failed")
    store.record_email_failure(FailedEmail(event_key, email.to, email.subject, email.text, email.ics, reason, now))


def _resend_emails(new: Image, old: Image | None) -> list[tuple[str, mail.Email]]:
    """An admin asked to resend a failed email (its marker's `resends` went up): the stored content
    goes out again under its own event key, so it is still sent at most once."""
    asked = int(new.get("resends", {}).get("N", "0"))
    before = int((old or {}).get("resends", {}).get("N", "0"))
    if asked <= before or "failedTo" not in new:
        return []
    failed = items.failed_email_from(new)
    return [(failed.event_key, mail.Email(failed.to, failed.subject, failed.text, failed.ics))]
