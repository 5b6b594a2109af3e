"""The real local stack over HTTP: DynamoDB Local + moto_server + `chalice local` (+ the static web server)."""

from __future__ import annotations

import http.client
import json
import threading
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from chalicelib.db.repository import DynamoRepository
from devstack.local_stack import HOST, LocalStack, free_port
from tests.conftest import SPEC_ZONES, make_expert, make_slot
from tests.integration.conftest import started_stack

pytestmark = pytest.mark.stack
CONCURRENCY = 400
# The demo data (48 experts, ~7,000 slots) is loaded: races run against a table of realistic size.
# Unverified holds expire as in production (UNVERIFIED_HOLD_MINUTES stays 15), but every request here
# comes from 127.0.0.1, so the per-client hold limit is off.
SETTINGS = {"MAX_UNVERIFIED_HOLDS": "0"}


@pytest.fixture(scope="module")
def stack() -> Iterator[LocalStack]:
    yield from started_stack(overrides=SETTINGS)


def request(
    stack: LocalStack, method: str, path: str, payload: Any = None, headers: dict[str, str] | None = None
) -> tuple[int, Any]:
    connection = http.client.HTTPConnection(HOST, stack.api_port, timeout=60)
    try:
        body = None if payload is None else json.dumps(payload)
        connection.request(method, path, body=body, headers={"Content-Type": "application/json", **(headers or {})})
        response = connection.getresponse()
        raw = response.read()
        return response.status, json.loads(raw) if raw else None
    finally:
        connection.close()


def future_slot(stack_repo: DynamoRepository, expert_id: str, days: int) -> datetime:
    start = (datetime.now(timezone.utc) + timedelta(days=days)).replace(minute=0, second=0, microsecond=0)
    stack_repo.put_expert(make_expert(expert_id))
    stack_repo.add_slots([make_slot(expert_id, start)])
    return start


def booking_items(stack_repo: DynamoRepository, expert_id: str) -> list[dict[str, Any]]:
    found = stack_repo._client.scan(TableName=stack_repo._table)["Items"]  # test-only read of everything
    return [i for i in found if i.get("type") == {"S": "booking"} and i.get("expertId") == {"S": expert_id}]


def fire(count: int, send: Any) -> list[Any]:
    gate = threading.Barrier(count)

    def one(number: int) -> Any:
        gate.wait()
        try:
            return send(number)
        except OSError as exc:  # connection reset / refused: the listen backlog was too small
            return ("error", type(exc).__name__)

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(one, range(count)))


def booking_body(expert_id: str, start: datetime, number: int) -> dict[str, str]:
    return {
        "expertId": expert_id,
        "slotStart": start.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "name": f"Racer {number}",
        "email": f"racer{number}@example.com",
        "phone": "+44 20 7946 0958",
    }


def free_seeded_slots(stack: LocalStack, count: int) -> tuple[str, list[datetime]]:
    """An expert of the demo data with at least `count` free slots, and those slots."""
    experts = request(stack, "GET", "/experts?limit=50")[1]["items"]
    for expert in experts:
        days = request(stack, "GET", f"/experts/{expert['id']}/slots?days=14")[1]["days"]
        free = [s["start"] for d in days for s in d["slots"] if s["available"]]
        if len(free) >= count:
            return expert["id"], [datetime.fromisoformat(s) for s in free[:count]]
    raise AssertionError(f"no demo expert has {count} free slots")


def test_concurrent_bookings_of_one_seeded_slot_have_exactly_one_winner(
    stack: LocalStack, stack_repo: DynamoRepository
) -> None:
    expert_id, (start,) = free_seeded_slots(stack, 1)
    results = fire(CONCURRENCY, lambda n: request(stack, "POST", "/bookings", booking_body(expert_id, start, n)))
    statuses = Counter(r[0] for r in results)
    assert statuses == {201: 1, 409: CONCURRENCY - 1}, statuses  # no 5xx, no resets
    assert {r[1]["error"]["code"] for r in results if r[0] == 409} == {"slot_unavailable"}
    winner = next(r[1]["booking"] for r in results if r[0] == 201)
    assert winner["holdExpiresAt"] is not None  # an unverified hold: verification is on
    stored = [i for i in booking_items(stack_repo, expert_id) if i["slotStart"]["S"] == winner["slotStart"]]
    assert [i["id"]["S"] for i in stored] == [winner["id"]]
    [slot] = stack_repo.list_slots(expert_id, start, start + timedelta(minutes=1))
    assert slot.booking_id == winner["id"]


def test_concurrent_bookings_over_many_slots_answer_every_booking_truthfully(
    stack: LocalStack, stack_repo: DynamoRepository
) -> None:
    """300 clients at once over 40 slots: every 201 is a stored booking holding its slot, and every
    stored booking got its 201 (no ghost bookings behind a 503)."""
    expert_id, starts = free_seeded_slots(stack, 40)
    before = {i["id"]["S"] for i in booking_items(stack_repo, expert_id)}
    results = fire(300, lambda n: request(stack, "POST", "/bookings", booking_body(expert_id, starts[n % 40], n)))
    statuses = Counter(r[0] for r in results)
    assert statuses == {201: 40, 409: 260}, statuses
    answered = {r[1]["booking"]["id"] for r in results if r[0] == 201}
    stored = {i["id"]["S"] for i in booking_items(stack_repo, expert_id)} - before
    assert answered == stored
    holders = {s.booking_id for s in stack_repo.list_slots(expert_id, starts[0], starts[-1] + timedelta(minutes=1))}
    assert answered <= holders


def test_concurrent_retries_with_one_idempotency_key_make_one_booking(
    stack: LocalStack, stack_repo: DynamoRepository
) -> None:
    start = future_slot(stack_repo, "race-2", days=4)
    body = booking_body("race-2", start, 0)
    results = fire(20, lambda n: request(stack, "POST", "/bookings", body, {"Idempotency-Key": "retry-me"}))
    assert {r[0] for r in results} == {201}, Counter(r[0] for r in results)
    assert len({r[1]["booking"]["id"] for r in results}) == 1
    assert len(booking_items(stack_repo, "race-2")) == 1


def test_a_cancelled_slot_can_be_booked_again_over_http(stack: LocalStack, stack_repo: DynamoRepository) -> None:
    start = future_slot(stack_repo, "race-3", days=5)
    status, created = request(stack, "POST", "/bookings", booking_body("race-3", start, 1))
    assert status == 201
    credentials = {"username": stack.env["ADMIN_USERNAME"], "password": stack.env["ADMIN_PASSWORD"]}
    status, session = request(stack, "POST", "/admin/session", credentials)
    assert status == 200
    admin = {"Authorization": f"Bearer {session['token']}"}
    path = f"/bookings/{created['booking']['id']}/status"
    assert request(stack, "PATCH", path, {"status": "cancelled"})[0] == 401
    status, cancelled = request(stack, "PATCH", path, {"status": "cancelled"}, admin)
    assert (status, cancelled["status"]) == (200, "cancelled")
    status, again = request(stack, "POST", "/bookings", booking_body("race-3", start, 2))
    assert status == 201 and again["booking"]["id"] != created["booking"]["id"]
    assert len(booking_items(stack_repo, "race-3")) == 2


@pytest.mark.parametrize(("method", "path"), [("GET", "/nope"), ("DELETE", "/experts"), ("PUT", "/bookings")])
def test_unknown_routes_get_the_error_envelope_like_api_gateway(stack: LocalStack, method: str, path: str) -> None:
    status, body = request(stack, method, path)
    assert (status, body) == (404, {"error": {"code": "not_found", "message": "No such route."}})


def test_the_seeded_stack_serves_the_api_and_the_web_app() -> None:
    stack = LocalStack(moto_port=free_port(), api_port=free_port(), web_port=free_port(), quiet=True).start()
    started = list(stack.processes)
    try:
        status, listing = request(stack, "GET", "/experts?limit=50")
        assert status == 200 and listing["total"] == 48
        zones = {e["timezone"] for e in listing["items"]}
        assert SPEC_ZONES <= zones
        assert len(request(stack, "GET", "/categories")[1]["items"]) == 8
        status, slots = request(stack, "GET", f"/experts/{listing['items'][0]['id']}/slots")
        assert status == 200 and any(s["available"] for d in slots["days"] for s in d["slots"])
        web = http.client.HTTPConnection(HOST, stack.web_port, timeout=10)
        for path in ("/", "/experts/exp-001"):  # a deep link gets the app shell
            web.request("GET", path)
            page = web.getresponse()
            assert page.status == 200 and b"<html" in page.read().lower()
        web.request("GET", "/config.js")
        assert b'"apiBaseUrl": "/api"' in web.getresponse().read()
        web.request("GET", "/api/experts?limit=1")  # the same API, on the app's origin as behind CloudFront
        through = web.getresponse()
        assert through.status == 200 and json.loads(through.read())["total"] == 48
        web.close()
    finally:
        stack.stop()
    # DynamoDB Local, moto, API, email worker, web
    assert len(started) == 5 and all(p.poll() is not None for p in started)
