"""POST /bookings/{id}/reschedule over the Chalice test client on moto: who may move a booking, what it
refuses, and the emails a move and a cancellation send (the same calendar event: same UID, SEQUENCE + 1,
METHOD:REQUEST; a cancellation METHOD:CANCEL)."""

from __future__ import annotations

import email
import json
from datetime import timedelta
from typing import Any

import pytest
from chalice.test import Client
from icalendar import Calendar

import app as app_module
from chalicelib import deps
from chalicelib.routing import CLIENT_OR_ADMIN
from chalicelib.services import access
from devstack.stream_worker import StreamFeeder
from tests.conftest import NOW, USER_PASSWORD, id_token
from tests.integration.conftest import START
from tests.integration.test_clients_and_emails import JSON, SECRET, address, bearer, book, inbox


def at(hour: int) -> str:
    return (START + timedelta(hours=hour)).strftime("%Y-%m-%dT%H:%M:%SZ")


def move(client: Client, booking_id: str, hour: int, headers: dict[str, str]) -> Any:
    body = json.dumps({"slotStart": at(hour)})
    return client.http.post(f"/bookings/{booking_id}/reschedule", headers={**JSON, **headers}, body=body)


def holder(hour: int) -> str | None:
    start = START + timedelta(hours=hour)
    [slot] = deps.repository().list_slots("exp-1", start, start + timedelta(minutes=1), consistent=True)
    return slot.booking_id


def confirm(client: Client, booking_id: str, admin: dict[str, str]) -> None:
    response = client.http.patch(f"/bookings/{booking_id}/status", headers=admin, body='{"status": "confirmed"}')
    assert response.status_code == 200, response.body


def invite(message: email.message.Message) -> Calendar:
    [part] = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    return Calendar.from_ical(part.get_payload(decode=True))


def test_the_booking_token_moves_its_booking_and_frees_the_old_slot(client: Client) -> None:
    made = book(client, address())
    response = move(client, made["booking"]["id"], 2, bearer(made["accessToken"]))
    assert response.status_code == 200, response.body
    assert response.json_body["slotStart"] == at(2)
    assert (holder(0), holder(2)) == (None, made["booking"]["id"])
    again = client.http.get(f"/bookings/{made['booking']['id']}", headers=bearer(made["accessToken"]))
    assert again.json_body["slotStart"] == at(2)  # the same token still opens it


def test_a_strangers_token_a_plain_user_and_no_token_cannot_move_it(client: Client, cognito: dict[str, str]) -> None:
    victim = book(client, address())
    stranger = book(client, address(), hour=1)
    plain = id_token(cognito["COGNITO_CLIENT_ID"], "plain", USER_PASSWORD)
    for headers, expected in (
        (bearer(stranger["accessToken"]), 403),
        ({"Authorization": f"Bearer {plain}"}, 403),
        ({}, 401),
        ({"Authorization": "Bearer forged.token.value"}, 401),
    ):
        response = move(client, victim["booking"]["id"], 2, headers)
        assert response.status_code == expected, (headers, response.body)
    assert (holder(0), holder(2)) == (victim["booking"]["id"], None)


def test_every_client_or_admin_route_refuses_no_token_a_plain_user_and_a_stranger(
    client: Client, cognito: dict[str, str]
) -> None:
    """From the declarations, so a route declared later with the same auth is covered too."""
    declared = [op for op in app_module.operations if op.auth == CLIENT_OR_ADMIN]
    assert declared, "no client-or-admin route is declared"
    stranger = bearer(book(client, address(), hour=1)["accessToken"])
    plain = {"Authorization": f"Bearer {id_token(cognito['COGNITO_CLIENT_ID'], 'plain', USER_PASSWORD)}"}
    victim = book(client, address())["booking"]["id"]
    valid = json.dumps({"slotStart": at(2)})  # a valid body, so only who is asking can refuse it
    for op in declared:
        path = op.path.replace("{booking_id}", victim)
        for headers, expected in (({}, 401), (plain, 403), (stranger, 403)):
            response = getattr(client.http, op.method)(path, headers={**JSON, **headers}, body=valid)
            assert response.status_code == expected, (op.path, headers, response.body)
    assert holder(0) == victim and holder(2) is None


def test_an_admin_moves_a_booking_even_after_the_clients_cutoff(client: Client, admin_token: str) -> None:
    made = book(client, address())
    admin = {"Authorization": f"Bearer {admin_token}", **JSON}
    confirm(client, made["booking"]["id"], admin)  # a firm booking: its hold no longer runs out
    deps.override(clock=lambda: START - timedelta(minutes=90))  # inside the 2-hour cutoff, 1 h notice ahead
    refused = move(client, made["booking"]["id"], 3, bearer(made["accessToken"]))
    assert (refused.status_code, refused.json_body["error"]["code"]) == (409, "cancellation_window_closed")
    allowed = move(client, made["booking"]["id"], 3, {"Authorization": f"Bearer {admin_token}"})
    assert allowed.status_code == 200, allowed.body
    assert (holder(0), holder(3)) == (None, made["booking"]["id"])


@pytest.mark.parametrize(
    ("body", "code", "status"),
    [
        ({"slotStart": "not a time"}, "validation_failed", 400),
        ({}, "validation_failed", 400),
        ({"slotStart": at(0)}, "validation_failed", 400),  # where it is already
        ({"slotStart": (START + timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M:%SZ")}, "slot_not_found", 404),
    ],
)
def test_bad_moves_are_refused_and_change_nothing(client: Client, body: dict[str, str], code: str, status: int) -> None:
    made = book(client, address())
    path = f"/bookings/{made['booking']['id']}/reschedule"
    response = client.http.post(path, headers=bearer(made["accessToken"]), body=json.dumps(body))
    assert (response.status_code, response.json_body["error"]["code"]) == (status, code), response.body
    assert holder(0) == made["booking"]["id"]


def test_a_move_to_a_taken_slot_is_409_and_a_cancelled_booking_cannot_move(client: Client) -> None:
    mine, theirs = book(client, address()), book(client, address(), hour=2)
    taken = move(client, mine["booking"]["id"], 2, bearer(mine["accessToken"]))
    assert (taken.status_code, taken.json_body["error"]["code"]) == (409, "slot_unavailable")
    cancel = client.http.post(f"/bookings/{theirs['booking']['id']}/cancel", headers=bearer(theirs["accessToken"]))
    assert cancel.status_code == 200
    gone = move(client, theirs["booking"]["id"], 3, bearer(theirs["accessToken"]))
    assert (gone.status_code, gone.json_body["error"]["code"]) == (409, "invalid_transition")
    assert (holder(0), holder(2), holder(3)) == (mine["booking"]["id"], None, None)


def test_a_confirmed_move_emails_an_updated_invite_and_a_cancel_removes_it(
    client: Client, moto_url: str, feeder: StreamFeeder, admin_token: str
) -> None:
    who = address()
    made = book(client, who)
    booking_id = made["booking"]["id"]
    admin = {"Authorization": f"Bearer {admin_token}", **JSON}
    confirm(client, booking_id, admin)
    assert move(client, booking_id, 2, bearer(made["accessToken"])).status_code == 200
    assert move(client, booking_id, 3, bearer(made["accessToken"])).status_code == 200
    client.http.post(f"/bookings/{booking_id}/cancel", headers=bearer(made["accessToken"]))
    feeder.drain()
    feeder.drain()  # a redelivery sends nothing twice
    mails = {m["Subject"]: m for m in inbox(moto_url, who)}
    moves = [m for m in inbox(moto_url, who) if m["Subject"] == "Your session has a new time"]
    assert len(moves) == 2
    invites = [invite(m) for m in [mails["Your session is confirmed"], *moves, mails["Your session was cancelled"]]]
    events = [next(iter(c.walk("VEVENT"))) for c in invites]
    assert {str(e["uid"]) for e in events} == {f"{booking_id}@expert-booking"}
    assert [int(e["sequence"]) for e in events] == [0, 1, 2, 3]
    assert [str(c["method"]) for c in invites] == ["REQUEST", "REQUEST", "REQUEST", "CANCEL"]
    assert [e.decoded("dtstart") for e in events[1:3]] == [START + timedelta(hours=2), START + timedelta(hours=3)]
    cancelled_part = [p for p in mails["Your session was cancelled"].walk() if p.get_content_type() == "text/calendar"]
    assert "method=CANCEL" in cancelled_part[0]["Content-Type"]


def test_an_email_token_moves_any_booking_of_its_email(client: Client) -> None:
    who = address()
    made = book(client, who)
    token, _ = access.email_token(SECRET, who, NOW)
    assert move(client, made["booking"]["id"], 1, bearer(token)).status_code == 200
    assert holder(1) == made["booking"]["id"]
