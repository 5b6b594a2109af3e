"""A booking moved later gets a booking token for its new session (issue 12): the one POST /bookings gave
expires at the old session's end, which would lock the client out of their moved booking."""

from __future__ import annotations

from datetime import timedelta

from chalice.test import Client

from chalicelib import deps
from chalicelib.services import access
from tests.conftest import NOW
from tests.integration.conftest import START
from tests.integration.test_clients_and_emails import SECRET, address, bearer, book
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
