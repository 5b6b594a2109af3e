"""The same tests on a second DynamoDB: Amazon DynamoDB Local (Java), next to moto.

moto is a re-implementation in Python; DynamoDB Local is Amazon's own. Running the repository
contract and the concurrent-booking test on both means neither implementation's quirks can
carry a bug through. These tests skip only where `java` is absent; with Java present and the
package missing they fail and say how to install it (`make dynamodb-local`, which `make test`
runs first).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import boto3
import pytest

from chalicelib.db import table
from chalicelib.db.repository import DynamoRepository
from scripts import dynamodb_local
from scripts.local_stack import HOST, ROOT, LocalStack, free_port, wait_for
from scripts.stream_worker import sent_emails
from tests.conftest import make_expert, make_slot
from tests.integration.test_repository_contract import RepositoryContract
from tests.integration.test_stack import (
    test_concurrent_bookings_of_one_slot_have_exactly_one_winner as _one_winner,
)
from tests.integration.test_stack import (
    test_concurrent_retries_with_one_idempotency_key_make_one_booking as _one_idempotent_booking,
)

pytestmark = pytest.mark.skipif(shutil.which("java") is None, reason="DynamoDB Local needs Java 17 (`java` not found)")


@pytest.fixture(scope="module")
def dynamodb_url() -> Iterator[str]:
    port = free_port()
    process = dynamodb_local.start(port)  # NotInstalled (an error, not a skip) when the jar is missing
    try:
        dynamodb_local.wait_until_ready(port)
        yield f"http://{HOST}:{port}"
    finally:
        process.terminate()
        process.wait(timeout=15)


def dynamodb_client(url: str) -> Any:
    return boto3.client(
        "dynamodb",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


@pytest.fixture(scope="module")
def local_client(dynamodb_url: str) -> Any:
    return dynamodb_client(dynamodb_url)


@pytest.fixture
def local_table(local_client: Any) -> Iterator[str]:
    name = f"t-{uuid.uuid4().hex[:12]}"
    table.create(local_client, name)
    yield name
    local_client.delete_table(TableName=name)


class TestDynamoDBLocalRepository(RepositoryContract):
    @pytest.fixture
    def repo(self, local_client: Any, local_table: str) -> DynamoRepository:
        return DynamoRepository(local_client, local_table)


@dataclass
class ApiOnDynamoDBLocal:
    """What tests/integration/test_stack.py needs of a stack: `chalice local` over DynamoDB Local."""

    api_port: int
    table_name: str
    env: dict[str, str] = field(default_factory=dict)


@pytest.fixture(scope="module")
def stack(dynamodb_url: str, local_client: Any) -> Iterator[ApiOnDynamoDBLocal]:
    running = ApiOnDynamoDBLocal(api_port=free_port(), table_name=f"api-{uuid.uuid4().hex[:8]}")
    table.create(local_client, running.table_name)
    running.env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("AWS_ENDPOINT_URL")},
        "AWS_ENDPOINT_URL_DYNAMODB": dynamodb_url,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "TABLE_NAME": running.table_name,
        "CLIENT_TOKEN_SECRET": "dynamodb-local-secret",
        "PYTHONPATH": str(ROOT),
    }
    api = subprocess.Popen(
        [sys.executable, str(ROOT / "scripts" / "serve_api.py"), HOST, str(running.api_port)],
        env=running.env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(f"http://{HOST}:{running.api_port}/health")
        yield running
    finally:
        api.terminate()
        api.wait(timeout=10)


@pytest.fixture(scope="module")
def repo(stack: ApiOnDynamoDBLocal, local_client: Any) -> DynamoRepository:
    return DynamoRepository(local_client, stack.table_name)


# The concurrency tests themselves, unchanged, on this module's `stack` and `repo`.
test_concurrent_bookings_on_dynamodb_local = pytest.mark.stack(_one_winner)
test_concurrent_idempotent_retries_on_dynamodb_local = pytest.mark.stack(_one_idempotent_booking)


def test_persistent_local_mode_keeps_bookings_across_restarts_and_sends_their_emails(tmp_path: Path) -> None:
    """`make run PERSIST=1`: the stack on DynamoDB Local under a folder. A booking made in one run is
    still there, still holding its slot, in the next; the email worker reads DynamoDB Local's stream."""

    def run() -> LocalStack:
        return LocalStack(moto_port=free_port(), api_port=free_port(), seed=False, quiet=True, persist_dir=tmp_path)

    start = (datetime.now(timezone.utc) + timedelta(days=3)).replace(minute=0, second=0, microsecond=0)
    who = f"persist-{uuid.uuid4().hex[:8]}@example.com"
    first = run().start()
    try:
        dynamodb = dynamodb_client(first.env["AWS_ENDPOINT_URL_DYNAMODB"])
        repo = DynamoRepository(dynamodb, first.table_name)
        repo.put_expert(make_expert("exp-persist"))
        repo.add_slots([make_slot("exp-persist", start=start)])
        body = {"expertId": "exp-persist", "slotStart": start.strftime("%Y-%m-%dT%H:%M:%SZ"), "name": "Ada L"}
        request = urllib.request.Request(
            f"{first.api_url}/bookings",
            data=json.dumps({**body, "email": who, "phone": "+44 20 7946 0958"}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            booking_id = json.load(response)["booking"]["id"]
        deadline = time.monotonic() + 20
        while not [m for m in sent_emails(first.moto_url) if who in m.get("destinations", [])]:
            assert time.monotonic() < deadline, "no 'received' email: the worker did not read DynamoDB Local's stream"
            time.sleep(0.5)
    finally:
        first.stop()

    second = run().start()
    try:
        with urllib.request.urlopen(f"{second.api_url}/experts/exp-persist/slots", timeout=10) as response:
            slots = [s for day in json.load(response)["days"] for s in day["slots"]]
        assert [s["available"] for s in slots] == [False]
        dynamodb = dynamodb_client(second.env["AWS_ENDPOINT_URL_DYNAMODB"])
        stored = DynamoRepository(dynamodb, second.table_name).get_booking(booking_id)
        assert stored is not None and stored.status.value == "pending"
    finally:
        second.stop()
