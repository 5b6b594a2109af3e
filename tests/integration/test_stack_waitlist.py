"""The waitlist on the running stack (DynamoDB Local, its stream, the email worker, moto SES, chalice
local), over HTTP (issue 12, part 4): join a full day → verify from the emailed link → the day's slot is
freed by a cancel → the waitlisted client is emailed a link to that slot and books it from the link."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qsl, urlsplit

import pytest

from chalicelib.db.repository import DynamoRepository
from devstack.local_stack import LocalStack
from tests.conftest import make_expert, make_slot
from tests.integration.conftest import started_stack
from tests.integration.test_stack import booking_body, request
from tests.integration.test_stack_holds import emails_to, until, verify_link

pytestmark = pytest.mark.stack


@pytest.fixture(scope="module")
def stack() -> Iterator[LocalStack]:
    yield from started_stack(seed=False, overrides={"MIN_NOTICE_MINUTES": "0"})


def offer_link(stack: LocalStack, address: str, expert_id: str) -> dict[str, str]:
    """The query of the freed-slot link emailed to `address` (waits for the worker to send it)."""
    pattern = re.compile(rf"https?://\S+/experts/{expert_id}\?\S+")
    links = until(lambda: [m for t in emails_to(stack, address) for m in pattern.findall(t)], f"an offer to {address}")
    return dict(parse_qsl(urlsplit(links[0]).query))


def test_a_waitlisted_client_is_emailed_when_the_days_slot_frees_and_books_it_from_the_link(
    stack: LocalStack, stack_repo: DynamoRepository
) -> None:
    start = (datetime.now(timezone.utc) + timedelta(days=3)).replace(hour=10, minute=0, second=0, microsecond=0)
    stack_repo.put_expert(make_expert("wait-1", timezone="Europe/London"))
    stack_repo.add_slots([make_slot("wait-1", start)])
    day = start.astimezone(timezone.utc).date().isoformat()  # London is UTC or UTC+1: 10:00Z is that date
    status, held = request(stack, "POST", "/bookings", booking_body("wait-1", start, 1))
    assert status == 201

    who = "waiting.client@example.com"
    assert request(stack, "POST", "/experts/wait-1/waitlist", {"email": who, "date": day}) == (202, None)
    token = verify_link(stack, who)["token"]  # the waitlist email's /waitlist/verify link
    status, verified = request(stack, "POST", "/experts/wait-1/waitlist/verify", {"token": token})
    assert (status, verified) == (200, {"expertId": "wait-1", "date": day})

    bearer = {"Authorization": f"Bearer {held['accessToken']}"}
    assert request(stack, "POST", f"/bookings/{held['booking']['id']}/cancel", headers=bearer)[0] == 200
    offer = offer_link(stack, who, "wait-1")
    assert offer == {"slot": start.strftime("%Y-%m-%dT%H:%M:%SZ")}
    mine = {**booking_body("wait-1", datetime.fromisoformat(offer["slot"]), 2), "email": who}
    status, booked = request(stack, "POST", "/bookings", mine)
    assert status == 201 and booked["booking"]["slotStart"] == offer["slot"]
    [slot] = stack_repo.list_slots("wait-1", start, start + timedelta(minutes=1))
    assert slot.booking_id == booked["booking"]["id"]
