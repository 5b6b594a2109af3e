"""Admin routes: bookings list with filters and cursor, expert create/update, slot management."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from chalice.test import Client

from chalicelib import aws, deps
from chalicelib.config import Settings
from chalicelib.db.repository import DynamoRepository
from tests.conftest import NOW, make_expert, make_slot
from tests.integration.conftest import app_client

START = NOW + timedelta(days=1)


@pytest.fixture
def client(dynamo_repo: DynamoRepository, settings: Settings) -> Iterator[Client]:
    dynamo_repo.put_expert(make_expert())
    dynamo_repo.put_expert(make_expert("exp-2", "Grace Hopper"))
    dynamo_repo.add_slots([make_slot(start=START + timedelta(hours=h)) for h in range(6)])
    dynamo_repo.add_slots([make_slot("exp-2", START + timedelta(days=1, hours=h)) for h in range(2)])
    # Many bookings from one source IP here: the per-client hold limit has its own tests.
    unlimited = replace(settings, max_unverified_holds=0)
    with app_client(dynamo_repo, unlimited) as test_client:
        yield test_client


def book(client: Client, expert_id: str, start: Any, who: str = "a@example.com") -> str:
    body = {
        "expertId": expert_id,
        "slotStart": start.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "name": "Client",
        "email": who,
        "phone": "+44 20 7946 0958",
    }
    response = client.http.post("/bookings", headers={"Content-Type": "application/json"}, body=json.dumps(body))
    assert response.status_code == 201, response.body
    return str(response.json_body["booking"]["id"])


def get(client: Client, admin: dict[str, str], query: str) -> Any:
    response = client.http.get(f"/admin/bookings{query}", headers=admin)
    assert response.status_code == 200, response.body
    return response.json_body


def test_bookings_list_filters_and_pages_with_a_cursor(client: Client, admin: dict[str, str]) -> None:
    ids = [book(client, "exp-1", START + timedelta(hours=h)) for h in range(5)]
    other = book(client, "exp-2", START + timedelta(days=1))
    client.http.patch(f"/bookings/{ids[1]}/status", headers=admin, body=json.dumps({"status": "confirmed"}))

    everything = get(client, admin, "")
    assert [b["id"] for b in everything["items"]] == [*ids, other]  # ordered by start
    assert everything["nextCursor"] is None

    first = get(client, admin, "?expertId=exp-1&limit=2")
    assert [b["id"] for b in first["items"]] == ids[:2] and first["nextCursor"]
    second = get(client, admin, f"?expertId=exp-1&limit=2&cursor={first['nextCursor']}")
    assert [b["id"] for b in second["items"]] == ids[2:4]

    assert [b["id"] for b in get(client, admin, "?status=confirmed")["items"]] == [ids[1]]
    assert [b["id"] for b in get(client, admin, "?status=pending&limit=10")["items"]] == [*ids[:1], *ids[2:], other]
    assert [b["id"] for b in get(client, admin, "?from=2026-03-22")["items"]] == [other]
    assert [b["id"] for b in get(client, admin, "?to=2026-03-21")["items"]] == ids
    window = "?from=2026-03-21T10:00:00Z&to=2026-03-21T11:00:00Z"
    assert [b["id"] for b in get(client, admin, window)["items"]] == ids[1:3]


@pytest.mark.parametrize(
    "query", ["?status=done", "?limit=0", "?limit=101", "?from=yesterday", "?cursor=%%%", "?cursor=e30", "?x=1"]
)
def test_bad_list_queries_are_400(client: Client, admin: dict[str, str], query: str) -> None:
    response = client.http.get(f"/admin/bookings{query}", headers=admin)
    assert (response.status_code, response.json_body["error"]["code"]) == (400, "validation_failed")


def test_a_cursor_from_another_listing_is_refused(client: Client, admin: dict[str, str]) -> None:
    for h in range(3):
        book(client, "exp-1", START + timedelta(hours=h))
    cursor = get(client, admin, "?limit=1")["nextCursor"]
    response = client.http.get(f"/admin/bookings?expertId=exp-1&cursor={cursor}", headers=admin)
    assert response.status_code == 400


def test_create_and_update_an_expert(client: Client, admin: dict[str, str]) -> None:
    fields = {
        "name": "  Hedy Lamarr ",
        "category": "Engineering",
        "experienceYears": 20,
        "rating": 4.9,
        "bio": "Frequency hopping.",
        "timezone": "America/Los_Angeles",
        "sessionMinutes": 45,
    }
    created = client.http.post("/admin/experts", headers=admin, body=json.dumps(fields))
    assert created.status_code == 201
    expert = created.json_body
    assert expert["name"] == "Hedy Lamarr" and expert["id"].startswith("exp-")
    assert client.http.get(f"/experts/{expert['id']}").json_body == expert
    assert "Hedy Lamarr" in [e["name"] for e in client.http.get("/experts?q=hedy").json_body["items"]]

    patched = client.http.patch(
        f"/admin/experts/{expert['id']}", headers=admin, body=json.dumps({"rating": 4.5, "sessionMinutes": 60})
    )
    assert patched.status_code == 200
    assert (patched.json_body["rating"], patched.json_body["sessionMinutes"], patched.json_body["name"]) == (
        4.5,
        60,
        "Hedy Lamarr",
    )
    missing = client.http.patch("/admin/experts/exp-none", headers=admin, body=json.dumps({"rating": 1}))
    assert (missing.status_code, missing.json_body["error"]["code"]) == (404, "expert_not_found")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"rating": 5.5}, "rating"),
        ({"rating": -1}, "rating"),
        ({"timezone": "Mars/Base"}, "timezone"),
        ({"sessionMinutes": 7}, "sessionMinutes"),
        ({"name": "   "}, "name"),
        ({"experienceYears": "ten"}, "experienceYears"),
        ({"id": "hijack"}, "id"),
    ],
)
def test_invalid_expert_changes_are_400_and_change_nothing(
    client: Client, admin: dict[str, str], change: dict[str, Any], field: str
) -> None:
    response = client.http.patch("/admin/experts/exp-1", headers=admin, body=json.dumps(change))
    assert response.status_code == 400
    assert field in [d["field"] for d in response.json_body["error"]["details"]]
    assert deps.repository().get_expert("exp-1") == make_expert()


def test_expert_errors_speak_to_the_admin_not_to_a_client(client: Client, admin: dict[str, str]) -> None:
    """Issue 13: an empty expert name said "Enter your name." (the booking form's words)."""
    body = {"name": "  ", "category": " ", "experienceYears": 1, "rating": 4, "timezone": "UTC", "sessionMinutes": 30}
    response = client.http.post("/admin/experts", headers=admin, body=json.dumps(body))
    assert response.status_code == 400
    details = {d["field"]: d["message"] for d in response.json_body["error"]["details"]}
    assert details == {"name": "Enter the expert's name.", "category": "Enter a category."}


def test_admin_finds_a_clients_bookings_by_email_with_one_query(
    client: Client, admin: dict[str, str], admin_token: str
) -> None:
    """Issue 13: one query on the hashed-email index (no scan), any case, only that client's bookings."""
    mine = [book(client, "exp-1", START + timedelta(hours=h), "Ada@Example.com") for h in (0, 2)]
    book(client, "exp-1", START + timedelta(hours=1), "someone.else@example.com")
    calls: list[str] = []
    events = aws.client("dynamodb").meta.events
    record = lambda model, **_: calls.append(model.name)  # noqa: E731
    events.register("before-call.dynamodb.*", record)
    try:
        response = client.http.post(
            "/admin/bookings/search", headers=admin, body=json.dumps({"email": "ADA@example.com"})
        )
    finally:
        events.unregister("before-call.dynamodb.*", record)
    assert response.status_code == 200, response.body
    assert [b["id"] for b in response.json_body["items"]] == mine[::-1]  # latest first
    assert {b["email"] for b in response.json_body["items"]} == {"ada@example.com"}
    assert calls == ["Query"]

    bad = client.http.post("/admin/bookings/search", headers=admin, body=json.dumps({"email": "not-an-email"}))
    assert (bad.status_code, bad.json_body["error"]["code"]) == (400, "validation_failed")
    nobody = client.http.post("/admin/bookings/search", headers=admin, body=json.dumps({"email": "no@example.com"}))
    assert nobody.json_body == {"items": []}


def test_searching_by_email_is_for_admins_only(client: Client) -> None:
    """No token: 401; a client's own booking token (it names that email): 401, another kind of credential."""
    booked = client.http.post(
        "/bookings",
        headers={"Content-Type": "application/json"},
        body=json.dumps(
            {
                "expertId": "exp-1",
                "slotStart": START.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "name": "Client",
                "email": "ada@example.com",
                "phone": "+44 20 7946 0958",
            }
        ),
    ).json_body
    body = json.dumps({"email": "ada@example.com"})
    json_only = {"Content-Type": "application/json"}
    for headers in (json_only, {**json_only, "Authorization": f"Bearer {booked['accessToken']}"}):
        response = client.http.post("/admin/bookings/search", headers=headers, body=body)
        assert response.status_code == 401
        assert "ada@example.com" not in response.body.decode()


def test_add_slots_skips_existing_and_overlapping(client: Client, admin: dict[str, str]) -> None:
    day = START + timedelta(days=3)
    starts = [day, day + timedelta(hours=1), START, START + timedelta(hours=5, minutes=30)]  # exists / overlaps
    body = {"slots": [{"start": s.strftime("%Y-%m-%dT%H:%M:%SZ")} for s in starts]}
    response = client.http.post("/admin/experts/exp-1/slots", headers=admin, body=json.dumps(body))
    assert (response.status_code, response.json_body) == (201, {"created": 2, "skipped": 2})
    slots = deps.repository().list_slots("exp-1", day, day + timedelta(hours=3))
    assert [(s.start, s.end - s.start) for s in slots] == [
        (day, timedelta(hours=1)),
        (day + timedelta(hours=1), timedelta(hours=1)),
    ]


@pytest.mark.parametrize(
    "slots",
    [
        [],
        [{"start": "2026-03-19T09:00:00Z"}],  # past
        [{"start": "2026-03-25T09:00:00"}],  # no zone
        [{"start": "2026-03-25T09:00:30Z"}],  # not on a minute
        [{"start": "2026-03-25T09:00:00Z"}, {"start": "2026-03-25T09:30:00Z"}],  # overlap each other
        [{"start": f"2026-04-01T{h:02d}:00:00Z"} for h in range(24)] * 9,  # too many
    ],
)
def test_bad_slot_batches_are_400_and_write_nothing(client: Client, admin: dict[str, str], slots: list[Any]) -> None:
    response = client.http.post("/admin/experts/exp-1/slots", headers=admin, body=json.dumps({"slots": slots}))
    assert response.status_code in (400, 413)
    assert deps.repository().list_slots("exp-1", START + timedelta(days=2), START + timedelta(days=30)) == []


def test_delete_slot_free_booked_and_missing(client: Client, admin: dict[str, str]) -> None:
    free, taken = START + timedelta(hours=4), START + timedelta(hours=5)
    book(client, "exp-1", taken)
    path = "/admin/experts/exp-1/slots/"
    deleted = client.http.delete(path + free.strftime("%Y-%m-%dT%H:%M:%SZ"), headers=admin)
    assert deleted.status_code == 204
    again = client.http.delete(path + free.strftime("%Y-%m-%dT%H:%M:%SZ"), headers=admin)
    assert (again.status_code, again.json_body["error"]["code"]) == (404, "slot_not_found")
    booked = client.http.delete(path + "2026-03-21T14%3A00%3A00Z", headers=admin)
    assert (booked.status_code, booked.json_body["error"]["code"]) == (409, "slot_booked")
    assert [s.held_at(NOW) for s in deps.repository().list_slots("exp-1", taken, taken + timedelta(minutes=1))] == [
        True
    ]
    bad = client.http.delete(path + "tomorrow", headers=admin)
    assert (bad.status_code, bad.json_body["error"]["code"]) == (400, "validation_failed")
    unknown = client.http.delete("/admin/experts/exp-none/slots/2026-03-21T14:00:00Z", headers=admin)
    assert unknown.status_code == 404


@pytest.mark.parametrize(
    "window",
    [
        "from=2026-03-22T18:00:00Z&to=2026-03-22T17:00:00Z",
        "from=2026-03-23&to=2026-03-22",
        "expertId=exp-1&from=2026-03-23&to=2026-03-22",
    ],
)
def test_a_window_that_ends_before_it_starts_is_400(client: Client, admin: dict[str, str], window: str) -> None:
    # Found by the OpenAPI fuzzer on DynamoDB Local, which refuses a BETWEEN whose bounds are reversed (a 500).
    response = client.http.get(f"/admin/bookings?{window}", headers=admin)
    assert (response.status_code, response.json_body["error"]["details"][0]["field"]) == (400, "to")
