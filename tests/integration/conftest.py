"""Fixtures shared by the client-facing suites: the app in process over a moto table, and its stream."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import boto3
import pytest
from chalice.test import Client

import app as app_module
from chalicelib import aws, deps
from chalicelib.config import Settings
from chalicelib.db.repository import DynamoRepository
from chalicelib.services.experts import Catalog
from devstack.local_stack import LocalStack, free_port
from devstack.stream_worker import StreamFeeder
from tests.conftest import NOW, make_expert, make_slot

START = NOW + timedelta(days=1)


@contextmanager
def app_client(repo: DynamoRepository, settings: Settings, **overrides: Any) -> Iterator[Client]:
    """The app in process on `repo` at the fixed clock NOW, with `settings` and any other dependencies given
    (`catalog` replaces the default 30-second catalog); the dependencies are reset after."""
    defaults: dict[str, Any] = {"repository": repo, "catalog": Catalog(repo, 30), "clock": lambda: NOW}
    deps.override(**(defaults | {"settings": settings, **overrides}))
    with Client(app_module.app) as test_client:
        yield test_client
    deps.reset()


@pytest.fixture
def client(dynamo_repo: DynamoRepository, settings: Settings) -> Iterator[Client]:
    dynamo_repo.put_expert(make_expert(timezone="Asia/Kolkata"))
    dynamo_repo.add_slots([make_slot(start=START + timedelta(hours=h)) for h in range(4)])
    dynamo_repo.add_slots([make_slot(start=NOW + timedelta(minutes=90))])
    with app_client(dynamo_repo, settings) as test_client:
        yield test_client


@pytest.fixture
def admin(admin_token: str) -> dict[str, str]:
    """Headers of an admin's request with a JSON body."""
    return {"Authorization": f"Bearer {admin_token}", "Content-Type": "application/json"}


@pytest.fixture(params=["fake", "dynamodb"])
def repo(request: pytest.FixtureRequest) -> Any:
    """The store a repository contract runs on: the in-memory fake, then DynamoDB (moto_server over HTTP)."""
    return request.getfixturevalue("fake_repo" if request.param == "fake" else "dynamo_repo")


class Contract:
    """A repository contract: its tests use `self.repo`, which holds the expert exp-1 and what `arrange`
    adds. A Test* subclass runs it on the `repo` fixture above, or on one of its own (DynamoDB Local)."""

    repo: Any

    @pytest.fixture(autouse=True)
    def _given(self, repo: Any) -> None:
        self.repo = repo
        repo.put_expert(make_expert())
        self.arrange(repo)

    def arrange(self, repo: Any) -> None:
        """What every test of the contract starts with besides the expert."""


@pytest.fixture
def feeder(dynamo_repo: DynamoRepository, client: Client) -> StreamFeeder:
    arn = aws.client("dynamodb").describe_table(TableName=dynamo_repo._table)["Table"]["LatestStreamArn"]
    return StreamFeeder(arn, app_module.send_booking_emails, start="TRIM_HORIZON")


def started_stack(**options: Any) -> Iterator[LocalStack]:
    """A module's running stack (DynamoDB Local, moto, chalice local, workers), stopped by PID after."""
    running = LocalStack(moto_port=free_port(), api_port=free_port(), quiet=True, **options).start()
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="module")
def stack_repo(stack: LocalStack) -> DynamoRepository:
    """The repository on the module's running stack's table (a module defines `stack`)."""
    client = boto3.client("dynamodb", endpoint_url=stack.dynamodb_url, region_name="us-east-1")
    return DynamoRepository(client, stack.table_name)
