"""Reminders on the running stack, in real time (issue 12): with REMINDER_OFFSETS_MINUTES=30,3 the local
worker's scheduled run emails each confirmed session once through moto SES (`/_local/ses/sent`), only
the nearest due offset when two are due, nothing for an unconfirmed one, and the email's manage link
opens that booking only. One to two minutes: it waits on progress (a later reminder arriving after dozens of
runs), never on a fixed sleep."""

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
from tests.integration.test_stack_holds import emails_to, until

pytestmark = pytest.mark.stack
SETTINGS = {
    "REMINDER_OFFSETS_MINUTES": "30,3",
    "SWEEP_SECONDS": "2",
    "MIN_NOTICE_MINUTES": "0",
    "CANCELLATION_CUTOFF_MINUTES": "0",
}


@pytest.fixture(scope="module")
def stack() -> Iterator[LocalStack]:
    yield from started_stack(seed=False, overrides=SETTINGS)


def reminders_to(stack: LocalStack, address: str) -> list[str]:
    return [text for text in emails_to(stack, address) if text.startswith("Subject: Reminder:")]


def test_each_confirmed_session_is_reminded_once_at_its_nearest_due_offset(
    stack: LocalStack, stack_repo: DynamoRepository
) -> None:
    minute = datetime.now(timezone.utc).replace(second=0, microsecond=0)
    # soon (2-3 min away): both reminders due at once, only the 3-minute one is sent. later: its 30-minute
    # reminder is due now and its 3-minute one in 1-2 minutes, a minute before soon starts (so soon can still
    # be cancelled with its link). Sessions start on whole minutes, as slots do.
    soon = minute + timedelta(minutes=3)
    later = minute + timedelta(minutes=5)
    stack_repo.put_expert(make_expert("remind-1", timezone="Asia/Kolkata"))
    stack_repo.add_slots([make_slot("remind-1", start) for start in (soon, later, later + timedelta(hours=1))])
    credentials = {"username": stack.env["ADMIN_USERNAME"], "password": stack.env["ADMIN_PASSWORD"]}
    admin = {"Authorization": f"Bearer {request(stack, 'POST', '/admin/session', credentials)[1]['token']}"}
    made = []
    for number, start in enumerate((soon, later, later + timedelta(hours=1))):
        status, created = request(stack, "POST", "/bookings", booking_body("remind-1", start, number))
        assert status == 201
        made.append(created["booking"])
    first, second, unconfirmed = made
    for booking in (first, second):
        path = f"/bookings/{booking['id']}/status"
        assert request(stack, "PATCH", path, {"status": "confirmed"}, admin)[0] == 200

    # The second session's 3-minute reminder comes a minute or more (dozens of runs) after the others.
    until(lambda: len(reminders_to(stack, second["email"])) == 2, "the second session's second reminder")
    (reminder,) = reminders_to(stack, first["email"])  # once, and only the nearest (3-minute) one
    assert re.fullmatch(r"Subject: Reminder: your session starts in [1-3] minutes?", reminder.splitlines()[0])
    assert f"{soon.astimezone(timezone(timedelta(hours=5, minutes=30))):%H:%M} (Asia/Kolkata)" in reminder
    assert reminders_to(stack, unconfirmed["email"]) == []

    (link,) = [word for word in reminder.split() if "/my-bookings?" in word]
    query = dict(parse_qsl(urlsplit(link).query))
    assert query["booking"] == first["id"]
    bearer = {"Authorization": f"Bearer {query['manage']}"}
    status, opened = request(stack, "GET", f"/bookings/{first['id']}", headers=bearer)
    assert (status, opened["id"]) == (200, first["id"])
    assert request(stack, "GET", f"/bookings/{second['id']}", headers=bearer)[0] == 403
    status, cancelled = request(stack, "POST", f"/bookings/{first['id']}/cancel", headers=bearer)
    assert (status, cancelled["status"]) == (200, "cancelled")
