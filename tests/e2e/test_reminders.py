"""A reminder email (issue 12) on the running stack: the worker's scheduled run emails a confirmed
session due within a day, and its manage link opens that booking, alone, in a browser that never held
a token for it, where the client can cancel it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

from playwright.sync_api import expect

from tests.e2e import api, ui
from tests.e2e.conftest import NewContext, Stack

# The worker runs the reminders every SWEEP_SECONDS (30 s); this allows for a busy machine.
PATIENCE = 180.0


def test_a_reminders_manage_link_opens_that_booking_on_any_device(
    new_context: NewContext, stack: Stack, admin_token: str, expert_ids: Iterator[str]
) -> None:
    # Three hours ahead: the 24 h reminder is due at once, and the cancellation cutoff (2 h) still allows a cancel.
    session = api.book_soon(stack.api_url, admin_token, expert_ids, "remind", ahead=timedelta(hours=3))
    link = api.wait_for_manage_link(stack.moto_url, session.email, session.booking_id, PATIENCE)
    assert link.startswith(f"{stack.web_url}/my-bookings?booking={session.booking_id}&manage=")

    inbox = new_context().new_page()  # e.g. the phone the reminder was read on
    inbox.goto(link)
    item = ui.my_booking(inbox, session.booking_id)
    expect(item.get_by_test_id("status-badge")).to_have_text("Confirmed")
    expect(inbox.get_by_test_id("my-booking")).to_have_count(1)
    expect(inbox.get_by_test_id("my-bookings-scope")).to_contain_text("Bookings made on this device.")
    expect(inbox).not_to_have_url(re.compile("manage="))  # the token leaves the address bar and history

    item.get_by_role("button", name="Cancel booking").click()
    item.get_by_role("button", name="Yes, cancel booking").click()
    expect(item.get_by_test_id("status-badge")).to_have_text("Cancelled")
