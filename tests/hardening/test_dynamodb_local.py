"""The same tests on a second DynamoDB: Amazon DynamoDB Local (Java), next to moto.

moto is a re-implementation in Python; DynamoDB Local is Amazon's own. Running the repository
contract and the concurrent-booking test on both means neither implementation's quirks can
carry a bug through. These tests skip only where `java` is absent; with Java present and the
package missing they fail and say how to install it (`make dynamodb-local`, which `make test`
runs first).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import boto3
import pytest

from chalicelib.db import table
from chalicelib.db.repository import DynamoRepository
from scripts import dynamodb_local
from scripts.local_stack import HOST, ROOT, free_port, wait_for
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


@pytest.fixture(scope="module")
def local_client(dynamodb_url: str) -> Any:
    return boto3.client(
        "dynamodb",
        endpoint_url=dynamodb_url,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


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
