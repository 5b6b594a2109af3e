"""Shared fixtures: a real moto_server over HTTP, fresh tables, fakes, and a fixed clock."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

import pytest

# Credentials and region for boto3 before any client exists; never real AWS.
os.environ.update(
    AWS_ACCESS_KEY_ID="testing",
    AWS_SECRET_ACCESS_KEY="testing",
    AWS_DEFAULT_REGION="us-east-1",
    CLIENT_TOKEN_SECRET="test-client-token-secret-of-32-bytes",
    # In-process tests move a fixed clock and read back at once: no slots micro-cache unless a test asks.
    SLOTS_CACHE_MS="0",
)
os.environ.pop("AWS_PROFILE", None)

from chalicelib import aws
from chalicelib.config import Settings
from chalicelib.db import table
from chalicelib.db.repository import DynamoRepository
from chalicelib.domain import Expert, Slot
from devstack import provision
from devstack.local_stack import HOST, ROOT, free_port, wait_for
from tests.fakes import FakeRepository

NOW = datetime(2026, 3, 20, 9, 0, tzinfo=timezone.utc)
SENDER = "bookings@example.com"
# The expert time zones PRODUCT.md's demo data must include.
SPEC_ZONES = frozenset(
    "Asia/Kolkata Europe/London America/New_York America/Los_Angeles Australia/Sydney Europe/Berlin".split()
)


@pytest.fixture(scope="session")
def moto_url() -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "devstack" / "serve_moto.py"), HOST, str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://{HOST}:{port}"
    try:
        wait_for(f"{url}/moto-api/")
        os.environ["AWS_ENDPOINT_URL"] = url
        aws.reset()
        aws.client("ses").verify_email_identity(EmailAddress=SENDER)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)
        os.environ.pop("AWS_ENDPOINT_URL", None)
        aws.reset()


ADMIN_PASSWORD = "Admin-Pass-123!"
USER_PASSWORD = "Plain-User-123!"


@pytest.fixture(scope="session")
def cognito(moto_url: str) -> dict[str, str]:
    """A real (moto) user pool with an admin in `admins` and a plain user outside it."""
    env = provision.cognito("admin", ADMIN_PASSWORD)
    idp = aws.client("cognito-idp")
    pool = env["COGNITO_USER_POOL_ID"]
    idp.admin_create_user(UserPoolId=pool, Username="plain", MessageAction="SUPPRESS")
    idp.admin_set_user_password(UserPoolId=pool, Username="plain", Password=USER_PASSWORD, Permanent=True)
    return env


def id_token(client_id: str, username: str, password: str) -> str:
    result = aws.client("cognito-idp").initiate_auth(
        ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH", AuthParameters={"USERNAME": username, "PASSWORD": password}
    )
    return str(result["AuthenticationResult"]["IdToken"])


@pytest.fixture(scope="session")
def settings(cognito: dict[str, str]) -> Settings:
    return Settings.from_env({**os.environ, **cognito, "SES_SENDER": SENDER})


@pytest.fixture(scope="session")
def admin_token(cognito: dict[str, str]) -> str:
    return id_token(cognito["COGNITO_CLIENT_ID"], "admin", ADMIN_PASSWORD)


@pytest.fixture
def table_name(moto_url: str) -> Iterator[str]:
    name = f"t-{uuid.uuid4().hex[:12]}"
    table.create(aws.client("dynamodb"), name)
    yield name
    aws.client("dynamodb").delete_table(TableName=name)


@pytest.fixture
def dynamo_repo(table_name: str) -> DynamoRepository:
    return DynamoRepository(aws.client("dynamodb"), table_name)


@pytest.fixture
def fake_repo() -> FakeRepository:
    return FakeRepository()


def make_expert(expert_id: str = "exp-1", name: str = "Ada Lovelace", **overrides: object) -> Expert:
    fields: dict[str, object] = {
        "id": expert_id,
        "name": name,
        "category": "Engineering",
        "experience_years": 12,
        "rating": 4.8,
        "bio": "Analytical engines.",
        "timezone": "Europe/London",
        "session_minutes": 60,
    }
    fields.update(overrides)
    return Expert(**fields)  # type: ignore[arg-type]


def make_slot(expert_id: str = "exp-1", start: datetime = NOW + timedelta(days=1), minutes: int = 60) -> Slot:
    return Slot(expert_id, start, start + timedelta(minutes=minutes))
