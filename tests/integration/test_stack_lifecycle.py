"""The local stack's start-up under load and its readiness route (issue 10).

`make run` failed on a loaded machine because start-up waited on fixed 30 s deadlines; now each wait
lasts while its process is alive. GET /health/ready reads the table; GET /health does no I/O.
"""

from __future__ import annotations

import http.client
import json
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import pytest

from devstack.local_stack import HOST, LocalStack, free_port

pytestmark = pytest.mark.stack
BUSY_PROCESSES = 2  # as many as the machine's cores in CI


def get(port: int, path: str) -> tuple[int, Any, dict[str, str]]:
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, json.loads(response.read()), dict(response.getheaders())
    finally:
        connection.close()


@pytest.fixture
def busy_cpus() -> Iterator[list[subprocess.Popen[bytes]]]:
    """CPU-bound processes beside the stack, stopped by PID."""
    spinners = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(BUSY_PROCESSES)]
    try:
        yield spinners
    finally:
        for spinner in spinners:
            spinner.kill()
            spinner.wait()


def test_the_stack_starts_beside_busy_processes_and_reports_readiness(
    busy_cpus: list[subprocess.Popen[bytes]],
) -> None:
    began = time.monotonic()
    # Without the demo data: seeding is work, not a wait, and doubled this test's time (over 3 minutes in CI).
    stack = LocalStack(moto_port=free_port(), api_port=free_port(), web_port=free_port(), seed=False, quiet=True)
    stack.start()
    try:
        took = time.monotonic() - began
        assert all(spinner.poll() is None for spinner in busy_cpus)  # the load lasted the whole start
        assert get(stack.api_port, "/health")[:2] == (200, {"status": "ok"})
        assert get(stack.api_port, "/health/ready")[:2] == (200, {"status": "ok"})
        print(f"started beside {BUSY_PROCESSES} busy processes in {took:.1f}s")

        assert stack.dynamodb_process is not None
        stack.dynamodb_process.terminate()  # DynamoDB Local, by its PID
        stack.dynamodb_process.wait(timeout=30)
        status, body, headers = get(stack.api_port, "/health/ready")
        assert status == 503, body
        assert body["error"]["code"] == "service_unavailable"
        assert int(headers["Retry-After"]) >= 1
        assert get(stack.api_port, "/health")[:2] == (200, {"status": "ok"})
    finally:
        stack.stop()
