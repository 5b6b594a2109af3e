"""The booker's experience (issue 13), in Chromium: My bookings sorts cancelled bookings out of Upcoming and
adds any booking to a calendar; the booking email's link opens the page at that booking."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import parse_qs, urlparse

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
