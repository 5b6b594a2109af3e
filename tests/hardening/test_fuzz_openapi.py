"""Fuzzing: schemathesis against /openapi.json on the running local stack.

Every documented operation gets boundary cases (coverage phase), random valid and invalid
requests (fuzzing phase) and request chains that follow the ids the API returns (stateful phase).
Checks: no 5xx; every status, content type, header and body as documented; schema-invalid
requests rejected with a 4xx. Bounded by FUZZ_EXAMPLES per operation (default 25, about half a
minute); the seed is fixed so CI is repeatable — set FUZZ_SEED to explore, e.g.
`FUZZ_EXAMPLES=500 FUZZ_SEED=$RANDOM pytest tests/hardening/test_fuzz_openapi.py`.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import boto3
import pytest

import app as app_module
from chalicelib import openapi
from chalicelib.db.repository import DynamoRepository
from chalicelib.services import access
from devstack.local_stack import LocalStack, free_port
from tests.conftest import make_expert, make_slot

CONFIG = Path(__file__).with_name("schemathesis.toml")
CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_headers_conformance",
        "response_schema_conformance",
        "negative_data_rejection",
    ]
)
EXAMPLES = os.environ.get("FUZZ_EXAMPLES", "25")
SEED = os.environ.get("FUZZ_SEED", "20261124")
SCHEMA_VIOLATING_REQUEST_ACCEPTED = "ST201"  # the negative_data_rejection check


@pytest.fixture(scope="module")
def stack() -> Iterator[LocalStack]:
    running = LocalStack(moto_port=free_port(), api_port=free_port(), seed=False, quiet=True).start()
    try:
        client = boto3.client("dynamodb", endpoint_url=running.dynamodb_url, region_name="us-east-1")
        repo = DynamoRepository(client, running.table_name)
        start = (datetime.now(timezone.utc) + timedelta(days=2)).replace(minute=0, second=0, microsecond=0)
        for number, zone in enumerate(["Europe/London", "Asia/Kolkata", "America/New_York"]):
            repo.put_expert(make_expert(f"fuzz-{number}", f"Fuzz Expert {number}", timezone=zone))
            repo.add_slots([make_slot(f"fuzz-{number}", start + timedelta(hours=h)) for h in range(4)])
        yield running
    finally:
        running.stop()


def admin_token(stack: LocalStack) -> str:
    """A real admin credential, so the admin operations are fuzzed past their auth check."""
    if "ADMIN_PASSWORD" not in stack.env:  # the interim shared secret, before Cognito sign-in
        return stack.env.get("ADMIN_API_SECRET", "none")
    body = json.dumps({"username": stack.env["ADMIN_USERNAME"], "password": stack.env["ADMIN_PASSWORD"]}).encode()
    request = urllib.request.Request(
        f"{stack.api_url}/admin/session", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return str(json.load(response)["token"])


def client_token(stack: LocalStack) -> str:
    """A booker's access token (the fuzzer's emails rarely match it: those cases check the 403)."""
    secret = stack.env["CLIENT_TOKEN_SECRET"]
    return access.email_token(secret, "fuzz@example.com", datetime.now(timezone.utc))[0]


@dataclass(frozen=True)
class FuzzRun:
    returncode: int
    output: str
    failures: dict[str, int]  # schemathesis failure code (ST101 ...) -> count

    @property
    def report(self) -> str:
        return self.output[-12000:]


@pytest.fixture(scope="module")
def fuzz(stack: LocalStack, tmp_path_factory: pytest.TempPathFactory) -> FuzzRun:
    command = [
        *(sys.executable, "-m", "schemathesis.cli", "--config-file", str(CONFIG), "run"),
        f"{stack.api_url}/openapi.json",
        *("--url", stack.api_url),
        *("--checks", CHECKS),
        *("--max-examples", EXAMPLES),
        *("--seed", SEED),
        *("--request-timeout", "10"),
        "--no-color",
    ]
    # A temporary working directory keeps schemathesis' own files out of the repository.
    tokens = {"FUZZ_ADMIN_TOKEN": admin_token(stack), "FUZZ_CLIENT_TOKEN": client_token(stack)}
    result = subprocess.run(
        command,
        cwd=tmp_path_factory.mktemp("fuzz"),
        env={**os.environ, **tokens},
        capture_output=True,
        text=True,
        timeout=600,
    )
    failures = {code: int(n) for code, n in re.findall(r"^\s+\S+ (ST\d+) [^:\n]+: (\d+)$", result.stdout, re.M)}
    return FuzzRun(result.returncode, result.stdout + result.stderr, failures)


@pytest.mark.stack
def test_no_5xx_and_every_response_as_documented(fuzz: FuzzRun) -> None:
    assert re.search(r"\d+ generated", fuzz.output), fuzz.report  # it ran
    assert fuzz.returncode == 0 or fuzz.failures, fuzz.report  # a crash or an error is a failure too
    assert set(fuzz.failures) <= {SCHEMA_VIOLATING_REQUEST_ACCEPTED}, fuzz.report


@pytest.mark.stack
def test_schema_invalid_requests_are_rejected(fuzz: FuzzRun) -> None:
    assert SCHEMA_VIOLATING_REQUEST_ACCEPTED not in fuzz.failures, fuzz.report


def _shape(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "{}", path)


def _routes() -> set[tuple[str, str]]:
    return {(method.lower(), _shape(path)) for path, methods in app_module.app.routes.items() for method in methods}


def test_every_route_is_documented_in_openapi() -> None:
    documented = {
        (method, _shape(path))
        for path, ops in openapi.document(app_module.operations)["paths"].items()
        for method in ops
    }
    assert _routes() - documented == set()


def test_every_documented_operation_exists() -> None:
    documented = {
        (method, _shape(path))
        for path, ops in openapi.document(app_module.operations)["paths"].items()
        for method in ops
    }
    assert documented - _routes() == set()
