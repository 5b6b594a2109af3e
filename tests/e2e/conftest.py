"""End-to-end fixtures: one real local stack and one Chromium for the whole session.

The stack is the one `make run` starts (DynamoDB Local, moto_server, `chalice local`, the stream worker
sending email through moto SES, and the built SPA), on free ports. Chromium is Debian's (`make browser`);
Playwright's own download is not used.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, expect, sync_playwright

from devstack.local_stack import HOST, ROOT, LocalStack, free_port
from tests.e2e import api, ui

CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
DESKTOP = {"width": 1280, "height": 800}
MOBILE = {"width": 360, "height": 780}
# The stack's settings for these tests. Minimum notice 0 lets a test book a session that starts a
# minute later, so "mark completed" (allowed once a session has started) can run without waiting an hour.
# Every booking in this suite comes from 127.0.0.1 and most stay unverified, so the per-IP limit on
# unconfirmed holds (MAX_UNVERIFIED_HOLDS, default 3) would refuse all but the first three: 0 turns the
# limit off here (the API tests cover it). UNVERIFIED_HOLD_MINUTES keeps its default (15), so the
# verification link and the hold notice are the real ones.
STACK_SETTINGS = {"MIN_NOTICE_MINUTES": "0", "CANCELLATION_CUTOFF_MINUTES": "120", "MAX_UNVERIFIED_HOLDS": "0"}

os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
expect.set_options(timeout=10_000)  # 2 CPUs run the stack and the browser; the default 5 s is tight


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "e2e: drives the built SPA in Chromium against the real local stack")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if Path(str(item.fspath)).is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.e2e)


@dataclass(frozen=True)
class Stack:
    web_url: str
    api_url: str  # the API itself, for the tests' own calls
    moto_url: str
    admin_username: str
    admin_password: str

    @property
    def browser_api_url(self) -> str:
        """Where the app calls the API: its own origin's /api/*, as behind the production distribution."""
        return f"{self.web_url}/api"


@pytest.fixture(scope="session")
def stack() -> Iterator[Stack]:
    if not (ROOT / "frontend" / "dist" / "index.html").exists():
        pytest.fail("frontend/dist is missing: build the SPA first (`make web-build`)")
    quiet = os.environ.get("E2E_STACK_LOGS") != "1"  # E2E_STACK_LOGS=1 pytest -s: see the stack's output
    running = LocalStack(
        moto_port=free_port(), api_port=free_port(), web_port=free_port(), quiet=quiet, overrides=STACK_SETTINGS
    )
    try:
        running.start()
        yield Stack(
            web_url=f"http://{HOST}:{running.web_port}",
            api_url=running.api_url,
            moto_url=running.moto_url,
            admin_username=running.env["ADMIN_USERNAME"],
            admin_password=running.env["ADMIN_PASSWORD"],
        )
    finally:
        running.stop()


@pytest.fixture(scope="session")
def admin_token(stack: Stack) -> str:
    return api.admin_token(stack.api_url, stack.admin_username, stack.admin_password)


@pytest.fixture(scope="session")
def expert_ids(stack: Stack) -> Iterator[str]:
    """Seeded experts handed out one per use, so tests never book each other's slots."""
    return iter(api.expert_ids(stack.api_url))


@pytest.fixture(scope="session")
def started_booking(stack: Stack, admin_token: str, expert_ids: Iterator[str]) -> api.SoonBooking:
    """A confirmed booking whose session starts 20 to 80 s after the stack is up (for "completed")."""
    return api.book_soon(stack.api_url, admin_token, expert_ids, "soon")


@pytest.fixture(scope="session", autouse=True)
def _start_the_clock(request: pytest.FixtureRequest) -> None:
    """Create `started_booking` first thing, so its session has begun by the time a test needs it."""
    if any("started_booking" in item.fixturenames for item in request.session.items):
        request.getfixturevalue("started_booking")


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make browser`")
    launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield launched
    launched.close()


NewContext = Callable[..., BrowserContext]


@pytest.fixture
def new_context(browser: Browser, stack: Stack) -> Iterator[NewContext]:
    """Fresh browser profiles (separate storage: another device), closed after the test.

    Locale and zone are fixed so the result never depends on the machine. Uncaught errors in
    any page fail the test."""
    contexts: list[BrowserContext] = []
    errors: list[str] = []

    def make(viewport: dict[str, int] | None = None, **options: Any) -> BrowserContext:
        context = browser.new_context(
            base_url=stack.web_url,
            locale="en-GB",
            timezone_id="Europe/London",
            viewport=viewport or DESKTOP,
            **options,
        )
        context.on("page", lambda page: page.on("pageerror", lambda exc: errors.append(f"{page.url}: {exc}")))
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()
    assert not errors, f"uncaught errors in the page: {errors}"


@pytest.fixture
def page(new_context: NewContext) -> Page:
    return new_context().new_page()


BookOnNewDevice = Callable[[str], tuple[Page, str]]


@pytest.fixture
def book_on_new_device(new_context: NewContext, expert_ids: Iterator[str]) -> BookOnNewDevice:
    """Books the next expert's first free slot for an email in a fresh browser profile (another device),
    through the UI; returns that page and the booking's reference."""

    def book(email: str) -> tuple[Page, str]:
        page = new_context().new_page()
        reference, _ = ui.book(page, next(expert_ids), email)
        return page, reference

    return book
