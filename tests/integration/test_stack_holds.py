"""Unverified holds on the running stack, in real time (issue 9): a 1-minute hold frees its slot for
another client right after it ends, the local worker's scheduled sweep marks the first booking `expired`
and emails it, and a verified hold keeps its slot. Takes a little over a minute: it waits on progress
(polls), never on a fixed sleep."""

from __future__ import annotations

import email
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from chalicelib.db.repository import DynamoRepository
from chalicelib.domain import Status
from devstack.local_stack import LocalStack
from devstack.stream_worker import sent_emails
from tests.conftest import make_expert, make_slot
from tests.integration.conftest import started_stack
from tests.integration.test_stack import booking_body, request

pytestmark = pytest.mark.stack
SETTINGS = {"UNVERIFIED_HOLD_MINUTES": "1", "SWEEP_SECONDS": "2", "MIN_NOTICE_MINUTES": "0"}
PATIENCE = 300.0  # seconds: a last resort on a very busy machine; the waits end as soon as things happen


@pytest.fixture(scope="module")
def stack() -> Iterator[LocalStack]:
    yield from started_stack(seed=False, overrides=SETTINGS)


def until(check: Callable[[], Any], what: str) -> Any:
    deadline = time.monotonic() + PATIENCE
    while True:
        found = check()
        if found:
            return found
        assert time.monotonic() < deadline, f"gave up waiting: {what}"
        time.sleep(0.5)


def emails_to(stack: LocalStack, address: str) -> list[str]:
    """The text of every email sent to `address` so far (decoded MIME)."""
    texts = []
    for message in sent_emails(stack.moto_url):
        if address in message.get("destinations", []):
            parsed = email.message_from_string(str(message["raw_data"]))
            parts = [p for p in parsed.walk() if p.get_content_type() == "text/plain"]
            texts.append(
                f"Subject: {parsed['Subject']}\n" + "".join(p.get_payload(decode=True).decode() for p in parts)
            )
    return texts


def verify_link(stack: LocalStack, address: str) -> dict[str, str]:
    def find() -> dict[str, str] | None:
        for text in emails_to(stack, address):
            for word in text.split():
                if "/verify?" in word:
                    return dict(parse_qsl(urlsplit(word).query))
        return None

    found: dict[str, str] = until(find, f"the verification email to {address}")
    return found


def test_an_unverified_hold_frees_its_slot_after_a_minute_and_a_verified_one_keeps_it(
    stack: LocalStack, stack_repo: DynamoRepository
) -> None:
    start = (datetime.now(timezone.utc) + timedelta(days=2)).replace(minute=0, second=0, microsecond=0)
    stack_repo.put_expert(make_expert("hold-1"))
    stack_repo.add_slots([make_slot("hold-1", start), make_slot("hold-1", start + timedelta(hours=1))])
    lapsing, kept = booking_body("hold-1", start, 1), booking_body("hold-1", start + timedelta(hours=1), 2)

    status, first = request(stack, "POST", "/bookings", lapsing)
    assert status == 201
    hold_end = datetime.fromisoformat(first["booking"]["holdExpiresAt"])
    assert timedelta(seconds=50) < hold_end - datetime.now(timezone.utc) <= timedelta(minutes=1)
    status, second = request(stack, "POST", "/bookings", kept)
    assert status == 201
    link = verify_link(stack, kept["email"])
    verified = request(stack, "POST", f"/bookings/{second['booking']['id']}/verify", {"token": link["token"]})
    assert verified[0] == 200 and verified[1]["booking"]["holdExpiresAt"] is None

    taker = booking_body("hold-1", start, 3)
    assert request(stack, "POST", "/bookings", taker)[0] == 409  # still held
    status, taken = until(
        lambda: (answer := request(stack, "POST", "/bookings", taker))[0] == 201 and answer,
        "the lapsed slot to be bookable again",
    )
    assert datetime.now(timezone.utc) >= hold_end  # not before the hold ended
    assert taken["booking"]["slotStart"] == first["booking"]["slotStart"]
    # The worker's sweep writes the first booking down as expired and its email goes out.
    until(lambda: stack_repo.get_booking(first["booking"]["id"]).status is Status.EXPIRED, "the sweep")
    until(
        lambda: any("Subject: Your booking request expired" in t for t in emails_to(stack, lapsing["email"])),
        "the expired email",
    )
    [slot, firm] = stack_repo.list_slots("hold-1", start, start + timedelta(hours=2))
    assert slot.booking_id == taken["booking"]["id"]
    # The verified hold outlived its minute: its slot is still its own.
    assert firm.booking_id == second["booking"]["id"] and firm.hold_expires_at is None
    assert request(stack, "POST", "/bookings", booking_body("hold-1", start + timedelta(hours=1), 4))[0] == 409
    late_link = verify_link(stack, lapsing["email"])
    late = request(stack, "POST", f"/bookings/{first['booking']['id']}/verify", {"token": late_link["token"]})
    assert (late[0], late[1]["error"]["code"]) == (409, "hold_expired")
