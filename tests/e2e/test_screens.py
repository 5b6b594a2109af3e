"""Every screen at desktop and phone width: an axe-core scan (no serious or critical violations)
and a screenshot of each (under build/screenshots; `make screenshots` refreshes docs/screenshots for the README)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.e2e import api, ui
from tests.e2e.conftest import DESKTOP, MOBILE, NewContext, Stack


def capture(page: Page, screen: str, device: str) -> None:
    ui.assert_accessible(page, f"{screen} ({device})")
    ui.screenshot(page, screen, device)


@pytest.mark.parametrize(("device", "viewport"), [("desktop", DESKTOP), ("mobile", MOBILE)])
def test_every_screen(
    new_context: NewContext, stack: Stack, expert_ids: Iterator[str], device: str, viewport: dict[str, int]
) -> None:
    page = new_context(viewport).new_page()

    page.goto("/")
    expect(page.get_by_test_id("expert-card")).to_have_count(12)
    capture(page, "experts", device)

    expert_id = next(expert_ids)
    ui.open_expert(page, expert_id)
    start = ui.free_starts(page)[0]
    ui.slot_button(page, start).click()
    expect(page.get_by_role("link", name="Continue to booking")).to_be_visible()
    capture(page, "expert-detail", device)

    page.get_by_role("link", name="Continue to booking").click()
    page.get_by_role("button", name="Confirm booking").click()  # empty: every rule speaks up
    expect(page.get_by_text("Enter your name.")).to_be_visible()
    ui.assert_accessible(page, f"booking form with errors ({device})")
    address = api.unique_email("asha.rao")
    ui.fill_details(page, address, name="Asha Rao")
    page.get_by_label("Notes for the expert").fill("I'd like to talk about a career move into data.")
    page.get_by_role("heading", level=1).scroll_into_view_if_needed()
    capture(page, "booking-form", device)

    reference = ui.confirm_booking(page)
    expect(page.get_by_test_id("hold-notice")).to_be_visible()
    capture(page, "booking-success", device)

    page.get_by_role("link", name="Go to My bookings").click()
    expect(page.get_by_test_id("my-booking")).to_have_count(1)
    expect(page.get_by_test_id("hold-note")).to_be_visible()
    capture(page, "my-bookings", device)

    page.goto(api.wait_for_verification_link(stack.moto_url, address, reference))
    expect(page.get_by_role("status").filter(has_text="Your email is confirmed")).to_be_visible()
    expect(page.get_by_test_id("my-booking")).to_have_count(1)
    capture(page, "my-bookings-verified", device)

    page.goto("/admin")
    expect(page.get_by_label("Username", exact=True)).to_be_visible()
    capture(page, "admin-sign-in", device)

    ui.sign_in_admin(page, stack.admin_username, stack.admin_password)
    expect(page.get_by_test_id("admin-booking-row").first).to_be_visible()
    capture(page, "admin-bookings", device)

    ui.open_admin_slots(page, expert_id)
    expect(page.get_by_test_id("admin-slot").first).to_be_visible()
    capture(page, "admin-slots", device)

    page.get_by_role("link", name="Set weekly hours").click()
    page.get_by_role("button", name="Preview slots").click()
    expect(page.get_by_test_id("preview-slot").first).to_be_visible()
    capture(page, "admin-availability", device)

    page.get_by_role("navigation", name="Admin sections").get_by_role("link", name="Experts").click()
    expect(page.get_by_role("button", name="Create expert")).to_be_visible()
    capture(page, "admin-experts", device)
