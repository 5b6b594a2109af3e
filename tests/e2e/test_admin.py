"""Admin screens against real Cognito (moto): sign-in, status changes the client then sees, slots."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import requests
from playwright.sync_api import Page, expect

from tests.e2e import api, ui
from tests.e2e.conftest import NewContext, Stack


def test_admin_confirms_then_cancels_and_the_client_sees_each_status(
    new_context: NewContext, stack: Stack, expert_ids: Iterator[str]
) -> None:
    expert_id = next(expert_ids)
    client = new_context().new_page()
    reference, _ = ui.book(client, expert_id, api.unique_email("admin-flow"))
    client.get_by_role("link", name="Go to My bookings").click()
    mine = ui.my_booking(client, reference)
    expect(mine.get_by_test_id("status-badge")).to_have_text("Pending")

    admin = new_context().new_page()
    ui.sign_in_admin(admin, stack.admin_username, stack.admin_password)
    ui.show_expert_bookings(admin, expert_id)
    row = ui.admin_row(admin, reference)
    expect(row.get_by_test_id("status-badge")).to_have_text("Pending")
    # Only the valid transitions are offered: a future session cannot be completed yet.
    expect(row.get_by_role("button")).to_have_text([re.compile("^Confirm"), re.compile("^Cancel")])

    row.get_by_role("button", name=re.compile("^Confirm")).click()
    expect(row.get_by_test_id("status-badge")).to_have_text("Confirmed")
    expect(row.get_by_role("button")).to_have_text([re.compile("^Cancel")])
    client.reload()
    expect(mine.get_by_test_id("status-badge")).to_have_text("Confirmed")

    row.get_by_role("button", name=re.compile("^Cancel")).click()
    row.get_by_role("button", name="Yes, cancel").click()  # cancelling asks first (issue 13)
    expect(row.get_by_test_id("status-badge")).to_have_text("Cancelled")
    expect(row.get_by_role("button")).to_have_count(0)
    client.reload()
    expect(mine.get_by_test_id("status-badge")).to_have_text("Cancelled")
    expect(mine.get_by_role("button", name="Cancel booking")).to_have_count(0)


def test_admin_bookings_start_today_and_can_include_past_dates(page: Page, stack: Stack) -> None:
    ui.sign_in_admin(page, stack.admin_username, stack.admin_password)
    today, midnight = page.evaluate(
        "() => { const d = new Date(); d.setHours(0, 0, 0, 0);"
        " return [d.toLocaleDateString('en-CA'), d.toISOString().replace(/\\.\\d{3}Z$/, 'Z')]; }"
    )
    from_date = page.get_by_label("From date", exact=True)
    expect(from_date).to_have_value(today)
    rows = page.get_by_test_id("admin-booking-row")
    expect(rows.first).to_be_visible()
    starts = rows.evaluate_all("rows => rows.map(r => r.dataset.start)")
    assert starts and all(start >= midnight for start in starts), starts

    page.get_by_role("button", name="Include past dates").click()
    expect(page).to_have_url(re.compile(r"[?&]from=(&|$)"))
    expect(from_date).to_have_value("")
    expect(rows.first).to_have_attribute("data-start", re.compile(r"^\d{4}-"))
    assert rows.first.get_attribute("data-start") < midnight  # the demo data has past sessions, oldest first

    page.get_by_role("button", name="Reset filters").click()
    expect(from_date).to_have_value(today)


def test_admin_sign_in_errors_and_an_ended_session(page: Page, stack: Stack) -> None:
    page.goto("/admin")
    page.get_by_label("Username", exact=True).fill(stack.admin_username)
    page.get_by_label("Password", exact=True).fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_have_text("Incorrect username or password.")
    expect(page.get_by_label("Password", exact=True)).to_have_value("")

    ui.sign_in_admin(page, stack.admin_username, stack.admin_password)
    expect(page.get_by_test_id("admin-booking-row").first).to_be_visible()
    # The API answers 401 to a token it no longer accepts: the SPA asks to sign in again.
    page.evaluate(
        """() => {
            const key = 'expertBooking.adminSession';
            const session = JSON.parse(sessionStorage.getItem(key));
            sessionStorage.setItem(key, JSON.stringify({...session, token: session.token.slice(0, -4) + 'AAAA'}));
        }"""
    )
    page.reload()
    expect(page.get_by_text("Your session has ended. Please sign in again.")).to_be_visible()
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()


def free_local_start(stack: Stack, expert: dict, day: datetime) -> datetime:
    """A start on `day` (expert's zone) that overlaps none of the expert's slots."""
    slots = api.slots(stack.api_url, expert["id"])
    taken = [(datetime.fromisoformat(s["start"]), datetime.fromisoformat(s["end"])) for s in slots]
    length = timedelta(minutes=expert["sessionMinutes"])
    zone = ZoneInfo(expert["timezone"])
    for hour in range(24):
        start = datetime(day.year, day.month, day.day, hour, tzinfo=zone)
        if all(not (start < end and begin < start + length) for begin, end in taken):
            return start
    raise AssertionError(f"{expert['id']} has no free hour on {day:%Y-%m-%d}")


def test_admin_adds_and_deletes_slots(new_context: NewContext, stack: Stack, expert_ids: Iterator[str]) -> None:
    expert_id = next(expert_ids)
    expert = requests.get(f"{stack.api_url}/experts/{expert_id}", timeout=30).json()
    day = datetime.now(ZoneInfo(expert["timezone"])) + timedelta(days=2)
    start = free_local_start(stack, expert, day)
    start_utc = api.utc_text(start)
    client = new_context().new_page()
    _, booked = ui.book(client, expert_id, api.unique_email("slots"))

    admin = new_context().new_page()
    ui.sign_in_admin(admin, stack.admin_username, stack.admin_password)
    ui.open_admin_slots(admin, expert_id)
    admin.get_by_label("Date", exact=True).fill(f"{start:%Y-%m-%d}")
    admin.get_by_label("First start time", exact=True).fill(f"{start:%H:%M}")
    admin.get_by_label("Number of sessions", exact=True).fill("1")
    admin.get_by_role("button", name="Add slots").click()
    expect(admin.get_by_role("status").filter(has_text="Added")).to_have_text("Added 1 slot.")
    added = admin.locator(f'[data-testid="admin-slot"][data-start="{start_utc}"]')
    expect(added.locator(".availability")).to_have_text("Available")
    # Adding the same time again is skipped, not doubled.
    admin.get_by_role("button", name="Add slots").click()
    expect(admin.get_by_role("status").filter(has_text="Added")).to_have_text(
        "Added 0 slots; skipped 1 that already existed or overlapped."
    )

    # Clients see the new slot.
    ui.open_expert(client, expert_id)
    expect(ui.slot_button(client, start_utc)).to_be_enabled()

    added.get_by_role("button", name=re.compile("^Delete")).click()
    added.get_by_role("button", name="Yes, delete").click()
    expect(added).to_have_count(0)
    client.reload()
    expect(ui.slot_button(client, start_utc)).to_have_count(0)

    # A booked slot cannot be deleted: the API's 409 becomes a clear message on that slot.
    held = admin.locator(f'[data-testid="admin-slot"][data-start="{booked}"]')
    held.get_by_role("button", name=re.compile("^Delete")).click()
    held.get_by_role("button", name="Yes, delete").click()
    expect(held.get_by_role("alert")).to_contain_text("This slot has a booking")
