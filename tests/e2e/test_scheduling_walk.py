"""Issue 12 end to end, on the suite's one stack: an admin sets an expert's weekly hours in the admin SPA, a
client books one of the slots they make and confirms the email, moves the booking from My bookings (the old
slot is free again, the new one held), gets the reminder for the new time, cancels, and a client waiting for
that day is emailed the freed slot.

The stack runs the reminders every 30 s with the default offsets (1440, 60 minutes): a session a few hours
ahead is inside the 24-hour offset, so its reminder is due at once; no stack of its own is needed."""

from __future__ import annotations

import email
import re
import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import parse_qs, urlparse
from zoneinfo import ZoneInfo

from icalendar import Calendar
from playwright.sync_api import Page, expect

from devstack.stream_worker import sent_emails
from tests.e2e import api, ui
from tests.e2e.conftest import DESKTOP, MOBILE, NewContext, Stack

PATIENCE = 180.0  # the worker's 30 s sweep on a busy machine
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def first_hour(zone: str) -> datetime:
    """A whole local hour 3 to 24 h ahead with two more hours before midnight: past the 2 h cancellation
    cutoff (the client may still move it) and inside the 24 h reminder offset."""
    local = (datetime.now(timezone.utc) + timedelta(hours=3, minutes=59)).astimezone(ZoneInfo(zone))
    local = local.replace(minute=0, second=0, microsecond=0)
    if local.hour > 21:
        local = (local + timedelta(days=1)).replace(hour=8)
    return local


def set_hours_in_admin(page: Page, stack: Stack, expert_id: str, start: datetime) -> None:
    """The expert works only [start, start + 2 h) on that weekday: the seeded hours of that day are removed."""
    day = DAYS[start.weekday()]
    ui.sign_in_admin(page, stack.admin_username, stack.admin_password)
    ui.open_admin_slots(page, expert_id)
    page.get_by_role("link", name="Set weekly hours").click()
    expect(page.get_by_role("heading", name=re.compile("^Weekly hours:"))).to_be_visible()
    remove = page.get_by_role("button", name=f"Remove {day} hours 1", exact=True)
    while remove.count():
        remove.click()
    page.get_by_role("button", name=f"Add hours on {day}", exact=True).click()
    page.get_by_label(f"{day} hours 1 start", exact=True).fill(f"{start.hour:02d}:00")
    page.get_by_label(f"{day} hours 1 end", exact=True).fill(f"{start.hour + 2:02d}:00")
    page.get_by_role("button", name="Save weekly hours").click()
    expect(page.get_by_role("status").filter(has_text="Saved.")).to_be_visible()


def day_slots(api_url: str, expert_id: str, date: str) -> list[dict[str, Any]]:
    days = api._call("GET", f"{api_url}/experts/{expert_id}/slots").json()["days"]
    return next(d["slots"] for d in days if d["date"] == date)


def slot_state(api_url: str, expert_id: str, date: str) -> dict[str, bool]:
    return {s["start"]: s["available"] for s in day_slots(api_url, expert_id, date)}


def wait_for_reminder(moto_url: str, address: str, start: str) -> str:
    """The reminder whose invite is for `start` (one for the old time may have gone out before the move)."""
    deadline = time.monotonic() + PATIENCE
    while time.monotonic() < deadline:
        for message in sent_emails(moto_url):
            parsed = email.message_from_string(str(message.get("raw_data") or ""))
            if address not in message.get("destinations", []) or not str(parsed["Subject"]).startswith("Reminder"):
                continue
            for part in parsed.walk():
                if part.get_content_type() == "text/calendar":
                    [event] = Calendar.from_ical(part.get_payload(decode=True)).walk("VEVENT")
                    if api.utc_text(event.decoded("dtstart")) == start:
                        return str(parsed["Subject"])
        time.sleep(1)
    raise AssertionError(f"no reminder for {start} emailed to {address} within {PATIENCE:.0f}s")


def test_weekly_hours_book_reschedule_reminder_cancel_and_the_waitlist_offer(
    new_context: NewContext, stack: Stack, admin_token: str, expert_ids: Iterator[str]
) -> None:
    expert_id = next(expert_ids)
    zone = api._call("GET", f"{stack.api_url}/experts/{expert_id}").json()["timezone"]
    start = first_hour(zone)
    date = start.date().isoformat()

    set_hours_in_admin(new_context().new_page(), stack, expert_id, start)
    made = [s["start"] for s in day_slots(stack.api_url, expert_id, date) if s["available"]]
    assert made[0] == api.utc_text(start) and len(made) >= 2, made  # only the new hours, on the hour
    old, new = made[0], made[1]

    # The client books the first new slot in the SPA and confirms the email; an admin confirms the session.
    address = api.unique_email("walk")
    page = new_context().new_page()
    ui.open_expert(page, expert_id)
    ui.slot_button(page, old).click()
    page.get_by_role("link", name="Continue to booking").click()
    ui.fill_details(page, address)
    reference = ui.confirm_booking(page)
    page.goto(api.wait_for_verification_link(stack.moto_url, address, reference))
    item = ui.my_booking(page, reference)
    expect(item.get_by_role("heading", level=3)).to_be_focused()
    api._call("PATCH", f"{stack.api_url}/bookings/{reference}/status", admin_token, json={"status": "confirmed"})
    page.reload()
    expect(item.get_by_test_id("status-badge")).to_have_text("Confirmed")

    # Reschedule from My bookings, in the shared slot picker.
    item.get_by_role("button", name="Reschedule").click()
    panel = item.get_by_test_id("reschedule-panel")
    expect(panel.get_by_role("heading", name="Choose a new time")).to_be_focused()
    expect(ui.slot_button(page, old)).to_be_disabled()  # its own slot, held until the move
    ui.slot_button(page, new).click()
    move = panel.get_by_role("button", name=re.compile("^Move to "))
    expect(move).to_be_visible()
    ui.assert_accessible(page, "reschedule panel")
    item.evaluate("i => i.scrollIntoView({block: 'start'})")  # the booking, then the times under it
    ui.screenshot(page, "reschedule", "desktop")
    page.set_viewport_size(MOBILE)
    panel.evaluate("p => p.scrollIntoView({block: 'start'})")
    ui.assert_accessible(page, "reschedule panel (phone)")
    ui.screenshot(page, "reschedule", "mobile")
    page.set_viewport_size(DESKTOP)
    move.click()
    expect(item.get_by_role("status")).to_contain_text("Moved to")
    expect(item.get_by_test_id("reschedule-panel")).to_have_count(0)
    state = slot_state(stack.api_url, expert_id, date)
    assert (state[old], state[new]) == (True, False), state  # the old slot is free again, the new one held

    subject = wait_for_reminder(stack.moto_url, address, new)
    assert subject.startswith("Reminder: your session starts in"), subject

    # Someone waits for that day: the day's other free slots are taken, then they join and confirm.
    for slot in (s for s in day_slots(stack.api_url, expert_id, date) if s["available"]):
        body = {"expertId": expert_id, "slotStart": slot["start"], "name": "Full Day", "phone": "+44 20 7946 0222"}
        api._call("POST", f"{stack.api_url}/bookings", json={**body, "email": api.unique_email("filler")})
    waiting = api.unique_email("waiting")
    joined = api._call("POST", f"{stack.api_url}/experts/{expert_id}/waitlist", json={"email": waiting, "date": date})
    assert joined.status_code == 202
    link = api.wait_for_link(stack.moto_url, waiting, r"https?://\S+/waitlist/verify\?\S+", "waitlist link")
    other = new_context().new_page()
    other.goto(link)
    expect(other.get_by_role("status").filter(has_text="You're on the waitlist for")).to_be_visible()

    # The client cancels in My bookings; the waiting client is offered the freed slot.
    item.get_by_role("button", name="Cancel booking").click()
    item.get_by_role("button", name="Yes, cancel booking").click()
    expect(item.get_by_test_id("status-badge")).to_have_text("Cancelled")
    pattern = rf"https?://\S+/experts/{re.escape(expert_id)}\?slot=\S+"
    offer = api.wait_for_link(stack.moto_url, waiting, pattern, "waitlist offer", 60)
    assert parse_qs(urlparse(offer).query)["slot"] == [new], offer
