"""The waitlist in the browser (issue 12, part 4): on a fully booked day the expert page offers "Join the
waitlist for <date>"; the emailed link confirms the place; when a booking of that day is cancelled, the
emailed offer opens the expert page with the freed slot selected."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

from playwright.sync_api import expect

from tests.e2e import api, ui
from tests.e2e.conftest import MOBILE, NewContext, Stack


def fill_a_day(api_url: str, expert_id: str) -> tuple[str, list[dict[str, Any]]]:
    """Book every free slot of the expert's emptiest day at least two days ahead (through the API)."""
    days = api._call("GET", f"{api_url}/experts/{expert_id}/slots").json()["days"]
    soon = datetime.now(timezone.utc) + timedelta(days=2)
    candidates = [d for d in days if d["slots"] and datetime.fromisoformat(d["slots"][0]["start"]) > soon]
    day = min(candidates, key=lambda d: sum(s["available"] for s in d["slots"]) or 99)
    booked = []
    for slot in (s for s in day["slots"] if s["available"]):
        body = {
            "expertId": expert_id,
            "slotStart": slot["start"],
            "name": "Full Day",
            "email": api.unique_email("filler"),
            "phone": "+44 20 7946 0222",
        }
        booked.append(api._call("POST", f"{api_url}/bookings", json=body).json())
    return day["date"], booked


def test_join_the_waitlist_of_a_full_day_confirm_it_and_open_the_freed_slot_from_the_email(
    new_context: NewContext, stack: Stack, expert_ids: Iterator[str]
) -> None:
    expert_id = next(expert_ids)
    day, booked = fill_a_day(stack.api_url, expert_id)
    address = api.unique_email("waiting")
    page = new_context().new_page()
    ui.open_expert(page, expert_id)

    form = page.get_by_role("form", name=re.compile("Join the waitlist for"))
    if form.get_by_label("Day", exact=True).count():  # more than one full day: choose ours
        form.get_by_label("Day", exact=True).select_option(day)
    expect(form.get_by_role("heading")).to_contain_text("Join the waitlist for")
    ui.assert_accessible(page, "waitlist form")
    form.get_by_label("Email").fill(address)
    form.evaluate("form => form.scrollIntoView({block: 'center'})")
    ui.screenshot(page, "waitlist", "desktop")
    form.get_by_role("button", name="Join the waitlist").click()
    expect(page.get_by_test_id("waitlist-done")).to_contain_text(f"We have sent a link to {address}")

    link = api.wait_for_link(stack.moto_url, address, r"https?://\S+/waitlist/verify\?\S+", "waitlist link", 20)
    page.goto(link)
    expect(page.get_by_role("status").filter(has_text="You're on the waitlist for")).to_be_visible()
    assert "token=" not in page.url

    freed = booked[0]
    cancel = f"{stack.api_url}/bookings/{freed['booking']['id']}/cancel"
    api._call("POST", cancel, freed["accessToken"])
    offer = api.wait_for_link(stack.moto_url, address, rf"https?://\S+/experts/{expert_id}\?slot=\S+", "offer", 30)
    phone = new_context(viewport=MOBILE).new_page()  # the email may be opened on another device
    phone.goto(offer)
    chosen = ui.slot_button(phone, freed["booking"]["slotStart"])
    expect(chosen).to_have_attribute("aria-pressed", "true")
    expect(phone.get_by_role("link", name="Continue to booking")).to_be_visible()
    ui.screenshot(phone, "waitlist", "mobile")  # the offer, opened with its slot selected
