"""Completing a session, which the API allows only once it has started.

The session comes from the `started_booking` fixture, created when the stack starts; this module
sorts last, so by the time it runs the session has usually begun and nothing waits."""

from __future__ import annotations

import re
from datetime import datetime, timezone

from playwright.sync_api import expect

from tests.e2e import api, ui
from tests.e2e.conftest import NewContext, Stack


def test_admin_marks_a_started_session_completed(
    new_context: NewContext, stack: Stack, started_booking: api.SoonBooking
) -> None:
    admin = new_context().new_page()
    ui.sign_in_admin(admin, stack.admin_username, stack.admin_password)
    ui.show_expert_bookings(admin, started_booking.expert_id)
    row = ui.admin_row(admin, started_booking.booking_id)
    expect(row.get_by_test_id("status-badge")).to_have_text("Confirmed")

    # Offered once the session has started (the page re-checks the time every 15 s).
    until_start = (started_booking.start - datetime.now(timezone.utc)).total_seconds()
    complete = row.get_by_role("button", name=re.compile("^Mark completed"))
    expect(complete).to_be_visible(timeout=(max(until_start, 0) + 30) * 1000)
    complete.click()
    expect(row.get_by_test_id("status-badge")).to_have_text("Completed")
    expect(row.get_by_role("button")).to_have_count(0)

    # The booking was made through the API, so no browser holds its token: the client asks for a
    # link to their bookings and opens it (the link email is sent only for an address with bookings).
    api.request_access_link(stack.api_url, started_booking.email)
    client = new_context().new_page()
    client.goto(api.wait_for_magic_link(stack.moto_url, started_booking.email))
    mine = ui.my_booking(client, started_booking.booking_id)
    expect(mine.get_by_test_id("status-badge")).to_have_text("Completed")
