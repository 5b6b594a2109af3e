"""Weekly availability (issue 12): an admin sets an expert's hours in the SPA, previews the slots they make,
saves, and a client sees the new slots on the expert's page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import requests
from playwright.sync_api import expect

from tests.e2e import api, ui
from tests.e2e.conftest import NewContext, Stack


def next_sunday_at_ten(zone: str) -> str:
    """10:00 on the coming Sunday (tomorrow at the earliest) in `zone`, as the API's UTC text."""
    today = datetime.now(timezone.utc).astimezone(ZoneInfo(zone)).date()
    sunday = today + timedelta(days=(6 - today.weekday()) % 7 or 7)
    local = datetime(sunday.year, sunday.month, sunday.day, 10, tzinfo=ZoneInfo(zone))
    return api.utc_text(local)


def test_admin_sets_weekly_hours_previews_them_and_clients_see_the_slots(
    new_context: NewContext, stack: Stack, expert_ids: Iterator[str]
) -> None:
    expert_id = next(expert_ids)
    expert = requests.get(f"{stack.api_url}/experts/{expert_id}", timeout=10).json()
    start = next_sunday_at_ten(expert["timezone"])  # the demo experts never work on Sundays

    admin = new_context().new_page()
    ui.sign_in_admin(admin, stack.admin_username, stack.admin_password)
    ui.open_admin_slots(admin, expert_id)
    admin.get_by_role("link", name="Set weekly hours").click()
    expect(admin.get_by_role("heading", name=re.compile("^Weekly hours:"))).to_be_visible()
    # The seeded rule is loaded: some weekday has hours, Sunday has none.
    expect(admin.get_by_test_id("weekday-sun")).to_contain_text("Not working")
    admin.get_by_role("button", name="Add hours on Sunday").click()
    admin.get_by_label("Sunday hours 1 start", exact=True).fill("10:00")
    admin.get_by_label("Sunday hours 1 end", exact=True).fill("12:00")

    admin.get_by_role("button", name="Preview slots").click()
    preview = admin.get_by_test_id("availability-preview")
    expect(preview.locator(f'[data-testid="preview-slot"][data-start="{start}"]')).to_be_visible()

    client = new_context().new_page()
    ui.open_expert(client, expert_id)
    expect(client.locator("button[data-start]").first).to_be_attached()
    expect(ui.slot_button(client, start)).to_have_count(0)  # a preview writes nothing

    admin.get_by_role("button", name="Save weekly hours").click()
    expect(admin.get_by_role("status").filter(has_text="Saved.")).to_contain_text(re.compile(r"Made [1-9]\d* new"))
    client.reload()
    expect(ui.slot_button(client, start)).to_be_enabled()

    admin.reload()  # the saved rule is what the editor shows next time
    expect(admin.get_by_label("Sunday hours 1 start", exact=True)).to_have_value("10:00")
