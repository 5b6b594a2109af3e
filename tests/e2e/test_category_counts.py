"""Issue 13: the category counts follow the search text (the select's options show what the API counts
for that text, zero included), and come back when the search is cleared."""

from __future__ import annotations

import re
import unicodedata

import requests
from playwright.sync_api import Page, expect

from tests.e2e.conftest import Stack


def categories(stack: Stack, **params: str) -> list[dict[str, object]]:
    response = requests.get(f"{stack.api_url}/categories", params=params, timeout=30)
    response.raise_for_status()
    items: list[dict[str, object]] = response.json()["items"]
    return items


def expect_options(page: Page, counted: list[dict[str, object]]) -> None:
    options = page.get_by_label("Category").locator("option")
    expect(options).to_have_text(["All categories", *(f"{c['name']} ({c['count']})" for c in counted)])


def test_category_counts_follow_the_search_text(page: Page, stack: Stack) -> None:
    everyone = categories(stack)
    page.goto("/")
    expect_options(page, everyone)

    name = requests.get(f"{stack.api_url}/experts", params={"limit": 1}, timeout=30).json()["items"][0]["name"]
    # Typed without its accents (the search ignores them), so the URL shows it as typed.
    query = "".join(c for c in unicodedata.normalize("NFD", name.split()[-1]) if not unicodedata.combining(c))
    query = query.lower()
    matching = categories(stack, q=query)
    assert sum(int(str(c["count"])) for c in matching) < sum(int(str(c["count"])) for c in everyone)
    page.get_by_label("Search by name").fill(query)
    expect(page).to_have_url(re.compile(rf"\?q={re.escape(query)}$"))
    expect_options(page, matching)

    page.get_by_label("Search by name").fill("")
    expect_options(page, everyone)
