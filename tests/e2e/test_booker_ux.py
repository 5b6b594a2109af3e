"""The booker's experience (issue 13), in Chromium: My bookings sorts cancelled bookings out of Upcoming and
adds any booking to a calendar; the booking email's link opens the page at that booking."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qs, urlparse

import requests
from playwright.sync_api import Page, expect

from tests.e2e import api, ui
from tests.e2e.conftest import Stack


def test_a_cancelled_booking_leaves_upcoming(page: Page, stack: Stack, expert_ids: Iterator[str]) -> None:
    reference, start = ui.book(page, next(expert_ids), api.unique_email("leaves"))
    page.goto("/my-bookings")
    upcoming = page.get_by_test_id("upcoming-bookings")
    item = ui.my_booking(page, reference)
    expect(upcoming.get_by_test_id("my-booking").filter(has_text=reference)).to_be_visible()

    # Every upcoming booking goes to a calendar, with its page in My bookings as the location.
    ics = item.get_by_role("link", name="Add to calendar (.ics)")
    expect(ics).to_have_attribute("download", f"session-{reference}.ics")
    google = urlparse(item.get_by_role("link", name=re.compile("Google Calendar")).get_attribute("href") or "")
    assert google.netloc == "calendar.google.com"
    assert parse_qs(google.query)["location"] == [f"{stack.web_url}/my-bookings?booking={reference}"]
    outlook = urlparse(item.get_by_role("link", name=re.compile("Outlook")).get_attribute("href") or "")
    assert parse_qs(outlook.query)["startdt"] == [start]

    item.get_by_role("button", name="Cancel booking").click()
    item.get_by_role("button", name="Yes, cancel booking").click()
    past = page.get_by_test_id("past-bookings")
    expect(past.get_by_test_id("my-booking").filter(has_text=reference)).to_be_visible()
    expect(page.get_by_role("heading", name="Past and cancelled")).to_be_visible()
    expect(upcoming.get_by_test_id("my-booking").filter(has_text=reference)).to_have_count(0)
    expect(past.get_by_test_id("status-badge")).to_have_text("Cancelled")
    expect(past.get_by_role("heading", level=3)).to_be_focused()
    expect(past.get_by_role("link", name="Add to calendar (.ics)")).to_have_count(0)
    ui.assert_accessible(page, "my bookings with a cancelled booking")


def test_the_booking_emails_link_opens_my_bookings_at_that_booking(
    page: Page, stack: Stack, expert_ids: Iterator[str]
) -> None:
    address = api.unique_email("emailed")
    reference, _ = ui.book(page, next(expert_ids), address)
    pattern = rf"https?://\S+/my-bookings\?booking={re.escape(reference)}"
    link = api.wait_for_link(stack.moto_url, address, pattern, "booking page link")
    page.goto(link)
    item = page.locator(f'[data-testid="my-booking"][data-booking-id="{reference}"]')
    expect(item).to_have_class(re.compile("booking-item--focus"))
    expect(item.get_by_role("heading", level=3)).to_be_focused()


def test_keyboard_selects_a_slot_and_reaches_continue_in_three_tabs(
    page: Page, stack: Stack, expert_ids: Iterator[str]
) -> None:
    expert_id = next(expert_ids)
    ui.open_expert(page, expert_id)
    free = ui.free_starts(page)
    first = ui.slot_button(page, free[0])
    expect(first).to_have_attribute("tabindex", "0")  # the picker's one Tab stop
    first.focus()
    page.keyboard.press("ArrowRight")
    second = ui.slot_button(page, free[1])
    expect(second).to_be_focused()
    page.keyboard.press("ArrowLeft")
    expect(first).to_be_focused()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    expect(second).to_have_attribute("aria-pressed", "true")

    # "Continue" sits right after the chosen time: one Tab (the issue asks for at most three).
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name=re.compile(r"^Continue with "))).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_label("Time", exact=True)).to_have_value(free[1])


def test_slots_tell_booked_from_too_soon_and_reach_past_two_weeks(
    page: Page, stack: Stack, admin_token: str, expert_ids: Iterator[str]
) -> None:
    expert_id = next(expert_ids)
    api.book_first_free(stack.api_url, expert_id, api.unique_email("legend"))
    ui.open_expert(page, expert_id)
    legend = page.get_by_role("list", name="Key to the times")
    expect(legend).to_contain_text("Booked")
    expect(legend).to_contain_text("Too soon to book")
    expect(page.locator("button.slot--booked").first).to_have_attribute("aria-label", re.compile(r"\(booked\)$"))

    # Later dates: the demo data has slots for 14 days only, so the next window is empty and the sticky bar goes.
    page.get_by_role("button", name="Later dates").click()
    expect(page).to_have_url(re.compile("from="))
    expect(page.get_by_role("heading", name="No free times in these two weeks")).to_be_visible()
    expect(page.get_by_test_id("booking-bar")).to_have_count(0)
    # An admin adds a time 40 days ahead: "Next available time" finds it.
    far = (datetime.now(timezone.utc) + timedelta(days=40)).replace(hour=12, minute=0, second=0, microsecond=0)
    requests.post(
        f"{stack.api_url}/admin/experts/{expert_id}/slots",
        json={"slots": [{"start": api.utc_text(far)}]},
        headers={"Authorization": f"Bearer {admin_token}"},
        timeout=30,
    ).raise_for_status()
    page.get_by_role("button", name="Next available time").click()
    expect(ui.slot_button(page, api.utc_text(far))).to_be_enabled()
    ui.slot_button(page, api.utc_text(far)).click()
    page.get_by_role("link", name="Continue to booking").click()
    expect(page.get_by_label("Time", exact=True)).to_have_value(api.utc_text(far))
    ui.assert_accessible(page, "booking form past two weeks")

