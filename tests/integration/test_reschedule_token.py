"""A booking moved later gets a booking token for its new session (issue 12): the one POST /bookings gave
expires at the old session's end, which would lock the client out of their moved booking."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qsl, urlsplit

from chalice.test import Client

from chalicelib import deps
from chalicelib.services import access
from devstack.stream_worker import StreamFeeder
from tests.conftest import NOW
from tests.integration.conftest import START
from tests.integration.test_clients_and_emails import SECRET, address, bearer, book, inbox, text_of
from tests.integration.test_reschedule_api import at, move


def test_a_move_later_returns_a_token_that_outlives_the_old_session(client: Client) -> None:
    made = book(client, address(), hour=0)
    booking_id, old_token = made["booking"]["id"], made["accessToken"]
    response = move(client, booking_id, 3, bearer(old_token))
    assert response.status_code == 200, response.body
    fresh = response.json_body["accessToken"]
    grant = access.client_grant(SECRET, fresh, NOW)
    assert (grant.scope, grant.subject) == (access.BOOKING, booking_id)  # this booking only
    assert grant.expires_at >= START + timedelta(hours=3)  # lasts until the new session ends

    # Between the old session's end and the new one's start: the old token is spent, the fresh one works.
    deps.override(clock=lambda: START + timedelta(hours=2))
    assert client.http.get(f"/bookings/{booking_id}", headers=bearer(old_token)).status_code == 401
    opened = client.http.get(f"/bookings/{booking_id}", headers=bearer(fresh))
    assert opened.status_code == 200, opened.body
    assert opened.json_body["slotStart"] == at(3)


def test_an_admin_move_issues_no_client_token(client: Client, admin_token: str) -> None:
    made = book(client, address(), hour=0)
    response = move(client, made["booking"]["id"], 2, bearer(admin_token))
    assert response.status_code == 200, response.body
    assert response.json_body["accessToken"] is None


def test_the_rescheduled_email_carries_a_token_for_the_new_time_even_after_an_admin_move(
    client: Client, moto_url: str, feeder: StreamFeeder, admin_token: str
) -> None:
    """An admin's move gives the client no token in a response: the email's link must open the moved booking
    after the old session's end, and that booking only."""
    who = address()
    made = book(client, who, hour=0)
    other = book(client, who, hour=1)
    booking_id = made["booking"]["id"]
    assert move(client, booking_id, 3, bearer(admin_token)).status_code == 200
    feeder.drain()
    (moved,) = [m for m in inbox(moto_url, who) if m["Subject"] == "Your session has a new time"]
    (link,) = [word for word in text_of(moved).split() if "manage=" in word]
    query = dict(parse_qsl(urlsplit(link).query))
    assert query["booking"] == booking_id

    deps.override(clock=lambda: START + timedelta(hours=2))  # the old session is over, the new one ahead
    opened = client.http.get(f"/bookings/{booking_id}", headers=bearer(query["manage"]))
    assert (opened.status_code, opened.json_body["slotStart"]) == (200, at(3))
    assert client.http.get(f"/bookings/{other['booking']['id']}", headers=bearer(query["manage"])).status_code == 403
