"""Fault injection: DynamoDB throttling, transaction conflicts, timeouts and lost responses.

Each scenario arms tests/hardening/faults.py on the app's real DynamoDB client (moto_server over
HTTP behind it), sends one request through chalice.test.Client, and checks three things:
the answer (503 + Retry-After when the budget runs out, success when a retry gets through),
how many attempts were made (the retry budget), and — by reading the whole table before and
after — that the request changed all of what it should or nothing at all.

Not covered yet: SES failures. The email sender (the stream consumer) is being built in the
"Admin identity" issue; add its scenarios here when it lands.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from chalice.test import Client

import app as app_module
from chalicelib import auth, aws, deps
from chalicelib.db.repository import DynamoRepository
from chalicelib.services import access
from chalicelib.services.experts import Catalog
from tests.conftest import make_expert, make_slot
from tests.hardening.faults import WRITES, Injector

EMAIL = "grace@example.com"
RETRY_BUDGET_SECONDS = 10  # well inside API Gateway's 29 s integration timeout


@dataclass(frozen=True)
class Scenario:
    route: str  # a key of ROUTES below
    operation: str  # the DynamoDB operation that fails
    fault: str  # a key of faults.FAULTS, or "lost_response"
    times: int | None  # how many attempts fail; None: all of them
    status: int  # the expected answer
    attempts: int  # requests of `operation` that reached the botocore layer
    outcome: str  # "unchanged" or "applied"

    def __str__(self) -> str:
        times = "always" if self.times is None else f"{self.times}x"
        return f"{self.route}-{self.operation}-{self.fault}-{times}"


SCENARIOS = [
    # Booking: one TransactWriteItems. botocore retries throttling, 5xx and timeouts (3 attempts in all:
    # `max_attempts: 2` in chalicelib/aws.py counts retries);
    # the repository retries TransactionConflict 4 times; then 503 with Retry-After.
    Scenario("book", "TransactWriteItems", "throttling", None, 503, 3, "unchanged"),
    Scenario("book", "TransactWriteItems", "provisioned_throughput", 1, 201, 2, "applied"),
    Scenario("book", "TransactWriteItems", "internal_error", None, 503, 3, "unchanged"),
    Scenario("book", "TransactWriteItems", "read_timeout", None, 503, 3, "unchanged"),
    Scenario("book", "TransactWriteItems", "connect_timeout", 1, 201, 2, "applied"),
    Scenario("book", "TransactWriteItems", "transaction_conflict", None, 503, 4, "unchanged"),
    Scenario("book", "TransactWriteItems", "transaction_conflict", 2, 201, 3, "applied"),
    Scenario("book", "TransactWriteItems", "transaction_throttled", None, 503, 1, "unchanged"),
    Scenario("book_with_key", "TransactWriteItems", "lost_response", 1, 201, 2, "applied"),
    # Confirm (and complete): one conditional UpdateItem; a lost response is recognised by its change id.
    Scenario("confirm", "UpdateItem", "throttling", None, 503, 3, "unchanged"),
    Scenario("confirm", "UpdateItem", "read_timeout", None, 503, 3, "unchanged"),
    Scenario("confirm", "UpdateItem", "internal_error", 1, 200, 2, "applied"),
    Scenario("confirm", "UpdateItem", "lost_response", 1, 200, 2, "applied"),
    # Cancel: GetItem (to find the slot), then one TransactWriteItems that also releases the slot.
    Scenario("cancel", "GetItem", "throttling", None, 503, 3, "unchanged"),
    Scenario("cancel", "TransactWriteItems", "throttling", None, 503, 3, "unchanged"),
    Scenario("cancel", "TransactWriteItems", "transaction_conflict", None, 503, 4, "unchanged"),
    Scenario("cancel", "TransactWriteItems", "transaction_conflict", 1, 200, 2, "applied"),
    Scenario("client_cancel", "TransactWriteItems", "connect_timeout", None, 503, 3, "unchanged"),
    Scenario("cancel", "TransactWriteItems", "lost_response", 1, 200, 2, "applied"),
    Scenario("client_cancel", "TransactWriteItems", "lost_response", 1, 200, 2, "applied"),
    # Admin slot creation: one transaction (version guard + slots); a conflict with another admin re-reads.
    Scenario("add_slots", "TransactWriteItems", "throttling", None, 503, 3, "unchanged"),
    Scenario("add_slots", "TransactWriteItems", "transaction_conflict", 2, 201, 3, "applied"),
    Scenario("add_slots", "TransactWriteItems", "lost_response", 1, 201, 2, "applied"),
    Scenario("create_expert", "PutItem", "lost_response", 1, 201, 2, "applied"),
    Scenario("create_expert", "PutItem", "throttling", None, 503, 3, "unchanged"),
    # Every answer lost (issue 10: ghost bookings): the write landed, so after botocore gives up the
    # repository reads back what it wrote (consistently) and answers the truth, never a 503.
    Scenario("book", "TransactWriteItems", "lost_response", None, 201, 3, "applied"),
    Scenario("book_with_key", "TransactWriteItems", "lost_response", None, 201, 3, "applied"),
    Scenario("add_slots", "TransactWriteItems", "lost_response", None, 201, 3, "applied"),
    Scenario("confirm", "UpdateItem", "lost_response", None, 200, 3, "applied"),
    Scenario("cancel", "TransactWriteItems", "lost_response", None, 200, 3, "applied"),
    Scenario("client_cancel", "TransactWriteItems", "lost_response", None, 200, 3, "applied"),
    Scenario("create_expert", "PutItem", "lost_response", None, 201, 3, "applied"),
    # Reads.
    Scenario("slots", "Query", "throttling", None, 503, 3, "unchanged"),
    Scenario("listing", "Query", "read_timeout", None, 503, 3, "unchanged"),
    Scenario("expert", "GetItem", "internal_error", 1, 200, 2, "unchanged"),
]

# Formerly known gaps, fixed in the repository (each was a strict xfail until then).
KNOWN_GAPS = [
    pytest.param(
        Scenario("cancel", "TransactWriteItems", "transaction_throttled", None, 503, 1, "unchanged"),
        id="cancel-TransactWriteItems-transaction_throttled-always",
    ),
    pytest.param(
        Scenario("book", "TransactWriteItems", "lost_response", 1, 201, 2, "applied"),
        id="book-TransactWriteItems-lost_response-1x",
    ),
]


@dataclass
class World:
    client: Client
    dynamodb: Any
    table: str
    expert_id: str
    free_slot: datetime
    booking_id: str
    booked_slot: datetime


@pytest.fixture
def world(table_name: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    aws.reset()  # a fresh client: botocore's retry quota is per client, and earlier faults drain it
    dynamodb = aws.client("dynamodb")
    repo = DynamoRepository(dynamodb, table_name)
    start = (datetime.now(timezone.utc) + timedelta(days=3)).replace(minute=0, second=0, microsecond=0)
    repo.put_expert(make_expert("fault-1"))
    repo.add_slots([make_slot("fault-1", start), make_slot("fault-1", start + timedelta(hours=1))])
    # Faults are about storage, not identity: let any bearer through as an admin.
    monkeypatch.setattr(auth, "admin_claims", lambda *_a, **_k: {"cognito:groups": ["admins"]}, raising=False)
    monkeypatch.setattr(auth, "require_admin", lambda *_a, **_k: None, raising=False)
    # Firm holds (verification off): the scenarios count the booking transaction's own attempts;
    # unverified holds and their counters are covered by tests/integration/test_holds.py.
    firm = replace(deps.settings(), unverified_hold_minutes=0, max_unverified_holds=0)
    deps.override(repository=repo, catalog=Catalog(repo, 30), settings=firm)
    with Client(app_module.app) as client:
        made = client.http.post("/bookings", headers=JSON, body=json.dumps(booking_body(start + timedelta(hours=1))))
        assert made.status_code == 201, made.body
        deps.override(catalog=Catalog(repo, 30))  # cold again: read routes must reach DynamoDB
        booking_id = made.json_body["booking"]["id"]
        yield World(client, dynamodb, table_name, "fault-1", start, booking_id, start + timedelta(hours=1))
    deps.reset()
    aws.reset()


JSON = {"Content-Type": "application/json"}


def booking_body(start: datetime) -> dict[str, str]:
    return {
        "expertId": "fault-1",
        "slotStart": start.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "name": "Grace Hopper",
        "email": EMAIL,
        "phone": "+44 20 7946 0958",
    }


def send(world: World, route: str) -> Any:
    http = world.client.http
    admin = {**JSON, "Authorization": "Bearer fault-injection"}
    path = f"/bookings/{world.booking_id}"
    if route == "book":
        return http.post("/bookings", headers=JSON, body=json.dumps(booking_body(world.free_slot)))
    if route == "book_with_key":
        headers = {**JSON, "Idempotency-Key": "fault-key-1"}
        return http.post("/bookings", headers=headers, body=json.dumps(booking_body(world.free_slot)))
    if route in ("confirm", "cancel"):
        status = "confirmed" if route == "confirm" else "cancelled"
        return http.patch(f"{path}/status", headers=admin, body=json.dumps({"status": status}))
    if route == "client_cancel":
        token, _ = access.email_token(deps.client_token_secret(), EMAIL, datetime.now(timezone.utc))
        return http.post(f"{path}/cancel", headers={**JSON, "Authorization": f"Bearer {token}"}, body="{}")
    if route == "create_expert":
        expert = {"name": "Fault Tolerant", "category": "Engineering", "experienceYears": 3, "rating": 4.5}
        expert.update({"bio": "", "timezone": "Europe/London", "sessionMinutes": 60})
        return http.post("/admin/experts", headers=admin, body=json.dumps(expert))
    if route == "add_slots":
        later = [{"start": iso(world.booked_slot + timedelta(hours=h))} for h in (2, 3)]
        return http.post(f"/admin/experts/{world.expert_id}/slots", headers=admin, body=json.dumps({"slots": later}))
    if route == "slots":
        return http.get(f"/experts/{world.expert_id}/slots?days=7")
    if route == "listing":
        return http.get("/experts")
    if route == "expert":
        return http.get(f"/experts/{world.expert_id}")
    raise AssertionError(route)


def table(world: World) -> dict[tuple[str, str], dict[str, Any]]:
    """Every item, by key (a Scan is fine in a test: it proves what the table holds)."""
    items = world.dynamodb.scan(TableName=world.table, ConsistentRead=True)["Items"]
    return {(i["PK"]["S"], i["SK"]["S"]): i for i in items}


def slot_holder(items: dict[tuple[str, str], dict[str, Any]], start: datetime) -> str | None:
    [slot] = [i for i in items.values() if i.get("type", {}).get("S") == "slot" and i["start"]["S"] == iso(start)]
    return slot.get("bookingId", {}).get("S")


def iso(instant: datetime) -> str:
    return instant.strftime("%Y-%m-%dT%H:%M:%SZ")


def check_applied(world: World, route: str, before: dict[Any, Any], after: dict[Any, Any], body: Any) -> None:
    """The request's whole effect is there, and nothing else changed."""
    changed = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
    if route.startswith("book"):
        booking_id = body["booking"]["id"]
        assert slot_holder(after, world.free_slot) == booking_id
        kinds = sorted(after[k]["type"]["S"] for k in changed)
        assert kinds == sorted(["booking", "slot"] + (["idempotency"] if route == "book_with_key" else []))
    elif route in ("cancel", "client_cancel"):
        assert body["status"] == "cancelled"
        assert slot_holder(after, world.booked_slot) is None
        assert sorted(after[k]["type"]["S"] for k in changed) == ["booking", "slot"]
    elif route == "create_expert":
        assert body["name"] == "Fault Tolerant"
        assert [after[k]["id"]["S"] for k in changed] == [body["id"]]
    elif route == "add_slots":
        assert body == {"created": 2, "skipped": 0}
        assert sorted(after[k]["type"]["S"] for k in changed) == ["slot", "slot", "slots_version"]
    elif route == "confirm":
        assert body["status"] == "confirmed"
        assert [after[k]["status"]["S"] for k in changed] == ["confirmed"]
        assert [after[k]["type"]["S"] for k in changed] == ["booking"]
    else:
        assert not changed


@pytest.mark.parametrize("scenario", [*SCENARIOS, *KNOWN_GAPS], ids=str)
def test_a_fault_gives_a_retryable_answer_or_a_complete_write_never_half_of_one(
    world: World, scenario: Scenario
) -> None:
    before = table(world)
    injector = Injector(world.dynamodb)
    injector.fail(scenario.operation, scenario.fault, scenario.times)
    started = time.monotonic()
    try:
        response = send(world, scenario.route)
    finally:
        injector.close()
    elapsed = time.monotonic() - started
    after = table(world)

    assert response.status_code == scenario.status, response.body
    assert injector.sent[scenario.operation] == scenario.attempts
    assert elapsed < RETRY_BUDGET_SECONDS
    if scenario.status == 503:
        assert int(response.headers["Retry-After"]) >= 1
        assert response.json_body["error"]["code"] == "service_unavailable"
    if scenario.outcome == "unchanged":
        assert after == before
    else:
        check_applied(world, scenario.route, before, after, response.json_body)


@pytest.mark.parametrize("route", ["book", "confirm", "cancel", "client_cancel", "add_slots"])
def test_a_fault_on_any_later_write_never_leaves_half_a_change(world: World, route: str) -> None:
    """Whatever the number of writes a change takes: let the first through, fail every one after it.
    With one transaction the change completes; split into steps, it would stop half-way."""
    before = table(world)
    injector = Injector(world.dynamodb)
    injector.fail(WRITES, "throttling", times=None, skip=1)
    try:
        response = send(world, route)
    finally:
        injector.close()
    after = table(world)
    if response.status_code == 503:
        assert after == before
    else:
        assert response.status_code in (200, 201), response.body
        check_applied(world, route, before, after, response.json_body)


def test_a_booking_saved_but_unconfirmable_says_so_and_the_same_key_gets_it_back(world: World) -> None:
    """Every answer to the booking's write is lost (it landed), and every read that could tell times out
    too: the 503 must not read as "nothing happened", and sending it again with the same key returns the
    booking without writing anything twice."""
    injector = Injector(world.dynamodb)
    injector.fail("TransactWriteItems", "lost_response", times=None)
    injector.fail("GetItem", "read_timeout", times=None, skip=1)  # the first is the expert's, before the write
    try:
        response = send(world, "book_with_key")
    finally:
        injector.close()
    assert response.status_code == 503, response.body
    assert "could not confirm whether this was saved; it may have been" in response.json_body["error"]["message"]
    stored = table(world)
    holder = slot_holder(stored, world.free_slot)
    assert holder is not None  # it was saved: the answer above was right not to say otherwise

    again = send(world, "book_with_key")
    assert again.status_code in (200, 201), again.body
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert again.json_body["booking"]["id"] == holder
    assert table(world) == stored


def test_a_lost_write_read_back_as_not_applied_is_a_plain_busy(world: World) -> None:
    """The write never reached the table (the connection timed out on every try) and the read-back says
    so: the 503 is an ordinary "busy, retry", not a maybe."""
    before = table(world)
    injector = Injector(world.dynamodb)
    injector.fail("TransactWriteItems", "read_timeout", times=None)
    try:
        response = send(world, "book_with_key")
    finally:
        injector.close()
    assert response.status_code == 503, response.body
    assert response.json_body["error"]["message"] == "The service is busy. Please retry shortly."
    assert table(world) == before
