"""What a user does in the SPA, by role and label (the names listed in frontend/README.md)."""

from __future__ import annotations

import os
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

from playwright.sync_api import Locator, Page, expect

from devstack.local_stack import ROOT

AXE = ROOT / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
# Test runs write screenshots under build/ (ignored), so `make test` leaves tracked files alone;
# `make screenshots` points this at docs/screenshots to refresh the README's pictures.
SCREENSHOTS = Path(os.environ.get("SCREENSHOT_DIR") or ROOT / "build" / "screenshots")
TAKEN = "That slot was just taken."


def slot_button(page: Page, start: str) -> Locator:
    return page.locator(f'button[data-start="{start}"]')


def free_starts(page: Page, at_least: timedelta = timedelta(0)) -> list[str]:
    """UTC starts of the bookable slots on an expert page, at least `at_least` from now."""
    expect(page.locator("button[data-start]").first).to_be_attached()
    starts: list[str] = page.locator("button[data-start]:enabled").evaluate_all(
        "buttons => buttons.map(b => b.dataset.start)"
    )
    earliest = datetime.now(timezone.utc) + at_least
    return [s for s in starts if datetime.fromisoformat(s) >= earliest]


def open_expert(page: Page, expert_id: str) -> None:
    page.goto(f"/experts/{expert_id}")
    expect(page.get_by_role("heading", level=1)).not_to_have_text(re.compile("Loading"))


def choose_slot(page: Page, expert_id: str, at_least: timedelta = timedelta(hours=3)) -> str:
    """On the expert page: pick a free slot (by default one a client may still cancel) and go to the form."""
    open_expert(page, expert_id)
    start = free_starts(page, at_least)[0]
    slot_button(page, start).click()
    expect(slot_button(page, start)).to_have_attribute("aria-pressed", "true")
    page.get_by_role("link", name="Continue to booking").click()
    expect(page.get_by_label("Time", exact=True)).to_have_value(start)
    return start


def fill_details(page: Page, email: str, name: str = "Asha Rao", phone: str = "+91 98765 43210") -> None:
    page.get_by_label("Full name", exact=True).fill(name)
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Phone number", exact=True).fill(phone)


def confirm_booking(page: Page) -> str:
    """Submit the form and return the reference shown on the success screen."""
    page.get_by_role("button", name="Confirm booking").click()
    reference = page.get_by_test_id("booking-reference")
    expect(reference).to_be_visible()
    return reference.inner_text().strip()


def book(page: Page, expert_id: str, email: str, at_least: timedelta = timedelta(hours=3)) -> tuple[str, str]:
    """Book the first free slot of an expert through the UI; returns (reference, slot start)."""
    start = choose_slot(page, expert_id, at_least)
    fill_details(page, email)
    return confirm_booking(page), start


def my_booking(page: Page, reference: str) -> Locator:
    return page.get_by_test_id("my-booking").filter(has_text=reference)


def sign_in_admin(page: Page, username: str, password: str) -> None:
    page.goto("/admin")
    page.get_by_label("Username", exact=True).fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def open_admin_slots(page: Page, expert_id: str) -> None:
    """The Slots tab (a lazily loaded screen: wait for it, or "Expert" is still the bookings filter)."""
    page.get_by_role("link", name="Slots").click()
    expect(page.get_by_role("heading", name="Slots", exact=True)).to_be_visible()
    page.get_by_label("Expert", exact=True).select_option(expert_id)
    expect(page.get_by_role("heading", name="Add slots")).to_be_visible()


def admin_row(page: Page, booking_id: str) -> Locator:
    return page.locator(f'[data-testid="admin-booking-row"][data-booking-id="{booking_id}"]')


def show_expert_bookings(page: Page, expert_id: str) -> None:
    page.get_by_label("Expert", exact=True).select_option(expert_id)
    expect(page).to_have_url(re.compile(f"expertId={expert_id}"))


def assert_accessible(page: Page, screen: str) -> None:
    """axe-core on the current page: no serious or critical violations."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated through DevTools, which the page's Content-Security-Policy (script-src 'self', as
        # CloudFront sends it) does not govern; an inline <script> tag would be refused.
        page.evaluate(AXE.read_text(encoding="utf-8"))
    violations = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
            .filter(v => v.impact === 'serious' || v.impact === 'critical')
            .map(v => `${v.impact} ${v.id}: ${v.help} at ${v.nodes.slice(0, 3).map(n => n.target).join(', ')}`)"""
    )
    assert not violations, f"{screen}: " + "\n".join(violations)


def screenshot(page: Page, screen: str, device: str) -> Path:
    """The visible window (what a user sees first), saved for the README."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{screen}-{device}.png"
    page.mouse.move(0, 0)  # no hover effects in the picture
    page.screenshot(path=str(path), animations="disabled", caret="hide")
    return path
