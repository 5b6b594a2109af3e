"""Email rendering (text + .ics invite) and sending through SES."""

from __future__ import annotations

import re
from datetime import timezone
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from urllib.parse import urlencode

from chalicelib import aws, timeutil
from chalicelib.domain import Booking, Email, Status
from chalicelib.errors import EmailRefused

SUBJECTS = {
    "received": "Confirm your email to keep your booking",
    "received_firm": "We received your booking request",
    "confirmed": "Your session is confirmed",
    "cancelled": "Your session was cancelled",
    "completed": "Thanks for your session",
    "expired": "Your booking request expired",
    "rescheduled": "Your session has a new time",
}
BODIES = {
    "received": "Thanks for booking. Confirm your email with the link below within {hold} minutes, or the time slot "
    "is released. Your request then stays pending until we confirm the session.",
    "received_firm": "Thanks for booking. Your request is pending until we confirm it.",
    "confirmed": "Your session is confirmed. The attached invite adds it to your calendar.",
    "cancelled": "Your session has been cancelled and the time slot released.",
    "completed": "Your session is complete. We hope it helped.",
    "expired": "Your email was not confirmed in time, so the time slot was released. You are welcome to book again.",
    "rescheduled": "Your session was moved to the time below; the old time slot was released.",
}
# The calendar method each email's invite carries; a moved session's invite updates the same event (same
# UID, higher SEQUENCE) once it is confirmed, and a cancellation removes it.
INVITES = {"confirmed": "REQUEST", "rescheduled": "REQUEST", "cancelled": "CANCEL"}
# SES error codes that no retry can fix: the message is recorded as failed and skipped.
PERMANENT_SES_ERRORS = {"InvalidParameterValue"}  # MessageRejected may be our sender config: retried
# Control and format characters (CR, LF, NUL, zero-width, bidi overrides) never reach an email.
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]")


def clean(text: str) -> str:
    """One line of text fit for a header or an email body: control and format characters dropped."""
    return _UNPRINTABLE.sub("", text)


def _when(booking: Booking, zone_name: str) -> str:
    tz = timeutil.zone(zone_name)
    local = booking.slot_start.astimezone(tz)
    utc = booking.slot_start.astimezone(timezone.utc)
    return f"{local:%A %d %B %Y, %H:%M} ({zone_name}) — {utc:%Y-%m-%d %H:%M} UTC"


def booking_email(
    kind: str, booking: Booking, expert_zone: str, manage_url: str, *, link: str | None = None, hold_minutes: int = 0
) -> Email:
    """The email for a booking event; `link` is the verification link (received), this booking's manage link
    (rescheduled), or None. Its My bookings link names the booking (`?booking=<id>`), so the page opens at it
    (issue 13)."""
    page = booking_page(manage_url, booking.id)
    lines = [
        f"Hello {clean(booking.name)},",
        "",
        BODIES[kind].format(hold=hold_minutes),
        "",
        f"Expert: {clean(booking.expert_name)}",
        f"When:   {_when(booking, expert_zone)}",
        f"Reference: {booking.id}",
        "",
    ]
    if kind == "rescheduled" and link:  # this booking's own token, for its new time
        lines.append(f"See, reschedule or cancel this booking (this link opens it only): {link}")
    else:
        if link:
            lines += ["Confirm your email and see your bookings:", link, ""]
        lines.append(f"See or cancel this booking: {page}")
    method = INVITES.get(kind)
    if kind == "rescheduled" and booking.status is not Status.CONFIRMED:
        method = None  # a pending request gets its invite when it is confirmed
    invite = ics(booking, expert_zone, method, location=page) if method else None
    return Email(booking.email, SUBJECTS[kind], "\n".join(lines) + "\n", invite)


def _duration(minutes: int) -> str:
    hours, rest = divmod(max(1, minutes), 60)
    parts = [f"{hours} hour{'s' * (hours != 1)}"] if hours else []
    return " ".join(parts + ([f"{rest} minute{'s' * (rest != 1)}"] if rest else []))


def reminder_email(booking: Booking, expert_zone: str, manage_url: str, *, minutes_left: int) -> Email:
    """A reminder before a confirmed session (issue 12); `manage_url` carries this booking's own token."""
    lines = [
        f"Hello {clean(booking.name)},",
        "",
        f"A reminder: your session starts in {_duration(minutes_left)}.",
        "",
        f"Expert: {clean(booking.expert_name)}",
        f"When:   {_when(booking, expert_zone)}",
        f"Reference: {booking.id}",
        "",
        "See this booking; reschedule or cancel it while the cutoff allows (this link opens it only):",
        manage_url,
        "",
    ]
    subject = f"Reminder: your session starts in {_duration(minutes_left)}"
    return Email(booking.email, subject, "\n".join(lines), ics(booking, expert_zone))


def magic_link_email(address: str, link: str) -> Email:
    text = (
        "Hello,\n\nUse this link to see and manage your bookings. It works for 24 hours.\n\n"
        f"{link}\n\nIf you did not ask for it, you can ignore this email.\n"
    )
    return Email(address, "Your link to My bookings", text)


def booking_page(manage_url: str, booking_id: str) -> str:
    """The booking's place in My bookings: sessions are online, so this is also the invite's location."""
    return f"{manage_url}?{urlencode({'booking': booking_id})}"


def ics(booking: Booking, expert_zone: str, method: str = "REQUEST", *, location: str | None = None) -> str:
    """An RFC 5545 invite built with icalendar (folding and escaping are the library's); times in UTC,
    the description repeats them in the expert's zone. One event per booking (its UID): a REQUEST with a
    higher SEQUENCE updates it after a reschedule, a CANCEL (SEQUENCE one higher again) removes it."""
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", "-//Expert Session Booking//EN")
    calendar.add("version", "2.0")
    calendar.add("method", method)
    event = Event()
    event.add("uid", f"{booking.id}@expert-booking")
    event.add("dtstamp", booking.updated_at.astimezone(timezone.utc))
    event.add("dtstart", booking.slot_start.astimezone(timezone.utc))
    event.add("dtend", booking.slot_end.astimezone(timezone.utc))
    event.add("summary", clean(f"Session with {booking.expert_name}"))
    event.add("description", clean(f"Reference {booking.id}. {_when(booking, expert_zone)}"))
    event.add("sequence", booking.sequence + (1 if method == "CANCEL" else 0))
    event.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
    if location:
        event.add("location", location)
        event.add("url", location)
    calendar.add_component(event)
    return str(calendar.to_ical().decode("utf-8"))


def _method(invite: str) -> str:
    from icalendar import Calendar

    return str(Calendar.from_ical(invite).get("method", "REQUEST"))


def valid_recipient(address: str) -> bool:
    """Whether SES should ever be asked to send to `address` (syntax only; no DNS lookups)."""
    from email_validator import EmailNotValidError, validate_email

    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


def send(sender: str, email: Email) -> None:
    """Send through SES as a MIME message (text, plus the invite when there is one).

    EmailRefused when the recipient is not a valid address (SES is never asked) or SES refuses
    the message for good; other errors (throttling, timeouts) propagate so the batch is retried."""
    from botocore.exceptions import ClientError

    if not valid_recipient(email.to):
        raise EmailRefused("invalid_recipient")
    message = MIMEMultipart("mixed")
    message["Subject"] = clean(email.subject)
    message["From"] = sender
    message["To"] = email.to
    message.attach(MIMEText(email.text, "plain", "utf-8"))
    if email.ics:
        invite = MIMEApplication(email.ics.encode(), "ics", name="session.ics")
        method = _method(email.ics)
        invite.replace_header("Content-Type", f'text/calendar; method={method}; charset="utf-8"; name="session.ics"')
        invite.add_header("Content-Disposition", "attachment", filename="session.ics")
        message.attach(invite)
    try:
        aws.client("ses").send_raw_email(
            Source=sender, Destinations=[email.to], RawMessage={"Data": message.as_bytes()}
        )
    except ClientError as exc:
        code = str(exc.response.get("Error", {}).get("Code"))
        if code in PERMANENT_SES_ERRORS:
            raise EmailRefused(code) from exc
        raise
