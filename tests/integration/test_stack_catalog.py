"""The catalog snapshot on the running local stack (issue 14): provisioning publishes it to S3 in moto,
the stream worker republishes it when an expert changes, and `chalice local` serves the change once
its catalog cache expires (CATALOG_TTL_SECONDS=1 here). test_catalog_snapshot.py shows, in process,
that such reloads read the snapshot and not the table."""

from __future__ import annotations

import json
import time
import urllib.request
from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from chalicelib.db.repository import DynamoRepository
from chalicelib.db.snapshots import KEY, S3SnapshotStore
from chalicelib.services.catalog_snapshot import Stored, decode
from devstack.local_stack import LocalStack
from tests.integration.conftest import started_stack

pytestmark = pytest.mark.stack
PROGRESS_CAP_SECONDS = 120  # a last resort: each wait below ends as soon as the change shows


@pytest.fixture(scope="module")
def stack() -> Iterator[LocalStack]:
    yield from started_stack(overrides={"CATALOG_TTL_SECONDS": "1"})


def snapshot_names(stack: LocalStack) -> list[str]:
    s3 = boto3.client("s3", endpoint_url=stack.moto_url, region_name="us-east-1")
    found = S3SnapshotStore(s3, stack.env["CATALOG_BUCKET"]).read(None)
    assert isinstance(found, Stored), f"no s3://{stack.env['CATALOG_BUCKET']}/{KEY}"
    return [e.name for e in decode(found.body)[0]]


def listing(stack: LocalStack, query: str) -> Any:
    with urllib.request.urlopen(f"{stack.api_url}/experts?{query}", timeout=60) as response:
        return json.load(response)


def wait_for(check: Any, what: str) -> None:
    deadline = time.monotonic() + PROGRESS_CAP_SECONDS
    while not check():
        assert time.monotonic() < deadline, f"{what}: not seen within {PROGRESS_CAP_SECONDS}s"
        time.sleep(0.2)


def test_an_edited_expert_reaches_the_listing_through_the_snapshot(
    stack: LocalStack, stack_repo: DynamoRepository
) -> None:
    seeded = snapshot_names(stack)
    assert len(seeded) == listing(stack, "limit=1")["total"] > 0  # provisioning published the seed
    first = stack_repo.list_experts()[0]
    renamed = f"Quentin Snapshot-{int(time.time())}"
    stack_repo.update_expert(first.id, {"name": renamed})

    wait_for(lambda: renamed in snapshot_names(stack), "the stream worker's republished snapshot")
    wait_for(lambda: listing(stack, "q=snapshot-")["total"] == 1, "the API's listing")
    assert listing(stack, "q=QUENTIN%20SNAPSHOT")["items"][0]["id"] == first.id
