"""The admin's experience (issue 13), in Chromium: cancelling asks first, "Mark completed" explains why it is
not there yet, and an expert created in the admin screen is listed for clients."""

from __future__ import annotations

import re
from collections.abc import Iterator

import requests
from playwright.sync_api import Page, expect

from tests.e2e import api, ui
from tests.e2e.conftest import Stack


def test_admin_cancel_needs_a_second_click_and_complete_says_when(
    page: Page, stack: Stack, admin_token: str, expert_ids: Iterator[str]
) -> None:
    expert_id = next(expert_ids)
    reference = api.book_first_free(stack.api_url, expert_id, api.unique_email("admin-ux"))
    requests.patch(
        f"{stack.api_url}/bookings/{reference}/status",
        json={"status": "confirmed"},
        headers={"Authorization": f"Bearer {admin_token}"},
        timeout=30,
    ).raise_for_status()
    ui.sign_in_admin(page, stack.admin_username, stack.admin_password)
    ui.show_expert_bookings(page, expert_id)
    row = ui.admin_row(page, reference)
    expect(row.get_by_test_id("complete-later")).to_contain_text("Can be marked completed once the session starts")

    row.get_by_role("button", name=re.compile("^Cancel")).click()
    # The first click only asks; the focus is on the safe choice.
    expect(row.get_by_test_id("status-badge")).to_have_text("Confirmed")
    expect(row.get_by_role("group", name=re.compile("Cancel .* booking\\?"))).to_be_visible()
    expect(row.get_by_role("button", name="Keep booking")).to_be_focused()
    ui.assert_accessible(page, "admin cancel question")
    page.keyboard.press("Escape")
    expect(row.get_by_role("button", name="Yes, cancel")).to_have_count(0)
    expect(row.get_by_test_id("status-badge")).to_have_text("Confirmed")

    row.get_by_role("button", name=re.compile("^Cancel")).click()
    row.get_by_role("button", name="Yes, cancel").click()
    expect(row.get_by_test_id("status-badge")).to_have_text("Cancelled")


def test_an_expert_created_in_the_admin_screen_is_listed(page: Page, stack: Stack) -> None:
    ui.sign_in_admin(page, stack.admin_username, stack.admin_password)
    page.get_by_role("navigation", name="Admin sections").get_by_role("link", name="Experts").click()
    expect(page.get_by_role("heading", name="Experts", exact=True)).to_be_visible()

    page.get_by_role("button", name="Create expert").click()
    # An admin's words, not the booking form's "Enter your name."
    expect(page.get_by_label("Name", exact=True)).to_have_accessible_description(re.compile("Enter the expert's name."))
    expect(page.get_by_label("Name", exact=True)).to_be_focused()
    ui.assert_accessible(page, "admin expert form with errors")

    page.get_by_label("Name", exact=True).fill("Grace Hopper UX")
    page.get_by_label("Category", exact=True).fill("Engineering")
    page.get_by_label("Years of experience").fill("40")
    page.get_by_label("Rating (0 to 5)").fill("4.8")
    page.get_by_label("Session length (minutes)").fill("45")
    page.get_by_label("Time zone", exact=True).fill("America/New_York")
    page.get_by_role("button", name="Create expert").click()
    expect(page.get_by_role("status").filter(has_text="Saved Grace Hopper UX")).to_be_visible()

    page.goto("/?q=Grace%20Hopper%20UX")
    card = page.get_by_test_id("expert-card").filter(has_text="Grace Hopper UX")
    expect(card).to_be_visible()
    expect(card).to_contain_text("Engineering")


def test_admin_finds_a_clients_bookings_by_email(page: Page, stack: Stack, expert_ids: Iterator[str]) -> None:
    address = api.unique_email("findme")
    booked = [api.book_first_free(stack.api_url, next(expert_ids), address) for _ in range(2)]
    api.book_first_free(stack.api_url, next(expert_ids), api.unique_email("someone-else"))
    ui.sign_in_admin(page, stack.admin_username, stack.admin_password)
    page.get_by_label("Client email").fill(address.upper())
    page.get_by_role("button", name="Find bookings").click()
    rows = page.get_by_test_id("admin-booking-row")
    expect(rows).to_have_count(2)
    for reference in booked:
        expect(ui.admin_row(page, reference)).to_be_visible()
    expect(page.locator("caption")).to_contain_text(f"2 bookings for {address}")
    ui.assert_accessible(page, "admin search by client email")
    page.get_by_role("button", name="Show all bookings").click()
    expect(page.get_by_label("Client email")).to_have_value("")
