"""Experts: search, category filter, pagination (state in the URL), and an expert's page."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from zoneinfo import ZoneInfo

import requests
from playwright.sync_api import Page, Route, expect

from tests.e2e import ui
from tests.e2e.conftest import Stack


def api_get(stack: Stack, path: str, **params: object) -> dict:
    response = requests.get(f"{stack.api_url}{path}", params=params, timeout=30)
    response.raise_for_status()
    return response.json()


def card_names(page: Page) -> list[str]:
    return [name.strip() for name in page.get_by_test_id("expert-card").get_by_role("link").all_inner_texts()]


def unaccented(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def test_search_filter_and_paginate(page: Page, stack: Stack) -> None:
    everyone = api_get(stack, "/experts", limit=12)
    page.goto("/")
    expect(page.get_by_role("status")).to_have_text(f"{everyone['total']} experts found")
    assert card_names(page) == [e["name"] for e in everyone["items"]]

    # Pagination: links, URL state, reload, Back.
    second = api_get(stack, "/experts", page=2, limit=12)
    page.get_by_role("link", name="Next page").click()
    expect(page).to_have_url(re.compile(r"\?page=2$"))
    expect(page.get_by_text(f"Page 2 of {everyone['totalPages']}")).to_be_visible()
    expect(page.get_by_test_id("expert-card").first).to_contain_text(second["items"][0]["name"])
    assert card_names(page) == [e["name"] for e in second["items"]]
    last = everyone["totalPages"]
    page.get_by_role("link", name=f"Page {last}", exact=True).click()
    expect(page).to_have_url(re.compile(rf"\?page={last}$"))
    expect(page.get_by_role("link", name=f"Page {last}", exact=True)).to_have_attribute("aria-current", "page")
    page.reload()
    expect(page.get_by_role("link", name=f"Page {last}", exact=True)).to_have_attribute("aria-current", "page")
    page.go_back()
    expect(page).to_have_url(re.compile(r"\?page=2$"))

    # Category filter: only that category, as many as the API counts; page resets to 1.
    category = max(api_get(stack, "/categories")["items"], key=lambda c: c["count"])
    page.get_by_label("Category").select_option(category["name"])
    expect(page).to_have_url(re.compile(r"\?category="))
    expect(page.get_by_role("status")).to_have_text(f"{category['count']} experts found")
    chips = page.get_by_test_id("expert-card").locator(".chip")
    expect(chips).to_have_count(min(category["count"], 12))
    assert set(chips.all_inner_texts()) == {category["name"]}

    # Search (debounced, accent-insensitive) combines with the filter, then alone.
    accented = next(e for e in everyone["items"] if unaccented(e["name"]) != e["name"])
    query = unaccented(accented["name"].split()[0]).lower()
    page.get_by_label("Category").select_option("")
    page.get_by_label("Search by name").fill(query)
    expect(page).to_have_url(re.compile(rf"\?q={query}$"))
    found = api_get(stack, "/experts", q=query)
    expect(page.get_by_role("status")).to_have_text(re.compile(rf"^{found['total']} experts? found$"))
    expect(page.get_by_role("link", name=accented["name"])).to_be_visible()

    # Nothing matches: an empty state with a way back.
    page.get_by_label("Search by name").fill("zzzzqqq")
    expect(page.get_by_role("heading", name="No experts match your search")).to_be_visible()
    page.get_by_role("link", name="Clear search and filters").click()
    expect(page.get_by_role("status")).to_have_text(f"{everyone['total']} experts found")
    expect(page.get_by_label("Search by name")).to_have_value("")


def test_open_an_expert_and_switch_time_zone(page: Page, stack: Stack) -> None:
    expert = next(
        e
        for e in api_get(stack, "/experts", limit=50)["items"]
        if ZoneInfo(e["timezone"]).utcoffset(datetime.now()) != ZoneInfo("Europe/London").utcoffset(datetime.now())
    )
    page.goto(f"/?q={expert['name'].split()[0]}")
    page.get_by_role("link", name=expert["name"]).click()
    expect(page).to_have_url(re.compile(f"/experts/{expert['id']}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(expert["name"])
    expect(page.get_by_text(f"{expert['sessionMinutes']} minutes")).to_be_visible()

    start = ui.free_starts(page)[0]
    instant = datetime.fromisoformat(start)
    button = ui.slot_button(page, start)
    london = instant.astimezone(ZoneInfo("Europe/London"))
    expect(button).to_have_text(f"{london.hour}:{london.minute:02d}")
    expect(page.get_by_label(re.compile("^Your time zone: Europe/London"))).to_be_checked()

    page.get_by_label(re.compile("^Expert's time zone")).check()
    theirs = instant.astimezone(ZoneInfo(expert["timezone"]))
    expect(button).to_have_text(f"{theirs.hour}:{theirs.minute:02d}")
    expect(button).to_have_attribute("aria-label", re.compile(rf"\b{theirs.day} {theirs:%B %Y}, {theirs.hour}:"))


def load_with_the_bundle_held(page: Page, path: str, data_urls: list[str]) -> list[str]:
    """Open `path` while the app's bundle is held back until the page has asked the API for `data_urls`.

    Returns what the page asked the API for without If-None-Match (a poll has one), as it keeps loading.
    """
    plain_gets: list[str] = []
    page.on("request", lambda r: plain_gets.append(r.url) if "if-none-match" not in r.headers else None)
    held: list[Route] = []
    bundle = re.compile(r"/assets/index-[\w-]+\.js$")
    page.route(bundle, lambda route: held.append(route))
    with page.expect_request(data_urls[-1]):
        page.goto(path, wait_until="commit")
    assert set(data_urls) <= set(plain_gets), plain_gets
    for _ in range(300):  # the bundle was requested before the early script ran: its route comes first
        if held:
            break
        page.wait_for_timeout(100)
    assert len(held) == 1, "the app's bundle was not held"
    held[0].continue_()
    page.unroute(bundle)
    return plain_gets


def test_the_expert_page_asks_for_its_data_while_the_app_bundle_is_still_on_its_way(page: Page, stack: Stack) -> None:
    """Issue 14: a small early script requests the expert and the slots; the app takes those answers."""
    expert = api_get(stack, "/experts", limit=1)["items"][0]
    expert_url = f"{stack.browser_api_url}/experts/{expert['id']}"
    slots_url = f"{expert_url}/slots?days=14"
    plain_gets = load_with_the_bundle_held(page, f"/experts/{expert['id']}", [expert_url, slots_url])
    expect(page.get_by_role("heading", level=1)).to_have_text(expert["name"])
    expect(page.locator("button.slot").first).to_be_visible()
    # One request each: the app used the early answers instead of asking again.
    assert plain_gets.count(expert_url) == 1, plain_gets
    assert plain_gets.count(slots_url) == 1, plain_gets


def test_the_list_asks_for_its_data_while_the_app_bundle_is_still_on_its_way(page: Page, stack: Stack) -> None:
    list_url = f"{stack.browser_api_url}/experts?q=a&page=1&limit=12"
    counts_url = f"{stack.browser_api_url}/categories?q=a"
    plain_gets = load_with_the_bundle_held(page, "/?q=a", [list_url, counts_url])
    expect(page.get_by_test_id("expert-card").first).to_be_visible()
    expect(page.get_by_label("Category").locator("option")).not_to_have_count(1)  # the counts arrived
    assert plain_gets.count(list_url) == 1, plain_gets
    assert plain_gets.count(counts_url) == 1, plain_gets
