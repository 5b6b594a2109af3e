"""scripts/smoke.py: passes against the real local stack, fails clearly on each kind of breakage."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import boto3
import pytest

from chalicelib.db.repository import DynamoRepository
from devstack.local_stack import HOST, LocalStack, free_port
from scripts import smoke
from tests.conftest import make_expert, make_slot

EXPERT = {"id": "exp-1", "name": "Ada"}
Route = tuple[int, dict[str, str], Any]


def healthy_routes() -> dict[str, Callable[[dict[str, str]], Route]]:
    """A stand-in API that answers like the real one; tests break one route at a time."""
    error: Callable[[int, str], Route] = lambda status, code: (status, {}, {"error": {"code": code, "message": "x"}})  # noqa: E731

    def slots(headers: dict[str, str]) -> Route:
        if headers.get("if-none-match") == '"v1"':
            return 304, {"ETag": '"v1"'}, None
        return 200, {"ETag": '"v1"'}, {"expertId": "exp-1", "timezone": "UTC", "days": []}

    return {
        "/health": lambda h: (200, {}, {"status": "ok"}),
        "/openapi.json": lambda h: (200, {}, {"openapi": "3.1.0", "paths": {"/experts": {}}}),
        "/categories": lambda h: (200, {}, {"items": [{"name": "Design", "count": 1}]}),
        "/experts?limit=5": lambda h: (
            200,
            {},
            {"items": [EXPERT], "page": 1, "limit": 5, "total": 1, "totalPages": 1},
        ),
        "/experts?limit=0": lambda h: error(400, "validation_failed"),
        f"/experts/{smoke.UNKNOWN_EXPERT}": lambda h: error(404, "expert_not_found"),
        "/experts/exp-1": lambda h: (200, {}, EXPERT),
        "/experts/exp-1/slots?days=3": slots,
    }


@pytest.fixture
def fake_api() -> Iterator[tuple[str, dict[str, Callable[[dict[str, str]], Route]]]]:
    routes = healthy_routes()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            answer = routes.get(self.path.removeprefix("/api"))
            status, headers, body = answer({k.lower(): v for k, v in self.headers.items()}) if answer else (404, {}, {})
            raw = b"" if body is None else json.dumps(body).encode()
            self.send_response(status)
            for name, value in {"Access-Control-Allow-Origin": "https://app.example", **headers}.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    server = ThreadingHTTPServer((HOST, 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{HOST}:{server.server_address[1]}/api", routes
    finally:
        server.shutdown()
        server.server_close()


def test_passes_against_a_healthy_api_under_a_base_path(fake_api: Any) -> None:
    url, _ = fake_api
    assert smoke.main([url, "--origin", "https://app.example"]) == 0


@pytest.mark.parametrize(
    ("path", "answer", "message"),
    [
        ("/health", lambda h: (500, {}, {"error": {}}), "GET /health: expected 200, got 500"),
        ("/health", lambda h: (200, {}, {"status": "degraded"}), "GET /health"),
        ("/openapi.json", lambda h: (200, {}, {"openapi": "3.0.0", "paths": {}}), "OpenAPI 3.1"),
        ("/experts?limit=5", lambda h: (200, {}, {"items": []}), "GET /experts: expected an object with"),
        ("/experts?limit=0", lambda h: (200, {}, {"items": []}), "expected 400, got 200"),
        (f"/experts/{smoke.UNKNOWN_EXPERT}", lambda h: (404, {}, {"message": "nope"}), "expert_not_found"),
        ("/experts/exp-1/slots?days=3", lambda h: (200, {}, {"expertId": "e", "timezone": "UTC", "days": []}), "ETag"),
        (
            "/experts/exp-1/slots?days=3",
            lambda h: (200, {"ETag": '"v2"'}, {"expertId": "e", "timezone": "U", "days": []}),
            "304",
        ),
    ],
)
def test_fails_with_the_broken_check_named(fake_api: Any, path: str, answer: Any, message: str) -> None:
    url, routes = fake_api
    routes[path] = answer
    with pytest.raises(smoke.SmokeFailure, match=message.replace("?", r"\?")):
        smoke.run(smoke.Api(url), say=lambda _: None)


def test_a_cors_origin_other_than_the_web_apps_fails(fake_api: Any) -> None:
    url, _ = fake_api
    with pytest.raises(smoke.SmokeFailure, match="Access-Control-Allow-Origin"):
        smoke.run(smoke.Api(url, origin="https://evil.example"), say=lambda _: None)


def test_an_unreachable_api_fails_with_exit_code_1(capsys: pytest.CaptureFixture[str]) -> None:
    assert smoke.main([f"http://{HOST}:{free_port()}"]) == 1
    assert "cannot reach" in capsys.readouterr().err


@pytest.mark.stack
def test_passes_against_the_local_stack(capsys: pytest.CaptureFixture[str]) -> None:
    stack = LocalStack(moto_port=free_port(), api_port=free_port(), seed=False, quiet=True).start()
    try:
        client = boto3.client("dynamodb", endpoint_url=stack.dynamodb_url, region_name="us-east-1")
        repo = DynamoRepository(client, stack.table_name)
        start = (datetime.now(timezone.utc) + timedelta(days=1)).replace(minute=0, second=0, microsecond=0)
        repo.put_expert(make_expert("smoke-1"))
        repo.add_slots([make_slot("smoke-1", start)])
        assert smoke.main([stack.api_url]) == 0
    finally:
        stack.stop()
    assert "ok    /experts/smoke-1 and its slots" in capsys.readouterr().out
