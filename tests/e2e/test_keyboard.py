"""Keyboard only, end to end: find an expert, pick a time, fill the form and book without a mouse."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import requests
from playwright.sync_api import Locator, Page, expect

from tests.e2e import api, ui
from tests.e2e.conftest import Stack


def tab_to(page: Page, target: Locator, limit: int = 250) -> None:
    """Press Tab until `target` has focus (fails if the tab order never reaches it)."""
    expect(target).to_be_visible()
    handle = target.element_handle()
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("element => document.activeElement === element", handle):
            return
    raise AssertionError(f"Tab never reached {target}")


def arrow_to(page: Page, target: Locator, limit: int = 400) -> None:
    """Press ArrowRight until `target` has focus (the slot picker's arrow keys)."""
    handle = target.element_handle()
    for _ in range(limit):
        if page.evaluate("element => document.activeElement === element", handle):
            return
        page.keyboard.press("ArrowRight")
    raise AssertionError(f"ArrowRight never reached {target}")


def test_book_a_session_with_the_keyboard_alone(page: Page, stack: Stack, expert_ids: Iterator[str]) -> None:
    expert_id = next(expert_ids)
    name = requests.get(f"{stack.api_url}/experts/{expert_id}", timeout=30).json()["name"]
    page.goto("/")

    search = page.get_by_label("Search by name")
    tab_to(page, search)
    page.keyboard.type(name)
    card = page.get_by_test_id("expert-card").get_by_role("link", name=name)
    tab_to(page, card)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(name)

    start = ui.free_starts(page, timedelta(hours=3))[0]
    slot = ui.slot_button(page, start)
    # The times are one Tab stop; arrow keys move between them (issue 13).
    tab_to(page, page.locator("button[data-start][tabindex='0']"))
    arrow_to(page, slot)
    page.keyboard.press("Enter")
    expect(slot).to_have_attribute("aria-pressed", "true")
    tab_to(page, page.get_by_role("link", name="Continue to booking"))
    page.keyboard.press("Enter")
    expect(page.get_by_label("Time", exact=True)).to_have_value(start)

    address = api.unique_email("keyboard")
    for label, text in (("Full name", "Kim Keys"), ("Email", address), ("Phone number", "+44 20 7946 0958")):
        tab_to(page, page.get_by_label(label, exact=True))
        page.keyboard.type(text)
    tab_to(page, page.get_by_role("button", name="Confirm booking"))
    page.keyboard.press("Enter")

    expect(page.get_by_test_id("booking-reference")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Booking received")
    expect(page.get_by_text(address)).to_be_visible()
