"""Set-up and checks that go straight to the API or moto, not through the browser."""

from __future__ import annotations

import email
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

import requests

from devstack.stream_worker import sent_emails

TIMEOUT = 30


def _call(method: str, url: str, token: str | None = None, **kwargs: Any) -> requests.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = requests.request(method, url, headers=headers, timeout=TIMEOUT, **kwargs)
    response.raise_for_status()
    return response


def admin_token(api_url: str, username: str, password: str) -> str:
    body = {"username": username, "password": password}
    return str(_call("POST", f"{api_url}/admin/session", json=body).json()["token"])


def expert_ids(api_url: str) -> list[str]:
    found: list[str] = []
    page, pages = 1, 1
    while page <= pages:
        body = _call("GET", f"{api_url}/experts", params={"page": page, "limit": 50}).json()
        found += [expert["id"] for expert in body["items"]]
        page, pages = page + 1, body["totalPages"]
    return found


def expert_zone(api_url: str, expert_id: str) -> str:
    return str(_call("GET", f"{api_url}/experts/{expert_id}").json()["timezone"])


def slots(api_url: str, expert_id: str) -> list[dict[str, Any]]:
    body = _call("GET", f"{api_url}/experts/{expert_id}/slots").json()
    return [slot for day in body["days"] for slot in day["slots"]]


def utc_text(instant: datetime) -> str:
    return instant.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class SoonBooking:
    expert_id: str
    booking_id: str
    email: str
    start: datetime
    access_token: str


def _overlaps(existing: list[dict[str, Any]], start: datetime, minutes: int) -> bool:
    end = start + timedelta(minutes=minutes)
    return any(datetime.fromisoformat(s["start"]) < end and start < datetime.fromisoformat(s["end"]) for s in existing)


def book_soon(
    api_url: str, token: str, experts: Iterator[str], tag: str, ahead: timedelta = timedelta(seconds=80)
) -> SoonBooking:
    """Add a slot starting at the whole minute `ahead` from now (by default the next at least 20 s away),
    book and confirm it.

    Needs the stack's minimum notice to be 0. The expert is the first one free at that time."""
    start = (datetime.now(timezone.utc) + ahead).replace(second=0, microsecond=0)
    for expert_id in experts:
        minutes = _call("GET", f"{api_url}/experts/{expert_id}").json()["sessionMinutes"]
        if not _overlaps(slots(api_url, expert_id), start, minutes):
            break
    else:
        raise AssertionError("no expert is free for a session starting in a minute")
    body = {"slots": [{"start": utc_text(start)}]}
    added = _call("POST", f"{api_url}/admin/experts/{expert_id}/slots", token, json=body)
    assert added.json() == {"created": 1, "skipped": 0}
    address = unique_email(tag)
    booking = {
        "expertId": expert_id,
        "slotStart": utc_text(start),
        "name": "Sam Started",
        "email": address,
        "phone": "+44 20 7946 0000",
    }
    created = _call("POST", f"{api_url}/bookings", json=booking).json()
    booking_id = created["booking"]["id"]
    _call("PATCH", f"{api_url}/bookings/{booking_id}/status", token, json={"status": "confirmed"})
    return SoonBooking(expert_id, booking_id, address, start, created["accessToken"])


_counter = iter(range(1, 1_000_000))


def unique_email(tag: str) -> str:
    """A fresh address per use (each session has a fresh stack): a test sees only its own bookings and emails."""
    return f"{tag}.{next(_counter)}@example.com"


def _text_of(message: dict[str, Any]) -> str:
    parsed = email.message_from_string(str(message.get("raw_data") or ""))
    parts = [p for p in parsed.walk() if p.get_content_type() == "text/plain"]
    return "".join(p.get_payload(decode=True).decode("utf-8", "replace") for p in parts)  # type: ignore[union-attr]


def request_access_link(api_url: str, address: str) -> None:
    """What the My bookings form does: ask for an emailed link to every booking of `address`."""
    assert _call("POST", f"{api_url}/bookings/access-link", json={"email": address}).status_code == 202


def book_first_free(api_url: str, expert_id: str, address: str, at_least: timedelta = timedelta(hours=3)) -> str:
    """Book an expert's first free slot at least `at_least` ahead straight through the API; the booking id."""
    earliest = datetime.now(timezone.utc) + at_least
    start = next(
        s["start"]
        for s in slots(api_url, expert_id)
        if s["available"] and datetime.fromisoformat(s["start"]) >= earliest
    )
    body = {
        "expertId": expert_id,
        "slotStart": start,
        "name": "Ravi Iyer",
        "email": address,
        "phone": "+44 20 7946 0111",
    }
    return str(_call("POST", f"{api_url}/bookings", json=body).json()["booking"]["id"])


def wait_for_link(moto_url: str, address: str, pattern: str, what: str, timeout: float = 20.0) -> str:
    deadline = time.monotonic() + timeout
    while True:
        links = [
            link
            for message in sent_emails(moto_url)
            if address in message.get("destinations", [])
            for link in re.findall(pattern, _text_of(message))
        ]
        if links:
            return links[-1]
        if time.monotonic() > deadline:
            raise AssertionError(f"no {what} emailed to {address} within {timeout:.0f}s")
        time.sleep(0.3)


def wait_for_magic_link(moto_url: str, address: str, timeout: float = 20.0) -> str:
    """The newest My bookings link emailed to `address` (the stream worker sends it asynchronously)."""
    return wait_for_link(moto_url, address, r"https?://\S+/my-bookings\?token=\S+", "magic link", timeout)


def wait_for_manage_link(moto_url: str, address: str, booking_id: str, timeout: float) -> str:
    """The manage link (that booking's own token) in a reminder for `booking_id`."""
    pattern = rf"https?://\S+/my-bookings\?booking={re.escape(booking_id)}&manage=\S+"
    return wait_for_link(moto_url, address, pattern, "reminder's manage link", timeout)


def wait_for_verification_link(moto_url: str, address: str, booking_id: str, timeout: float = 20.0) -> str:
    """The verification link in the booking email for `booking_id`."""
    pattern = rf"https?://\S+/verify\?booking={re.escape(booking_id)}&token=\S+"
    return wait_for_link(moto_url, address, pattern, "verification link", timeout)
