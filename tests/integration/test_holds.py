"""Unverified holds expire, verification makes them firm, per-client limits, and input that cannot
poison emails (issue 9). In process over chalice.test.Client, on DynamoDB in moto, with a moved clock."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from chalice.test import Client

import app as app_module
from chalicelib import deps
from chalicelib.config import Settings
from chalicelib.db.repository import DynamoRepository
from chalicelib.domain import Status
from devstack.stream_worker import StreamFeeder
from tests.conftest import NOW, make_slot
from tests.integration.test_clients_and_emails import (
    JSON,
    START,
    address,
    attempt,
    bearer,
    book,
    inbox,
    link_in,
    text_of,
    verify,
)
from tests.integration.test_repository_contract import make_booking

HOLD = timedelta(minutes=1)
SCHEDULED = {  # what EventBridge delivers to the scheduled function
    "version": "0",
    "id": "sweep",
    "detail-type": "Scheduled Event",
    "source": "aws.events",
    "account": "000000000000",
    "time": "2026-03-20T09:01:00Z",
    "region": "us-east-1",
    "resources": [],
    "detail": {},
}


def sweep() -> None:
    app_module.expire_unverified_holds(SCHEDULED, None)


@pytest.fixture
def one_minute_holds(client: Client, settings: Settings) -> Client:
    deps.override(settings=replace(settings, unverified_hold_minutes=1))
    return client


def at(moment: Any) -> None:
    deps.override(clock=lambda: moment)


def slot_available(client: Client, hour: int = 0) -> bool:
    days = client.http.get("/experts/exp-1/slots?from=2026-03-21&days=1&tz=UTC").json_body["days"]
    wanted = (START + timedelta(hours=hour)).strftime("%Y-%m-%dT%H:%M:%SZ")
    return next(s["available"] for d in days for s in d["slots"] if s["start"] == wanted)


def test_an_unverified_hold_frees_its_slot_right_after_the_hold_and_ends_expired(
    one_minute_holds: Client, dynamo_repo: DynamoRepository, moto_url: str, feeder: StreamFeeder, admin_token: str
) -> None:
    client = one_minute_holds
    first = book(client, address())
    assert first["booking"]["holdExpiresAt"] == "2026-03-20T09:01:00Z"
    assert not slot_available(client)
    at(NOW + HOLD - timedelta(seconds=1))
    assert attempt(client, address()).status_code == 409  # still held
    at(NOW + HOLD)
    assert slot_available(client)  # free at once, before any sweep
    own = client.http.get(f"/bookings/{first['booking']['id']}", headers=bearer(first["accessToken"]))
    assert own.json_body["status"] == "expired"
    listed = client.http.get("/admin/bookings?status=pending", headers=bearer(admin_token)).json_body["items"]
    assert [b["status"] for b in listed if b["id"] == first["booking"]["id"]] == ["expired"]
    second = attempt(client, address())
    assert second.status_code == 201, second.json_body
    # The scheduled sweep writes it down: the first booking is expired; the slot stays the second's.
    sweep()
    assert dynamo_repo.get_booking(first["booking"]["id"]).status is Status.EXPIRED
    holder = dynamo_repo.list_slots("exp-1", START, START + timedelta(minutes=1))[0].booking_id
    assert holder == second.json_body["booking"]["id"]
    feeder.drain()
    assert "Your booking request expired" in [m["Subject"] for m in inbox(moto_url, first["booking"]["email"])]


def test_the_sweep_frees_a_slot_nobody_took(one_minute_holds: Client, dynamo_repo: DynamoRepository) -> None:
    first = book(one_minute_holds, address())["booking"]
    at(NOW + HOLD)
    sweep()
    sweep()  # a second run changes nothing
    assert dynamo_repo.get_booking(first["id"]).status is Status.EXPIRED
    assert dynamo_repo.list_slots("exp-1", START, START + timedelta(minutes=1))[0].booking_id is None


def test_verifying_in_time_keeps_the_slot_and_late_is_409(
    one_minute_holds: Client, moto_url: str, feeder: StreamFeeder
) -> None:
    client = one_minute_holds
    kept, late = book(client, address()), book(client, address(), hour=1)
    feeder.drain()
    links = {b["booking"]["id"]: link_in(inbox(moto_url, b["booking"]["email"])[0], "/verify") for b in (kept, late)}
    at(NOW + HOLD - timedelta(seconds=1))
    ok = verify(client, kept["booking"]["id"], links[kept["booking"]["id"]]["token"])
    assert ok.status_code == 200 and ok.json_body["booking"]["emailVerified"] is True
    again = verify(client, kept["booking"]["id"], links[kept["booking"]["id"]]["token"])
    assert again.status_code == 200  # opening the link twice changes nothing
    at(NOW + timedelta(hours=2))
    assert attempt(client, address()).status_code == 409  # the verified hold is firm
    refused = verify(client, late["booking"]["id"], links[late["booking"]["id"]]["token"])
    assert (refused.status_code, refused.json_body["error"]["code"]) == (409, "hold_expired")
    assert refused.json_body["error"]["details"] == {"expertId": "exp-1", "expertName": "Ada Lovelace"}
    assert attempt(client, address(), hour=1).status_code == 201


def test_an_admin_can_confirm_an_unverified_hold_which_makes_it_firm(
    one_minute_holds: Client, admin_token: str, moto_url: str, feeder: StreamFeeder
) -> None:
    client = one_minute_holds
    held = book(client, address())["booking"]
    confirmed = client.http.patch(
        f"/bookings/{held['id']}/status", headers=bearer(admin_token), body=json.dumps({"status": "confirmed"})
    )
    assert (confirmed.status_code, confirmed.json_body["holdExpiresAt"]) == (200, None)
    feeder.drain()  # the client opens the verification link after the admin confirmed: the proof is noted
    token = link_in(inbox(moto_url, held["email"])[0], "/verify")["token"]
    late_click = verify(client, held["id"], token)
    assert (late_click.status_code, late_click.json_body["booking"]["emailVerified"]) == (200, True)
    assert late_click.json_body["booking"]["status"] == "confirmed"
    at(NOW + timedelta(hours=1))
    assert attempt(client, address()).status_code == 409
    late = book(client, address(), hour=1)["booking"]
    at(NOW + timedelta(hours=2))
    refused = client.http.patch(
        f"/bookings/{late['id']}/status", headers=bearer(admin_token), body=json.dumps({"status": "confirmed"})
    )
    assert (refused.status_code, refused.json_body["error"]["code"]) == (409, "invalid_transition")


def test_the_fourth_unverified_hold_of_an_email_is_429(client: Client) -> None:
    who = address()
    for hour in range(3):
        assert attempt(client, who, hour).status_code == 201
    fourth = attempt(client, who.upper(), 3)
    assert (fourth.status_code, fourth.json_body["error"]["code"]) == (429, "too_many_holds")
    assert "unconfirmed" in fourth.json_body["error"]["message"] and int(fourth.headers["Retry-After"]) > 0
    assert deps.repository().list_slots("exp-1", START, START + timedelta(hours=4))[3].booking_id is None


def test_the_fourth_unverified_hold_of_a_source_ip_is_429(client: Client, moto_url: str, feeder: StreamFeeder) -> None:
    # chalice's local gateway reports one source IP (127.0.0.1) for every request.
    first = book(client, address())
    for hour in (1, 2):
        book(client, address(), hour)
    refused = attempt(client, address(), 3)
    assert (refused.status_code, refused.json_body["error"]["code"]) == (429, "too_many_holds")
    feeder.drain()  # verifying one hold gives its place back
    token = link_in(inbox(moto_url, first["booking"]["email"])[0], "/verify")["token"]
    assert verify(client, first["booking"]["id"], token).status_code == 200
    assert attempt(client, address(), 3).status_code == 201


def test_limits_and_expiry_off_give_firm_holds_without_a_limit(client: Client, settings: Settings) -> None:
    deps.override(settings=replace(settings, unverified_hold_minutes=0, max_unverified_holds=0))
    who = address()
    made = [book(client, who, hour) for hour in range(4)]
    assert all(b["booking"]["holdExpiresAt"] is None for b in made)
    at(NOW + timedelta(days=1) - timedelta(hours=3))
    assert attempt(client, address()).status_code == 409
    # The tokens stay scoped to one booking in every mode.
    listing = client.http.get(f"/bookings?email={who}", headers=bearer(made[0]["accessToken"]))
    assert listing.status_code == 403


@pytest.mark.parametrize(
    "email",
    ['"quoted"@example.com', "a,b@example.com", "<a@example.com>", "a;b@example.com", "a@b@example.com", "a b@x.co"],
)
def test_addresses_email_validator_refuses_are_400(client: Client, email: str) -> None:
    response = attempt(client, email)
    assert (response.status_code, response.json_body["error"]["details"][0]["field"]) == (400, "email")


@pytest.mark.parametrize("name", ["Grace\r\nBcc: x@example.com", "Grace\x00", "Gr\u200bace", "Grace\u202e"])
def test_names_with_control_characters_are_400(client: Client, name: str) -> None:
    body = {"expertId": "exp-1", "slotStart": "2026-03-21T09:00:00Z", "name": name, "email": address()}
    response = client.http.post("/bookings", headers=JSON, body=json.dumps({**body, "phone": "+442079460958"}))
    assert (response.status_code, response.json_body["error"]["details"][0]["field"]) == (400, "name")


def test_notes_keep_line_breaks_and_lose_other_control_characters(client: Client) -> None:
    body = {"expertId": "exp-1", "slotStart": "2026-03-21T09:00:00Z", "name": "Grace", "email": address()}
    notes = "line one\r\nline two\x00\u200b\x1b[31m"
    response = client.http.post(
        "/bookings", headers=JSON, body=json.dumps({**body, "phone": "+442079460958", "notes": notes})
    )
    assert response.status_code == 201 and response.json_body["booking"]["notes"] == "line one\nline two[31m"


def store_directly(repo: DynamoRepository, booking_id: str, email: str, name: str, hour: int) -> None:
    """Data that predates the validation (or came around it): written straight to the table."""
    booking = replace(make_booking(booking_id, start=START + timedelta(hours=hour)), email=email, name=name)
    repo.create_booking(booking, not_before=NOW, now=NOW)


def test_a_poison_address_never_reaches_ses_and_later_emails_still_go_out(
    client: Client, dynamo_repo: DynamoRepository, moto_url: str, feeder: StreamFeeder
) -> None:
    sent_before = len(inbox(moto_url, "a,rt-poison@example.com"))
    store_directly(dynamo_repo, "poison-1", "a,rt-poison@example.com", "Poison", hour=0)
    later = book(client, address(), hour=1)["booking"]
    feeder.drain()  # does not raise: the bad record is recorded as failed and skipped
    assert len(inbox(moto_url, "a,rt-poison@example.com")) == sent_before
    assert [m["Subject"] for m in inbox(moto_url, later["email"])] == ["Confirm your email to keep your booking"]
    feeder.drain()  # later deliveries go on (the marker says failed; nothing is retried forever)
    assert len(inbox(moto_url, "a,rt-poison@example.com")) == sent_before


def test_control_characters_in_stored_names_never_reach_an_email(
    client: Client, dynamo_repo: DynamoRepository, moto_url: str, feeder: StreamFeeder
) -> None:
    who = address()
    store_directly(dynamo_repo, "ctrl-1", who, "Eve\r\nBcc: victim@example.com\u202e", hour=2)
    feeder.drain()
    [message] = inbox(moto_url, who)
    assert message["Bcc"] is None
    assert "Hello EveBcc: victim@example.com," in text_of(message)
    assert "\r" not in text_of(message).replace("\r\n", "\n") and "\u202e" not in text_of(message)


def hold_from(client: Client, hour: int, headers: dict[str, str]) -> Any:
    body = {
        "expertId": "exp-1",
        "slotStart": (START + timedelta(hours=hour)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "name": "Grace Hopper",
        "email": address(),
        "phone": "+44 20 7946 0958",
    }
    return client.http.post("/bookings", headers={**JSON, **headers}, body=json.dumps(body))


def test_a_forged_cloudfront_viewer_address_does_not_change_the_counted_ip(client: Client, settings: Settings) -> None:
    # Four different "viewers", but no origin secret: a direct caller cannot dodge the per-IP limit.
    deps.override(settings=replace(settings, origin_verify_secret="edge-secret"))
    for hour in range(3):
        forged = {"CloudFront-Viewer-Address": f"203.0.113.{hour}:4000", "X-Origin-Verify": "guess"}
        assert hold_from(client, hour, forged).status_code == 201
    refused = hold_from(client, 3, {"CloudFront-Viewer-Address": "203.0.113.9:4000"})
    assert (refused.status_code, refused.json_body["error"]["code"]) == (429, "too_many_holds")


def test_through_cloudfront_each_viewer_address_has_its_own_limit(client: Client, settings: Settings) -> None:
    deps.override(settings=replace(settings, origin_verify_secret="edge-secret"))

    def via_edge(viewer: str) -> dict[str, str]:
        return {"CloudFront-Viewer-Address": viewer, "X-Origin-Verify": "edge-secret"}

    # One edge server (chalice local's sourceIp, 127.0.0.1) relays four visitors: none is refused.
    for hour in range(3):
        assert hold_from(client, hour, via_edge("203.0.113.1:4000")).status_code == 201
    assert hold_from(client, 3, via_edge("203.0.113.2:4000")).status_code == 201
    # The first visitor is at the limit wherever it comes from (a fifth, free slot).
    deps.repository().add_slots([make_slot(start=START + timedelta(hours=4))])
    refused = hold_from(client, 4, via_edge("203.0.113.1:5000"))
    assert (refused.status_code, refused.json_body["error"]["code"]) == (429, "too_many_holds")
