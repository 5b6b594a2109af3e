"""The in-process harness: moto_server over HTTP, the provisioned table and Cognito pool, and the
Chalice app invoked the way Lambda invokes it (an API Gateway proxy event → `app(event, context)`).

AWS calls are counted with botocore event hooks on the app's own clients (chalicelib.aws), so the
counts are what the code really sends, not what a mock was told to expect.
"""

from __future__ import annotations

import importlib
import json
import os
import secrets
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from devstack.local_stack import HOST, ROOT, free_port, wait_for
from devstack.reply import Reply

SERVICES = ("dynamodb", "cognito-idp", "ses", "ssm")
TABLE = "BenchTable"


@dataclass
class Recorder:
    """Every AWS call the app makes, with the parsed responses (for replay) and DynamoDB read sizes."""

    calls: list[tuple[str, str]] = field(default_factory=list)
    responses: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)
    read_bytes: int = 0
    on: bool = False

    def before(self, model: Any, **_: Any) -> None:
        if self.on:
            self.calls.append((model.service_model.service_name, model.name))

    def after(self, model: Any, parsed: dict[str, Any], **_: Any) -> None:
        if not self.on:
            return
        self.responses.append((model.service_model.service_name, model.name, parsed))
        for item in parsed.get("Items", []) + ([parsed["Item"]] if "Item" in parsed else []):
            self.read_bytes += item_size(item)

    def clear(self) -> None:
        self.calls, self.responses, self.read_bytes = [], [], 0


def item_size(item: dict[str, Any]) -> int:
    """DynamoDB's item size: attribute names plus values (S as UTF-8, N as about half its digits + 1)."""
    size = 0
    for name, value in item.items():
        size += len(name.encode())
        if "S" in value:
            size += len(value["S"].encode())
        elif "N" in value:
            size += (len(value["N"].lstrip("-").replace(".", "")) + 1) // 2 + 1
        else:
            size += len(json.dumps(value))
    return size


class Harness:
    """Start with `Harness.start()`; stop with `.stop()` (moto is a child process)."""

    def __init__(self) -> None:
        self.moto_port = free_port()
        self.moto: subprocess.Popen[bytes] | None = None
        self.env: dict[str, str] = {}
        self.recorder = Recorder()
        self.app: Any = None
        self.admin_token: str | None = None

    @property
    def moto_url(self) -> str:
        return f"http://{HOST}:{self.moto_port}"

    def start(self) -> Harness:
        script = str(ROOT / "devstack" / "serve_moto.py")
        self.moto = subprocess.Popen(
            [sys.executable, script, HOST, str(self.moto_port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        wait_for(f"{self.moto_url}/moto-api/")
        self.env = bench_env(self.moto_url)
        self.env.update(provision(self.env))
        os.environ.update(self.env)
        self.app = importlib.import_module("app").app
        from chalicelib import aws

        for service in SERVICES:
            events = aws.client(service).meta.events
            events.register("before-call", self.recorder.before)
            events.register("after-call", self.recorder.after)
        return self

    def stop(self) -> None:
        if self.moto is not None and self.moto.poll() is None:
            self.moto.terminate()
            self.moto.wait(timeout=10)

    def event(self, method: str, path: str, headers: dict[str, str] | None = None, body: Any = None) -> dict[str, Any]:
        from chalice.local import LambdaEventConverter, RouteMatcher

        raw = None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
        converter = LambdaEventConverter(RouteMatcher(list(self.app.routes)))
        return converter.create_lambda_event(method, path, {"content-type": "application/json", **(headers or {})}, raw)

    def invoke(self, event: dict[str, Any]) -> Reply:
        result = self.app(event, lambda_context())
        headers = {k.lower(): v for k, v in result.get("headers", {}).items()}
        return Reply(result["statusCode"], headers, (result.get("body") or "").encode())

    def request(self, method: str, path: str, headers: dict[str, str] | None = None, body: Any = None) -> Reply:
        return self.invoke(self.event(method, path, headers, body))

    @contextmanager
    def recording(self) -> Iterator[Recorder]:
        self.recorder.clear()
        self.recorder.on = True
        try:
            yield self.recorder
        finally:
            self.recorder.on = False

    def sign_in_admin(self) -> str | None:
        """A real Cognito ID token from moto, through the app's own sign-in route (None if there is none)."""
        if "/admin/session" not in self.app.routes or "ADMIN_PASSWORD" not in self.env:
            return self.env.get("ADMIN_API_SECRET")
        credentials = {"username": self.env["ADMIN_USERNAME"], "password": self.env["ADMIN_PASSWORD"]}
        reply = self.request("POST", "/admin/session", body=credentials)
        return str(reply.json()["token"]) if reply.status == 200 else None


def lambda_context() -> Any:
    from chalice.local import LambdaContext

    return LambdaContext("api_handler", 512, max_runtime_ms=15000)


def bench_env(moto_url: str) -> dict[str, str]:
    return {
        "AWS_ENDPOINT_URL": moto_url,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "TABLE_NAME": TABLE,
        "CLIENT_TOKEN_SECRET": secrets.token_urlsafe(32),
        "ADMIN_API_SECRET": secrets.token_urlsafe(24),
        "ADMIN_USERNAME": "bench-admin",
        "ADMIN_PASSWORD": f"Bench-{secrets.token_urlsafe(12)}-1a",
        "SES_SENDER": "bookings@example.com",
        "CATALOG_TTL_SECONDS": "30",
        # Every booking here comes from one client: the per-client hold counters would refuse the 4th.
        # Holds still expire (UNVERIFIED_HOLD_MINUTES stays 15), so a booking is its one transaction.
        "MAX_UNVERIFIED_HOLDS": "0",
        "POWERTOOLS_METRICS_DISABLED": "true",
        # Per-route costs of a poll that misses the slots micro-cache (a hit costs no read at all).
        "SLOTS_CACHE_MS": "0",
        "PYTHONPATH": str(ROOT),
    }


def provision(env: dict[str, str]) -> dict[str, str]:
    """Table, Cognito pool and SES identity via devstack/provision.py (the local stack's own step)."""
    result = subprocess.run(
        [sys.executable, "-m", "devstack.provision", TABLE, "0"],
        env={**os.environ, **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    settings: dict[str, str] = json.loads(result.stdout)
    return settings


def timed(function: Any, *args: Any) -> tuple[float, Any]:
    started = time.perf_counter()
    result = function(*args)
    return time.perf_counter() - started, result


def median_time(
    call: Callable[[], Any],
    repeat: int,
    before: Callable[[], Any] | None = None,
    clock: Callable[[], float] = time.perf_counter,
) -> float:
    """Median `clock()` seconds of `call()` over `repeat` runs; `before()` (untimed) runs ahead of each."""
    samples = []
    for _ in range(repeat):
        if before is not None:
            before()
        started = clock()
        call()
        samples.append(clock() - started)
    return statistics.median(samples)


def count_by_operation(calls: list[tuple[str, str]]) -> str:
    counted = Counter(operation for _, operation in calls)
    return ", ".join(f"{op}\u00d7{n}" if n > 1 else op for op, n in counted.items()) or "—"
