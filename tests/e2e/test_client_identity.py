"""Client identity (issue 9) in the browser: a booking's own token opens only that booking; My bookings
for an email opens only from a link emailed to it (the verification link or an access link)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from playwright.sync_api import Page, Route, expect

from tests.e2e import api, ui
from tests.e2e.conftest import DESKTOP, MOBILE, BookOnNewDevice, NewContext, Stack

VERIFIED = "Your email is confirmed; your booking is kept."


def test_verification_link_keeps_the_booking_and_opens_my_bookings(
    book_on_new_device: BookOnNewDevice, stack: Stack
) -> None:
    address = api.unique_email("verify")
    page, reference = book_on_new_device(address)
    # The stack runs with the default 15-minute hold.
    expect(page.get_by_test_id("hold-notice")).to_contain_text(
        "Check your email to confirm within 15 minutes, or the slot is released."
    )

    link = api.wait_for_verification_link(stack.moto_url, address, reference)
    assert link.startswith(f"{stack.web_url}/verify?booking={reference}&token=")
    page.goto(link)

    # The link's token is gone from the address bar; the page opens at this booking.
    expect(page).to_have_url(f"{stack.web_url}/my-bookings?booking={reference}")
    expect(page.get_by_role("status").filter(has_text=VERIFIED)).to_be_visible()
    item = ui.my_booking(page, reference)
    expect(item.get_by_role("heading", level=3)).to_be_focused()
    expect(item.get_by_test_id("status-badge")).to_have_text("Pending")
    expect(item).not_to_contain_text("Awaiting email confirmation")
    expect(item.get_by_test_id("hold-note")).to_have_count(0)
    # The email token it left behind opens My bookings for the whole email.
    expect(page.get_by_test_id("my-bookings-scope")).to_contain_text(f"All bookings for {address}")


def test_access_link_in_a_fresh_browser_lists_every_booking_of_the_email(
    new_context: NewContext, stack: Stack, expert_ids: Iterator[str]
) -> None:
    address = api.unique_email("everywhere")
    booked = [api.book_first_free(stack.api_url, next(expert_ids), address) for _ in range(2)]
    api.request_access_link(stack.api_url, address)
    link = api.wait_for_magic_link(stack.moto_url, address)

    page = new_context().new_page()  # a device that never booked anything
    page.goto(link)
    for reference in booked:
        expect(ui.my_booking(page, reference)).to_be_visible()
    expect(page.get_by_test_id("my-booking")).to_have_count(2)
    expect(page).to_have_url(f"{stack.web_url}/my-bookings")
    assert "token=" not in page.url
    # The link's token is not left in history either: going back does not reopen it.
    assert "token=" not in page.evaluate("location.href + JSON.stringify(history.state)")
    # The exchanged token is kept on this device: a later visit still lists them.
    page.goto("/my-bookings")
    expect(page.get_by_test_id("my-booking")).to_have_count(2)


def test_a_booking_token_opens_only_its_own_booking_until_the_email_link_is_used(
    book_on_new_device: BookOnNewDevice, stack: Stack
) -> None:
    address = api.unique_email("two-devices")
    laptop, first = book_on_new_device(address)
    phone, second = book_on_new_device(address)  # another device, same email

    laptop.goto("/my-bookings")
    expect(ui.my_booking(laptop, first)).to_be_visible()
    expect(laptop.get_by_test_id("my-bookings-scope")).to_contain_text("Bookings made on this device.")
    expect(laptop.get_by_test_id("my-booking")).to_have_count(1)
    expect(ui.my_booking(laptop, second)).to_have_count(0)
    phone.goto("/my-bookings")
    expect(ui.my_booking(phone, second)).to_be_visible()
    expect(phone.get_by_test_id("my-booking")).to_have_count(1)

    # The laptop asks for the emailed link (the form knows the address from its booking) and opens it.
    laptop.get_by_role("button", name="Email me a link to all my bookings").click()
    expect(laptop.get_by_label("Email", exact=True)).to_have_value(address)
    laptop.get_by_role("button", name="Email me a link").click()
    expect(laptop.get_by_role("heading", name="Check your inbox")).to_be_visible()
    laptop.goto(api.wait_for_magic_link(stack.moto_url, address))

    expect(ui.my_booking(laptop, first)).to_be_visible()
    expect(ui.my_booking(laptop, second)).to_be_visible()
    expect(laptop.get_by_test_id("my-booking")).to_have_count(2)
    expect(laptop.get_by_test_id("my-bookings-scope")).to_contain_text(f"All bookings for {address}")
    expect(laptop).not_to_have_url(re.compile("token="))


def test_an_invalid_access_link_says_so_and_offers_a_new_one(page: Page, stack: Stack) -> None:
    page.goto("/my-bookings?token=not-a-real-token")
    expect(page.get_by_role("alert")).to_contain_text("This link has expired or is not valid")
    expect(page.get_by_role("heading", name="Get a link to your bookings")).to_be_visible()
    expect(page).to_have_url(f"{stack.web_url}/my-bookings")


def test_a_hold_that_ran_out_offers_to_book_the_same_expert_again(
    page: Page, stack: Stack, expert_ids: Iterator[str]
) -> None:
    expert_id = next(expert_ids)
    address = api.unique_email("too-late")
    reference, _ = ui.book(page, expert_id, address)
    link = api.wait_for_verification_link(stack.moto_url, address, reference)
    # A real hold lasts 15 minutes here, so the API's answer for a late click is stood in for (its
    # 409 hold_expired itself is covered by the API tests); the rest is the real stack.
    page.route(f"{stack.browser_api_url}/bookings/{reference}/verify", _hold_expired)
    page.goto(link)

    expect(page.get_by_role("alert")).to_contain_text("This booking's hold ran out.")
    again = page.get_by_role("link", name=re.compile("^Book again with "))
    expect(again).to_have_attribute("href", f"/experts/{expert_id}")
    for device, viewport in (("desktop", DESKTOP), ("mobile", MOBILE)):
        page.set_viewport_size(viewport)
        ui.assert_accessible(page, f"hold expired ({device})")
        ui.screenshot(page, "verify-expired", device)
    again.click()
    expect(page).to_have_url(f"{stack.web_url}/experts/{expert_id}")


def _hold_expired(route: Route) -> None:
    if route.request.method != "POST":
        route.continue_()  # the CORS preflight
        return
    body = {"error": {"code": "hold_expired", "message": "This booking's hold expired before its email was confirmed."}}
    route.fulfill(
        status=409,
        json=body,
        headers={"Access-Control-Allow-Origin": "*"},
    )
