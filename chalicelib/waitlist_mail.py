"""The waitlist's emails (issue 12, part 4): the verification link, and a freed slot's link."""

from __future__ import annotations

from datetime import date, datetime, timezone

from chalicelib import timeutil
from chalicelib.domain import Email
from chalicelib.mail import clean


def waitlist_verify_email(address: str, expert_name: str, day: date, link: str) -> Email:
    text = (
        f"Hello,\n\nYou asked to join {clean(expert_name)}'s waitlist for {day:%A %d %B %Y}. Confirm your "
        "email with the link below (it works for 24 hours); we then email you when a time on that day frees up.\n\n"
        f"{link}\n\nIf you did not ask for it, you can ignore this email: nothing happens without the link.\n"
    )
    return Email(address, "Confirm your place on the waitlist", text)


def waitlist_slot_email(address: str, expert_name: str, start: datetime, zone_name: str, link: str) -> Email:
    local = start.astimezone(timeutil.zone(zone_name))
    when = f"{local:%A %d %B %Y, %H:%M} ({zone_name}) — {start.astimezone(timezone.utc):%Y-%m-%d %H:%M} UTC"
    text = (
        f"Hello,\n\nA session with {clean(expert_name)} on the day you are waiting for is free again:\n\n"
        f"{when}\n\nIt goes to whoever books it first, so be quick:\n{link}\n\n"
        "You get this because you joined the waitlist for this day.\n"
    )
    return Email(address, clean(f"A time with {expert_name} just opened up"), text)
