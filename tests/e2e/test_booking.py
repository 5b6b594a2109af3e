"""Booking through the SPA: success screen, live updates elsewhere, a race for one slot,
My bookings on the same device and by magic link, and a client cancelling."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

from playwright.sync_api import Page, Route, expect

from tests.e2e import api, ui
from tests.e2e.conftest import BookOnNewDevice, NewContext, Stack

LIVE_UPDATE_SECONDS = 5  # PRODUCT.md: a slot booked elsewhere turns unavailable within 5 s


def test_book_a_slot_and_see_the_success_screen(page: Page, expert_ids: Iterator[str]) -> None:
    expert_id = next(expert_ids)
    start = ui.choose_slot(page, expert_id)
    ui.fill_details(page, "not-an-email")
    page.get_by_role("button", name="Confirm booking").click()
    # Checked as typed and again on submit: the field says what is wrong and has focus.
    email = page.get_by_label("Email", exact=True)
    expect(email).to_be_focused()
    expect(email).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_text("Enter a valid email address")).to_be_visible()

    # A number only the server can reject (the pattern allows it): its message lands on the phone field.
    address = api.unique_email("success")
    email.fill(address.upper())
    phone = page.get_by_label("Phone number", exact=True)
    phone.fill("+1 000 000 0000")
    page.get_by_role("button", name="Confirm booking").click()
    expect(phone).to_be_focused()
    expect(phone).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_text("not a valid phone number")).to_be_visible()

    phone.fill("+44 20 7946 0958")
    reference = ui.confirm_booking(page)

    assert re.fullmatch(r"[A-Za-z0-9_-]{16,}", reference)
    expect(page.get_by_role("heading", level=1)).to_have_text("Booking received")
    expect(page.get_by_test_id("status-badge")).to_have_text("Pending")
    expect(page.get_by_text(address)).to_be_visible()  # stored lower-case by the API
    ics = page.get_by_role("link", name="Add to calendar (.ics)")
    expect(ics).to_have_attribute("download", f"session-{reference}.ics")
    assert "DTSTART:" + start.replace("-", "").replace(":", "") in (ics.get_attribute("href") or "").replace("%3A", ":")
    expect(page.get_by_role("link", name="Go to My bookings")).to_be_visible()
    # The slot is no longer offered.
    ui.open_expert(page, expert_id)
    expect(ui.slot_button(page, start)).to_be_disabled()


def test_a_slot_booked_elsewhere_turns_unavailable_without_reload(
    new_context: NewContext, expert_ids: Iterator[str]
) -> None:
    expert_id = next(expert_ids)
    watcher = new_context().new_page()
    ui.open_expert(watcher, expert_id)
    start = ui.free_starts(watcher)[0]
    ui.slot_button(watcher, start).click()  # the watcher had picked this very slot
    watcher.evaluate("window.__sameDocument = true")

    booker = new_context().new_page()
    booker.goto(f"/experts/{expert_id}/book?slot={start}")
    ui.fill_details(booker, api.unique_email("live"))
    ui.confirm_booking(booker)
    booked_at = time.monotonic()

    expect(ui.slot_button(watcher, start)).to_be_disabled(timeout=LIVE_UPDATE_SECONDS * 1000)
    assert time.monotonic() - booked_at <= LIVE_UPDATE_SECONDS
    expect(watcher.get_by_role("alert").filter(has_text=ui.TAKEN)).to_be_visible()
    expect(watcher.get_by_test_id("slot-announcer")).to_contain_text("is no longer available")
    expect(watcher.get_by_role("link", name="Continue to booking")).to_have_count(0)
    assert watcher.evaluate("window.__sameDocument === true"), "the page was reloaded"


def test_two_people_race_for_one_slot_and_exactly_one_wins(
    new_context: NewContext, stack: Stack, expert_ids: Iterator[str]
) -> None:
    expert_id = next(expert_ids)
    pages = [new_context().new_page() for _ in range(2)]
    start = ui.choose_slot(pages[0], expert_id)
    pages[1].goto(f"/experts/{expert_id}/book?slot={start}")
    expect(pages[1].get_by_label("Time", exact=True)).to_have_value(start)
    for racer in pages:
        ui.fill_details(racer, api.unique_email("race"))

    # Hold each POST /bookings until both have been sent, then let them go together.
    held: list[Route] = []

    def hold_until_both_sent(route: Route) -> None:
        if route.request.method != "POST":
            route.continue_()
            return
        held.append(route)
        if len(held) == len(pages):
            for waiting in held:
                waiting.continue_()

    for racer in pages:
        racer.route(f"{stack.browser_api_url}/bookings", hold_until_both_sent)
    for racer in pages:
        racer.get_by_role("button", name="Confirm booking").click()

    outcomes = []
    for racer in pages:
        success = racer.get_by_test_id("booking-reference")
        taken = racer.get_by_text(ui.TAKEN)
        expect(success.or_(taken)).to_be_visible()
        outcomes.append("booked" if success.is_visible() else "taken")
    assert sorted(outcomes) == ["booked", "taken"]

    loser = pages[outcomes.index("taken")]
    if loser.url.endswith(f"/experts/{expert_id}"):  # the 409 sent it back to the slot picker
        expect(ui.slot_button(loser, start)).to_be_disabled()
    else:  # its own polling saw the slot go first: the form dropped it
        expect(loser.get_by_label("Time", exact=True)).not_to_have_value(start)


def test_my_bookings_on_the_same_device_and_cancel(page: Page, expert_ids: Iterator[str]) -> None:
    expert_id = next(expert_ids)
    reference, start = ui.book(page, expert_id, api.unique_email("mine"))
    page.get_by_role("link", name="Go to My bookings").click()

    # The booking's own token opens it here (GET /bookings/{id}); its email is not confirmed yet.
    item = ui.my_booking(page, reference)
    expect(item).to_be_visible()
    expect(item.get_by_test_id("status-badge")).to_have_text("Pending")
    expect(item.get_by_test_id("hold-note")).to_contain_text(
        re.compile(r"Awaiting email confirmation until \d{1,2}:\d{2}")
    )
    # A fresh visit to the page works too (the token is kept on this device).
    page.goto("/my-bookings")
    expect(item.get_by_test_id("status-badge")).to_have_text("Pending")

    item.get_by_role("button", name="Cancel booking").click()
    expect(item.get_by_role("button", name="Keep booking")).to_be_focused()
    item.get_by_role("button", name="Yes, cancel booking").click()
    expect(item.get_by_test_id("status-badge")).to_have_text("Cancelled")
    expect(item.get_by_role("button", name="Cancel booking")).to_have_count(0)

    # Cancelling released the slot: it can be booked again.
    ui.open_expert(page, expert_id)
    expect(ui.slot_button(page, start)).to_be_enabled()


def test_magic_link_opens_my_bookings_on_another_device(
    new_context: NewContext, stack: Stack, book_on_new_device: BookOnNewDevice
) -> None:
    address = api.unique_email("link")
    _, reference = book_on_new_device(address)

    elsewhere = new_context().new_page()
    elsewhere.goto("/my-bookings")
    expect(elsewhere.get_by_role("heading", name="Get a link to your bookings")).to_be_visible()
    ui.assert_accessible(elsewhere, "magic link request")
    elsewhere.get_by_label("Email", exact=True).fill(address)
    elsewhere.get_by_role("button", name="Email me a link").click()
    expect(elsewhere.get_by_role("heading", name="Check your inbox")).to_be_visible()

    link = api.wait_for_magic_link(stack.moto_url, address)
    assert link.startswith(f"{stack.web_url}/my-bookings?token=")

    inbox = new_context().new_page()  # e.g. the phone the email was read on
    inbox.goto(link)
    item = ui.my_booking(inbox, reference)
    expect(item).to_be_visible()
    expect(item.get_by_test_id("status-badge")).to_have_text("Pending")
    expect(inbox.get_by_test_id("my-bookings-scope")).to_have_text(f"All bookings for {address}")
    expect(inbox).not_to_have_url(re.compile("token="))  # the token leaves the address bar and history
