"""The waitlist over the API in process (moto table and stream, moto SES): join, the emailed link,
and the freed slot's email; what a stranger can and cannot learn or do (issue 12, part 4)."""

from __future__ import annotations

import json
import logging
import uuid
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from chalice.test import Client

import app as app_module
from chalicelib import deps
from chalicelib.db.repository import DynamoRepository
from chalicelib.domain import Status
from chalicelib.services import access
from devstack.stream_worker import StreamFeeder, scheduled_event
from tests.conftest import NOW, make_expert
from tests.integration.test_clients_and_emails import JSON, SECRET, bearer, inbox, link_in
from tests.integration.test_repository_contract import make_booking

DAY = "2026-03-21"  # the fixture's four slots, in the expert's zone (Asia/Kolkata)
START = NOW + timedelta(days=1)


def join(client: Client, who: str, day: str = DAY, expert: str = "exp-1") -> Any:
    body = json.dumps({"email": who, "date": day})
    return client.http.post(f"/experts/{expert}/waitlist", headers=JSON, body=body)


def verify(client: Client, token: str, expert: str = "exp-1") -> Any:
    return client.http.post(f"/experts/{expert}/waitlist/verify", headers=JSON, body=json.dumps({"token": token}))


def full_day(repo: DynamoRepository) -> list[dict[str, Any]]:
    """The four slots of DAY booked (firm), each with its booking token."""
    booked = []
    for hour in range(4):
        booking = replace(make_booking(uuid.uuid4().hex, START + timedelta(hours=hour)), expert_name="Ada Lovelace")
        repo.create_booking(booking, not_before=NOW, now=NOW)
        booked.append({"booking": booking, "accessToken": access.booking_token(SECRET, booking, NOW)})
    return booked


def test_join_verify_then_a_cancel_emails_the_waitlisted_client_a_link_that_books_the_slot(
    client: Client, dynamo_repo: DynamoRepository, moto_url: str, feeder: StreamFeeder, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    who = f"waiting-{uuid.uuid4().hex[:8]}@example.com"
    booked = full_day(dynamo_repo)
    first = join(client, who.upper())
    assert (first.status_code, first.body) == (202, b"")
    feeder.drain()
    [request] = [m for m in inbox(moto_url, who) if m["Subject"] == "Confirm your place on the waitlist"]
    token = link_in(request, "/waitlist/verify")["token"]
    answer = verify(client, token)
    assert answer.status_code == 200 and answer.json_body == {"expertId": "exp-1", "date": DAY}

    cancelled = booked[2]["booking"]
    cancel = client.http.post(f"/bookings/{cancelled.id}/cancel", headers=bearer(booked[2]["accessToken"]))
    assert cancel.status_code == 200
    feeder.drain()
    [offer] = [m for m in inbox(moto_url, who) if "just opened up" in m["Subject"]]
    link = link_in(offer, "/experts/exp-1")
    assert link == {"slot": cancelled.slot_start.strftime("%Y-%m-%dT%H:%M:%SZ")}
    taken = client.http.post(
        "/bookings",
        headers=JSON,
        body=json.dumps(
            {"expertId": "exp-1", "slotStart": link["slot"], "name": "W", "email": who, "phone": "+44 20 7946 0958"}
        ),
    )
    assert taken.status_code == 201
    feeder.drain()
    assert len([m for m in inbox(moto_url, who) if "just opened up" in m["Subject"]]) == 1  # once per freeing
    assert who not in caplog.text and who.split("@")[0] not in caplog.text


def test_joining_answers_the_same_for_a_new_a_known_and_a_verified_entry(
    client: Client, dynamo_repo: DynamoRepository, feeder: StreamFeeder, moto_url: str
) -> None:
    full_day(dynamo_repo)
    who = f"same-{uuid.uuid4().hex[:8]}@example.com"
    answers = [join(client, who), join(client, who)]
    feeder.drain()
    token = link_in(inbox(moto_url, who)[0], "/waitlist/verify")["token"]
    assert verify(client, token).status_code == 200
    answers.append(join(client, who))
    answers.append(join(client, f"new-{uuid.uuid4().hex[:8]}@example.com"))
    assert {(a.status_code, a.body, tuple(sorted(a.headers.items()))) for a in answers} == {
        (answers[0].status_code, b"", tuple(sorted(answers[0].headers.items())))
    }


def test_join_refusals_are_about_the_day_only(client: Client) -> None:
    assert join(client, "a@example.com").json_body["error"]["code"] == "slots_available"  # the day has free times
    empty = join(client, "a@example.com", "2026-03-23")
    assert (empty.status_code, empty.json_body["error"]["details"][0]["field"]) == (400, "date")
    assert join(client, "a@example.com", "2026-03-01").status_code == 400
    assert join(client, "not-an-email", DAY).status_code == 400
    assert join(client, "a@example.com", "21/03/2026").status_code == 400
    assert join(client, "a@example.com", DAY, expert="nobody").json_body["error"]["code"] == "expert_not_found"


def test_forged_other_scope_and_other_expert_tokens_cannot_verify(
    client: Client, dynamo_repo: DynamoRepository, moto_url: str, feeder: StreamFeeder
) -> None:
    booked = full_day(dynamo_repo)
    who = f"forge-{uuid.uuid4().hex[:8]}@example.com"
    join(client, who)
    feeder.drain()
    token = link_in(inbox(moto_url, who)[0], "/waitlist/verify")["token"]
    forged = access.waitlist_token("another-secret-of-at-least-32-bytes!", "exp-1/2026-03-21/" + "0" * 40, NOW)
    assert verify(client, forged).status_code == 401
    booking_link = access.verification_token(SECRET, booked[0]["booking"], NOW)
    assert verify(client, booking_link).json_body["error"]["code"] == "unauthorized"  # a booking's link
    assert verify(client, booked[0]["accessToken"]).status_code == 401  # a booking token
    other = client.http.post(
        f"/bookings/{booked[0]['booking'].id}/verify", headers=JSON, body=json.dumps({"token": token})
    )
    assert other.status_code == 401  # a waitlist link cannot verify a booking
    dynamo_repo.put_expert(make_expert("exp-2"))
    assert verify(client, token, expert="exp-2").status_code == 403
    unknown = access.waitlist_token(SECRET, "exp-1/2026-03-21/" + "0" * 40, NOW)
    assert verify(client, unknown).json_body["error"]["code"] == "waitlist_entry_not_found"
    assert [e.verified_at for e in dynamo_repo.waitlist("exp-1", START.date())] == [None]


def test_a_hold_that_expired_and_was_swept_offers_its_slot_too(
    client: Client, dynamo_repo: DynamoRepository, moto_url: str, feeder: StreamFeeder
) -> None:
    """The scheduled sweep writes an expired unverified hold down (the slot loses its bookingId): the
    stream carries that like a cancel, and the waitlist hears of it."""
    booked = full_day(dynamo_repo)
    lapsing = replace(make_booking("lapsing", START + timedelta(hours=3)), email_verified=False)
    dynamo_repo.save_transition(booked[3]["booking"], replace(booked[3]["booking"], status=Status.CANCELLED))
    dynamo_repo.create_booking(replace(lapsing, hold_expires_at=NOW + timedelta(minutes=15)), not_before=NOW, now=NOW)
    who = f"sweep-{uuid.uuid4().hex[:8]}@example.com"
    assert join(client, who).status_code == 202
    feeder.drain()
    assert verify(client, link_in(inbox(moto_url, who)[0], "/waitlist/verify")["token"]).status_code == 200
    deps.override(clock=lambda: NOW + timedelta(minutes=16))
    app_module.expire_unverified_holds(scheduled_event(), None)
    feeder.drain()
    [offer] = [m for m in inbox(moto_url, who) if "just opened up" in m["Subject"]]
    assert link_in(offer, "/experts/exp-1") == {"slot": "2026-03-21T12:00:00Z"}
