"""Bad input and a lost database answer with a 4xx or a 503 in the error envelope, never a 500 (issue 10).

In process (chalice.test.Client). Extreme dates overflowed datetime arithmetic, a deeply nested body
overflowed the parser's recursion, and a dropped connection escaped the repository as a botocore error.
"""

from __future__ import annotations

import json
import socket
import struct
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from chalice.test import Client

import app as app_module
from chalicelib import aws, deps
from chalicelib.config import Settings
from chalicelib.db.repository import DynamoRepository
from chalicelib.services.experts import Catalog
from tests.conftest import NOW, make_expert
from tests.fakes import FakeRepository

JSON = {"Content-Type": "application/json"}
EXTREMES = ["0001-01-01T00:30:00+01:00", "9999-12-31T23:30:00-01:00"]


@pytest.fixture
def client(fake_repo: FakeRepository) -> Iterator[Client]:
    fake_repo.put_expert(make_expert())
    deps.override(repository=fake_repo, probe=fake_repo, catalog=Catalog(fake_repo, 30), clock=lambda: NOW)
    with Client(app_module.app) as test_client:
        yield test_client
    deps.reset()


def error_of(response: Any) -> dict[str, Any]:
    error: dict[str, Any] = json.loads(response.body)["error"]
    return error


def booking(slot_start: str) -> str:
    body = {"expertId": "exp-1", "slotStart": slot_start, "name": "Ada", "email": "a@example.com"}
    return json.dumps({**body, "phone": "+44 20 7946 0958"})


@pytest.mark.parametrize("slot_start", [*EXTREMES, "9999-12-31T23:30:00Z", "0001-01-01T00:00:00Z"])
def test_a_slot_start_at_the_edge_of_the_calendar_is_a_validation_error(client: Client, slot_start: str) -> None:
    response = client.http.post("/bookings", headers=JSON, body=booking(slot_start))
    assert response.status_code == 400, response.body
    error = error_of(response)
    assert error["code"] == "validation_failed"
    assert [d["field"] for d in error["details"]] == ["slotStart"]


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_slots_from_the_edge_of_the_calendar_is_a_validation_error(client: Client, day: str) -> None:
    response = client.http.get(f"/experts/exp-1/slots?from={day}&tz=Asia/Kolkata")
    assert response.status_code == 400, response.body
    assert [d["field"] for d in error_of(response)["details"]] == ["from"]


@pytest.mark.parametrize("name", ["from", "to"])
@pytest.mark.parametrize("value", [*EXTREMES, "0001-01-01", "9999-12-31"])
def test_admin_booking_filters_at_the_edge_of_the_calendar_are_validation_errors(
    fake_repo: FakeRepository, settings: Settings, admin_token: str, name: str, value: str
) -> None:
    deps.override(repository=fake_repo, catalog=Catalog(fake_repo, 30), clock=lambda: NOW, settings=settings)
    try:
        with Client(app_module.app) as client:
            query = json.dumps(value)[1:-1].replace("+", "%2B")
            response = client.http.get(
                f"/admin/bookings?{name}={query}", headers={"Authorization": f"Bearer {admin_token}"}
            )
    finally:
        deps.reset()
    assert response.status_code == 400, response.body
    assert [d["field"] for d in error_of(response)["details"]] == [name]


@pytest.mark.parametrize(("opening", "depth"), [("[", 5000), ('{"":', 3000)])
def test_a_deeply_nested_body_is_invalid_json(client: Client, opening: str, depth: int) -> None:
    closing = "]" if opening == "[" else "}"  # objects are deeper per byte: 3,000 keeps under the 16 KB cap
    response = client.http.post("/bookings", headers=JSON, body=opening * depth + "1" + closing * depth)
    assert response.status_code == 400, response.body
    assert error_of(response)["code"] == "invalid_json"


def test_a_body_nested_within_the_parser_limit_is_still_judged_by_the_model(client: Client) -> None:
    response = client.http.post("/bookings", headers=JSON, body='{"expertId": ' + "[" * 300 + "]" * 300 + "}")
    assert response.status_code == 400, response.body
    assert error_of(response)["code"] in {"validation_failed", "invalid_json"}


def dropping_server(mode: str) -> tuple[int, socket.socket]:
    """Accepts each connection, reads the request and drops it: closed, reset, or cut mid-answer."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)

    def serve() -> None:
        while True:
            try:
                connection, _ = server.accept()
            except OSError:  # closed by the test
                return
            with connection:
                connection.recv(65536)
                if mode == "reset":
                    connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                elif mode == "cut":
                    connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n" + b'{"Items": [')

    threading.Thread(target=serve, daemon=True).start()
    return int(server.getsockname()[1]), server


@pytest.mark.parametrize("mode", ["closed", "reset", "cut"])
def test_a_dropped_database_connection_is_503_with_retry_after(mode: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Through the application's own clients (chalicelib.aws), as configured in Lambda."""
    port, server = dropping_server(mode)
    monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", f"http://127.0.0.1:{port}")
    aws.reset()
    repo = DynamoRepository(aws.client("dynamodb"), "ExpertBooking")
    deps.override(repository=repo, catalog=Catalog(repo, 30), clock=lambda: NOW)  # /health/ready: its own client
    try:
        with Client(app_module.app) as client:
            listing = client.http.get("/experts")
            ready = client.http.get("/health/ready")
            alive = client.http.get("/health")
    finally:
        deps.reset()
        aws.reset()
        server.close()
    for response in (listing, ready):
        assert response.status_code == 503, response.body
        assert error_of(response)["code"] == "service_unavailable"
        assert int(response.headers["Retry-After"]) >= 1
    assert (alive.status_code, json.loads(alive.body)) == (200, {"status": "ok"})


def test_ready_when_the_table_answers(client: Client) -> None:
    response = client.http.get("/health/ready")
    assert (response.status_code, json.loads(response.body)) == (200, {"status": "ok"})
