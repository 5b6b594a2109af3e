"""Email rendering (text + .ics invite) and sending through SES."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText

from chalicelib import aws, timeutil
from chalicelib.domain import Booking

SUBJECTS = {
    "received": "We received your booking request",
    "confirmed": "Your session is confirmed",
    "cancelled": "Your session was cancelled",
    "completed": "Thanks for your session",
}


@dataclass(frozen=True)
class Email:
    to: str
    subject: str
    text: str
    ics: str | None = None


def mask_email(address: str) -> str:
    """For logs: keep the first character and the domain only."""
    local, _, domain = address.partition("@")
    return f"{local[:1]}***@{domain}" if domain else "***"


def _when(booking: Booking, zone_name: str) -> str:
    tz = timeutil.zone(zone_name)
    local = booking.slot_start.astimezone(tz)
    utc = booking.slot_start.astimezone(timezone.utc)
    return f"{local:%A %d %B %Y, %H:%M} ({zone_name}) — {utc:%Y-%m-%d %H:%M} UTC"


def booking_email(kind: str, booking: Booking, expert_zone: str, manage_url: str) -> Email:
    lines = [
        f"Hello {booking.name},",
        "",
        {
            "received": "Thanks for booking. Your request is pending until we confirm it.",
            "confirmed": "Your session is confirmed. The attached invite adds it to your calendar.",
            "cancelled": "Your session has been cancelled and the time slot released.",
            "completed": "Your session is complete. We hope it helped.",
        }[kind],
        "",
        f"Expert: {booking.expert_name}",
        f"When:   {_when(booking, expert_zone)}",
        f"Reference: {booking.id}",
        "",
        f"Manage your bookings: {manage_url}",
    ]
    invite = ics(booking, expert_zone) if kind == "confirmed" else None
    return Email(booking.email, SUBJECTS[kind], "\n".join(lines) + "\n", invite)


def magic_link_email(address: str, link: str) -> Email:
    text = (
        "Hello,\n\nUse this link to see and manage your bookings. It works for 24 hours.\n\n"
        f"{link}\n\nIf you did not ask for it, you can ignore this email.\n"
    )
    return Email(address, "Your link to My bookings", text)


def _ics_text(value: str) -> str:
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _ics_time(value: datetime) -> str:
    return value.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def ics(booking: Booking, expert_zone: str) -> str:
    """An RFC 5545 invite; times in UTC, the description repeats them in the expert's zone."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Expert Session Booking//EN",
        "METHOD:REQUEST",
        "BEGIN:VEVENT",
        f"UID:{booking.id}@expert-booking",
        f"DTSTAMP:{_ics_time(booking.updated_at)}",
        f"DTSTART:{_ics_time(booking.slot_start)}",
        f"DTEND:{_ics_time(booking.slot_end)}",
        f"SUMMARY:{_ics_text(f'Session with {booking.expert_name}')}",
        f"DESCRIPTION:{_ics_text(f'Reference {booking.id}. {_when(booking, expert_zone)}')}",
        "STATUS:CONFIRMED",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "\r\n".join(lines) + "\r\n"


def send(sender: str, email: Email) -> None:
    """Send through SES as a MIME message (text, plus the invite when there is one)."""
    message = MIMEMultipart("mixed")
    message["Subject"] = email.subject
    message["From"] = sender
    message["To"] = email.to
    message.attach(MIMEText(email.text, "plain", "utf-8"))
    if email.ics:
        invite = MIMEApplication(email.ics.encode(), "ics", name="session.ics")
        invite.replace_header("Content-Type", 'text/calendar; method=REQUEST; charset="utf-8"; name="session.ics"')
        invite.add_header("Content-Disposition", "attachment", filename="session.ics")
        message.attach(invite)
    aws.client("ses").send_raw_email(Source=sender, Destinations=[email.to], RawMessage={"Data": message.as_bytes()})
