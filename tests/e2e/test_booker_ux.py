"""The booker's experience (issue 13), in Chromium: My bookings sorts cancelled bookings out of Upcoming and
adds any booking to a calendar; the booking email's link opens the page at that booking."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qs, urlparse
from zoneinfo import ZoneInfo

import requests
from playwright.sync_api import Page, Route, expect

from tests.e2e import api, ui
from tests.e2e.conftest import MOBILE, NewContext, Stack


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


def test_keyboard_selects_a_slot_and_reaches_continue_in_three_tabs(
    page: Page, stack: Stack, expert_ids: Iterator[str]
) -> None:
    expert_id = next(expert_ids)
    ui.open_expert(page, expert_id)
    free = ui.free_starts(page)
    first = ui.slot_button(page, free[0])
    expect(first).to_have_attribute("tabindex", "0")  # the picker's one Tab stop
    first.focus()
    page.keyboard.press("ArrowRight")
    second = ui.slot_button(page, free[1])
    expect(second).to_be_focused()
    page.keyboard.press("ArrowLeft")
    expect(first).to_be_focused()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    expect(second).to_have_attribute("aria-pressed", "true")

    # "Continue" sits right after the chosen time: one Tab (the issue asks for at most three).
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name=re.compile(r"^Continue with "))).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_label("Time", exact=True)).to_have_value(free[1])


def test_slots_tell_booked_from_too_soon_and_reach_past_two_weeks(
    page: Page, stack: Stack, admin_token: str, expert_ids: Iterator[str]
) -> None:
    expert_id = next(expert_ids)
    api.book_first_free(stack.api_url, expert_id, api.unique_email("legend"))
    ui.open_expert(page, expert_id)
    legend = page.get_by_role("list", name="Key to the times")
    expect(legend).to_contain_text("Booked")
    expect(legend).to_contain_text("Too soon to book")
    expect(page.locator("button.slot--booked").first).to_have_attribute("aria-label", re.compile(r"\(booked\)$"))

    # Later dates: the demo data has slots for 14 days only, so the next window is empty and the sticky bar goes.
    page.get_by_role("button", name="Later dates").click()
    expect(page).to_have_url(re.compile("from="))
    expect(page.get_by_role("heading", name="No free times in these two weeks")).to_be_visible()
    expect(page.get_by_test_id("booking-bar")).to_have_count(0)
    # An admin adds a time 40 days ahead: "Next available time" finds it.
    far = (datetime.now(timezone.utc) + timedelta(days=40)).replace(hour=12, minute=0, second=0, microsecond=0)
    requests.post(
        f"{stack.api_url}/admin/experts/{expert_id}/slots",
        json={"slots": [{"start": api.utc_text(far)}]},
        headers={"Authorization": f"Bearer {admin_token}"},
        timeout=30,
    ).raise_for_status()
    page.get_by_role("button", name="Next available time").click()
    expect(ui.slot_button(page, api.utc_text(far))).to_be_enabled()
    ui.slot_button(page, api.utc_text(far)).click()
    page.get_by_role("link", name="Continue to booking").click()
    expect(page.get_by_label("Time", exact=True)).to_have_value(api.utc_text(far))
    ui.assert_accessible(page, "booking form past two weeks")


def test_on_a_phone_the_submit_error_is_scrolled_into_view_and_focused(
    new_context: NewContext, stack: Stack, expert_ids: Iterator[str]
) -> None:
    page = new_context(viewport=MOBILE).new_page()
    ui.choose_slot(page, next(expert_ids))
    ui.fill_details(page, api.unique_email("phone-error"))

    def busy(route: Route) -> None:
        if route.request.method != "POST":
            route.continue_()
            return
        body = {"error": {"code": "service_unavailable", "message": "The service is busy."}}
        route.fulfill(status=503, json=body)

    page.route(f"{stack.browser_api_url}/bookings", busy)
    submit = page.get_by_role("button", name="Confirm booking")
    submit.scroll_into_view_if_needed()
    submit.click()
    banner = page.get_by_test_id("form-error")
    expect(banner).to_contain_text("The service is busy.")
    expect(banner).to_be_focused()
    expect(banner).to_be_in_viewport()
    ui.assert_accessible(page, "booking form with a submit error on a phone")


def test_the_live_label_is_not_green_next_to_an_error(page: Page, stack: Stack, expert_ids: Iterator[str]) -> None:
    expert_id = next(expert_ids)
    page.route(
        re.compile(rf"{re.escape(stack.browser_api_url)}/experts/{expert_id}/slots.*"), lambda route: route.abort()
    )
    page.goto(f"/experts/{expert_id}")
    expect(page.get_by_role("heading", name="We couldn't load available times")).to_be_visible()
    label = page.get_by_test_id("live-indicator")
    expect(label).to_have_text("Not updating")
    expect(label.locator(".live-dot")).to_have_class(re.compile("live-dot--off"))


def _clock(text: str) -> tuple[int, int]:
    match = re.search(r"(\d{1,2}):(\d{2})", text)
    assert match, text
    return int(match[1]), int(match[2])


def _in_zone(start: str, zone: str) -> tuple[int, int]:
    local = datetime.fromisoformat(start).astimezone(ZoneInfo(zone))
    return local.hour, local.minute


def test_the_zone_picker_changes_every_time_shown(page: Page, stack: Stack, expert_ids: Iterator[str]) -> None:
    # An expert based in Asia/Tokyo, the zone picked below, would show it as the expert's zone, with no note.
    ui.open_expert(page, next(e for e in expert_ids if api.expert_zone(stack.api_url, e) != "Asia/Tokyo"))
    free = ui.free_starts(page)
    picker = page.get_by_label("Show times in another time zone")
    options = page.locator(f'[id="{picker.get_attribute("list")}"] option')
    expect(options).to_have_count(0)  # listed only once the field is used (the expert page stays fast)
    picker.focus()
    expect(options.first).to_be_attached()
    # Every IANA zone is offered, each once: Asia/Kolkata is listed, its old name Asia/Calcutta is not.
    ids = options.evaluate_all("os => os.map(o => o.value)")
    assert len(ids) > 300 and len(ids) == len(set(ids))
    assert "Asia/Kolkata" in ids and "Asia/Calcutta" not in ids

    picker.fill("Asia/Tokyo")
    picker.press("Enter")
    expect(page.get_by_test_id("zone-note")).to_contain_text("Asia/Tokyo (GMT+9)")
    shown = page.locator("button[data-start]").evaluate_all("bs => bs.map(b => [b.dataset.start, b.textContent])")
    assert shown and all(_clock(text) == _in_zone(start, "Asia/Tokyo") for start, text in shown)

    ui.slot_button(page, free[0]).click()
    expect(page.get_by_test_id("booking-bar")).to_contain_text("{}:{:02d}".format(*_in_zone(free[0], "Asia/Tokyo")))
    page.get_by_role("link", name="Continue to booking").click()
    time = page.get_by_label("Time", exact=True)
    expect(time).to_have_value(free[0])
    option = time.locator("option:checked").inner_text()
    assert _clock(option) == _in_zone(free[0], "Asia/Tokyo")
    expect(page.get_by_test_id("zone-note")).to_contain_text("Asia/Tokyo")
    ui.assert_accessible(page, "booking form in a picked zone")


def test_a_page_past_the_end_says_so_and_leads_back(page: Page, stack: Stack) -> None:
    total = requests.get(f"{stack.api_url}/experts", params={"limit": 12}, timeout=30).json()
    page.goto("/?page=99")
    status = page.get_by_role("status").filter(has_text="past the end")
    expect(status).to_have_text(
        f"Page 99 is past the end of the list: {total['total']} experts on {total['totalPages']} pages."
    )
    expect(page.get_by_role("heading", name="There is no page 99")).to_be_visible()
    page.get_by_role("link", name=f"Go to the last page ({total['totalPages']})").click()
    expect(page).to_have_url(re.compile(rf"\?page={total['totalPages']}$"))
    expect(page.get_by_test_id("expert-card").first).to_be_visible()
