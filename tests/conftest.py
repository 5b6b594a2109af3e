"""Shared fixtures: a real moto_server over HTTP, fresh tables, fakes, and a fixed clock; and how
`make test` splits the suite between two pytest-xdist workers (`-n 2 --dist loadgroup`)."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

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

# Folders whose tests share a session fixture, so they run together on one worker: the browser suite's one
# stack and Chromium, and the infrastructure tests' one `chalice package`. Every other module is a group.
ONE_GROUP = ("tests/e2e/", "tests/infra/")
# Seconds a group takes (a serial run's `--durations=0`, summed per group), for the groups that take over
# ten; groups start longest first, so that neither worker is left alone with a long one at the end.
# Unlisted groups take seconds and follow in collection order.
SECONDS = {
    "tests/e2e": 300,
    "tests/hardening/test_fuzz_openapi.py": 120,
    "tests/integration/test_stack_reminders.py": 90,
    "tests/integration/test_stack.py": 75,
    "tests/integration/test_stack_holds.py": 70,
    "tests/integration/test_stack_soak.py": 60,
    "tests/infra": 40,
    "tests/integration/test_stack_catalog.py": 30,
    "tests/hardening/test_dynamodb_local.py": 25,
    "tests/integration/test_stack_lifecycle.py": 15,
    "tests/integration/test_stack_waitlist.py": 15,
    "tests/integration/test_web_server.py": 15,
}


def xdist_group(nodeid: str) -> str:
    """A test's group (`make test`: `-n 2 --dist loadgroup`): its folder for those in ONE_GROUP, else its module."""
    module = nodeid.split("::")[0]
    return next((folder.rstrip("/") for folder in ONE_GROUP if module.startswith(folder)), module)


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook, which reads the marks
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test gets its xdist_group mark, so a module's stack (or a folder's shared fixture) starts on one
    worker only. Under xdist the groups are put longest first: the scheduler hands them out in this order."""
    groups = {item: xdist_group(item.nodeid) for item in items}
    for item, group in groups.items():
        item.add_marker(pytest.mark.xdist_group(group))
    if os.environ.get("PYTEST_XDIST_WORKER"):
        items.sort(key=lambda item: -SECONDS.get(groups[item], 0))  # stable: collection order within a group


@pytest.hookimpl(optionalhook=True)  # a pytest-xdist hook
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """`--dist loadgroup`, reading the groups from the test ids (with pytest 9.2, xdist 3.8.0 can no longer
    add the mark's group to the ids it schedules by: pytest-xdist issue 1386), in collection order."""
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadGroupScheduling

    class Groups(LoadGroupScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return super()._split_scope(nodeid) if "@" in nodeid else xdist_group(nodeid)

    config.option.loadscopereorder = False  # not by the number of tests: SECONDS has ordered them
    return Groups(config, log)


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
