"""The HTTP API through chalice.test.Client, with DynamoDB served by moto_server over HTTP."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from chalice.test import Client

import app as app_module
from chalicelib import aws, deps
from chalicelib.config import Settings
from chalicelib.db.repository import DynamoRepository
from chalicelib.pollcache import PollCache
from chalicelib.services import access
from tests.conftest import NOW, make_expert, make_slot
from tests.integration.conftest import app_client

START = NOW + timedelta(days=1)  # 2026-03-21 09:00Z
JSON = {"Content-Type": "application/json"}


class Recorder:
    """Counts DynamoDB operations through botocore's event hooks (no mocking)."""

    def __init__(self) -> None:
        self.operations: list[str] = []

    def __call__(self, model: Any, **_: Any) -> None:
        self.operations.append(model.name)


@pytest.fixture
def calls(dynamo_repo: DynamoRepository) -> Iterator[Recorder]:
    recorder = Recorder()
    events = aws.client("dynamodb").meta.events
    events.register("before-call.dynamodb.*", recorder)
    yield recorder
    events.unregister("before-call.dynamodb.*", recorder)


@pytest.fixture
def client(dynamo_repo: DynamoRepository, calls: Recorder, settings: Settings) -> Iterator[Client]:
    dynamo_repo.put_expert(make_expert())
    dynamo_repo.put_expert(make_expert("exp-2", "Zoë Ångström", category="Design", timezone="Asia/Kolkata"))
    dynamo_repo.add_slots([make_slot(start=START + timedelta(hours=h)) for h in range(3)])
    dynamo_repo.add_slots([make_slot(start=NOW + timedelta(minutes=30))])
    # Many bookings from one source IP here: the per-client hold limit has its own tests.
    unlimited = replace(settings, max_unverified_holds=0)
    calls.operations.clear()
    with app_client(dynamo_repo, unlimited) as test_client:
        yield test_client


def body(**overrides: Any) -> dict[str, Any]:
    data = {
        "expertId": "exp-1",
        "slotStart": "2026-03-21T09:00:00Z",
        "name": "Grace Hopper",
        "email": "Grace@Example.com",
        "phone": "+44 20 7946 0958",
        "notes": "Compilers",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not ...}


def post(client: Client, payload: Any, headers: dict[str, str] | None = None) -> Any:
    raw = payload if isinstance(payload, str) else json.dumps(payload)
    return client.http.post("/bookings", headers={**JSON, **(headers or {})}, body=raw)


def stored_bookings(repo: DynamoRepository) -> list[dict[str, Any]]:
    # A Scan is fine in a test: it proves what the table holds.
    found = aws.client("dynamodb").scan(TableName=repo._table)["Items"]
    return [item for item in found if item["type"]["S"] in ("booking", "idempotency")]


def test_health(client: Client) -> None:
    response = client.http.get("/health")
    assert (response.status_code, response.json_body) == (200, {"status": "ok"})


def test_listing_search_filter_and_pages(client: Client, calls: Recorder) -> None:
    everything = client.http.get("/experts").json_body
    assert {k: everything[k] for k in ("page", "limit", "total", "totalPages")} == {
        "page": 1,
        "limit": 12,
        "total": 2,
        "totalPages": 1,
    }
    assert everything["items"][0] == {
        "id": "exp-1",
        "name": "Ada Lovelace",
        "category": "Engineering",
        "experienceYears": 12,
        "rating": 4.8,
        "bio": "Analytical engines.",
        "timezone": "Europe/London",
        "sessionMinutes": 60,
    }
    assert [e["id"] for e in client.http.get("/experts?q=angstr").json_body["items"]] == ["exp-2"]
    assert client.http.get("/experts?category=Design&limit=1&page=1").json_body["total"] == 1
    assert client.http.get("/experts?category=Nope").json_body["items"] == []
    assert client.http.get("/categories").json_body == {
        "items": [{"name": "Design", "count": 1}, {"name": "Engineering", "count": 1}]
    }
    assert calls.operations == ["Query"]  # one catalog read, then the warm cache


@pytest.mark.parametrize(
    "query", ["page=0", "page=-1", "page=abc", "limit=0", "limit=51", "limit=x", "q=" + "a" * 101, "extra=1"]
)
def test_bad_listing_parameters(client: Client, query: str) -> None:
    response = client.http.get(f"/experts?{query}")
    assert response.status_code == 400
    assert response.json_body["error"]["code"] == "validation_failed"
    assert response.json_body["error"]["details"][0]["field"] in {"page", "limit", "q", "extra"}


def test_expert_detail_and_not_found(client: Client) -> None:
    assert client.http.get("/experts/exp-2").json_body["name"] == "Zoë Ångström"
    for missing in ("/experts/nobody", "/experts/" + "x" * 300, "/experts/%2e%2e"):
        response = client.http.get(missing)
        assert response.status_code == 404
        assert response.json_body["error"]["code"] == "expert_not_found"


def test_slots_grouped_in_the_expert_zone_with_availability(client: Client, calls: Recorder) -> None:
    response = client.http.get("/experts/exp-1/slots?days=2")
    assert response.status_code == 200
    data = response.json_body
    assert (data["expertId"], data["timezone"]) == ("exp-1", "Europe/London")
    assert [d["date"] for d in data["days"]] == ["2026-03-20", "2026-03-21"]
    assert data["days"][0]["slots"] == [
        {"start": "2026-03-20T09:30:00Z", "end": "2026-03-20T10:30:00Z", "available": False, "reason": "too_soon"}
    ]
    assert [s["start"] for s in data["days"][1]["slots"]] == [
        "2026-03-21T09:00:00Z",
        "2026-03-21T10:00:00Z",
        "2026-03-21T11:00:00Z",
    ]
    assert all(s["available"] and s["reason"] is None for s in data["days"][1]["slots"])
    assert calls.operations == ["GetItem", "Query"]  # cold catalog: one GetItem for the expert


def test_slots_in_another_zone_move_across_dates(client: Client) -> None:
    data = client.http.get("/experts/exp-1/slots?days=2&tz=Pacific/Kiritimati&from=2026-03-21").json_body
    assert data["timezone"] == "Pacific/Kiritimati"  # UTC+14: 09:00Z is 23:00 the same day, 10:00Z the next
    assert [(d["date"], len(d["slots"])) for d in data["days"]] == [("2026-03-21", 1), ("2026-03-22", 2)]


def test_slots_etag_and_304(client: Client, dynamo_repo: DynamoRepository) -> None:
    first = client.http.get("/experts/exp-1/slots")
    etag = first.headers["ETag"]
    again = client.http.get("/experts/exp-1/slots", headers={"If-None-Match": etag})
    assert (again.status_code, again.body) == (304, b"")
    # CloudFront weakens the ETag of a body it compressed and revalidates with that: still the same body.
    weak = client.http.get("/experts/exp-1/slots", headers={"If-None-Match": f'"other", W/{etag}'})
    assert (weak.status_code, weak.body) == (304, b"")
    post(client, body())
    changed = client.http.get("/experts/exp-1/slots", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert client.http.get("/experts/exp-1/slots", headers={"If-None-Match": f"W/{etag}"}).status_code == 200


def test_an_unchanged_poll_within_the_micro_cache_window_reads_nothing(
    client: Client, calls: Recorder, settings: Settings
) -> None:
    """Issue 14: within SLOTS_CACHE_MS the container answers a poll from memory, 304 without a rebuild or a
    read; after the window the next poll reads once and sees the change."""
    from chalicelib import deps

    deps.override(settings=replace(deps.settings(), slots_cache_ms=1000), poll_cache=PollCache(clock=lambda: tick[0]))
    tick = [0.0]
    first = client.http.get("/experts/exp-1/slots")
    etag = first.headers["ETag"]
    assert first.headers["Cache-Control"] == "public, max-age=0, s-maxage=1"  # no stale: 5 s bound (bench/poll.py)
    calls.operations.clear()
    again = client.http.get("/experts/exp-1/slots", headers={"If-None-Match": etag})
    assert (again.status_code, again.body, calls.operations) == (304, b"", [])
    assert post(client, body()).status_code == 201
    calls.operations.clear()
    tick[0] = 0.9  # still inside the window: the poll may be up to a second behind
    assert client.http.get("/experts/exp-1/slots", headers={"If-None-Match": etag}).status_code == 304
    assert calls.operations == []
    tick[0] = 1.0
    changed = client.http.get("/experts/exp-1/slots", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag and calls.operations == ["Query"]


def test_public_reads_tell_caches_how_long_and_errors_are_not_cached(client: Client) -> None:
    catalog = "public, max-age=30, s-maxage=30, stale-while-revalidate=30"
    for path in ("/experts", "/categories", "/experts/exp-1"):
        assert client.http.get(path).headers["Cache-Control"] == catalog
    missing = client.http.get("/experts/nope/slots")
    assert missing.status_code == 404 and "public" not in missing.headers.get("Cache-Control", "")
    booked = post(client, body())
    assert "public" not in booked.headers.get("Cache-Control", "")


def test_slots_carry_no_personal_data(client: Client) -> None:
    assert post(client, body()).status_code == 201
    text = client.http.get("/experts/exp-1/slots").body.decode()
    for secret in ("grace", "Grace", "+442079460958", "Compilers", "bookingId"):
        assert secret not in text
    booked = [s for d in json.loads(text)["days"] for s in d["slots"] if s["start"] == "2026-03-21T09:00:00Z"]
    assert booked == [
        {"start": "2026-03-21T09:00:00Z", "end": "2026-03-21T10:00:00Z", "available": False, "reason": "booked"}
    ]


@pytest.mark.parametrize(
    "query",
    ["tz=Mars/Olympus", "tz=../../etc/passwd", "days=0", "days=61", "days=x", "from=2026-13-01", "from=yesterday"],
)
def test_bad_slot_queries(client: Client, query: str) -> None:
    response = client.http.get(f"/experts/exp-1/slots?{query}")
    assert response.status_code == 400
    assert response.json_body["error"]["code"] == "validation_failed"


def test_slots_of_an_unknown_expert(client: Client) -> None:
    assert client.http.get("/experts/nobody/slots").json_body["error"]["code"] == "expert_not_found"


def test_booking_returns_the_booking_and_an_access_token(
    client: Client, dynamo_repo: DynamoRepository, calls: Recorder
) -> None:
    response = post(client, body())
    assert response.status_code == 201
    booking = response.json_body["booking"]
    assert {k: booking[k] for k in ("expertId", "expertName", "slotStart", "slotEnd", "email", "phone", "status")} == {
        "expertId": "exp-1",
        "expertName": "Ada Lovelace",
        "slotStart": "2026-03-21T09:00:00Z",
        "slotEnd": "2026-03-21T10:00:00Z",
        "email": "grace@example.com",
        "phone": "+442079460958",
        "status": "pending",
    }
    token = response.json_body["accessToken"]
    grant = access.client_grant("test-client-token-secret-of-32-bytes", token, NOW)
    assert (grant.scope, grant.subject) == ("booking", booking["id"])  # this booking only, not the email
    assert (booking["emailVerified"], booking["holdExpiresAt"]) == (False, "2026-03-20T09:15:00Z")
    assert calls.operations == ["GetItem", "TransactWriteItems"]  # cold catalog; warm: one write
    calls.operations.clear()
    post(client, body(slotStart="2026-03-21T10:00:00Z"))
    assert calls.operations == ["TransactWriteItems"]
    assert dynamo_repo.get_booking(booking["id"]).email == "grace@example.com"


def test_a_taken_slot_is_409_and_a_missing_one_404(client: Client, dynamo_repo: DynamoRepository) -> None:
    assert post(client, body()).status_code == 201
    taken = post(client, body(email="other@example.com"))
    assert (taken.status_code, taken.json_body["error"]["code"]) == (409, "slot_unavailable")
    missing = post(client, body(slotStart="2026-03-21T15:00:00Z"))
    assert (missing.status_code, missing.json_body["error"]["code"]) == (404, "slot_not_found")
    unknown = post(client, body(expertId="nobody"))
    assert (unknown.status_code, unknown.json_body["error"]["code"]) == (404, "expert_not_found")
    assert len(stored_bookings(dynamo_repo)) == 1


def test_idempotency_key_replays_the_same_booking(client: Client, dynamo_repo: DynamoRepository) -> None:
    first = post(client, body(), {"Idempotency-Key": "abc-123"})
    again = post(client, body(), {"Idempotency-Key": "abc-123"})
    assert first.status_code == again.status_code == 201
    assert again.json_body["booking"] == first.json_body["booking"]
    assert again.headers["Idempotent-Replayed"] == "true"
    other = post(client, body(name="Someone Else"), {"Idempotency-Key": "abc-123"})
    assert (other.status_code, other.json_body["error"]["code"]) == (409, "idempotency_key_reused")
    assert len([i for i in stored_bookings(dynamo_repo) if i["type"]["S"] == "booking"]) == 1


INVALID_BODIES = [
    ("missing name", body(name=...), "name"),
    ("missing email", body(email=...), "email"),
    ("missing phone", body(phone=...), "phone"),
    ("missing slot", body(slotStart=...), "slotStart"),
    ("missing expert", body(expertId=...), "expertId"),
    ("blank name", body(name="   "), "name"),
    ("long name", body(name="x" * 101), "name"),
    ("name not a string", body(name=42), "name"),
    ("expert not a string", body(expertId=1), "expertId"),
    ("bad email", body(email="not-an-email"), "email"),
    ("email with spaces", body(email="a b@example.com"), "email"),
    ("long email", body(email="a" * 250 + "@x.io"), "email"),
    ("local phone", body(phone="020 7946 0958"), "phone"),
    ("short phone", body(phone="+44 12"), "phone"),
    ("letters in phone", body(phone="+44 20 ABCD 0958"), "phone"),
    ("impossible phone", body(phone="+999 1234 5678"), "phone"),
    ("huge notes", body(notes="x" * 1001), "notes"),
    ("notes not a string", body(notes=["x"]), "notes"),
    ("naive slot time", body(slotStart="2026-03-21T09:00:00"), "slotStart"),
    ("slot not a time", body(slotStart="tomorrow"), "slotStart"),
    ("past slot", body(slotStart="2026-03-19T09:00:00Z"), "slotStart"),
    ("inside notice", body(slotStart="2026-03-20T09:30:00Z"), "slotStart"),
    ("unknown field", body(isAdmin=True), "isAdmin"),
]


@pytest.mark.parametrize(("label", "payload", "field"), INVALID_BODIES, ids=[c[0] for c in INVALID_BODIES])
def test_invalid_bookings_are_400_with_field_details_and_write_nothing(
    client: Client, dynamo_repo: DynamoRepository, label: str, payload: Any, field: str
) -> None:
    response = post(client, payload)
    assert response.status_code == 400, response.body
    error = response.json_body["error"]
    assert error["code"] == "validation_failed"
    assert field in [d["field"] for d in error["details"]]
    assert "Traceback" not in response.body.decode()
    assert stored_bookings(dynamo_repo) == []


@pytest.mark.parametrize(
    ("raw", "headers", "status", "code"),
    [
        ("{not json", {}, 400, "invalid_json"),
        ("", {}, 400, "invalid_json"),
        ("[1, 2]", {}, 400, "validation_failed"),
        ("null", {}, 400, "validation_failed"),
        (json.dumps(body(notes="x" * 20000)), {}, 413, "payload_too_large"),
        ("name=x", {"Content-Type": "application/x-www-form-urlencoded"}, 415, "unsupported_media_type"),
        (json.dumps(body()), {"Idempotency-Key": "x" * 300}, 400, "validation_failed"),
    ],
)
def test_malformed_requests(
    client: Client, dynamo_repo: DynamoRepository, raw: str, headers: dict[str, str], status: int, code: str
) -> None:
    response = post(client, raw, headers)
    assert (response.status_code, response.json_body["error"]["code"]) == (status, code)
    assert stored_bookings(dynamo_repo) == []


def test_status_change_needs_the_admin_credential(client: Client, admin: dict[str, str]) -> None:
    booking_id = post(client, body()).json_body["booking"]["id"]
    path = f"/bookings/{booking_id}/status"
    payload = json.dumps({"status": "confirmed"})
    for headers in (
        {},
        {"Authorization": "Bearer wrong"},
        {"Authorization": "Basic dGVzdA=="},
        {"Authorization": "Bearer "},
    ):
        response = client.http.patch(path, headers={**JSON, **headers}, body=payload)
        assert (response.status_code, response.json_body["error"]["code"]) == (401, "unauthorized")
    confirmed = client.http.patch(path, headers=admin, body=payload)
    assert (confirmed.status_code, confirmed.json_body["status"]) == (200, "confirmed")


def test_status_machine_over_http_and_rebooking_after_cancel(
    client: Client, calls: Recorder, admin: dict[str, str]
) -> None:
    booking_id = post(client, body()).json_body["booking"]["id"]
    path = f"/bookings/{booking_id}/status"

    def change(status: str) -> Any:
        return client.http.patch(path, headers=admin, body=json.dumps({"status": status}))

    early = change("completed")
    assert (early.status_code, early.json_body["error"]["code"]) == (409, "invalid_transition")
    assert change("bogus").status_code == 400
    calls.operations.clear()
    confirmed = change("confirmed").json_body
    assert (confirmed["status"], confirmed["holdExpiresAt"], confirmed["emailVerified"]) == ("confirmed", None, False)
    # A firm booking moves in one write; this one was an unverified hold: the refused write's old item
    # says so (nothing is read), and one transaction makes the hold firm with the confirmation.
    assert calls.operations == ["UpdateItem", "TransactWriteItems"]
    calls.operations.clear()
    assert change("cancelled").json_body["status"] == "cancelled"
    assert calls.operations == ["GetItem", "TransactWriteItems"]
    again = change("confirmed")
    assert (again.status_code, again.json_body["error"]["code"]) == (409, "invalid_transition")
    rebooked = post(client, body(email="next@example.com")).json_body["booking"]
    deps.override(settings=replace(deps.settings(), unverified_hold_minutes=0))
    firm = post(client, body(email="firm@example.com", slotStart="2026-03-21T10:00:00Z")).json_body["booking"]
    assert firm["holdExpiresAt"] is None
    calls.operations.clear()
    confirm_firm = client.http.patch(
        f"/bookings/{firm['id']}/status", headers=admin, body=json.dumps({"status": "confirmed"})
    )
    assert confirm_firm.json_body["status"] == "confirmed"
    assert calls.operations == ["UpdateItem"]  # one conditional write; nothing is read first
    expired = client.http.patch(
        f"/bookings/{rebooked['id']}/status", headers=admin, body=json.dumps({"status": "expired"})
    )
    assert (expired.status_code, expired.json_body["error"]["code"]) == (409, "invalid_transition")
    missing = client.http.patch("/bookings/nope/status", headers=admin, body=json.dumps({"status": "confirmed"}))
    assert (missing.status_code, missing.json_body["error"]["code"]) == (404, "booking_not_found")


def test_openapi_document_is_generated_from_the_models(client: Client) -> None:
    doc = client.http.get("/openapi.json").json_body
    assert doc["openapi"].startswith("3.1")
    assert {"/experts", "/experts/{expertId}/slots", "/bookings", "/bookings/{bookingId}/status"} <= set(doc["paths"])
    request = doc["components"]["schemas"]["BookingRequest"]
    assert request["properties"]["notes"]["maxLength"] == 1000
    assert request["additionalProperties"] is False
    assert set(request["required"]) == {"expertId", "slotStart", "name", "email", "phone"}


def test_no_request_path_scans(client: Client, calls: Recorder) -> None:
    for path in ("/experts", "/categories", "/experts/exp-1", "/experts/exp-1/slots", "/health", "/openapi.json"):
        client.http.get(path)
    post(client, body())
    assert calls.operations and "Scan" not in calls.operations


def test_every_route_is_documented_in_openapi(client: Client) -> None:
    doc = client.http.get("/openapi.json").json_body
    documented = {(method, path) for path, entry in doc["paths"].items() for method in entry}
    declared = {(op.method, op.document_path) for op in app_module.operations}
    assert documented == declared and len(declared) == sum(len(m) for m in app_module.app.routes.values())
