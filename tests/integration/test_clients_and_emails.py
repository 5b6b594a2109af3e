"""Client privacy (access tokens, magic links) and emails sent from the table's stream via moto SES."""

from __future__ import annotations

import email
import json
import uuid
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from botocore.awsrequest import AWSPreparedRequest, AWSResponse
from chalice.test import Client

import app as app_module
from chalicelib import aws, deps
from chalicelib.config import Settings
from chalicelib.db.repository import DynamoRepository
from chalicelib.services import access
from devstack.stream_worker import StreamFeeder, sent_emails
from tests.conftest import NOW

START = NOW + timedelta(days=1)
JSON = {"Content-Type": "application/json"}
SECRET = "test-client-token-secret-of-32-bytes"


def address() -> str:
    return f"client-{uuid.uuid4().hex[:10]}@example.com"


def attempt(client: Client, who: str, hour: int = 0) -> Any:
    """POST /bookings for the fixture's slot `hour` hours after START, as `who`."""
    body = {
        "expertId": "exp-1",
        "slotStart": (START + timedelta(hours=hour)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "name": "Grace Hopper",
        "email": who,
        "phone": "+44 20 7946 0958",
    }
    return client.http.post("/bookings", headers=JSON, body=json.dumps(body))


def book(client: Client, who: str, hour: int = 0) -> dict[str, Any]:
    response = attempt(client, who, hour)
    assert response.status_code == 201, response.body
    return response.json_body


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", **JSON}


def inbox(moto_url: str, who: str) -> list[email.message.Message]:
    found = [m for m in sent_emails(moto_url) if who in m.get("destinations", [])]
    return [email.message_from_string(m["raw_data"]) for m in found]


def text_of(message: email.message.Message) -> str:
    return "".join(
        part.get_payload(decode=True).decode() for part in message.walk() if part.get_content_type() == "text/plain"
    )


# -- access tokens (issue 9: only the email proves an email) ---------------------


def link_in(message: email.message.Message, path: str) -> dict[str, str]:
    """The query of the first link to `path` in an email."""
    from urllib.parse import parse_qsl, urlsplit

    url = next(word for word in text_of(message).split() if f"{path}?" in word)
    return dict(parse_qsl(urlsplit(url).query))


def verification_link(moto_url: str, who: str) -> dict[str, str]:
    [received] = [m for m in inbox(moto_url, who) if m["Subject"] == "Confirm your email to keep your booking"]
    return link_in(received, "/verify")


def verify(client: Client, booking_id: str, token: str) -> Any:
    return client.http.post(f"/bookings/{booking_id}/verify", headers=JSON, body=json.dumps({"token": token}))


def test_a_booking_token_opens_its_own_booking_only(client: Client) -> None:
    who = address()
    first, second = book(client, who), book(client, who, hour=1)
    token, first_id, second_id = first["accessToken"], first["booking"]["id"], second["booking"]["id"]
    own = client.http.get(f"/bookings/{first_id}", headers=bearer(token))
    assert (own.status_code, own.json_body["id"], own.json_body["emailVerified"]) == (200, first_id, False)
    # The same email's other booking, and the list of all of them: 403, even though the email matches.
    other = client.http.get(f"/bookings/{second_id}", headers=bearer(token))
    assert (other.status_code, other.json_body["error"]["code"]) == (403, "forbidden")
    listing = client.http.get(f"/bookings?email={who}", headers=bearer(token))
    assert (listing.status_code, listing.json_body["error"]["code"]) == (403, "forbidden")
    cancel = client.http.post(f"/bookings/{second_id}/cancel", headers=bearer(token))
    assert (cancel.status_code, cancel.json_body["error"]["code"]) == (403, "forbidden")
    assert deps.repository().get_booking(second_id).status.value == "pending"


def test_typing_a_victims_email_gives_no_access_to_their_bookings(client: Client) -> None:
    """The attack from issue 9: book any slot with the victim's email, then use the returned token."""
    victim = address()
    theirs = book(client, victim)["booking"]
    mine = book(client, victim, hour=1)  # the attacker types the victim's address
    read = client.http.get(f"/bookings?email={victim}", headers=bearer(mine["accessToken"]))
    assert (read.status_code, read.json_body["error"]["code"]) == (403, "forbidden")
    peek = client.http.get(f"/bookings/{theirs['id']}", headers=bearer(mine["accessToken"]))
    assert peek.status_code == 403 and "Grace" not in json.dumps(peek.json_body)
    cancel = client.http.post(f"/bookings/{theirs['id']}/cancel", headers=bearer(mine["accessToken"]))
    assert (cancel.status_code, cancel.json_body["error"]["code"]) == (403, "forbidden")
    assert deps.repository().get_booking(theirs["id"]).status.value == "pending"


def test_the_verification_link_yields_an_email_token_that_lists_every_booking(
    client: Client, moto_url: str, feeder: StreamFeeder
) -> None:
    who = address()
    first, second = book(client, who)["booking"], book(client, who, hour=1)["booking"]
    feeder.drain()
    links = [link_in(m, "/verify") for m in inbox(moto_url, who)]
    assert sorted(found["booking"] for found in links) == sorted([first["id"], second["id"]])
    [mine] = [found for found in links if found["booking"] == first["id"]]
    verified = verify(client, first["id"], mine["token"])
    assert verified.status_code == 200, verified.json_body
    body = verified.json_body
    assert (body["booking"]["emailVerified"], body["booking"]["holdExpiresAt"]) == (True, None)
    listing = client.http.get(f"/bookings?email={who}", headers=bearer(body["accessToken"]))
    assert sorted(b["id"] for b in listing.json_body["items"]) == sorted([first["id"], second["id"]])
    # The link's token itself is not a bearer token, and it verifies only its own booking.
    assert client.http.get(f"/bookings?email={who}", headers=bearer(mine["token"])).status_code == 401
    assert verify(client, second["id"], mine["token"]).status_code == 403


def test_the_access_link_yields_an_email_token_that_lists_every_booking(
    client: Client, moto_url: str, feeder: StreamFeeder
) -> None:
    who = address()
    ids = sorted([book(client, who)["booking"]["id"], book(client, who, hour=1)["booking"]["id"]])
    client.http.post("/bookings/access-link", headers=JSON, body=json.dumps({"email": who}))
    feeder.drain()
    [link_mail] = [m for m in inbox(moto_url, who) if m["Subject"] == "Your link to My bookings"]
    link = link_in(link_mail, "/my-bookings")
    assert set(link) == {"token"}, "the link carries no address"
    assert client.http.get(f"/bookings?email={who}", headers=bearer(link["token"])).status_code == 401
    exchanged = client.http.post("/bookings/access-token", headers=JSON, body=json.dumps({"token": link["token"]}))
    assert exchanged.status_code == 200 and exchanged.json_body["email"] == who
    assert exchanged.json_body["expiresAt"] == "2026-03-21T09:00:00Z"  # a day after the link was used
    token = exchanged.json_body["accessToken"]
    listing = client.http.get(f"/bookings?email={who}", headers=bearer(token))
    assert sorted(b["id"] for b in listing.json_body["items"]) == ids
    assert client.http.get(f"/bookings?email={address()}", headers=bearer(token)).status_code == 403
    deps.override(clock=lambda: NOW + timedelta(hours=24))
    assert client.http.get(f"/bookings?email={who}", headers=bearer(token)).status_code == 401


@pytest.mark.parametrize(
    "token",
    [
        None,
        "garbage",
        access.email_token("another-secret-another-secret-another", "x@example.com", NOW)[0],
        access.email_token(SECRET, "x@example.com", NOW - timedelta(days=2))[0],  # expired
        access.link_token(SECRET, "x@example.com", NOW),  # a link token is exchanged, not used as a bearer
    ],
    ids=["missing", "garbage", "wrong-secret", "expired", "link-token"],
)
def test_bad_client_tokens_are_401(client: Client, token: str | None) -> None:
    headers = bearer(token) if token else JSON
    assert client.http.get("/bookings?email=x@example.com", headers=headers).status_code == 401
    assert client.http.get("/bookings/abc", headers=headers).status_code == 401
    assert client.http.post("/bookings/abc/cancel", headers=headers).status_code == 401


def test_client_routes_refuse_no_token_an_admins_and_a_strangers(client: Client, admin_token: str) -> None:
    """Every client route, from the declarations: no token or an admin's is 401, another client's is 403."""
    mine, theirs = book(client, address()), book(client, address(), hour=1)
    stranger = {"Authorization": f"Bearer {theirs['accessToken']}"}
    client_routes = [op for op in app_module.operations if op.auth == "client"]
    assert {(op.method, op.path) for op in client_routes} >= {("get", "/bookings/{booking_id}")}
    for op in client_routes:
        path = op.path.replace("{booking_id}", mine["booking"]["id"]) + (
            f"?email={mine['booking']['email']}" if op.path == "/bookings" else ""
        )
        for headers, expected in (({}, 401), ({"Authorization": f"Bearer {admin_token}"}, 401), (stranger, 403)):
            response = client.http.request(op.method.upper(), path, headers={**JSON, **headers}, body=b"{}")
            assert response.status_code == expected, (op.method, op.path, expected)
    assert deps.repository().get_booking(mine["booking"]["id"]).status.value == "pending"


def test_link_routes_take_only_their_own_kind_of_token(client: Client) -> None:
    """verify takes a verification token for that booking; access-token takes an access link's token."""
    made = book(client, address())
    booking = deps.repository().get_booking(made["booking"]["id"])
    wrong_kind = [
        made["accessToken"],  # the booking's own bearer token
        access.link_token(SECRET, booking.email, NOW),
        access.email_token(SECRET, booking.email, NOW)[0],
        "garbage",
    ]
    for token in wrong_kind:
        assert verify(client, booking.id, token).status_code == 401
    for token in [made["accessToken"], access.verification_token(SECRET, booking, NOW), "garbage"]:
        exchanged = client.http.post("/bookings/access-token", headers=JSON, body=json.dumps({"token": token}))
        assert exchanged.status_code == 401
    forged = access.verification_token("another-secret-another-secret-another", booking, NOW)
    assert verify(client, booking.id, forged).status_code == 401
    assert deps.repository().get_booking(booking.id).email_verified is False


def test_my_bookings_needs_a_valid_email(client: Client) -> None:
    token, _ = access.email_token(SECRET, "x@example.com", NOW)
    for query in ("", "?email=", "?email=not-an-email"):
        response = client.http.get(f"/bookings{query}", headers=bearer(token))
        assert (response.status_code, response.json_body["error"]["code"]) == (400, "validation_failed")


def test_client_cancel_releases_the_slot_and_respects_the_cutoff(client: Client, admin_token: str) -> None:
    who = address()
    created = book(client, who)
    path = f"/bookings/{created['booking']['id']}/cancel"
    cancelled = client.http.post(path, headers=bearer(created["accessToken"]))
    assert (cancelled.status_code, cancelled.json_body["status"]) == (200, "cancelled")
    again = client.http.post(path, headers=bearer(created["accessToken"]))
    assert (again.status_code, again.json_body["error"]["code"]) == (409, "invalid_transition")
    book(client, address())  # the slot is free again

    soon = book(client, who, hour=2)
    stored = deps.repository().get_booking(soon["booking"]["id"])
    assert verify(client, stored.id, access.verification_token(SECRET, stored, NOW)).status_code == 200
    deps.override(clock=lambda: START + timedelta(hours=2) - timedelta(minutes=119))  # inside the 2 h window
    late = client.http.post(f"/bookings/{soon['booking']['id']}/cancel", headers=bearer(soon["accessToken"]))
    assert (late.status_code, late.json_body["error"]["code"]) == (409, "cancellation_window_closed")
    admin = client.http.patch(
        f"/bookings/{soon['booking']['id']}/status",
        headers=bearer(admin_token),
        body=json.dumps({"status": "cancelled"}),
    )
    assert admin.status_code == 200  # admins are not bound by the cutoff


def test_cancel_of_an_unknown_booking_is_404(client: Client) -> None:
    token, _ = access.email_token(SECRET, "x@example.com", NOW)
    response = client.http.post("/bookings/unknown-id/cancel", headers=bearer(token))
    assert (response.status_code, response.json_body["error"]["code"]) == (404, "booking_not_found")


# -- magic links ------------------------------------------------------------------


def test_access_link_answers_identically_for_known_and_unknown_emails(
    client: Client, moto_url: str, feeder: StreamFeeder
) -> None:
    known, unknown = address(), address()
    book(client, known)

    def ask(who: str) -> Any:
        return client.http.post("/bookings/access-link", headers=JSON, body=json.dumps({"email": who}))

    first, second = ask(known), ask(unknown)
    assert (first.status_code, first.body) == (second.status_code, second.body) == (202, b"")
    assert {k: v for k, v in first.headers.items() if k.lower() != "date"} == {
        k: v for k, v in second.headers.items() if k.lower() != "date"
    }
    feeder.drain()
    assert inbox(moto_url, unknown) == []
    [link_mail] = [m for m in inbox(moto_url, known) if m["Subject"] == "Your link to My bookings"]
    token = link_in(link_mail, "/my-bookings")["token"]
    assert access.verify(SECRET, token, NOW, scopes=frozenset({access.LINK})).subject == known
    with pytest.raises(Exception, match="expired"):
        access.verify(SECRET, token, NOW + timedelta(hours=24, seconds=1), scopes=frozenset({access.LINK}))


def test_access_links_are_limited_per_email_per_hour(client: Client, moto_url: str, feeder: StreamFeeder) -> None:
    who = address()
    book(client, who)
    for _ in range(8):
        response = client.http.post("/bookings/access-link", headers=JSON, body=json.dumps({"email": who}))
        assert response.status_code == 202
    feeder.drain()
    links = [m for m in inbox(moto_url, who) if m["Subject"] == "Your link to My bookings"]
    assert len(links) == 5


def test_access_link_input_is_validated(client: Client) -> None:
    for raw in ("{}", json.dumps({"email": "nope"}), json.dumps({"email": "a@b.co", "x": 1}), "{oops"):
        response = client.http.post("/bookings/access-link", headers=JSON, body=raw)
        assert response.status_code == 400


# -- emails -----------------------------------------------------------------------


def parse_ics(text: str) -> dict[str, str]:
    """Parsed with icalendar; every content line is at most 75 octets (RFC 5545 folding)."""
    from icalendar import Calendar

    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    calendar = Calendar.from_ical(text)
    [event] = calendar.walk("VEVENT")
    fields = {name: str(event[name]) for name in ("UID", "DESCRIPTION", "SUMMARY", "LOCATION", "URL")}
    fields["DTSTART"] = f"{event['DTSTART'].dt:%Y%m%dT%H%M%SZ}"
    fields["DTEND"] = f"{event['DTEND'].dt:%Y%m%dT%H%M%SZ}"
    fields["METHOD"] = str(calendar["METHOD"])
    return fields


def test_a_booking_emails_received_once_and_confirming_sends_an_invite(
    client: Client, moto_url: str, feeder: StreamFeeder, admin_token: str
) -> None:
    who = address()
    booking = book(client, who)["booking"]
    feeder.drain()
    feeder.drain()  # a second pass finds nothing new to send
    [received] = inbox(moto_url, who)
    assert received["Subject"] == "Confirm your email to keep your booking"
    assert "14:30 (Asia/Kolkata)" in text_of(received) and "09:00 UTC" in text_of(received)
    # Its My bookings link opens the page at this booking.
    assert f"See or cancel this booking: http://127.0.0.1:8080/my-bookings?booking={booking['id']}\n" in text_of(
        received
    )

    client.http.patch(
        f"/bookings/{booking['id']}/status", headers=bearer(admin_token), body=json.dumps({"status": "confirmed"})
    )
    feeder.drain()
    messages = inbox(moto_url, who)
    assert [m["Subject"] for m in messages] == ["Confirm your email to keep your booking", "Your session is confirmed"]
    [invite] = [p for p in messages[1].walk() if p.get_content_type() == "text/calendar"]
    fields = parse_ics(invite.get_payload(decode=True).decode())
    assert (fields["DTSTART"], fields["DTEND"]) == ("20260321T090000Z", "20260321T100000Z")
    assert fields["UID"] == f"{booking['id']}@expert-booking" and fields["METHOD"] == "REQUEST"
    assert "Asia/Kolkata" in fields["DESCRIPTION"]
    assert fields["LOCATION"] == fields["URL"] == f"http://127.0.0.1:8080/my-bookings?booking={booking['id']}"


def test_redelivered_records_send_nothing_twice(client: Client, moto_url: str, dynamo_repo: DynamoRepository) -> None:
    who = address()
    book(client, who)
    arn = aws.client("dynamodb").describe_table(TableName=dynamo_repo._table)["Table"]["LatestStreamArn"]
    for _ in range(2):  # two consumers reading the same records from the start: a redelivery
        StreamFeeder(arn, app_module.send_booking_emails, start="TRIM_HORIZON").drain()
    assert len(inbox(moto_url, who)) == 1


def test_an_ses_failure_leaves_the_booking_unchanged_and_the_retry_sends(
    client: Client, moto_url: str, feeder: StreamFeeder, settings: Settings, dynamo_repo: DynamoRepository
) -> None:
    who = address()
    booking = book(client, who)["booking"]
    stored = dynamo_repo.get_booking(booking["id"])
    deps.override(settings=replace(settings, ses_sender="unverified@example.com"))  # moto SES rejects it
    with pytest.raises(Exception, match=r"MessageRejected|not verified"):
        feeder.drain()
    assert inbox(moto_url, who) == []
    assert dynamo_repo.get_booking(booking["id"]) == stored
    deps.override(settings=settings)
    feeder.drain()  # the same records again: the position did not move past the failure
    assert [m["Subject"] for m in inbox(moto_url, who)] == ["Confirm your email to keep your booking"]
    assert dynamo_repo.get_booking(booking["id"]) == stored


SES_THROTTLED = (
    b"<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code>"
    b"<Message>Maximum sending rate exceeded.</Message></Error><RequestId>fault</RequestId></ErrorResponse>"
)


class _Body:
    def __init__(self, data: bytes):
        self._data = data

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self._data


def test_ses_throttling_at_the_botocore_layer_is_retried_later_and_sends_once(
    client: Client, moto_url: str, feeder: StreamFeeder, dynamo_repo: DynamoRepository
) -> None:
    """SES answers Throttling to every attempt (botocore's own retries included): the batch fails,
    the booking is untouched, and the next delivery sends exactly one email."""
    who = address()
    booking = book(client, who)["booking"]
    stored = dynamo_repo.get_booking(booking["id"])
    attempts: list[str] = []

    def throttle(request: AWSPreparedRequest, **_: Any) -> AWSResponse:
        attempts.append(request.url)
        return AWSResponse(request.url, 400, {"Content-Type": "text/xml"}, _Body(SES_THROTTLED))

    events = aws.client("ses").meta.events
    events.register_first("before-send.ses", throttle)
    try:
        with pytest.raises(Exception, match="Throttling"):
            feeder.drain()
    finally:
        events.unregister("before-send.ses", throttle)
    assert len(attempts) >= 2, "botocore should have retried the throttled send"
    assert inbox(moto_url, who) == []
    assert dynamo_repo.get_booking(booking["id"]) == stored
    feeder.drain()
    feeder.drain()
    assert [m["Subject"] for m in inbox(moto_url, who)] == ["Confirm your email to keep your booking"]
    assert dynamo_repo.get_booking(booking["id"]) == stored


def test_emails_never_reach_logs(client: Client, feeder: StreamFeeder, caplog: pytest.LogCaptureFixture) -> None:
    who = address()
    with caplog.at_level("INFO"):
        book(client, who)
        client.http.post("/bookings/access-link", headers=JSON, body=json.dumps({"email": who}))
        feeder.drain()
    assert caplog.records, "expected the email consumer to log what it sent"
    assert who not in caplog.text and "+442079460958" not in caplog.text


SES_REFUSED = (
    b"<ErrorResponse><Error><Type>Sender</Type><Code>InvalidParameterValue</Code>"
    b"<Message>Illegal address</Message></Error><RequestId>fault</RequestId></ErrorResponse>"
)


def test_a_refused_email_is_recorded_listed_and_resent_on_an_admins_request(
    client: Client, moto_url: str, feeder: StreamFeeder, admin_token: str
) -> None:
    """SES refuses for good once (InvalidParameterValue at the botocore layer): the consumer records the
    email with its content and moves on; an admin lists it and asks for a resend, which the consumer
    sends (once) from the stored content; then the list is empty."""
    who = address()
    booking = book(client, who)["booking"]

    def refuse(request: AWSPreparedRequest, **_: Any) -> AWSResponse:
        return AWSResponse(request.url, 400, {"Content-Type": "text/xml"}, _Body(SES_REFUSED))

    events = aws.client("ses").meta.events
    events.register_first("before-send.ses", refuse)
    try:
        feeder.drain()  # no exception: a permanent refusal does not stall the stream
    finally:
        events.unregister("before-send.ses", refuse)
    assert inbox(moto_url, who) == []
    listed = client.http.get("/admin/emails/failed", headers=bearer(admin_token))
    [failed] = listed.json_body["items"]
    assert failed["eventKey"] == f"booking:{booking['id']}:received" and failed["to"] == who
    assert failed["reason"] == "permanent:InvalidParameterValue"
    assert client.http.get("/admin/emails/failed").status_code == 401  # admins only

    resend = client.http.post("/admin/emails/resend", headers=bearer(admin_token), body="{}")
    assert (resend.status_code, resend.json_body) == (202, {"requested": 1})
    feeder.drain()
    feeder.drain()
    [sent] = inbox(moto_url, who)
    assert sent["Subject"] == "Confirm your email to keep your booking" and "/verify?" in text_of(sent)
    assert client.http.get("/admin/emails/failed", headers=bearer(admin_token)).json_body["items"] == []
    again = client.http.post("/admin/emails/resend", headers=bearer(admin_token), body="{}")
    assert again.json_body == {"requested": 0}
